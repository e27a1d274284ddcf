"""Search runs over what the documents service registers: its fixtures (seeded org, clerks, clock)."""

from tests.hub.documents.conftest import clock, documents, people  # noqa: F401  (fixtures)

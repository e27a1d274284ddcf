"""The meetings tests' fixtures (the API over a seeded organisation), for the displays' end-to-end tests."""

from tests.hub.meetings.conftest import api  # noqa: F401

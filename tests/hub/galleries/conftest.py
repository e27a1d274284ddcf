"""The biometrics fixtures (pool, sealer, engines, service) serve the gallery tests too."""

from tests.hub.biometrics.conftest import biometrics, engines, faces, pool, sealer  # noqa: F401

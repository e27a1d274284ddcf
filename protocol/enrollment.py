"""Device enrollment over HTTPS: the one exchange that happens before a device has an identity.

The device sends the one-time token an admin gave it (as a QR code or text) and a CSR made
from a key it generated itself; the hub answers with the signed certificate, the CA to trust,
the broker to use and the device's first config.
"""

from __future__ import annotations

from pydantic import Field

from protocol._base import DeviceId, UtcTimestamp, WireModel

ENROLL_PATH = "/api/v1/enroll"


class EnrollmentRequest(WireModel):
    token: str = Field(min_length=16, max_length=256)
    csr_pem: str = Field(min_length=100, max_length=10_000, description="PEM CSR whose CN is the device id")


class EnrollmentResponse(WireModel):
    device_id: DeviceId
    kind: str
    site: str | None = None
    room: str | None = None
    certificate_pem: str
    ca_pem: str
    not_after: UtcTimestamp
    mqtt_url: str = Field(description="mqtts://host:port of the broker")


class EnrollmentRefused(WireModel):
    reason: str = Field(description="wrong_token | expired | already_used | bad_csr | no_tls_broker")
    detail: str

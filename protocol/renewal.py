"""Certificate renewal over the hub's device HTTPS endpoint.

A device renews its certificate before it expires by sending a CSR for a NEW key, over HTTPS
authenticated with its current (still valid, not revoked) client certificate. The hub signs it
for the same device id only (the CN of the certificate presented) and answers with the new
certificate; the device swaps key and certificate atomically and reconnects.
"""

from __future__ import annotations

from pydantic import Field

from protocol._base import UtcTimestamp, WireModel

#: POST, JSON `RenewalRequest` -> 200 `RenewalResponse` | 403/422 `RenewalRefused`
RENEW_PATH = "/v1/renew"


class RenewalRequest(WireModel):
    csr_pem: str = Field(min_length=100, max_length=10_000, description="PEM CSR for a new key; CN = the device id")


class RenewalResponse(WireModel):
    certificate_pem: str
    not_after: UtcTimestamp


class RenewalRefused(WireModel):
    reason: str = Field(description="revoked | unknown_certificate | expired | same_key | bad_csr")
    detail: str

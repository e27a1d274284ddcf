"""Enrollment routes: an admin makes a one-time token; a device redeems it with its CSR."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal, request_actor, services_of
from hub.devices import access as devices_access
from hub.devices.enrollment import CertificateSigner, EnrollmentRefused, redeem
from hub.inputs import FiniteFloat, Secret, ShortText
from protocol.enrollment import ENROLL_PATH, EnrollmentRequest, EnrollmentResponse
from protocol.enrollment import EnrollmentRefused as RefusedBody
from protocol.topics import DEVICE_ID_PATTERN


class TokenRequest(BaseModel):
    device_id: str = Field(pattern=DEVICE_ID_PATTERN, max_length=64)
    kind: str = Field(default="faceid", pattern=r"^(generic|faceid|rfid|display)$")
    site: ShortText | None = Field(default=None, max_length=64)
    room: ShortText | None = Field(default=None, max_length=64)
    valid_hours: FiniteFloat = Field(default=24, gt=0, le=24 * 30)


class EnrollIn(EnrollmentRequest):
    """The contract's request, its text held to the hub's rules too (a NUL never reaches the token lookup)."""

    token: Secret = Field(min_length=16, max_length=256)
    csr_pem: Secret = Field(min_length=100, max_length=10_000, description="PEM CSR whose CN is the device id")

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        """The contract's whole-message check (if it has one) is done field by field by the types above,
        so that a refusal names the field, in Vietnamese and English."""
        return data


class TokenResponse(BaseModel):
    device_id: str
    token: str
    qr_text: str
    expires_at: datetime


class Enrollment:
    """What the routes need, set on `app.state.enrollment` by the composition root."""

    def __init__(self, pool: object, signer: CertificateSigner, device_mqtt_url: str) -> None:
        self.pool = pool
        self.signer = signer
        self.device_mqtt_url = device_mqtt_url


def enrollment_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post(
        "/devices/enrollment-tokens",
        openapi_extra=devices_access.ENROLLMENT_TOKEN.route(),
        response_model=TokenResponse,
        status_code=201,
    )
    def new_token(
        body: TokenRequest, request: Request, principal: Annotated[Principal, Depends(current_principal)]
    ) -> TokenResponse:
        """A one-time token for one device id, shown to the installer as a QR code (audited, without the token).
        Only for an office of the caller's units (403 otherwise, nothing stored)."""
        token = services_of(request).devices.create_enrollment_token(  # scope check and token in one transaction
            principal, body.device_id, body.kind, body.site, body.room, request_actor(request, principal),
            timedelta(hours=body.valid_hours),
        )  # fmt: skip
        return TokenResponse(
            device_id=token.device_id, token=token.token, qr_text=token.qr_text, expires_at=token.expires_at
        )

    @router.post(
        ENROLL_PATH.removeprefix("/api/v1"),
        openapi_extra=devices_access.ENROLL.route(),
        response_model=EnrollmentResponse,
        responses={403: {"model": RefusedBody}, 422: {"model": RefusedBody}},
    )
    def enroll(body: EnrollIn, request: Request) -> EnrollmentResponse | JSONResponse:
        """Redeem a token with the device's CSR; a wrong, expired or used token changes nothing."""
        enrollment: Enrollment = request.app.state.enrollment
        if not enrollment.device_mqtt_url.startswith(("mqtts://", "ssl://")):
            # a certificate is useless at a broker without a TLS listener; refuse before using the token
            detail = (
                "this hub's broker has no TLS listener (set CCES_DEVICE_MQTT_URL=mqtts://…); use cces provision device"
            )
            return JSONResponse(RefusedBody(reason="no_tls_broker", detail=detail).model_dump(), 409)
        with enrollment.pool.connection() as conn:  # type: ignore[attr-defined]
            try:
                with conn.transaction():
                    enrolled = redeem(conn, body.token, body.csr_pem, enrollment.signer, enrollment.device_mqtt_url)
                    audit.record(
                        conn, Actor(f"device:{enrolled.device_id}", None, client_ip(request)),
                        "enrollment_token.redeem", "device", enrolled.device_id,
                        after={"kind": enrolled.kind, "site": enrolled.site, "room": enrolled.room,
                               "certificate_not_after": enrolled.not_after},
                    )  # fmt: skip
                return enrolled
            except EnrollmentRefused as refused:
                with conn.transaction():  # the refusal changed nothing; it is still worth a row
                    audit.record(
                        conn, Actor("device:unknown", None, client_ip(request)), "enrollment_token.refused", "device",
                        None, after={"reason": refused.reason, "detail": refused.detail},
                    )  # fmt: skip
                status = 422 if refused.reason == "bad_csr" else 403
                return JSONResponse(RefusedBody(reason=refused.reason, detail=refused.detail).model_dump(), status)

    return router

"""REST for secret documents under /api/v1/documents (issue 15 item 6): accounts' clearances (system admin)
and a cleared leader's grants of one secret document. Opening and downloading go through the documents'
own routes (hub.documents.api), which apply the rule and audit each opening."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AfterValidator, BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.documents.secrecy import access
from hub.documents.secrecy.models import LEVEL_LABELS, Clearance, Grant
from hub.documents.secrecy.service import SecrecyService
from hub.inputs import Id, ShortText, check_line

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Username = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$", description="an account's username")]
UsernameField = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$"), AfterValidator(check_line)]


def _secrecy(request: Request) -> SecrecyService:
    return request.app.state.services.documents.secrecy  # type: ignore[no-any-return]


class ClearanceIn(BaseModel):
    level: Annotated[int, Field(ge=0, le=3, description="0 none, 1 mật, 2 tối mật, 3 tuyệt mật")]
    basis: ShortText | None = Field(None, description="the decision clearing the person (số quyết định)")


class ClearanceOut(BaseModel):
    username: str
    display_name: str
    level: int
    label_vi: str
    label_en: str
    basis: str | None
    set_by: str | None
    set_at: datetime | None

    @classmethod
    def of(cls, c: Clearance) -> ClearanceOut:
        vi, en = LEVEL_LABELS[c.level]
        return cls(**{k: getattr(c, k) for k in cls.model_fields if k not in ("label_vi", "label_en")},
                   label_vi=vi, label_en=en)  # fmt: skip


class GrantIn(BaseModel):
    username: UsernameField
    reason: Annotated[str, Field(max_length=500), AfterValidator(check_line)] | None = None


class GrantOut(BaseModel):
    id: int
    document_id: int
    username: str
    display_name: str
    reason: str | None
    granted_by: str
    granted_at: datetime
    revoked_by: str | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, g: Grant) -> GrantOut:
        return cls(**{k: getattr(g, k) for k in cls.model_fields})


def secrecy_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.get("/clearances", openapi_extra=access.SET_CLEARANCE.route(), response_model=list[ClearanceOut])
    def clearances(request: Request, principal: CurrentPrincipal) -> list[ClearanceOut]:
        """Every account cleared to read secret documents, highest level first."""
        return [ClearanceOut.of(c) for c in _secrecy(request).clearances(principal)]

    @router.put("/clearances/{username}", openapi_extra=access.SET_CLEARANCE.route(), response_model=ClearanceOut)
    def set_clearance(
        request: Request, username: Username, body: ClearanceIn, principal: CurrentPrincipal
    ) -> ClearanceOut:
        """Set the highest level an account may read (0 withdraws it); audited."""
        saved = _secrecy(request).set_clearance(
            principal, username, body.level, body.basis, client_ip=client_ip(request)
        )
        return ClearanceOut.of(saved)

    @router.get(
        "/entries/{document_id}/grants", openapi_extra=access.GRANT_SECRET.route(), response_model=list[GrantOut]
    )
    def grants(request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> list[GrantOut]:
        """Who was granted this secret document, and when (withdrawn ones too)."""
        return [GrantOut.of(g) for g in _secrecy(request).grants(principal, document_id)]

    @router.post(
        "/entries/{document_id}/grants", openapi_extra=access.GRANT_SECRET.route(), response_model=GrantOut,
        status_code=201,
    )  # fmt: skip
    def grant(
        request: Request, document_id: Annotated[Id, Path()], body: GrantIn, principal: CurrentPrincipal
    ) -> GrantOut:
        """Let one more cleared account see this secret document (a cleared leader over its unit); audited."""
        saved = _secrecy(request).grant(
            principal, document_id, body.username, body.reason, client_ip=client_ip(request)
        )
        return GrantOut.of(saved)

    @router.delete(
        "/entries/{document_id}/grants/{username}", openapi_extra=access.GRANT_SECRET.route(), response_model=GrantOut
    )
    def revoke(
        request: Request, document_id: Annotated[Id, Path()], username: Username, principal: CurrentPrincipal
    ) -> GrantOut:
        """Withdraw a grant; audited."""
        return GrantOut.of(_secrecy(request).revoke(principal, document_id, username, client_ip=client_ip(request)))

    return router

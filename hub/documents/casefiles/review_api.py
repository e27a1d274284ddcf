"""REST for the review of case files past their retention (hồ sơ hết thời hạn bảo quản, issue 15 item 7) under
/api/v1/documents: the list of a unit and those under it, its XLSX (or PDF), and a proposal to destroy a file
(with a reason) or its withdrawal. The rules: hub.documents.casefiles.retention_review; who: access.REVIEW_RETENTION
and access.PROPOSE_DESTRUCTION."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from hub.documents.casefiles import access
from hub.documents.casefiles.models import ExpiredFile
from hub.documents.casefiles.retention_review import MAX_REASON
from hub.documents.casefiles.schemas import CaseFileOut, CurrentPrincipal, Fmt, UnitCode, _download, _ip, _service
from hub.inputs import Id


class ProposalIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON, description="why the file may be destroyed")]


class ProposalOut(BaseModel):
    reason: str
    proposed_at: datetime
    proposed_by: str


class ExpiredOut(BaseModel):
    case_file: CaseFileOut
    until: int = Field(description="the last year of its retention (its end year + the years)")
    proposal: ProposalOut | None

    @classmethod
    def of(cls, e: ExpiredFile) -> ExpiredOut:
        p = e.proposal
        proposal = ProposalOut(reason=p.reason, proposed_at=p.proposed_at, proposed_by=p.proposed_by) if p else None
        return cls(case_file=CaseFileOut.of(e.case_file), until=e.until, proposal=proposal)


def retention_review_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.get(
        "/units/{unit_code}/case-files/past-retention", openapi_extra=access.REVIEW_RETENTION.route(),
        response_model=list[ExpiredOut],
    )  # fmt: skip
    def past_retention(request: Request, unit_code: UnitCode, principal: CurrentPrincipal) -> list[ExpiredOut]:
        """Closed files of the unit and those under it whose retention ran out (never permanent ones), by unit."""
        return [ExpiredOut.of(e) for e in _service(request).past_retention(principal, unit_code)]

    @router.get(
        "/units/{unit_code}/case-files/past-retention.{fmt}", openapi_extra=access.REVIEW_RETENTION.route(),
        response_class=Response,
    )  # fmt: skip
    def past_retention_export(request: Request, unit_code: UnitCode, fmt: Fmt, principal: CurrentPrincipal) -> Response:
        """The same list as XLSX (or PDF)."""
        return _download(_service(request).past_retention_export(principal, unit_code, fmt))

    @router.post(
        "/case-files/{file_id}/destruction-proposal", openapi_extra=access.PROPOSE_DESTRUCTION.route(),
        response_model=ExpiredOut,
    )  # fmt: skip
    def propose(
        request: Request, file_id: Annotated[Id, Path()], body: ProposalIn, principal: CurrentPrincipal
    ) -> ExpiredOut:
        """Propose a file past its retention for destruction, with a reason (409: permanent, not past it, or
        proposed already)."""
        found = _service(request).propose_destruction(principal, file_id, body.reason, client_ip=_ip(request))
        return ExpiredOut.of(found)

    @router.delete(
        "/case-files/{file_id}/destruction-proposal", openapi_extra=access.PROPOSE_DESTRUCTION.route(),
        response_model=ExpiredOut,
    )  # fmt: skip
    def withdraw(request: Request, file_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> ExpiredOut:
        """Withdraw the proposal (409: none)."""
        return ExpiredOut.of(_service(request).withdraw_destruction(principal, file_id, client_ip=_ip(request)))

    return router

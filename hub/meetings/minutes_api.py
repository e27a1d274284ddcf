"""REST of a meeting's minutes (biên bản, issue 17 item 6).

| route | answer |
|---|---|
| GET /api/v1/meetings/{meeting_id}/minutes | state, text per section (the automatic draft until saved), versions |
| PUT /api/v1/meetings/{meeting_id}/minutes | save the text per section: a new version (409 submitted, signed) |
| POST /api/v1/meetings/{meeting_id}/minutes/submit | submit them to the chair |
| POST /api/v1/meetings/{meeting_id}/minutes/sign | the chair signs them off: frozen from then on |
| POST /api/v1/meetings/{meeting_id}/minutes/return | the chair returns them with a comment (≤ 1,000 characters) |
| GET /api/v1/meetings/{meeting_id}/minutes.pdf | the signed minutes as a PDF in the Decree 30 layout |
| POST /api/v1/meetings/{meeting_id}/conclusion-notice | draft the conclusion notice (TB) in the documents module |
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import Id, check_text
from hub.meetings import access
from hub.meetings.minutes import MAX_COMMENT, MAX_MINUTES
from hub.meetings.models import ConclusionNotice, Minutes
from hub.meetings.service import MeetingsService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
MeetingId = Annotated[Id, Path()]


def _lines(value: str) -> str:
    return check_text(value, multiline=True)


SectionText = Annotated[str, Field(max_length=MAX_MINUTES), AfterValidator(_lines)]
Comment = Annotated[str, Field(min_length=1, max_length=MAX_COMMENT), AfterValidator(_lines)]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


class MinutesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opening: SectionText = ""
    content: SectionText = ""
    conclusion: SectionText = ""
    base_version: int | None = Field(None, ge=0, le=1_000_000)


class ReturnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: Comment


class VersionOut(BaseModel):
    version: int
    saved_by: str
    saved_at: datetime
    length: int


class NoticeOut(BaseModel):
    draft_id: int
    state: str
    state_label: str
    subject: str
    document_id: int | None

    @classmethod
    def of(cls, n: ConclusionNotice) -> NoticeOut:
        return cls(draft_id=n.draft_id, state=n.state, state_label=n.state_label, subject=n.subject,
                   document_id=n.document_id)  # fmt: skip


class MinutesOut(BaseModel):
    meeting_id: int
    status: str
    version: int
    sections: dict[str, str]
    versions: list[VersionOut]
    chair_name: str
    secretary_name: str
    submitted_by: str | None
    submitted_at: datetime | None
    signed_by: str | None
    signed_at: datetime | None
    returned_by: str | None
    return_comment: str | None
    can_write: bool
    can_sign: bool
    notice: NoticeOut | None
    can_notice: bool

    @classmethod
    def of(cls, m: Minutes) -> MinutesOut:
        notice = m.notice
        return cls(
            meeting_id=m.meeting.id, status=m.status, version=m.version, sections=m.sections,
            versions=[VersionOut(version=v.version, saved_by=v.saved_by, saved_at=v.saved_at, length=v.length)
                      for v in m.versions],
            chair_name=m.chair_name, secretary_name=m.secretary_name, submitted_by=m.submitted_by,
            submitted_at=m.submitted_at, signed_by=m.signed_by, signed_at=m.signed_at, returned_by=m.returned_by,
            return_comment=m.return_comment, can_write=m.can_write, can_sign=m.can_sign,
            notice=NoticeOut.of(notice) if notice else None, can_notice=m.can_notice,
        )  # fmt: skip


def minutes_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

    @router.get("/meetings/{meeting_id}/minutes", response_model=MinutesOut, openapi_extra=access.ATTEND.route())
    def minutes(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> MinutesOut:
        return MinutesOut.of(_svc(request).minutes(principal, meeting_id))

    @router.put("/meetings/{meeting_id}/minutes", response_model=MinutesOut, openapi_extra=access.MINUTES_WRITE.route())
    def save(request: Request, meeting_id: MeetingId, body: MinutesIn, principal: CurrentPrincipal) -> MinutesOut:
        texts = {"opening": body.opening, "content": body.content, "conclusion": body.conclusion}
        saved = _svc(request).save_minutes(principal, request_actor(request, principal), meeting_id, texts,
                                           body.base_version)  # fmt: skip
        return MinutesOut.of(saved)

    @router.post(
        "/meetings/{meeting_id}/minutes/submit", response_model=MinutesOut,
        openapi_extra=access.MINUTES_WRITE.route(),
    )  # fmt: skip
    def submit(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> MinutesOut:
        return MinutesOut.of(_svc(request).submit_minutes(principal, request_actor(request, principal), meeting_id))

    @router.post(
        "/meetings/{meeting_id}/minutes/sign", response_model=MinutesOut, openapi_extra=access.MINUTES_SIGN.route()
    )
    def sign(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> MinutesOut:
        return MinutesOut.of(_svc(request).sign_minutes(principal, request_actor(request, principal), meeting_id))

    @router.post(
        "/meetings/{meeting_id}/minutes/return", response_model=MinutesOut,
        openapi_extra=access.MINUTES_SIGN.route(),
    )  # fmt: skip
    def return_(request: Request, meeting_id: MeetingId, body: ReturnIn, principal: CurrentPrincipal) -> MinutesOut:
        actor = request_actor(request, principal)
        return MinutesOut.of(_svc(request).return_minutes(principal, actor, meeting_id, body.comment))

    @router.get("/meetings/{meeting_id}/minutes.pdf", openapi_extra=access.ATTEND.route(), response_class=Response)
    def pdf(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> Response:
        name, data = _svc(request).minutes_pdf(principal, meeting_id)
        return Response(data, media_type="application/pdf", headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        })  # fmt: skip

    @router.post(
        "/meetings/{meeting_id}/conclusion-notice", status_code=201, response_model=NoticeOut,
        openapi_extra=access.MINUTES_WRITE.route(),
    )  # fmt: skip
    def notice(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> NoticeOut:
        made = _svc(request).create_conclusion_notice(principal, request_actor(request, principal), meeting_id)
        return NoticeOut.of(made)

    return router

"""REST of meetings (issue 17 items 2-4): calling one, its agenda, papers and attendance, check-in. The rooms and
bookings: hub.meetings.rooms_api; votes, the chair, speakers and tasks: hub.meetings.chair_api.

| route | answer |
|---|---|
| POST /api/v1/meetings | call a meeting (in a booked room, or online) with its participants |
| GET /api/v1/meetings?start=&end= | the caller's meetings |
| GET /api/v1/meetings/{meeting_id} | one meeting: participants, agenda, the papers the caller may read |
| PUT /api/v1/meetings/{meeting_id}/agenda | the agenda anew |
| POST /api/v1/meetings/{meeting_id}/papers | a paper (base64), for the meeting or one item, restricted or not |
| GET /api/v1/meetings/{meeting_id}/papers/{paper_id} | its file (403: a restricted paper the caller may not read) |
| GET /api/v1/meetings/{meeting_id}/attendance | who is present, how, late or not |
| POST /api/v1/meetings/{meeting_id}/attendance/{participant_id} | the secretary marks present (or not) |
| GET /api/v1/meetings/{meeting_id}/checkin-token | the signed token of the room's QR |
| POST /api/v1/meetings/checkin | check in with that token (a second use changes nothing) |
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.api.limits import BodyLimits
from hub.inputs import AwareWorkDateTime, Code, Id, ShortText, check_line
from hub.meetings import access
from hub.meetings.models import (
    AgendaItem,
    GuestInput,
    ItemInput,
    Meeting,
    MeetingDetail,
    MeetingInput,
    Paper,
    Participant,
)
from hub.meetings.service import MeetingsService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
MeetingId = Annotated[Id, Path()]
UnitCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", max_length=32)]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


class GuestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    organisation: ShortText | None = None


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: ShortText
    unit_code: UnitCode
    chair_code: Code
    secretary_code: Code
    member_codes: list[Code] = Field(default_factory=list, max_length=500)
    guests: list[GuestIn] = Field(default_factory=list, max_length=200)
    booking_id: Id | None = None
    starts_at: AwareWorkDateTime | None = None
    ends_at: AwareWorkDateTime | None = None
    video_url: Annotated[str, Field(max_length=500, pattern=r"^https://\S+$")] | None = None
    late_after_minutes: int = Field(5, ge=0, le=240)


class MeetingOut(BaseModel):
    id: int
    title: str
    unit_code: str
    booking_id: int | None
    room_id: str | None
    room_name: str | None
    starts_at: datetime
    ends_at: datetime
    status: str
    video_url: str | None
    late_after_minutes: int
    created_by: str
    current_item_id: int | None

    @classmethod
    def of(cls, m: Meeting) -> MeetingOut:
        return cls(**{f: getattr(m, f) for f in cls.model_fields})


class ParticipantOut(BaseModel):
    id: int
    employee_code: str | None
    name: str
    organisation: str | None
    role: str
    voting: bool
    present_at: datetime | None
    checkin_method: str | None
    late: bool

    @classmethod
    def of(cls, p: Participant) -> ParticipantOut:
        return cls(**{f: getattr(p, f) for f in cls.model_fields})


class ItemOut(BaseModel):
    id: int
    position: int
    title: str
    presenter_id: int | None
    presenter_name: str | None
    duration_minutes: int | None
    minutes: str | None

    @classmethod
    def of(cls, i: AgendaItem) -> ItemOut:
        return cls(**{f: getattr(i, f) for f in cls.model_fields})


class PaperOut(BaseModel):
    id: int
    item_id: int | None
    title: str
    filename: str
    media_type: str
    size_bytes: int
    restricted: bool
    uploaded_by: str
    uploaded_at: datetime

    @classmethod
    def of(cls, p: Paper) -> PaperOut:
        return cls(**{f: getattr(p, f) for f in cls.model_fields})


class MeetingDetailOut(BaseModel):
    meeting: MeetingOut
    participants: list[ParticipantOut]
    items: list[ItemOut]
    papers: list[PaperOut]
    me: ParticipantOut | None
    can_organise: bool

    @classmethod
    def of(cls, d: MeetingDetail) -> MeetingDetailOut:
        return cls(
            meeting=MeetingOut.of(d.meeting), participants=[ParticipantOut.of(p) for p in d.participants],
            items=[ItemOut.of(i) for i in d.items], papers=[PaperOut.of(p) for p in d.papers],
            me=ParticipantOut.of(d.me) if d.me else None, can_organise=d.can_organise,
        )  # fmt: skip


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]
    presenter_code: Code | None = None
    duration_minutes: int | None = Field(None, ge=1, le=600)


class AgendaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[ItemIn] = Field(max_length=100)


MAX_PAPER_B64 = 70 * 1024 * 1024  # base64 of a 50 MB paper; the upload body limit is the real cap


class PaperIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: ShortText
    filename: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(check_line)]
    data_base64: Annotated[str, Field(min_length=1, max_length=MAX_PAPER_B64)]
    item_id: Id | None = None
    restricted: bool = False
    reader_codes: list[Code] = Field(default_factory=list, max_length=500)

    @field_validator("data_base64")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("attachment_base64", "must be base64") from None
        return value


class AttendanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    present: bool = True


class TokenOut(BaseModel):
    token: str


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(check_line)]


def meetings_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

    @router.post("/meetings", status_code=201, response_model=MeetingOut, openapi_extra=access.CREATE.route())
    def create(request: Request, body: MeetingIn, principal: CurrentPrincipal) -> MeetingOut:
        inp = MeetingInput(
            **body.model_dump(exclude={"member_codes", "guests"}), member_codes=tuple(body.member_codes),
            guests=tuple(GuestInput(g.name, g.organisation) for g in body.guests),
        )  # fmt: skip
        return MeetingOut.of(_svc(request).create_meeting(principal, request_actor(request, principal), inp))

    @router.get("/meetings", response_model=list[MeetingOut], openapi_extra=access.ATTEND.route())
    def mine(
        request: Request, principal: CurrentPrincipal, start: Annotated[AwareWorkDateTime, Query()],
        end: Annotated[AwareWorkDateTime, Query()],
    ) -> list[MeetingOut]:  # fmt: skip
        return [MeetingOut.of(m) for m in _svc(request).my_meetings(principal, start, end)]

    @router.get("/meetings/{meeting_id}", response_model=MeetingDetailOut, openapi_extra=access.ATTEND.route())
    def detail(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> MeetingDetailOut:
        return MeetingDetailOut.of(_svc(request).meeting(principal, meeting_id))

    @router.put("/meetings/{meeting_id}/agenda", response_model=list[ItemOut], openapi_extra=access.ORGANISE.route())
    def agenda(request: Request, meeting_id: MeetingId, body: AgendaIn, principal: CurrentPrincipal) -> list[ItemOut]:
        items = [ItemInput(i.title, i.presenter_code, i.duration_minutes) for i in body.items]
        made = _svc(request).set_agenda(principal, request_actor(request, principal), meeting_id, items)
        return [ItemOut.of(i) for i in made]

    @router.post(
        "/meetings/{meeting_id}/papers", status_code=201, response_model=PaperOut,
        openapi_extra=access.ORGANISE.route(), max_body_size=limits.upload,
    )  # fmt: skip
    def add_paper(request: Request, meeting_id: MeetingId, body: PaperIn, principal: CurrentPrincipal) -> PaperOut:
        made = _svc(request).add_paper(
            principal, request_actor(request, principal), meeting_id, title=body.title, filename=body.filename,
            data=base64.b64decode(body.data_base64), item_id=body.item_id, restricted=body.restricted,
            reader_codes=body.reader_codes,
        )  # fmt: skip
        return PaperOut.of(made)

    @router.get(
        "/meetings/{meeting_id}/papers/{paper_id}", openapi_extra=access.ATTEND.route(), response_class=Response
    )
    def paper(
        request: Request, meeting_id: MeetingId, paper_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> Response:
        found, data = _svc(request).open_paper(principal, meeting_id, paper_id)
        inline = found.media_type in ("application/pdf", "image/png", "image/jpeg")
        name = quote(found.filename)
        return Response(
            data, media_type=found.media_type,
            headers={
                "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{name}",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                "Cache-Control": "private, no-store",
            },
        )  # fmt: skip

    @router.get(
        "/meetings/{meeting_id}/attendance", response_model=list[ParticipantOut], openapi_extra=access.ATTEND.route()
    )
    def attendance(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[ParticipantOut]:
        return [ParticipantOut.of(p) for p in _svc(request).attendance(principal, meeting_id)]

    @router.post(
        "/meetings/{meeting_id}/attendance/{participant_id}", response_model=ParticipantOut,
        openapi_extra=access.ORGANISE.route(),
    )  # fmt: skip
    def mark(
        request: Request, meeting_id: MeetingId, participant_id: Annotated[Id, Path()], body: AttendanceIn,
        principal: CurrentPrincipal,
    ) -> ParticipantOut:  # fmt: skip
        actor = request_actor(request, principal)
        return ParticipantOut.of(
            _svc(request).mark_attendance(principal, actor, meeting_id, participant_id, body.present)
        )

    @router.get("/meetings/{meeting_id}/checkin-token", response_model=TokenOut, openapi_extra=access.ORGANISE.route())
    def checkin_token(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> TokenOut:
        svc = _svc(request)
        svc.meeting_for_organiser(principal, meeting_id)
        return TokenOut(token=svc.checkin_token(meeting_id))

    @router.post("/meetings/checkin", response_model=ParticipantOut, openapi_extra=access.ATTEND.route())
    def checkin(request: Request, body: CheckinIn, principal: CurrentPrincipal) -> ParticipantOut:
        return ParticipantOut.of(_svc(request).check_in_qr(principal, request_actor(request, principal), body.token))

    return router

"""REST of meeting rooms and bookings (issue 17 item 1).

| route | answer |
|---|---|
| GET /api/v1/meeting-rooms?office=&all= | the rooms (active ones unless all) |
| GET /api/v1/meeting-rooms/{room_id} | one room |
| PUT /api/v1/meeting-rooms/{room_id} | add or change a room (office admin over its unit) |
| GET /api/v1/meeting-rooms/{room_id}/bookings?start=&end= | its bookings overlapping the span |
| POST /api/v1/meeting-rooms/{room_id}/bookings | book it (recurring: all occurrences or none); 409 when taken |
| GET /api/v1/meeting-rooms/{room_id}/schedule?at= | the meeting on now and the next one |
| POST /api/v1/meeting-bookings/{booking_id}/cancel | cancel (one's own; a decider: anyone's) |
| POST /api/v1/meeting-bookings/{booking_id}/decision | approve or reject a pending booking |
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
| POST /api/v1/meetings/{meeting_id}/votes | the chair opens a vote (open or secret, quorum) |
| GET /api/v1/meetings/{meeting_id}/votes | the votes: how many voted; counts once closed |
| POST /api/v1/meetings/{meeting_id}/votes/{vote_id}/ballot | the caller's one vote (409 a second time) |
| POST /api/v1/meetings/{meeting_id}/votes/{vote_id}/close | the chair closes it: the results |
| POST /api/v1/meetings/{meeting_id}/status | the chair starts or closes the meeting |
| PUT /api/v1/meetings/{meeting_id}/current-item | the chair moves the current agenda item (the display follows) |
| GET /api/v1/meetings/{meeting_id}/minutes-draft | a draft of the minutes from agenda, attendance and votes |
| GET /api/v1/meetings/{meeting_id}/speakers | the speakers' queue (the one speaking first) |
| POST /api/v1/meetings/{meeting_id}/speakers | the caller asks for the floor |
| PUT /api/v1/meetings/{meeting_id}/floor | the chair gives the floor to a request (for minutes) or to nobody |
| POST /api/v1/meetings/{meeting_id}/tasks | the chair assigns a task of the conclusion (owner, deadline) |
| GET /api/v1/meetings/{meeting_id}/tasks | the tasks: open, overdue or done |
| POST /api/v1/meeting-tasks/{task_id}/finish | its owner reports it done |
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.api.limits import BodyLimits
from hub.inputs import AwareWorkDateTime, Code, Id, ShortText, Text, WorkDate, check_line
from hub.meetings import access
from hub.meetings.models import (
    AgendaItem,
    Booking,
    BookingInput,
    GuestInput,
    ItemInput,
    Meeting,
    MeetingDetail,
    MeetingInput,
    Paper,
    Participant,
    Recurrence,
    Room,
    RoomInput,
    RoomSchedule,
    ScheduleEntry,
    Vote,
)
from hub.meetings.service import MeetingsService
from protocol.topics import ROOM_ID_PATTERN

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
DEVICE = r"^[a-z0-9-]{3,64}$"
RoomId = Annotated[str, Path(pattern=ROOM_ID_PATTERN, max_length=64)]
MeetingId = Annotated[Id, Path()]
UnitCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", max_length=32)]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


class RoomIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    office: ShortText
    unit_code: UnitCode
    name: ShortText
    capacity: int = Field(ge=1, le=10_000)
    equipment: list[ShortText] = Field(default_factory=list, max_length=50)
    display_device_id: str | None = Field(None, pattern=DEVICE, max_length=64)
    door_device_id: str | None = Field(None, pattern=DEVICE, max_length=64)
    needs_approval: bool = False
    active: bool = True


class RoomOut(BaseModel):
    room_id: str
    office: str
    unit_code: str
    unit_name: str
    name: str
    capacity: int
    equipment: list[str]
    display_device_id: str | None
    door_device_id: str | None
    needs_approval: bool
    active: bool

    @classmethod
    def of(cls, r: Room) -> RoomOut:
        return cls(**{f: getattr(r, f) for f in cls.model_fields if f != "equipment"}, equipment=list(r.equipment))


class RecurrenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interval_days: int = Field(ge=1, le=31)
    count: int = Field(ge=1, le=60)


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: ShortText
    starts_at: AwareWorkDateTime
    ends_at: AwareWorkDateTime
    recurrence: RecurrenceIn | None = None


class BookingOut(BaseModel):
    id: int
    room_id: str
    room_name: str
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    series_id: str | None
    booked_by: str
    checked_in_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    meeting_id: int | None

    @classmethod
    def of(cls, b: Booking) -> BookingOut:
        return cls(**{f: getattr(b, f) for f in cls.model_fields})


class EntryOut(BaseModel):
    booking_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    status: str
    checked_in: bool
    meeting_id: int | None
    chair: str | None
    current_item: str | None
    current_speaker: str | None

    @classmethod
    def of(cls, e: ScheduleEntry | None) -> EntryOut | None:
        return None if e is None else cls(**{f: getattr(e, f) for f in cls.model_fields})


class ScheduleOut(BaseModel):
    room: RoomOut
    at: datetime
    current: EntryOut | None
    next: EntryOut | None
    later: list[EntryOut]

    @classmethod
    def of(cls, s: RoomSchedule) -> ScheduleOut:
        return cls(room=RoomOut.of(s.room), at=s.at, current=EntryOut.of(s.current), next=EntryOut.of(s.next),
                   later=[e for e in (EntryOut.of(x) for x in s.later) if e is not None])  # fmt: skip


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    whole_series: bool = False


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    note: Text | None = None


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


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]
    secret: bool = False
    item_id: Id | None = None
    choices: list[Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_line)]] = Field(
        default_factory=lambda: ["for", "against", "abstain"], min_length=2, max_length=20
    )
    quorum_pct: int = Field(50, ge=0, le=100)


class VoterOut(BaseModel):
    name: str
    choice: str


class VoteOut(BaseModel):
    id: int
    item_id: int | None
    question: str
    secret: bool
    choices: list[str]
    quorum_pct: int
    eligible: int
    status: str
    voted: int
    counts: dict[str, int] | None
    quorum_met: bool | None
    voters: list[VoterOut]

    @classmethod
    def of(cls, v: Vote) -> VoteOut:
        return cls(
            **{f: getattr(v, f) for f in cls.model_fields if f not in ("choices", "voters")},
            choices=list(v.choices), voters=[VoterOut(name=n, choice=c) for n, c in v.voters],
        )  # fmt: skip


class BallotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    choice: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_line)]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["in_progress", "closed"]


class CurrentItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: Id | None = None


class SpeakerOut(BaseModel):
    id: int
    participant_id: int
    name: str
    asked_at: datetime
    speaking_at: datetime | None
    limit_minutes: int | None = None  # the floor's time (hub.meetings.speaker_timer), from speaking_at


class FloorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker_id: Id | None = None
    minutes: int | None = Field(None, ge=1, le=60)  # the floor's time limit (None: [meetings] speaker_minutes)


class TaskIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]
    owner_code: Code
    deadline: WorkDate
    item_id: Id | None = None


class TaskOut(BaseModel):
    id: int
    item_id: int | None
    title: str
    owner_code: str
    owner_name: str
    deadline: date
    assigned_by: str
    finished_at: datetime | None
    result_note: str | None
    status: str


class FinishIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = None


class MinutesOut(BaseModel):
    text: str


def meetings_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

    @router.get("/meeting-rooms", response_model=list[RoomOut], openapi_extra=access.ROOMS_VIEW.route())
    def rooms(
        request: Request, principal: CurrentPrincipal, office: Annotated[ShortText | None, Query()] = None,
        all: bool = False,
    ) -> list[RoomOut]:  # fmt: skip
        return [RoomOut.of(r) for r in _svc(request).rooms(principal, office, active_only=not all)]

    @router.get("/meeting-rooms/{room_id}", response_model=RoomOut, openapi_extra=access.ROOMS_VIEW.route())
    def room(request: Request, room_id: RoomId, principal: CurrentPrincipal) -> RoomOut:
        return RoomOut.of(_svc(request).room(principal, room_id))

    @router.put("/meeting-rooms/{room_id}", response_model=RoomOut, openapi_extra=access.ROOMS_MANAGE.route())
    def save_room(request: Request, room_id: RoomId, body: RoomIn, principal: CurrentPrincipal) -> RoomOut:
        inp = RoomInput(**{**body.model_dump(), "equipment": tuple(body.equipment)})
        return RoomOut.of(_svc(request).save_room(principal, request_actor(request, principal), room_id, inp))

    @router.get(
        "/meeting-rooms/{room_id}/bookings", response_model=list[BookingOut], openapi_extra=access.ROOMS_VIEW.route()
    )
    def bookings(
        request: Request, room_id: RoomId, principal: CurrentPrincipal,
        start: Annotated[AwareWorkDateTime, Query()], end: Annotated[AwareWorkDateTime, Query()],
    ) -> list[BookingOut]:  # fmt: skip
        return [BookingOut.of(b) for b in _svc(request).bookings(principal, room_id, start, end)]

    @router.post(
        "/meeting-rooms/{room_id}/bookings", status_code=201, response_model=list[BookingOut],
        openapi_extra=access.BOOK.route(),
    )  # fmt: skip
    def book(request: Request, room_id: RoomId, body: BookingIn, principal: CurrentPrincipal) -> list[BookingOut]:
        recurrence = Recurrence(**body.recurrence.model_dump()) if body.recurrence else None
        inp = BookingInput(room_id, body.title, body.starts_at, body.ends_at, recurrence)
        return [BookingOut.of(b) for b in _svc(request).book(principal, request_actor(request, principal), inp)]

    @router.get(
        "/meeting-rooms/{room_id}/schedule", response_model=ScheduleOut, openapi_extra=access.ROOMS_VIEW.route()
    )
    def schedule(
        request: Request, room_id: RoomId, principal: CurrentPrincipal,
        at: Annotated[AwareWorkDateTime | None, Query()] = None,
    ) -> ScheduleOut:  # fmt: skip
        return ScheduleOut.of(_svc(request).room_schedule_for(principal, room_id, at))

    @router.post("/meeting-bookings/{booking_id}/cancel", response_model=list[int], openapi_extra=access.BOOK.route())
    def cancel(
        request: Request, booking_id: Annotated[Id, Path()], body: CancelIn, principal: CurrentPrincipal
    ) -> list[int]:
        return _svc(request).cancel(principal, request_actor(request, principal), booking_id, body.whole_series)

    @router.post(
        "/meeting-bookings/{booking_id}/decision", response_model=BookingOut,
        openapi_extra=access.APPROVE_BOOKING.route(),
    )  # fmt: skip
    def decide(
        request: Request, booking_id: Annotated[Id, Path()], body: DecisionIn, principal: CurrentPrincipal
    ) -> BookingOut:
        actor = request_actor(request, principal)
        return BookingOut.of(_svc(request).decide(principal, actor, booking_id, body.approve, body.note))

    # --- meetings ---------------------------------------------------------------------------------------------

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

    # --- votes -------------------------------------------------------------------------------------------------

    @router.post(
        "/meetings/{meeting_id}/votes", status_code=201, response_model=VoteOut, openapi_extra=access.CHAIR.route()
    )
    def open_vote(request: Request, meeting_id: MeetingId, body: VoteIn, principal: CurrentPrincipal) -> VoteOut:
        made = _svc(request).open_vote(
            principal, request_actor(request, principal), meeting_id, body.question, secret=body.secret,
            item_id=body.item_id, choices=body.choices, quorum_pct=body.quorum_pct,
        )  # fmt: skip
        return VoteOut.of(made)

    @router.get("/meetings/{meeting_id}/votes", response_model=list[VoteOut], openapi_extra=access.ATTEND.route())
    def votes(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[VoteOut]:
        return [VoteOut.of(v) for v in _svc(request).votes(principal, meeting_id)]

    @router.post(
        "/meetings/{meeting_id}/votes/{vote_id}/ballot", response_model=VoteOut, openapi_extra=access.ATTEND.route()
    )
    def ballot(
        request: Request, meeting_id: MeetingId, vote_id: Annotated[Id, Path()], body: BallotIn,
        principal: CurrentPrincipal,
    ) -> VoteOut:  # fmt: skip
        return VoteOut.of(_svc(request).cast_vote(principal, meeting_id, vote_id, body.choice))

    @router.post(
        "/meetings/{meeting_id}/votes/{vote_id}/close", response_model=VoteOut, openapi_extra=access.CHAIR.route()
    )
    def close_vote(
        request: Request, meeting_id: MeetingId, vote_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> VoteOut:
        return VoteOut.of(_svc(request).close_vote(principal, request_actor(request, principal), meeting_id, vote_id))

    # --- the chair -------------------------------------------------------------------------------------------

    @router.post("/meetings/{meeting_id}/status", response_model=MeetingOut, openapi_extra=access.CHAIR.route())
    def status(request: Request, meeting_id: MeetingId, body: StatusIn, principal: CurrentPrincipal) -> MeetingOut:
        return MeetingOut.of(_svc(request).set_status(principal, request_actor(request, principal), meeting_id,
                                                      body.status))  # fmt: skip

    @router.put("/meetings/{meeting_id}/current-item", response_model=MeetingOut, openapi_extra=access.CHAIR.route())
    def current_item(
        request: Request, meeting_id: MeetingId, body: CurrentItemIn, principal: CurrentPrincipal
    ) -> MeetingOut:
        actor = request_actor(request, principal)
        return MeetingOut.of(_svc(request).set_current_item(principal, actor, meeting_id, body.item_id))

    @router.get("/meetings/{meeting_id}/minutes-draft", response_model=MinutesOut, openapi_extra=access.ATTEND.route())
    def minutes_draft(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> MinutesOut:
        return MinutesOut(text=_svc(request).minutes_draft(principal, meeting_id))

    @router.get("/meetings/{meeting_id}/speakers", response_model=list[SpeakerOut], openapi_extra=access.ATTEND.route())
    def speakers(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[SpeakerOut]:
        return [SpeakerOut(**s) for s in _svc(request).speakers(principal, meeting_id)]

    @router.post(
        "/meetings/{meeting_id}/speakers", response_model=list[SpeakerOut], openapi_extra=access.ATTEND.route()
    )
    def ask_floor(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[SpeakerOut]:
        return [SpeakerOut(**s) for s in _svc(request).ask_floor(principal, meeting_id)]

    @router.put("/meetings/{meeting_id}/floor", response_model=list[SpeakerOut], openapi_extra=access.CHAIR.route())
    def floor(request: Request, meeting_id: MeetingId, body: FloorIn, principal: CurrentPrincipal) -> list[SpeakerOut]:
        queue = _svc(request).give_floor(
            principal, request_actor(request, principal), meeting_id, body.speaker_id, body.minutes
        )
        return [SpeakerOut(**s) for s in queue]

    @router.post(
        "/meetings/{meeting_id}/tasks", status_code=201, response_model=TaskOut, openapi_extra=access.CHAIR.route()
    )
    def assign(request: Request, meeting_id: MeetingId, body: TaskIn, principal: CurrentPrincipal) -> TaskOut:
        made = _svc(request).assign_task(principal, request_actor(request, principal), meeting_id, body.title,
                                         body.owner_code, body.deadline, body.item_id)  # fmt: skip
        return TaskOut(**{f: made[f] for f in TaskOut.model_fields})

    @router.get("/meetings/{meeting_id}/tasks", response_model=list[TaskOut], openapi_extra=access.ATTEND.route())
    def tasks(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[TaskOut]:
        return [TaskOut(**{f: t[f] for f in TaskOut.model_fields}) for t in _svc(request).tasks(principal, meeting_id)]

    @router.post("/meeting-tasks/{task_id}/finish", response_model=TaskOut, openapi_extra=access.ATTEND.route())
    def finish(
        request: Request, task_id: Annotated[Id, Path()], body: FinishIn, principal: CurrentPrincipal
    ) -> TaskOut:
        done = _svc(request).finish_task(principal, request_actor(request, principal), task_id, body.note)
        return TaskOut(**{f: done[f] for f in TaskOut.model_fields})

    return router

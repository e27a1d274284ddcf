"""REST of meeting rooms and their bookings (issue 17 item 1).

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
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import AwareWorkDateTime, Id, ShortText, Text
from hub.meetings import access
from hub.meetings.api import UnitCode
from hub.meetings.models import (
    Booking,
    BookingInput,
    Recurrence,
    Room,
    RoomInput,
    RoomSchedule,
    ScheduleEntry,
)
from hub.meetings.service import MeetingsService
from protocol.topics import ROOM_ID_PATTERN

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


DEVICE = r"^[a-z0-9-]{3,64}$"
RoomId = Annotated[str, Path(pattern=ROOM_ID_PATTERN, max_length=64)]


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


def rooms_router() -> APIRouter:
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

    return router

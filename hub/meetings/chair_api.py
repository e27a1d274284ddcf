"""REST of the meeting while it runs (issue 17 items 3-4, 6): votes, the chair's controls, the speakers' queue,
the minutes' draft and the conclusion's tasks.

| route | answer |
|---|---|
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

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import Code, Id, Text, WorkDate, check_line
from hub.meetings import access
from hub.meetings.api import MeetingOut
from hub.meetings.models import (
    Vote,
)
from hub.meetings.service import MeetingsService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
MeetingId = Annotated[Id, Path()]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


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


def chair_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

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

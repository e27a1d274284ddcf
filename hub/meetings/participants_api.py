"""REST of what happens around and during a meeting (issue 17): its participants changed by its organisers, and
opinions on a draft (góp ý).

| route | answer |
|---|---|
| POST /api/v1/meetings/{meeting_id}/participants | add a staff member (employee code or account) or a guest |
| DELETE /api/v1/meetings/{meeting_id}/participants/{participant_id} | remove one not checked in (409 otherwise) |
| GET /api/v1/meetings/{meeting_id}/staff-choices?q= | staff not yet in it whose name or code has the words |
| POST /api/v1/meetings/{meeting_id}/opinions | the caller's opinion on an item (optionally on one of its papers) |
| GET /api/v1/meetings/{meeting_id}/opinions | the chair and the secretary: all; a participant: their own |
| PUT /api/v1/meetings/{meeting_id}/opinions/{opinion_id} | its author rewrites it (until the meeting ends) |
| DELETE /api/v1/meetings/{meeting_id}/opinions/{opinion_id} | its author withdraws it |
| POST /api/v1/meetings/{meeting_id}/floor/extend | the chair adds minutes to the current speaker's time |
| PUT /api/v1/meetings/{meeting_id}/leads/{role} | replace the chair or the secretary (role: chair, secretary) |
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import Code, Id, ShortText, check_text
from hub.meetings import access
from hub.meetings.api import ParticipantOut
from hub.meetings.chair_api import SpeakerOut
from hub.meetings.models import Opinion
from hub.meetings.opinions import MAX_OPINION_CHARS
from hub.meetings.service import MeetingsService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
MeetingId = Annotated[Id, Path()]


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


class ParticipantIn(BaseModel):
    """A staff member (`employee_code` or `username`) or a guest (`guest_name`, optional `guest_organisation`)."""

    model_config = ConfigDict(extra="forbid")

    employee_code: Code | None = None
    username: Code | None = None
    guest_name: ShortText | None = None
    guest_organisation: ShortText | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> ParticipantIn:
        given = [x for x in (self.employee_code, self.username, self.guest_name) if x is not None]
        if len(given) != 1:
            raise ValueError("give one of employee_code, username, guest_name")
        if self.guest_organisation is not None and self.guest_name is None:
            raise ValueError("guest_organisation goes with guest_name")
        return self


class LeadIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employee_code: Code


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    minutes: int = Field(ge=1, le=60)


class StaffChoiceOut(BaseModel):
    code: str
    name: str
    unit: str


def _multiline(value: str) -> str:
    return check_text(value, multiline=True)


OpinionText = Annotated[str, Field(min_length=1, max_length=MAX_OPINION_CHARS), AfterValidator(_multiline)]


class OpinionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: Id
    text: OpinionText
    paper_id: Id | None = None


class OpinionEditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: OpinionText
    paper_id: Id | None = None


class OpinionOut(BaseModel):
    id: int
    item_id: int
    participant_id: int
    author: str
    paper_id: int | None
    paper_title: str | None
    text: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, o: Opinion) -> OpinionOut:
        return cls(**{f: getattr(o, f) for f in cls.model_fields if f != "text"}, text=o.body)


def participants_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

    @router.post(
        "/meetings/{meeting_id}/participants", status_code=201, response_model=ParticipantOut,
        openapi_extra=access.ORGANISE.route(),
    )  # fmt: skip
    def add(
        request: Request, meeting_id: MeetingId, body: ParticipantIn, principal: CurrentPrincipal
    ) -> ParticipantOut:
        svc, actor = _svc(request), request_actor(request, principal)
        if body.guest_name is not None:
            made = svc.add_guest(principal, actor, meeting_id, body.guest_name, body.guest_organisation)
        else:
            made = svc.add_staff(principal, actor, meeting_id, employee_code=body.employee_code,
                                 username=body.username)  # fmt: skip
        return ParticipantOut.of(made)

    @router.delete(
        "/meetings/{meeting_id}/participants/{participant_id}", status_code=204,
        openapi_extra=access.ORGANISE.route(),
    )  # fmt: skip
    def remove(
        request: Request, meeting_id: MeetingId, participant_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> Response:
        _svc(request).remove_participant(principal, request_actor(request, principal), meeting_id, participant_id)
        return Response(status_code=204)

    @router.get(
        "/meetings/{meeting_id}/staff-choices", response_model=list[StaffChoiceOut],
        openapi_extra=access.ORGANISE.route(),
    )  # fmt: skip
    def staff_choices(
        request: Request, meeting_id: MeetingId, principal: CurrentPrincipal, q: Annotated[ShortText, Query()] = ""
    ) -> list[StaffChoiceOut]:
        return [StaffChoiceOut(**c) for c in _svc(request).staff_choices(principal, meeting_id, q)]

    @router.put(
        "/meetings/{meeting_id}/leads/{role}", response_model=ParticipantOut,
        openapi_extra=access.REPLACE_LEAD.route(),
    )  # fmt: skip
    def replace_lead(
        request: Request, meeting_id: MeetingId, role: Annotated[Literal["chair", "secretary"], Path()],
        body: LeadIn, principal: CurrentPrincipal,
    ) -> ParticipantOut:  # fmt: skip
        made = _svc(request).replace_lead(principal, request_actor(request, principal), meeting_id, role,
                                          body.employee_code)  # fmt: skip
        return ParticipantOut.of(made)

    # --- opinions on a draft (góp ý) ----------------------------------------------------------------------------

    @router.post(
        "/meetings/{meeting_id}/opinions", status_code=201, response_model=OpinionOut,
        openapi_extra=access.OPINE.route(),
    )  # fmt: skip
    def give(request: Request, meeting_id: MeetingId, body: OpinionIn, principal: CurrentPrincipal) -> OpinionOut:
        made = _svc(request).give_opinion(principal, request_actor(request, principal), meeting_id, body.item_id,
                                          body.text, body.paper_id)  # fmt: skip
        return OpinionOut.of(made)

    @router.get("/meetings/{meeting_id}/opinions", response_model=list[OpinionOut], openapi_extra=access.ATTEND.route())
    def opinions(request: Request, meeting_id: MeetingId, principal: CurrentPrincipal) -> list[OpinionOut]:
        return [OpinionOut.of(o) for o in _svc(request).opinions(principal, meeting_id)]

    @router.put(
        "/meetings/{meeting_id}/opinions/{opinion_id}", response_model=OpinionOut, openapi_extra=access.OPINE.route()
    )
    def edit(
        request: Request, meeting_id: MeetingId, opinion_id: Annotated[Id, Path()], body: OpinionEditIn,
        principal: CurrentPrincipal,
    ) -> OpinionOut:  # fmt: skip
        made = _svc(request).edit_opinion(principal, request_actor(request, principal), meeting_id, opinion_id,
                                          body.text, body.paper_id)  # fmt: skip
        return OpinionOut.of(made)

    @router.delete("/meetings/{meeting_id}/opinions/{opinion_id}", status_code=204, openapi_extra=access.OPINE.route())
    def withdraw(
        request: Request, meeting_id: MeetingId, opinion_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> Response:
        _svc(request).withdraw_opinion(principal, request_actor(request, principal), meeting_id, opinion_id)
        return Response(status_code=204)

    # --- the speaker's timer ------------------------------------------------------------------------------------

    @router.post(
        "/meetings/{meeting_id}/floor/extend", response_model=list[SpeakerOut], openapi_extra=access.CHAIR.route()
    )
    def extend_floor(
        request: Request, meeting_id: MeetingId, body: ExtendIn, principal: CurrentPrincipal
    ) -> list[SpeakerOut]:
        queue = _svc(request).extend_floor(principal, request_actor(request, principal), meeting_id, body.minutes)
        return [SpeakerOut(**s) for s in queue]

    return router

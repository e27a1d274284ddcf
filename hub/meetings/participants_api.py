"""REST of what happens around and during a meeting (issue 17): its participants changed by its organisers.

| route | answer |
|---|---|
| POST /api/v1/meetings/{meeting_id}/participants | add a staff member (employee code or account) or a guest |
| DELETE /api/v1/meetings/{meeting_id}/participants/{participant_id} | remove one not checked in (409 otherwise) |
| GET /api/v1/meetings/{meeting_id}/staff-choices?q= | staff not yet in it whose name or code has the words |
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, model_validator

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.inputs import Code, Id, ShortText
from hub.meetings import access
from hub.meetings.api import ParticipantOut
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


class StaffChoiceOut(BaseModel):
    code: str
    name: str
    unit: str


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

    return router

"""REST for the leader's instruction and its follow-up under /api/v1/documents (issue 15 item 2). Who may call
what: hub.documents.access (ASSIGN for the leader, HANDLE for the handlers, MINE for one's own list); the
service narrows HANDLE to the handlers themselves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import AfterValidator, BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.documents import access
from hub.documents.handling.models import (
    STATUS_LABELS,
    Assignment,
    Extension,
    Handler,
    HandlerSpec,
    MyItem,
    UnknownHandling,
)
from hub.documents.handling.service import MAX_MINE, MAX_SUPPORTING, HandlingService
from hub.documents.models import both
from hub.inputs import Code, Id, Text, WorkDate, check_line

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Note = Annotated[Text, Field(min_length=1)]
Username = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$"), AfterValidator(check_line)]


def _handling(request: Request) -> HandlingService:
    return request.app.state.services.documents.handling  # type: ignore[no-any-return]


class HandlerIn(BaseModel):
    """A unit (its code) or a person (a username), and the deadline (the service refuses both or neither)."""

    unit_code: Code | None = None
    username: Username | None = None
    deadline: WorkDate

    def spec(self) -> HandlerSpec:
        return HandlerSpec(self.deadline, self.unit_code, self.username)


class AssignIn(BaseModel):
    lead: HandlerIn
    supporting: Annotated[list[HandlerIn], Field(max_length=MAX_SUPPORTING)] = []
    comment: Note | None = None


class ProgressIn(BaseModel):
    note: Note


class ExtensionIn(BaseModel):
    new_deadline: WorkDate
    reason: Note


class DecisionIn(BaseModel):
    approve: bool
    note: Note | None = None


class FinishIn(BaseModel):
    note: Note | None = None
    reply_document_id: Id | None = Field(None, description="the outgoing document that answers it")


class ProgressOut(BaseModel):
    at: datetime
    by_user: str
    note: str


class ExtensionOut(BaseModel):
    id: int
    handler_id: int
    requested_at: datetime
    requested_by: str
    new_deadline: date
    reason: str
    decision: str | None
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None

    @classmethod
    def of(cls, x: Extension) -> ExtensionOut:
        return cls(**{k: getattr(x, k) for k in cls.model_fields})


class HandlerOut(BaseModel):
    id: int
    document_id: int
    lead: bool
    unit_code: str | None
    username: str | None
    who: str
    instructed_deadline: date
    deadline: date = Field(description="in force: the last approved extension's, else the instructed one")
    status: str = Field(description="in_time | overdue | done_in_time | done_late (derived, never stored)")
    status_vi: str
    status_en: str
    finished_at: datetime | None
    finished_by: str | None
    result_note: str | None
    reply_document_id: int | None
    progress: list[ProgressOut]
    extensions: list[ExtensionOut]

    @classmethod
    def of(cls, h: Handler, today: date) -> HandlerOut:
        status = h.status(today)
        vi, en = STATUS_LABELS[status]
        return cls(
            id=h.id, document_id=h.document_id, lead=h.lead, unit_code=h.unit_code, username=h.username, who=h.who,
            instructed_deadline=h.instructed_deadline, deadline=h.deadline, status=status.value, status_vi=vi,
            status_en=en, finished_at=h.finished_at, finished_by=h.finished_by, result_note=h.result_note,
            reply_document_id=h.reply_document_id,
            progress=[ProgressOut(at=p.at, by_user=p.by_user, note=p.note) for p in h.progress],
            extensions=[ExtensionOut.of(x) for x in h.extensions],
        )  # fmt: skip


class AssignmentOut(BaseModel):
    id: int
    document_id: int
    assigned_by: str
    assigned_at: datetime
    comment: str | None
    handlers: list[HandlerOut]

    @classmethod
    def of(cls, a: Assignment, today: date) -> AssignmentOut:
        return cls(
            id=a.id, document_id=a.document_id, assigned_by=a.assigned_by, assigned_at=a.assigned_at,
            comment=a.comment, handlers=[HandlerOut.of(h, today) for h in a.handlers],
        )  # fmt: skip


class MyItemOut(BaseModel):
    document_id: int
    unit_code: str
    number: int
    code_number: str
    code_notation: str
    organ_name: str
    subject: str
    urgency: int
    secrecy: int
    arrival_date: date | None
    comment: str | None
    handler: HandlerOut

    @classmethod
    def of(cls, m: MyItem, today: date) -> MyItemOut:
        values = {k: getattr(m, k) for k in cls.model_fields if k != "handler"}
        return cls(**values, handler=HandlerOut.of(m.handler, today))


def handling_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.post(
        "/entries/{document_id}/assignment", openapi_extra=access.ASSIGN.route(), response_model=AssignmentOut,
        status_code=201,
    )  # fmt: skip
    def assign(
        request: Request, document_id: Annotated[Id, Path()], body: AssignIn, principal: CurrentPrincipal
    ) -> AssignmentOut:
        """The leader's instruction (phiếu giải quyết): lead and supporting handlers, deadlines, a comment."""
        service = _handling(request)
        found = service.assign(
            principal, document_id, body.lead.spec(), [s.spec() for s in body.supporting], body.comment,
            client_ip=client_ip(request),
        )  # fmt: skip
        return AssignmentOut.of(found, service.today())

    @router.get(
        "/entries/{document_id}/assignment", openapi_extra=access.READ_DOCUMENT.route(), response_model=AssignmentOut
    )
    def assignment(request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> AssignmentOut:
        """The instruction on a document with each handler's derived status, progress and extensions."""
        service = _handling(request)
        found = service.assignment(principal, document_id)
        if found is None:
            raise UnknownHandling(
                both(f"văn bản {document_id} chưa được giao", f"document {document_id} is not assigned")
            )
        return AssignmentOut.of(found, service.today())

    @router.post("/handlers/{handler_id}/progress", openapi_extra=access.HANDLE.route(), response_model=HandlerOut)
    def progress(
        request: Request, handler_id: Annotated[Id, Path()], body: ProgressIn, principal: CurrentPrincipal
    ) -> HandlerOut:
        """A handler reports progress."""
        service = _handling(request)
        found = service.report_progress(principal, handler_id, body.note, client_ip=client_ip(request))
        return HandlerOut.of(found, service.today())

    @router.post(
        "/handlers/{handler_id}/extensions", openapi_extra=access.HANDLE.route(), response_model=ExtensionOut,
        status_code=201,
    )  # fmt: skip
    def ask_extension(
        request: Request, handler_id: Annotated[Id, Path()], body: ExtensionIn, principal: CurrentPrincipal
    ) -> ExtensionOut:
        """A handler asks for a later deadline (the leader decides)."""
        found = _handling(request).ask_extension(
            principal, handler_id, body.new_deadline, body.reason, client_ip=client_ip(request)
        )
        return ExtensionOut.of(found)

    @router.post(
        "/extensions/{extension_id}/decision", openapi_extra=access.ASSIGN.route(), response_model=ExtensionOut
    )
    def decide(
        request: Request, extension_id: Annotated[Id, Path()], body: DecisionIn, principal: CurrentPrincipal
    ) -> ExtensionOut:
        """The leader approves or refuses an extension."""
        found = _handling(request).decide_extension(
            principal, extension_id, body.approve, body.note, client_ip=client_ip(request)
        )
        return ExtensionOut.of(found)

    @router.post("/handlers/{handler_id}/finish", openapi_extra=access.HANDLE.route(), response_model=HandlerOut)
    def finish(
        request: Request, handler_id: Annotated[Id, Path()], body: FinishIn, principal: CurrentPrincipal
    ) -> HandlerOut:
        """A handler finishes their part with a reply document or a note."""
        service = _handling(request)
        found = service.finish(
            principal, handler_id, note=body.note, reply_document_id=body.reply_document_id,
            client_ip=client_ip(request),
        )  # fmt: skip
        return HandlerOut.of(found, service.today())

    @router.get("/mine", openapi_extra=access.MINE.route(), response_model=list[MyItemOut])
    def mine(
        request: Request, principal: CurrentPrincipal, finished: bool = False,
        limit: Annotated[int, Query(ge=1, le=MAX_MINE)] = 200,
    ) -> list[MyItemOut]:  # fmt: skip
        """The documents the caller handles (themselves or through their unit), nearest deadline first;
        `finished=true` adds those already finished."""
        service = _handling(request)
        return [MyItemOut.of(m, service.today()) for m in service.mine(principal, open_only=not finished, limit=limit)]

    return router

"""REST for leave under /api/v1/leave: balances, requests and their decisions, the inbox, backups,
the team calendar, HR adjustments and the year-end close. Who may call what: hub.leave.access
(each route names its action; the service checks the person, the unit or the step)."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.inputs import Code, Id, Month, WorkDate, Year, month_bounds
from hub.leave import access as leave_access
from hub.leave.days import Part
from hub.leave.opening import OPENING_COLUMNS
from hub.leave.schemas import (
    AdjustmentIn,
    BalanceOut,
    CancelIn,
    ChangeIn,
    CheckinOnLeaveOut,
    DecisionIn,
    DelegationIn,
    OpeningOut,
    OverrideIn,
    PreviewOut,
    RefusedOut,
    RequestIn,
    RequestOut,
    TeamCalendarOut,
    TeamRowOut,
    TravelDays,
    decode_attachments,
)
from hub.leave.service import LeaveService
from hub.people.sheet_process import read_upload

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
EmployeeCode = Annotated[Code, Path(description="an employee's code")]
RequestId = Annotated[Id, Path(description="the request's number")]


def _leave(request: Request) -> LeaveService:
    return request.app.state.services.leave  # type: ignore[no-any-return]


def leave_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/leave", tags=["leave"])

    @router.get("/balances/{employee_code}/{year}", openapi_extra=leave_access.VIEW.route(), response_model=BalanceOut)
    def balance(request: Request, employee_code: EmployeeCode, year: Year, principal: CurrentPrincipal) -> BalanceOut:
        """A person's annual-leave balance of a year, explained (yours, or of your units' staff)."""
        return BalanceOut.of(employee_code, _leave(request).balance(principal, employee_code, year))

    @router.post("/requests", openapi_extra=leave_access.REQUEST.route(), response_model=RequestOut, status_code=201)
    def submit(request: Request, body: RequestIn, principal: CurrentPrincipal) -> RequestOut:
        """Ask for leave (yourself, or for your units' staff as manager or HR)."""
        found = _leave(request).submit(
            principal, body.employee_code, body.leave_type, body.start, body.end, first_part=body.start_part,
            last_part=body.end_part, reason=body.reason, substitute_code=body.substitute_code,
            reference=body.reference, attachments=decode_attachments(body.attachments), travel_days=body.travel_days,
            client_ip=client_ip(request),
        )  # fmt: skip
        return RequestOut.of(found)

    @router.get("/preview", openapi_extra=leave_access.REQUEST.route(), response_model=PreviewOut)
    def preview(
        request: Request,
        principal: CurrentPrincipal,
        employee_code: Annotated[Code, Query()],
        leave_type: Annotated[Code, Query()],
        start: Annotated[WorkDate, Query()],
        end: Annotated[WorkDate, Query()],
        start_part: Part = Part.FULL,
        end_part: Part = Part.FULL,
        travel_days: Annotated[TravelDays, Query()] = 0.0,
    ) -> PreviewOut:
        """The working days a request would take, and the travel days it would get added, before sending it."""
        p = _leave(request).preview(principal, employee_code, leave_type, start, end, start_part, end_part, travel_days)
        added = p.travel.added if p.travel else 0.0
        return PreviewOut(
            working_days=p.count.working_days,
            travel_days_added=added,
            charged_days=p.count.working_days - added,
            travel_note_vi=p.travel.note_vi if p.travel else "",
            travel_note_en=p.travel.note_en if p.travel else "",
            skipped=[(d.day, d.kind.value, d.name) for d in p.count.skipped],
            remaining_days=p.balance.remaining_days if p.balance else None,
        )

    @router.get("/requests/{request_id}", openapi_extra=leave_access.VIEW.route(), response_model=RequestOut)
    def get_request(request: Request, request_id: RequestId, principal: CurrentPrincipal) -> RequestOut:
        return RequestOut.of(_leave(request).request(principal, request_id))

    @router.get("/requests/{request_id}/attachments/{attachment_id}", openapi_extra=leave_access.VIEW.route())
    def attachment(
        request: Request,
        request_id: RequestId,
        attachment_id: Annotated[int, Path(ge=1, le=2**62)],
        principal: CurrentPrincipal,
    ) -> Response:
        """An attachment of the request (a medical certificate, an invitation), for whoever may see the request."""
        filename, content_type, data = _leave(request).attachment(principal, request_id, attachment_id)
        return Response(data, media_type=content_type,
                        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})  # fmt: skip

    @router.get("/requests/{request_id}/permit.pdf", openapi_extra=leave_access.VIEW.route())
    def permit_pdf(request: Request, request_id: RequestId, principal: CurrentPrincipal) -> Response:
        """The approved request's Giấy nghỉ phép (numbered in its unit's outgoing register) as a PDF."""
        found = _leave(request).permit_pdf(principal, request_id)
        return Response(
            found.content, media_type=found.media_type,
            headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
        )  # fmt: skip

    @router.get(
        "/employees/{employee_code}/requests", openapi_extra=leave_access.VIEW.route(), response_model=list[RequestOut]
    )
    def requests_of(request: Request, employee_code: EmployeeCode, principal: CurrentPrincipal) -> list[RequestOut]:
        return [RequestOut.of(r) for r in _leave(request).requests_of(principal, employee_code)]

    @router.get("/inbox", openapi_extra=leave_access.DECIDE.route(), response_model=list[RequestOut])
    def inbox(request: Request, principal: CurrentPrincipal) -> list[RequestOut]:
        """Requests waiting for your decision (as approver or backup)."""
        return [RequestOut.of(r) for r in _leave(request).inbox(principal)]

    def decision_route(decision: str) -> None:
        @router.post(
            f"/requests/{{request_id}}/{decision}",
            openapi_extra=leave_access.DECIDE.route(),
            response_model=RequestOut,
            name=f"leave_{decision}",
        )
        def decide(
            request: Request, request_id: RequestId, body: DecisionIn, principal: CurrentPrincipal
        ) -> RequestOut:
            found = _leave(request).decide(
                principal, request_id, decision, body.comment, work_refusal=body.work_refusal,
                client_ip=client_ip(request),
            )  # fmt: skip
            return RequestOut.of(found)

    for decision in ("approve", "reject", "return"):
        decision_route(decision)

    @router.post("/requests/{request_id}/cancel", openapi_extra=leave_access.CANCEL.route(), response_model=RequestOut)
    def cancel(request: Request, request_id: RequestId, body: CancelIn, principal: CurrentPrincipal) -> RequestOut:
        return RequestOut.of(_leave(request).cancel(principal, request_id, body.reason, client_ip=client_ip(request)))

    @router.post(
        "/requests/{request_id}/change",
        openapi_extra=leave_access.REQUEST.route(),
        response_model=RequestOut,
        status_code=201,
    )
    def change(request: Request, request_id: RequestId, body: ChangeIn, principal: CurrentPrincipal) -> RequestOut:
        """Change the dates of a waiting, returned or approved request: the new request goes through the chain
        again (Labour Code Art. 113: leave is agreed with the employer); an approved one stays until then."""
        found = _leave(request).change(
            principal, request_id, body.start, body.end, first_part=body.start_part, last_part=body.end_part,
            reason=body.reason, client_ip=client_ip(request),
        )  # fmt: skip
        return RequestOut.of(found)

    @router.post(
        "/requests/{request_id}/override", openapi_extra=leave_access.OVERRIDE.route(), response_model=RequestOut
    )
    def override(request: Request, request_id: RequestId, body: OverrideIn, principal: CurrentPrincipal) -> RequestOut:
        """HR decides in place of the chain, with a reason."""
        found = _leave(request).override(
            principal, request_id, body.decision, body.reason, client_ip=client_ip(request)
        )
        return RequestOut.of(found)

    @router.post("/delegations", openapi_extra=leave_access.DELEGATE.route(), status_code=201)
    def delegate(request: Request, body: DelegationIn, principal: CurrentPrincipal) -> dict[str, int]:
        """Name a backup approver for a period."""
        found = _leave(request).delegate(principal, body.approver, body.backup, body.start, body.end, body.reason)
        return {"id": found}

    @router.get(
        "/calendar/{unit_code}/{period}",
        openapi_extra=leave_access.TEAM_CALENDAR.route(),
        response_model=TeamCalendarOut,
    )
    def team_calendar(
        request: Request,
        unit_code: Annotated[Code, Path()],
        period: Annotated[Month, Path(description="yyyy-mm")],
        principal: CurrentPrincipal,
    ) -> TeamCalendarOut:
        """Who is away when in a unit for a month (symbols; '?' waiting for approval, '½' half a day)."""
        year, month = month_bounds(period)
        team = _leave(request).team_calendar(principal, unit_code, year, month)
        return TeamCalendarOut(
            unit_code=team.unit_code, unit_name=team.unit_name, year=team.year, month=team.month,
            day_kinds=list(team.day_kinds),
            rows=[
                TeamRowOut(employee_code=r.employee_code, full_name=r.full_name, cells=list(r.cells))
                for r in team.rows
            ],
        )  # fmt: skip

    @router.post("/adjustments", openapi_extra=leave_access.ADJUST.route(), status_code=201)
    def adjust(request: Request, body: AdjustmentIn, principal: CurrentPrincipal) -> dict[str, int]:
        """An HR adjustment or opening balance, with its reason (append-only)."""
        found = _leave(request).adjust(principal, body.employee_code, body.year, body.days, body.reason, kind=body.kind)
        return {"id": found}

    @router.post("/opening-balances/{year}", openapi_extra=leave_access.ADJUST.route(), response_model=OpeningOut)
    async def import_opening(
        request: Request, year: Annotated[Year, Path()], file: UploadFile, principal: CurrentPrincipal
    ) -> OpeningOut:
        """Opening balances from CSV/XLSX (Mã cán bộ, Số ngày, Lý do): good rows written, refused rows listed."""
        services = request.app.state.services
        data = await file.read(services.import_limits.max_file_bytes + 1)
        rows, _ = await run_in_threadpool(
            read_upload, file.filename or "", data, services.import_limits, OPENING_COLUMNS
        )
        report = await run_in_threadpool(_leave(request).import_opening, principal, year, rows)
        return OpeningOut(
            year=report.year, rows=report.rows, imported=report.imported,
            rejected=[RefusedOut(row=r.row, column=r.column, reason=r.reason) for r in report.rejected],
        )  # fmt: skip

    @router.get("/reports/{unit_code}/{year}/{report}.{fmt}", openapi_extra=leave_access.REPORT.route())
    def report(
        request: Request,
        unit_code: Annotated[Code, Path()],
        year: Annotated[Year, Path()],
        report: Annotated[Literal["taken", "balances"], Path()],
        fmt: Annotated[Literal["xlsx", "pdf"], Path()],
        principal: CurrentPrincipal,
    ) -> Response:
        """Leave taken by unit, type and month, or year-end balances (with payable days), with the official heading."""
        found = _leave(request).report(principal, unit_code, year, report, fmt)
        return Response(
            found.content, media_type=found.media_type,
            headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
        )  # fmt: skip

    @router.get(
        "/checkins-on-leave/{unit_code}/{period}",
        openapi_extra=leave_access.CHECKINS_ON_LEAVE.route(),
        response_model=list[CheckinOnLeaveOut],
    )
    def checkins_on_leave(
        request: Request,
        unit_code: Annotated[Code, Path()],
        period: Annotated[Month, Path(description="yyyy-mm")],
        principal: CurrentPrincipal,
    ) -> list[CheckinOnLeaveOut]:
        """HR's check: who checked in on a day of their approved leave (counted once, as leave)."""
        year, month = month_bounds(period)
        found = _leave(request).checkins_on_leave(principal, unit_code, year, month)
        return [CheckinOnLeaveOut(employee_code=code, day=day) for code, day in found]

    @router.post("/years/{year}/close", openapi_extra=leave_access.YEAR_CLOSE.route())
    def close_year(request: Request, year: Annotated[Year, Path()], principal: CurrentPrincipal) -> dict[str, object]:
        """Year-end close: carry-over by the policy; no request may start in the year afterwards."""
        return _leave(request).close_year(principal, year)

    return router

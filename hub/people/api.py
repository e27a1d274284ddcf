"""REST for people and organisation: the org-unit tree, employee search and import."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor
from hub.api.limits import BodyLimits
from hub.inputs import Code, Offset, ShortText, WorkDate
from hub.org.api import org_http_error
from hub.org.models import OrgError
from hub.people import access as people_access
from hub.people.models import Employee, OrgUnitNode
from hub.services import HubServices


class OrgUnitOut(BaseModel):
    code: str
    name: str
    kind: str  # a code of org_unit_kinds (GET /api/v1/org-units/kinds)
    children: list[OrgUnitOut] = Field(default_factory=list)

    @classmethod
    def of(cls, node: OrgUnitNode) -> OrgUnitOut:
        u = node.unit
        return cls(code=u.code, name=u.name, kind=u.kind, children=[cls.of(c) for c in node.children])


class EmployeeOut(BaseModel):
    employee_code: str
    full_name: str
    unit_code: str
    unit_name: str
    position: str | None
    schedule_code: str
    person_id: str
    active_from: date | None
    active_to: date | None

    @classmethod
    def of(cls, e: Employee) -> EmployeeOut:
        return cls(
            employee_code=e.employee_code,
            full_name=e.full_name,
            unit_code=e.unit_code,
            unit_name=e.unit_name,
            position=e.position,
            schedule_code=e.schedule_code,
            person_id=e.person_id,
            active_from=e.active_from,
            active_to=e.active_to,
        )


class EmployeePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EmployeeOut]


class RowErrorOut(BaseModel):
    row: int
    column: str
    reason: str


class ImportReportOut(BaseModel):
    rows: int
    inserted: int
    updated: int
    written: bool
    rejected: list[RowErrorOut]
    ignored_columns: list[str]
    summary: str
    unknown_units: list[str] = Field(default_factory=list)  # codes rows name that do not exist
    unknown_units_hint: str | None = None  # which, and how to have them created (create_units_under)
    created_units: list[str] = Field(default_factory=list)  # created with this import


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def people_router(limits: BodyLimits) -> APIRouter:
    """The routes; the import takes a file, so its body may reach `limits.upload`."""
    router = APIRouter(prefix="/api/v1", tags=["people"])

    @router.get("/org-units", openapi_extra=people_access.VIEW_ORG.route(), response_model=list[OrgUnitOut])
    def org_units(
        request: Request,
        principal: Annotated[Principal, Depends(current_principal)],
        root: Annotated[Code | None, Query(description="a unit code: its subtree only")] = None,
    ):
        """The org tree as it is today (Cục Hải quan → Chi cục Hải quan khu vực → Hải quan cửa khẩu / đội / phòng),
        children ordered by code, as far as the caller reaches; closed and merged units are left out (see
        GET /org-units/{code} for a unit's history)."""
        return [OrgUnitOut.of(n) for n in _services(request).people.org_tree(principal, root)]

    @router.get("/employees", openapi_extra=people_access.LIST.route(), response_model=EmployeePage)
    def employees(
        request: Request,
        principal: Annotated[Principal, Depends(current_principal)],
        q: Annotated[ShortText, Query(description="words of the name, code or FaceID id; diacritics ignored")] = "",
        unit: Annotated[Code | None, Query(description="unit code: that unit and its sub-units")] = None,
        active_on: Annotated[WorkDate | None, Query(description="only those employed on this day")] = None,
        limit: int = Query(50, ge=1, le=1000),
        offset: Offset = 0,
    ) -> EmployeePage:
        total, found = _services(request).people.find_employees(
            principal, query=q, unit_code=unit, active_on=active_on, limit=limit, offset=offset
        )
        return EmployeePage(total=total, limit=limit, offset=offset, items=[EmployeeOut.of(e) for e in found])

    @router.post(
        "/employees/import",
        openapi_extra=people_access.IMPORT.route(),
        response_model=ImportReportOut,
        max_body_size=limits.upload,
    )
    async def import_employees(
        request: Request,
        file: UploadFile,
        principal: Annotated[Principal, Depends(current_principal)],
        all_or_nothing: bool = Query(False, description="write nothing if any row is rejected"),
        create_units_under: Annotated[
            Code | None, Query(description="create the units the file names that do not exist, under this unit")
        ] = None,
        unit_kind: Annotated[Code | None, Query(description="their kind (default: the kind that fits)")] = None,
    ) -> ImportReportOut:
        """Import a CSV (UTF-8) or XLSX list; rows are matched by employee code (added or updated).

        Limits (CCES_IMPORT_…): file size, rows, columns, cell length; over one, 422 and nothing imported."""
        services = _services(request)
        data = await file.read(services.people.import_limits.max_file_bytes + 1)  # one byte past the limit: refused
        # reading and writing block (a child process, the database): off the event loop
        rows, ignored = await run_in_threadpool(services.people.read_upload, principal, file.filename or "", data)
        try:
            report = await run_in_threadpool(
                services.people.import_employees,
                principal,
                rows,
                all_or_nothing=all_or_nothing,
                ignored_columns=ignored,
                actor=request_actor(request, principal),
                create_units_under=create_units_under,
                unit_kind=unit_kind,
            )
        except OrgError as exc:  # a unit to create refused (hub.org): nothing imported
            raise org_http_error(exc) from exc
        return ImportReportOut(
            rows=report.rows,
            inserted=report.inserted,
            updated=report.updated,
            written=report.written,
            rejected=[RowErrorOut(row=e.row, column=e.column, reason=e.reason) for e in report.rejected],
            ignored_columns=report.ignored_columns,
            summary=report.summary(),
            unknown_units=report.unknown_units,
            unknown_units_hint=report.unknown_units_hint() if report.unknown_units else None,
            created_units=report.created_units,
        )

    return router

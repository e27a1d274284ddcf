"""REST for the organisation: unit kinds, a unit with its history, and the operations on units.

| route | answer |
|---|---|
| GET /api/v1/org-unit-kinds | the kinds (current structure and the one before 2025-03-01), seal and office flags |
| GET /api/v1/org-units/{code} | the unit, its versions (names, codes, parents over time), sub-units, predecessors |
| POST /api/v1/org-units | create: 201; 409 code taken or parent closed; 422 kind/parent/name/date wrong |
| POST /api/v1/org-units/{code}/rename, /move, /merge, /close | 200; 404 unknown unit; 409; 422 |
| POST /api/v1/org-units/import | CSV/XLSX: code, name, kind, parent code, valid from; a report of rejected rows |
| GET /api/v1/employees/{employee_code}/units | the units an employee was in, over time |

Who may is `hub.org.service.ACTIONS` (system admin; office admin within their subtree), checked in the
service; each route names its action (hub.org.access) and the guard lets the roles through. Errors come in Vietnamese
then English (`{"detail": "… / …"}`); nothing is changed when one is answered.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.api.limits import BodyLimits
from hub.inputs import AwareWorkDateTime, Code, ShortText, WorkDate
from hub.org import access as org_access
from hub.org.importing import ORG_COLUMNS
from hub.org.models import (
    NewUnit,
    OrgConflict,
    OrgError,
    Unit,
    UnitChange,
    UnitDetail,
    UnitKindInfo,
    UnitNotFound,
)
from hub.org.service import OrgService
from hub.people import access as people_access
from hub.people.sheet_process import read_upload

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitCode = Annotated[Code, Path(description="the unit's code")]


def org_http_error(exc: OrgError) -> HTTPException:
    """404 unknown unit, 409 conflict with the tree as it is, 422 a wrong change."""
    status = 404 if isinstance(exc, UnitNotFound) else 409 if isinstance(exc, OrgConflict) else 422
    return HTTPException(status, str(exc))


class KindOut(BaseModel):
    code: str
    name_vi: str
    name_en: str
    level: int
    has_seal: bool
    is_office: bool
    parent_kinds: list[str]
    valid_from: date | None
    valid_to: date | None
    basis: str | None

    @classmethod
    def of(cls, k: UnitKindInfo) -> KindOut:
        return cls(
            code=k.code, name_vi=k.name_vi, name_en=k.name_en, level=k.level, has_seal=k.has_seal,
            is_office=k.is_office, parent_kinds=list(k.parent_kinds), valid_from=k.valid_from,
            valid_to=k.valid_to, basis=k.basis,
        )  # fmt: skip


class UnitOut(BaseModel):
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: date | None
    valid_to: date | None  # the first day it no longer exists
    successor_code: str | None
    has_seal: bool
    is_office: bool

    @classmethod
    def of(cls, u: Unit) -> UnitOut:
        return cls(
            code=u.code, name=u.name, kind=u.kind, parent_code=u.parent_code, valid_from=u.valid_from,
            valid_to=u.valid_to, successor_code=u.successor_code, has_seal=u.has_seal, is_office=u.is_office,
        )  # fmt: skip


class VersionOut(BaseModel):
    valid_from: date | None
    valid_to: date | None
    code: str
    name: str
    kind: str
    parent_code: str | None
    parent_name: str | None


class UnitDetailOut(BaseModel):
    unit: UnitOut
    kind: KindOut
    versions: list[VersionOut]
    children: list[UnitOut]
    employees: int
    predecessors: list[UnitOut]

    @classmethod
    def of(cls, d: UnitDetail) -> UnitDetailOut:
        return cls(
            unit=UnitOut.of(d.unit),
            kind=KindOut.of(d.kind),
            versions=[VersionOut(**{f: getattr(v, f) for f in VersionOut.model_fields}) for v in d.versions],
            children=[UnitOut.of(c) for c in d.children],
            employees=d.employees,
            predecessors=[UnitOut.of(p) for p in d.predecessors],
        )


class ChangeOut(BaseModel):
    action: str
    unit: UnitOut
    effective: date
    moved_employees: list[str]
    moved_units: list[str]

    @classmethod
    def of(cls, c: UnitChange) -> ChangeOut:
        return cls(
            action=c.action, unit=UnitOut.of(c.unit), effective=c.effective,
            moved_employees=list(c.moved_employees), moved_units=list(c.moved_units),
        )  # fmt: skip


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateIn(_In):
    code: Code = Field(description="letters, digits, '.', '_', '-' (at most 32)")
    name: ShortText
    kind: Code = Field(description="a kind's code (GET /org-unit-kinds)")
    parent_code: Code | None = Field(None, description="None: a top unit (system admin)")
    valid_from: WorkDate | None = Field(None, description="default today")


class RenameIn(_In):
    name: ShortText
    effective: WorkDate | None = Field(None, description="the day the new name holds from; default today")


class MoveIn(_In):
    parent_code: Code
    effective: WorkDate | None = None


class MergeIn(_In):
    into: Code = Field(description="the unit that takes over its sub-units and employees")
    effective: WorkDate | None = None


class CloseIn(_In):
    effective: WorkDate | None = Field(None, description="the first day it no longer exists; default today")


class RowErrorOut(BaseModel):
    row: int
    column: str
    reason: str


class ImportOut(BaseModel):
    rows: int
    created: int
    unchanged: int
    created_codes: list[str]
    rejected: list[RowErrorOut]
    ignored_columns: list[str]
    summary: str


class PeriodOut(BaseModel):
    unit_code: str
    unit_name: str
    valid_from: datetime | None  # None: since before the records begin
    valid_to: datetime | None


def _org(request: Request) -> OrgService:
    return services_of(request).org


def org_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["organisation"])

    def run(call, *args):  # noqa: ANN001, ANN202 — the service's refusals as HTTP answers
        try:
            return call(*args)
        except OrgError as exc:
            raise org_http_error(exc) from exc

    @router.get("/org-unit-kinds", openapi_extra=org_access.VIEW.route(), response_model=list[KindOut])
    def unit_kinds(request: Request) -> list[KindOut]:
        """Every kind of unit: the structure since 2025-03-01 and the one before (valid_to), which keep a seal,
        which are offices (trụ sở), under which kinds each may sit."""
        return [KindOut.of(k) for k in _org(request).kinds()]

    @router.get("/org-units/{code}", openapi_extra=org_access.VIEW.route(), response_model=UnitDetailOut)
    def unit_detail(request: Request, code: UnitCode, principal: CurrentPrincipal) -> UnitDetailOut:
        """A unit (also a closed or merged one) with its history: names, codes and parents over time."""
        return UnitDetailOut.of(run(_org(request).detail, principal, code))

    @router.post("/org-units", openapi_extra=org_access.CREATE.route(), response_model=ChangeOut, status_code=201)
    def create_unit(request: Request, body: CreateIn, principal: CurrentPrincipal) -> ChangeOut:
        """Create a unit (audited 'org_unit.create'); 409 when the code is taken, 422 when it cannot sit there."""
        new = NewUnit(body.code, body.name, body.kind, body.parent_code, body.valid_from)
        return ChangeOut.of(run(_org(request).create, principal, request_actor(request, principal), new))

    @router.post("/org-units/{code}/rename", openapi_extra=org_access.RENAME.route(), response_model=ChangeOut)
    def rename_unit(request: Request, code: UnitCode, body: RenameIn, principal: CurrentPrincipal) -> ChangeOut:
        """A new name from `effective` on; the old one stays in the unit's history."""
        actor = request_actor(request, principal)
        return ChangeOut.of(run(_org(request).rename, principal, actor, code, body.name, body.effective))

    @router.post("/org-units/{code}/move", openapi_extra=org_access.MOVE.route(), response_model=ChangeOut)
    def move_unit(request: Request, code: UnitCode, body: MoveIn, principal: CurrentPrincipal) -> ChangeOut:
        """Under another parent from `effective` on, with its sub-units."""
        actor = request_actor(request, principal)
        return ChangeOut.of(run(_org(request).move, principal, actor, code, body.parent_code, body.effective))

    @router.post("/org-units/{code}/merge", openapi_extra=org_access.MERGE.route(), response_model=ChangeOut)
    def merge_unit(request: Request, code: UnitCode, body: MergeIn, principal: CurrentPrincipal) -> ChangeOut:
        """The unit ends; its sub-units and employees go to `into`, which it points to from then on."""
        actor = request_actor(request, principal)
        return ChangeOut.of(run(_org(request).merge, principal, actor, code, body.into, body.effective))

    @router.post("/org-units/{code}/close", openapi_extra=org_access.CLOSE.route(), response_model=ChangeOut)
    def close_unit(request: Request, code: UnitCode, body: CloseIn, principal: CurrentPrincipal) -> ChangeOut:
        """The unit ends (giải thể); 409 while it has sub-units or employees."""
        actor = request_actor(request, principal)
        return ChangeOut.of(run(_org(request).close, principal, actor, code, body.effective))

    @router.post(
        "/org-units/import",
        openapi_extra=org_access.IMPORT.route(),
        response_model=ImportOut,
        max_body_size=limits.upload,
    )
    async def import_units(request: Request, file: UploadFile, principal: CurrentPrincipal) -> ImportOut:
        """CSV (UTF-8) or XLSX with columns code, name, kind, parent code, valid from; each row created whole
        or rejected with its reasons. Limits as the employee import (CCES_IMPORT_…)."""
        services = services_of(request)
        data = await file.read(services.import_limits.max_file_bytes + 1)
        rows, ignored = await run_in_threadpool(
            read_upload, file.filename or "", data, services.import_limits, ORG_COLUMNS
        )
        report = await run_in_threadpool(
            run, services.org.import_units, principal, request_actor(request, principal), rows, ignored
        )
        return ImportOut(
            rows=report.rows,
            created=report.created,
            unchanged=report.unchanged,
            created_codes=report.created_codes,
            rejected=[RowErrorOut(row=e.row, column=e.column, reason=e.reason) for e in report.rejected],
            ignored_columns=report.ignored_columns,
            summary=report.summary(),
        )

    @router.get(
        "/employees/{employee_code}/units",
        openapi_extra=people_access.VIEW_PERSON.route(),
        response_model=list[PeriodOut],
    )
    def employee_units(
        request: Request,
        employee_code: Annotated[Code, Path()],
        principal: CurrentPrincipal,
        at: Annotated[AwareWorkDateTime | None, Query(description="only the unit at this moment")] = None,
    ) -> list[PeriodOut]:
        """The units an employee was in over time (themself; manager, HR or office admin over their unit)."""
        services = services_of(request)
        services.people.authorize(principal, people_access.VIEW_PERSON, employee_code=employee_code)
        periods = services.org.employee_periods(employee_code)
        if at is not None:
            periods = [
                p
                for p in periods
                if (p.valid_from is None or p.valid_from <= at) and (p.valid_to is None or at < p.valid_to)
            ]
        return [
            PeriodOut(unit_code=p.unit_code, unit_name=p.unit_name, valid_from=p.valid_from, valid_to=p.valid_to)
            for p in periods
        ]

    return router

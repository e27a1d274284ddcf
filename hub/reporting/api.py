"""REST for summary reporting under /api/v1/reporting (issue 18 items 1–2): the cut-off of a period, the
regimes and their versions (an admin defines a new version), a unit's reports (filled, corrected with a note,
submitted, returned with comments, accepted), opening a period's reports now, and who has not submitted.
Who may call what: hub.reporting.access (the service checks the unit)."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.api.limits import BodyLimits
from hub.documents.files import Upload, sniff
from hub.inputs import Code, Id, JsonObject, ShortText, Text, WorkDate, check_line
from hub.reporting import access
from hub.reporting.models import STATUS_LABELS, Attachment, Missing, RegimeVersion, Report
from hub.reporting.periods import Frequency, frequency, parse_period
from hub.reporting.service import Filled, ReportingService
from hub.reporting.template import Template
from hub.reports.documents import ExportFile

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
RegimeCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,39}$", description="the regime's code")]
PeriodKey = Annotated[str, Path(pattern=r"^\d{4}(-(\d{2}|Q\d|H\d|9M))?$", description="2026-03, 2026-Q1, 2026")]
ReportId = Annotated[Id, Path(description="the report's id")]
MAX_ATTACHMENT_B64 = 28 * 1024 * 1024  # base64 of a 20 MB file (the service refuses more than 20 MB)
IndicatorCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


ExportFormat = Literal["docx", "xlsx", "pdf"]


def _file(found: ExportFile) -> Response:
    return Response(
        found.content, media_type=found.media_type,
        headers={"Content-Disposition": f'attachment; filename="{found.filename}"'},
    )  # fmt: skip


def _reporting(request: Request) -> ReportingService:
    return request.app.state.services.reporting  # type: ignore[no-any-return]


class PeriodOut(BaseModel):
    start: date
    end: date


class ReporterIn(BaseModel):
    unit_code: Code
    recipient_code: Code = Field(description="the unit it reports to (above it, inside the receiving unit)")


class RegimeIn(BaseModel):
    valid_from: WorkDate = Field(description="the day this version comes into force")
    name_vi: ShortText
    name_en: ShortText
    basis: ShortText = Field(description="căn cứ pháp lý: the legal basis")
    content: Text = ""
    frequency: Frequency
    cutoff_day: int = Field(15, ge=1, le=28, description="the day the data of a period starts (Decree 09: 15)")
    deadline_days: int = Field(ge=0, le=60, description="days after the cut-off to submit")
    deadline_working: bool = True
    owner_unit: Code = Field(description="the receiving unit of the regime")
    template: Template
    reporters: list[ReporterIn] = Field(min_length=1, max_length=2000)


class ValuesIn(BaseModel):
    values: JsonObject = Field(description="indicator code → number, text or table rows")
    notes: dict[IndicatorCode, Text] = Field(default_factory=dict, max_length=200)


class AttachmentIn(BaseModel):
    """A file as base64: its type is sniffed from the bytes (PDF, JPEG, PNG, TIFF, Office), not declared."""

    name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(check_line)]
    data_base64: Annotated[str, Field(min_length=1, max_length=MAX_ATTACHMENT_B64)]

    @field_validator("data_base64")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("attachment_base64", "must be base64") from None
        if sniff(data) is None:  # refused here, naming the field; the service checks the name, size and scan
            raise PydanticCustomError("document_file_kind", "must be a PDF, a scan or an Office file") from None
        return value

    def upload(self) -> Upload:
        return Upload(self.name, base64.b64decode(self.data_base64))


class CommentIn(BaseModel):
    comment: Text | None = None


def regime_out(v: RegimeVersion) -> dict[str, Any]:
    return {
        "code": v.code, "version": v.version, "valid_from": v.valid_from, "name_vi": v.name_vi, "name_en": v.name_en,
        "basis": v.basis, "content": v.content, "frequency": v.frequency.value, "cutoff_day": v.cutoff_day,
        "deadline_days": v.deadline_days, "deadline_working": v.deadline_working, "owner_unit": v.owner_code,
        "template": v.template.model_dump(mode="json"), "active": v.active,
        "reporters": [{"unit_code": r.unit_code, "recipient_code": r.recipient_code} for r in v.reporters],
        "created_at": v.created_at, "created_by": v.created_by,
    }  # fmt: skip


def report_out(r: Report) -> dict[str, Any]:
    vi, en = STATUS_LABELS[r.status]
    return {
        "id": r.id, "regime": r.regime_code, "version": r.version, "period": r.period_key,
        "start": r.period_start, "end": r.period_end, "unit_code": r.unit_code, "unit_name": r.unit_name,
        "recipient_code": r.recipient_code, "deadline": r.deadline, "status": r.status.value,
        "status_label": f"{vi} / {en}", "submitted_at": r.submitted_at, "submitted_by": r.submitted_by,
        "decided_at": r.decided_at, "decided_by": r.decided_by, "comment": r.comment, "reminders": r.reminders,
    }  # fmt: skip


def attachment_out(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
            "uploaded_by": a.uploaded_by, "uploaded_at": a.uploaded_at}  # fmt: skip


def filled_out(f: Filled) -> dict[str, Any]:
    r = f.report
    return {
        **report_out(r),
        "template": f.template.model_dump(mode="json"),
        "values": f.values,
        "totals": f.totals,
        "prefilled": {c: {"value": v.prefilled, "source": v.source, "note": v.note, "corrected": v.corrected}
                      for c, v in r.values.items() if v.source},
        "events": [{"at": e.at, "actor": e.actor, "kind": e.kind, "comment": e.comment} for e in r.events],
        "attachments": [attachment_out(a) for a in r.attachments],
    }  # fmt: skip


def missing_out(m: Missing) -> dict[str, Any]:
    return {
        "report_id": m.report_id, "unit_code": m.unit_code, "unit_name": m.unit_name,
        "recipient_code": m.recipient_code, "status": m.status.value, "deadline": m.deadline, "late": m.late,
        "reminders": m.reminders,
    }  # fmt: skip


def reporting_router(limits: BodyLimits | None = None) -> APIRouter:
    limits = limits or BodyLimits.defaults()
    router = APIRouter(prefix="/api/v1/reporting", tags=["reporting"])

    @router.get("/period", openapi_extra=access.REFERENCE.route(), response_model=PeriodOut)
    def period(
        frequency_name: Annotated[Code, Query(alias="frequency", description="monthly … yearly")],
        key: Annotated[Code, Query(alias="key", description="2026-03, 2026-Q1, 2026-H1, 2026-9M, 2026")],
        cutoff_day: Annotated[int, Query(ge=1, le=28)] = 15,
    ) -> PeriodOut:
        """The data cut-off of a period (Decree 09/2019 Art. 12): a period that does not exist is 422."""
        start, end = parse_period(frequency(frequency_name), key).cutoff(cutoff_day)
        return PeriodOut(start=start, end=end)

    @router.get("/regimes", openapi_extra=access.REFERENCE.route())
    def regimes(request: Request, principal: CurrentPrincipal) -> list[dict[str, Any]]:
        """The newest version of every regime."""
        return [regime_out(v) for v in _reporting(request).regimes(principal)]

    @router.get("/regimes/{code}", openapi_extra=access.REFERENCE.route())
    def regime(request: Request, code: RegimeCode, principal: CurrentPrincipal) -> list[dict[str, Any]]:
        """Every version of a regime, newest first."""
        return [regime_out(v) for v in _reporting(request).regime(principal, code)]

    @router.put("/regimes/{code}", openapi_extra=access.DEFINE.route(), status_code=201)
    def define(request: Request, code: RegimeCode, body: RegimeIn, principal: CurrentPrincipal) -> dict[str, Any]:
        """A new regime, or a new version of one in force from `valid_from` (opened reports keep theirs)."""
        saved = _reporting(request).define(
            principal, code, valid_from=body.valid_from, name_vi=body.name_vi, name_en=body.name_en,
            basis=body.basis, content=body.content, frequency_name=body.frequency.value, cutoff_day=body.cutoff_day,
            deadline_days=body.deadline_days, deadline_working=body.deadline_working, owner_unit=body.owner_unit,
            template=body.template, reporters=[(r.unit_code, r.recipient_code) for r in body.reporters],
            client_ip=client_ip(request),
        )  # fmt: skip
        return regime_out(saved)

    @router.post("/regimes/{code}/periods/{period_key}/open", openapi_extra=access.DEFINE.route())
    def open_period(
        request: Request, code: RegimeCode, period_key: PeriodKey, principal: CurrentPrincipal
    ) -> dict[str, int]:
        """Open a period's reports now (its data must be cut off); the number of reports opened."""
        return {"opened": _reporting(request).open_period(principal, code, period_key, client_ip(request))}

    @router.get("/regimes/{code}/periods/{period_key}/missing", openapi_extra=access.FOLLOW.route())
    def missing(
        request: Request, code: RegimeCode, period_key: PeriodKey, principal: CurrentPrincipal
    ) -> list[dict[str, Any]]:
        """The units that have not submitted their report of the period (being prepared or returned)."""
        return [missing_out(m) for m in _reporting(request).missing(principal, code, period_key)]

    @router.get(
        "/regimes/{code}/periods/{period_key}/consolidated/{unit_code}.{fmt}", openapi_extra=access.VIEW.route()
    )
    def consolidated_file(
        request: Request, code: RegimeCode, period_key: PeriodKey, unit_code: Annotated[Code, Path()],
        fmt: Annotated[ExportFormat, Path()], principal: CurrentPrincipal,
    ) -> Response:  # fmt: skip
        """The consolidated report in the template's layout under the official heading, with a chart of the
        number indicators by contributing unit (declared before the JSON route: `CCHQNB.pdf` is a file)."""
        return _file(_reporting(request).export_consolidated(principal, code, period_key, unit_code, fmt))

    @router.get("/regimes/{code}/periods/{period_key}/consolidated/{unit_code}", openapi_extra=access.VIEW.route())
    def consolidated(
        request: Request, code: RegimeCode, period_key: PeriodKey, unit_code: Annotated[Code, Path()],
        principal: CurrentPrincipal,
    ) -> dict[str, Any]:  # fmt: skip
        """The reports sent to a unit for a period summed (each unit's part shown), with the previous period and
        the same period a year before."""
        c = _reporting(request).consolidate(principal, code, period_key, unit_code)
        return {
            "regime": c.regime, "period": c.period_key, "unit_code": c.unit_code,
            "template": c.template.model_dump(mode="json") if c.template else None,
            "parts": [{"report_id": p.report_id, "unit_code": p.unit_code, "unit_name": p.unit_name,
                       "status": p.status.value, "values": p.values} for p in c.parts],
            "values": c.values, "totals": c.totals, "previous": c.previous, "last_year": c.last_year,
        }  # fmt: skip

    @router.get("/reports", openapi_extra=access.VIEW.route())
    def reports(
        request: Request, principal: CurrentPrincipal,
        regime: Annotated[Code | None, Query()] = None, period_key: Annotated[Code | None, Query()] = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """The reports of the caller's units (reporting or receiving)."""
        return [report_out(r) for r in _reporting(request).reports(principal, regime, period_key)]

    @router.get("/reports/{report_id}.{fmt}", openapi_extra=access.VIEW.route())
    def report_file(
        request: Request, report_id: ReportId, fmt: Annotated[ExportFormat, Path()], principal: CurrentPrincipal
    ) -> Response:
        """One unit's report in the template's layout under the official heading (DOCX, XLSX or PDF)."""
        return _file(_reporting(request).export_report(principal, report_id, fmt))

    @router.get("/reports/{report_id}", openapi_extra=access.VIEW.route())
    def report(request: Request, report_id: ReportId, principal: CurrentPrincipal) -> dict[str, Any]:
        """A report with its template, values (formulas computed), totals, pre-filled figures and history."""
        return filled_out(_reporting(request).report(principal, report_id))

    @router.patch("/reports/{report_id}/values", openapi_extra=access.FILL.route())
    def save(request: Request, report_id: ReportId, body: ValuesIn, principal: CurrentPrincipal) -> dict[str, Any]:
        """Fill or correct indicators; a pre-filled figure changed needs a note."""
        return filled_out(_reporting(request).save(principal, report_id, body.values, body.notes, client_ip(request)))

    @router.post(
        "/reports/{report_id}/attachments", openapi_extra=access.FILL.route(), status_code=201,
        max_body_size=limits.upload,
    )  # fmt: skip
    def attach(
        request: Request, report_id: ReportId, body: AttachmentIn, principal: CurrentPrincipal
    ) -> dict[str, Any]:
        """Send a file with the report (base64; PDF, scans, Office files; at most 20 MB, 10 a report)."""
        saved = _reporting(request).attach(principal, report_id, body.upload(), client_ip(request))
        return attachment_out(saved)

    @router.get("/reports/{report_id}/attachments/{attachment_id}", openapi_extra=access.VIEW.route())
    def attachment(
        request: Request, report_id: ReportId, attachment_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> Response:
        """An attachment's bytes, under the type sniffed when it was sent."""
        found, data = _reporting(request).attachment(principal, report_id, attachment_id)
        plain = found.filename.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
        disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(found.filename)}"
        return Response(data, media_type=found.content_type, headers={"Content-Disposition": disposition})

    @router.delete(
        "/reports/{report_id}/attachments/{attachment_id}", openapi_extra=access.FILL.route(), status_code=204
    )
    def detach(
        request: Request, report_id: ReportId, attachment_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> Response:
        """Take an attachment off a report being prepared or returned."""
        _reporting(request).detach(principal, report_id, attachment_id, client_ip(request))
        return Response(status_code=204)

    @router.post("/reports/{report_id}/submit", openapi_extra=access.SUBMIT.route())
    def submit(request: Request, report_id: ReportId, principal: CurrentPrincipal) -> dict[str, Any]:
        """Send the report to the receiving unit."""
        return filled_out(_reporting(request).submit(principal, report_id, client_ip(request)))

    @router.post("/reports/{report_id}/return", openapi_extra=access.REVIEW.route())
    def give_back(
        request: Request, report_id: ReportId, body: CommentIn, principal: CurrentPrincipal
    ) -> dict[str, Any]:
        """Return a submitted report with comments (required)."""
        return filled_out(_reporting(request).decide(principal, report_id, False, body.comment, client_ip(request)))

    @router.post("/reports/{report_id}/accept", openapi_extra=access.REVIEW.route())
    def accept(request: Request, report_id: ReportId, body: CommentIn, principal: CurrentPrincipal) -> dict[str, Any]:
        """Accept a submitted report."""
        return filled_out(_reporting(request).decide(principal, report_id, True, body.comment, client_ip(request)))

    return router

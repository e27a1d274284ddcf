"""REST for the printouts under /api/v1/documents (issue 15 item 8): a register as its book (PDF, XLSX), a
unit's incoming documents by status and deadline, and its outgoing ones by state and reply date. Readers of the
unit's registers (documents.read_register)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.documents import access
from hub.documents.handling.models import STATUS_LABELS
from hub.documents.printouts.models import (
    BUCKET_LABELS,
    OUTGOING_STATE_LABELS,
    REPLY_BUCKET_LABELS,
    Bucket,
    OutgoingStatus,
    UnitStatus,
)
from hub.documents.printouts.render import XLSX_TYPE
from hub.documents.printouts.service import PrintoutsService
from hub.inputs import Code, Year
from hub.reports.documents import ExportFile

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitCode = Annotated[Code, Path(description="the unit's code (a unit with a seal)")]
SeriesCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="the series' code (den, di, mat, sao)")]


def _printouts(request: Request) -> PrintoutsService:
    return request.app.state.services.documents.printouts  # type: ignore[no-any-return]


class CountOut(BaseModel):
    code: str
    label_vi: str
    label_en: str
    count: int


class StatusItemOut(BaseModel):
    document_id: int
    number: int
    code: str
    organ_name: str
    subject: str
    secrecy: int
    lead: str | None
    deadline: date | None
    status: str | None
    bucket: str | None


class UnitStatusOut(BaseModel):
    unit_code: str
    unit_name: str
    year: int
    today: date
    by_status: list[CountOut]
    by_deadline: list[CountOut]
    items: list[StatusItemOut]

    @classmethod
    def of(cls, s: UnitStatus) -> UnitStatusOut:
        labels = {k.value: v for k, v in STATUS_LABELS.items()} | {Bucket.NONE: BUCKET_LABELS[Bucket.NONE]}
        return cls(
            unit_code=s.unit_code, unit_name=s.unit_name, year=s.year, today=s.today,
            by_status=[CountOut(code=k, label_vi=labels[k][0], label_en=labels[k][1], count=n)
                       for k, n in s.by_status.items()],
            by_deadline=[CountOut(code=k, label_vi=BUCKET_LABELS[k][0], label_en=BUCKET_LABELS[k][1], count=n)
                         for k, n in s.by_deadline.items()],
            items=[StatusItemOut(**{f: getattr(i, f) for f in StatusItemOut.model_fields if f != "status"},
                                 status=i.status.value if i.status else None) for i in s.items],
        )  # fmt: skip


class OutgoingItemOut(BaseModel):
    draft_id: int | None
    document_id: int | None
    code: str
    subject: str
    secrecy: int
    drafting_unit: str
    state: str
    started: date
    released: date | None
    days: int
    due_date: date | None
    bucket: str | None
    copies: int
    copies_done: int


class OutgoingStatusOut(BaseModel):
    unit_code: str
    unit_name: str
    year: int
    today: date
    by_state: list[CountOut]
    by_deadline: list[CountOut]
    items: list[OutgoingItemOut]

    @classmethod
    def of(cls, s: OutgoingStatus) -> OutgoingStatusOut:
        return cls(
            unit_code=s.unit_code, unit_name=s.unit_name, year=s.year, today=s.today,
            by_state=[CountOut(code=k, label_vi=OUTGOING_STATE_LABELS[k][0], label_en=OUTGOING_STATE_LABELS[k][1],
                               count=n) for k, n in s.by_state.items()],
            by_deadline=[CountOut(code=k, label_vi=REPLY_BUCKET_LABELS[k][0], label_en=REPLY_BUCKET_LABELS[k][1],
                                  count=n) for k, n in s.by_deadline.items()],
            items=[OutgoingItemOut(**{f: getattr(i, f) for f in OutgoingItemOut.model_fields}) for i in s.items],
        )  # fmt: skip


def _file(found: ExportFile) -> Response:
    return Response(
        found.content, media_type=found.media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
                 "Cache-Control": "no-store"},
    )  # fmt: skip


def printouts_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.get(
        "/registers/{unit_code}/{year}/{series_code}/book.{fmt}", openapi_extra=access.READ.route(),
        response_class=Response,
    )  # fmt: skip
    def book(
        request: Request, unit_code: UnitCode, year: Year, series_code: SeriesCode,
        fmt: Annotated[Literal["pdf", "xlsx"], Path(description="pdf (A4 landscape) or xlsx")],
        principal: CurrentPrincipal,
    ) -> Response:  # fmt: skip
        """The register as its book (Decree 30 Appendix IV): a cover, then one row per number."""
        service = _printouts(request)
        if fmt == "pdf":
            name, data = service.book_pdf(principal, unit_code, year, series_code)
            media = "application/pdf"
        else:
            name, data = service.book_xlsx(principal, unit_code, year, series_code)
            media = XLSX_TYPE
        return Response(
            data, media_type=media,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}", "Cache-Control": "no-store"},
        )  # fmt: skip

    @router.get("/status/{unit_code}/report.{fmt}", openapi_extra=access.READ.route(), response_class=Response)
    def status_report(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal,
        fmt: Annotated[Literal["pdf", "xlsx"], Path(description="pdf (A4 landscape) or xlsx")],
        year: Annotated[Year | None, Query()] = None,
    ) -> Response:  # fmt: skip
        """Báo cáo tình hình giải quyết văn bản đến (Decree 30 Appendix VI): counts, then one row per document."""
        found = _printouts(request).status_report(principal, unit_code, year, fmt)
        return Response(
            found.content, media_type=found.media_type,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
                     "Cache-Control": "no-store"},
        )  # fmt: skip

    @router.get("/status/{unit_code}", openapi_extra=access.READ.route(), response_model=UnitStatusOut)
    def unit_status(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal, year: Annotated[Year | None, Query()] = None
    ) -> UnitStatusOut:
        """The unit's incoming documents of the year by derived status and by deadline, with the list."""
        return UnitStatusOut.of(_printouts(request).unit_status(principal, unit_code, year))

    @router.get("/status/{unit_code}/outgoing", openapi_extra=access.READ.route(), response_model=OutgoingStatusOut)
    def outgoing_status(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal, year: Annotated[Year | None, Query()] = None
    ) -> OutgoingStatusOut:
        """The unit's drafts in the chain by state, and its outgoing documents of the year by reply date (hạn trả
        lời) with how many of their copies in CCES units were handled."""
        return OutgoingStatusOut.of(_printouts(request).outgoing_status(principal, unit_code, year))

    @router.get("/status/{unit_code}/outgoing-report.{fmt}", openapi_extra=access.READ.route(), response_class=Response)
    def outgoing_report(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal,
        fmt: Annotated[Literal["pdf", "xlsx"], Path(description="pdf (A4 landscape) or xlsx")],
        year: Annotated[Year | None, Query()] = None,
    ) -> Response:  # fmt: skip
        """Báo cáo tình hình giải quyết văn bản đi (Decree 30 Appendix VI): counts, then one row per document."""
        return _file(_printouts(request).outgoing_report(principal, unit_code, year, fmt))

    return router

"""The shapes of the case-file routes (hub.documents.casefiles.api): path and body types, what comes in
and what goes out, and the download of a printed form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.documents.casefiles.models import DUE_LABELS, STATE_LABELS, CaseFile, DueFile, FileList, Handover
from hub.documents.casefiles.service import MAX_IDS, MAX_REASON, CaseFilesService
from hub.inputs import Code, Id, ShortText, WorkDate
from hub.reports.documents import ExportFile

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitCode = Annotated[Code, Path(description="the unit's code")]
Fmt = Annotated[Literal["pdf", "xlsx"], Path(description="pdf or xlsx")]
Note = Annotated[str, Field(max_length=500)]
Title = Annotated[str, Field(min_length=1, max_length=500)]
RetentionCode = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,20}$", description="vinh_vien, 70, 50, 20, 10, 5, 2")]


def _service(request: Request) -> CaseFilesService:
    return request.app.state.services.documents.casefiles  # type: ignore[no-any-return]


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _download(found: ExportFile) -> Response:
    return Response(
        found.content, media_type=found.media_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
                 "Cache-Control": "no-store"},
    )  # fmt: skip


# --- bodies ---------------------------------------------------------------------------------------------


class HeadingIn(BaseModel):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    code: Annotated[str | None, Field(None, max_length=20, description="a major heading's abbreviation: TCCB")]
    parent_id: Id | None = Field(None, description="a sub-heading under this major heading")


class EntryIn(BaseModel):
    heading_id: Id
    title: Title
    retention: RetentionCode
    responsible: Annotated[str | None, Field(None, max_length=100)]
    note: Note | None = None


class ApproveIn(BaseModel):
    decision: ShortText | None = Field(None, description="the head's decision issuing the list")


class OpenIn(BaseModel):
    unit_code: Code
    entry_id: Id | None = Field(None, description="an entry of the unit's approved list")
    code: Annotated[str | None, Field(None, max_length=40)]
    title: Annotated[str | None, Field(None, max_length=500)]
    retention: RetentionCode | None = None
    kind: Literal["general", "construction"] = "general"
    owner: Annotated[str | None, Field(None, max_length=100, description="người lập hồ sơ (username)")]
    note: Note | None = None


class AddDocumentIn(BaseModel):
    document_id: Id


class OrderIn(BaseModel):
    item_ids: Annotated[list[Id], Field(max_length=10_000)]


class CloseIn(BaseModel):
    closed_on: WorkDate | None = None
    pages: Annotated[int | None, Field(None, ge=0, le=1_000_000)]
    retention: RetentionCode | None = None
    note: Note | None = None


class KeepIn(BaseModel):
    until: WorkDate | None = None
    basis: ShortText | None = None


class ReopenIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON, description="why the file is reopened")]


class SubmitIn(BaseModel):
    unit_code: Code
    case_file_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_IDS)]
    note: Note | None = None


# --- answers --------------------------------------------------------------------------------------------


class HeadingOut(BaseModel):
    id: int
    parent_id: int | None
    ordinal: str
    code: str | None
    title: str


class EntryOut(BaseModel):
    id: int
    heading_id: int
    code: str
    title: str
    retention: str
    retention_label: str
    responsible: str | None
    note: str | None
    case_file_id: int | None


class FileListOut(BaseModel):
    id: int
    unit_code: str
    year: int
    approved: bool
    approved_at: datetime | None
    approved_by: str | None
    decision: str | None
    headings: list[HeadingOut]
    entries: list[EntryOut]

    @classmethod
    def of(cls, f: FileList) -> FileListOut:
        return cls(
            id=f.id, unit_code=f.unit_code, year=f.year, approved=f.approved, approved_at=f.approved_at,
            approved_by=f.approved_by, decision=f.decision,
            headings=[HeadingOut(id=h.id, parent_id=h.parent_id, ordinal=h.ordinal, code=h.code, title=h.title)
                      for h in f.headings],
            entries=[EntryOut(**{k: getattr(e, k) for k in EntryOut.model_fields}) for e in f.entries],
        )  # fmt: skip


class ItemOut(BaseModel):
    id: int
    position: int
    document_id: int | None
    number_symbol: str
    item_date: date | None
    type_name: str
    subject: str
    author: str
    pages: int | None
    filename: str | None
    hidden: bool = Field(description="a secret document the caller may not open: its place only")


class CaseFileOut(BaseModel):
    id: int
    unit_code: str
    year: int
    entry_id: int | None
    code: str
    title: str
    retention: str
    retention_label: str
    kind: str
    owner: str
    opened_on: date
    closed_on: date | None
    pages: int | None
    documents: int | None
    note: str | None
    keep_until: date | None
    handover_id: int | None
    archived_at: datetime | None
    state: str
    state_label_vi: str
    state_label_en: str
    retention_until: int | None
    items: list[ItemOut]

    @classmethod
    def of(cls, f: CaseFile) -> CaseFileOut:
        skip = {"state", "state_label_vi", "state_label_en", "items", "retention_until"}
        vi, en = STATE_LABELS[f.state]
        return cls(
            **{k: getattr(f, k) for k in cls.model_fields if k not in skip}, state=f.state.value, state_label_vi=vi,
            state_label_en=en, retention_until=f.retention_until,
            items=[ItemOut(**{k: getattr(i, k) for k in ItemOut.model_fields}) for i in f.items],
        )  # fmt: skip


class HistoryOut(BaseModel):
    at: datetime
    actor: str
    action: str
    reason: str | None


class DueOut(BaseModel):
    case_file: CaseFileOut
    due_on: date
    status: str
    label_vi: str
    label_en: str

    @classmethod
    def of(cls, d: DueFile) -> DueOut:
        vi, en = DUE_LABELS[d.status]
        return cls(case_file=CaseFileOut.of(d.case_file), due_on=d.due_on, status=d.status.value, label_vi=vi,
                   label_en=en)  # fmt: skip


class HandoverOut(BaseModel):
    id: int
    unit_code: str
    submitted_at: datetime
    submitted_by: str
    note: str | None
    accepted_at: datetime | None
    accepted_by: str | None
    files: list[CaseFileOut]

    @classmethod
    def of(cls, h: Handover) -> HandoverOut:
        return cls(
            id=h.id, unit_code=h.unit_code, submitted_at=h.submitted_at, submitted_by=h.submitted_by, note=h.note,
            accepted_at=h.accepted_at, accepted_by=h.accepted_by, files=[CaseFileOut.of(f) for f in h.files],
        )  # fmt: skip

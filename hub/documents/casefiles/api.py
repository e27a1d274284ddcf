"""REST for file lists, case files and hand-overs under /api/v1/documents (issue 15 item 7). Each route names
its action (hub.documents.casefiles.access); the service narrows it to the unit and the file."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from hub.documents.casefiles import access
from hub.documents.casefiles.models import Due
from hub.documents.casefiles.schemas import (
    AddDocumentIn,
    ApproveIn,
    CaseFileOut,
    CloseIn,
    CurrentPrincipal,
    DueOut,
    EntryIn,
    FileListOut,
    Fmt,
    HandoverOut,
    HeadingIn,
    HistoryOut,
    KeepIn,
    OpenIn,
    OrderIn,
    ReopenIn,
    SubmitIn,
    UnitCode,
    _download,
    _ip,
    _service,
)
from hub.inputs import Id, Year


def casefiles_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    # --- the file list ------------------------------------------------------------------------------------

    @router.get("/file-lists/{unit_code}/{year}", openapi_extra=access.READ_FILES.route(), response_model=FileListOut)
    def file_list(request: Request, unit_code: UnitCode, year: Year, principal: CurrentPrincipal) -> FileListOut:
        """The unit's file list (danh mục hồ sơ) of the year: headings and planned files (404: not drafted)."""
        found = _service(request).file_list(principal, unit_code, year)
        if found is None:
            from hub.documents.casefiles.models import UnknownCaseFile, both

            raise UnknownCaseFile(
                both(f"{unit_code} chưa có danh mục năm {year}", f"{unit_code} has no list of {year}")
            )
        return FileListOut.of(found)

    @router.get(
        "/file-lists/{unit_code}/{year}/list.{fmt}", openapi_extra=access.READ_FILES.route(), response_class=Response
    )
    def file_list_export(
        request: Request, unit_code: UnitCode, year: Year, fmt: Fmt, principal: CurrentPrincipal
    ) -> Response:
        """Danh mục hồ sơ printed (PDF) or as a sheet (XLSX)."""
        return _download(_service(request).file_list_export(principal, unit_code, year, fmt))

    @router.post(
        "/file-lists/{unit_code}/{year}/headings", openapi_extra=access.EDIT_LIST.route(), response_model=FileListOut
    )
    def add_heading(
        request: Request, unit_code: UnitCode, year: Year, body: HeadingIn, principal: CurrentPrincipal
    ) -> FileListOut:
        """A major heading (with its abbreviation) or a sub-heading; the first one drafts the year's list."""
        return FileListOut.of(
            _service(request).add_heading(
                principal, unit_code, year, body.title, code=body.code, parent_id=body.parent_id, client_ip=_ip(request)
            )  # fmt: skip
        )

    @router.post(
        "/file-lists/{unit_code}/{year}/entries", openapi_extra=access.EDIT_LIST.route(), response_model=FileListOut
    )
    def add_entry(
        request: Request, unit_code: UnitCode, year: Year, body: EntryIn, principal: CurrentPrincipal
    ) -> FileListOut:
        """A planned file under a heading: numbered within its major heading (01.TCCB)."""
        return FileListOut.of(
            _service(request).add_entry(
                principal,
                unit_code,
                year,
                body.heading_id,
                body.title,
                body.retention,
                responsible=body.responsible,
                note=body.note,
                client_ip=_ip(request),
            )  # fmt: skip
        )

    @router.delete("/file-list-entries/{entry_id}", openapi_extra=access.EDIT_LIST.route(), response_model=FileListOut)
    def remove_entry(request: Request, entry_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> FileListOut:
        """Drop a planned file from a list in draft (not once a file was opened from it)."""
        return FileListOut.of(_service(request).remove_entry(principal, entry_id, client_ip=_ip(request)))

    @router.post(
        "/file-lists/{unit_code}/{year}/approve", openapi_extra=access.APPROVE_LIST.route(), response_model=FileListOut
    )
    def approve(
        request: Request, unit_code: UnitCode, year: Year, body: ApproveIn, principal: CurrentPrincipal
    ) -> FileListOut:
        """The head approves the list: read-only from now on."""
        return FileListOut.of(
            _service(request).approve_list(principal, unit_code, year, body.decision, client_ip=_ip(request))
        )

    # --- case files -----------------------------------------------------------------------------------------

    @router.post("/case-files", openapi_extra=access.KEEP.route(), response_model=CaseFileOut, status_code=201)
    def open_file(request: Request, body: OpenIn, principal: CurrentPrincipal) -> CaseFileOut:
        """Open a case file: from an entry of the approved list, or with its own code, title and retention."""
        return CaseFileOut.of(
            _service(request).open_file(
                principal,
                body.unit_code,
                entry_id=body.entry_id,
                code=body.code,
                title=body.title,
                retention=body.retention,
                kind=body.kind,
                owner=body.owner,
                note=body.note,
                client_ip=_ip(request),
            )  # fmt: skip
        )

    @router.get("/case-files", openapi_extra=access.KEEP.route(), response_model=list[CaseFileOut])
    def my_files(request: Request, principal: CurrentPrincipal) -> list[CaseFileOut]:
        """The case files the caller keeps, open ones first."""
        return [CaseFileOut.of(f) for f in _service(request).my_files(principal)]

    @router.get(
        "/units/{unit_code}/case-files", openapi_extra=access.READ_FILES.route(), response_model=list[CaseFileOut]
    )
    def unit_files(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal,
        year: Annotated[Year | None, Query()] = None,
        state: Annotated[Literal["open", "closed", "submitted", "archived"] | None, Query()] = None,
    ) -> list[CaseFileOut]:  # fmt: skip
        return [CaseFileOut.of(f) for f in _service(request).case_files(principal, unit_code, year, state)]

    @router.get(
        "/units/{unit_code}/case-files/due", openapi_extra=access.READ_FILES.route(), response_model=list[DueOut]
    )
    def due(
        request: Request, unit_code: UnitCode, principal: CurrentPrincipal,
        only: Annotated[list[Literal["not_due", "soon", "overdue", "kept", "not_required"]] | None,
                        Query(max_length=5)] = None,
    ) -> list[DueOut]:  # fmt: skip
        """Closed files not handed over yet, with their due day: `only=soon&only=overdue` for the warnings."""
        found = _service(request).due(principal, unit_code, only=[Due(o) for o in only] if only else None)
        return [DueOut.of(d) for d in found]

    @router.get("/case-files/{file_id}", openapi_extra=access.READ_FILES.route(), response_model=CaseFileOut)
    def case_file(request: Request, file_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> CaseFileOut:
        """One case file with what it holds (a secret document the caller may not open: its place only)."""
        return CaseFileOut.of(_service(request).case_file(principal, file_id))

    @router.get(
        "/case-files/{file_id}/contents.{fmt}", openapi_extra=access.READ_FILES.route(), response_class=Response
    )
    def contents(request: Request, file_id: Annotated[Id, Path()], fmt: Fmt, principal: CurrentPrincipal) -> Response:
        """Mục lục văn bản trong hồ sơ (7 columns) as PDF or XLSX."""
        return _download(_service(request).contents_export(principal, file_id, fmt))

    @router.get("/case-files/{file_id}/cover.pdf", openapi_extra=access.READ_FILES.route(), response_class=Response)
    def cover(request: Request, file_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> Response:
        """Bìa hồ sơ as PDF."""
        return _download(_service(request).cover_pdf(principal, file_id))

    @router.get("/case-files/{file_id}/package.zip", openapi_extra=access.READ_FILES.route(), response_class=Response)
    def package(request: Request, file_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> Response:
        """The file as one ZIP: a PDF (cover, Mục lục văn bản, each document's PDF it may open) and the XML of its
        metadata (Decree 30 Appendix VI); a secret document the caller may not open: listed, no content."""
        return _download(_service(request).package(principal, file_id))

    @router.post("/case-files/{file_id}/documents", openapi_extra=access.KEEP.route(), response_model=CaseFileOut)
    def add_document(
        request: Request, file_id: Annotated[Id, Path()], body: AddDocumentIn, principal: CurrentPrincipal
    ) -> CaseFileOut:
        """Put a document the caller may open in the open file, in time order."""
        return CaseFileOut.of(
            _service(request).add_document(principal, file_id, body.document_id, client_ip=_ip(request))
        )

    @router.put("/case-files/{file_id}/order", openapi_extra=access.KEEP.route(), response_model=CaseFileOut)
    def order(
        request: Request, file_id: Annotated[Id, Path()], body: OrderIn, principal: CurrentPrincipal
    ) -> CaseFileOut:
        """The order of everything the file holds (each item once)."""
        return CaseFileOut.of(_service(request).reorder(principal, file_id, body.item_ids, client_ip=_ip(request)))

    @router.delete(
        "/case-files/{file_id}/items/{item_id}", openapi_extra=access.KEEP.route(), response_model=CaseFileOut
    )
    def remove_item(
        request: Request, file_id: Annotated[Id, Path()], item_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> CaseFileOut:
        return CaseFileOut.of(_service(request).remove_item(principal, file_id, item_id, client_ip=_ip(request)))

    @router.post("/case-files/{file_id}/close", openapi_extra=access.KEEP.route(), response_model=CaseFileOut)
    def close(
        request: Request, file_id: Annotated[Id, Path()], body: CloseIn, principal: CurrentPrincipal
    ) -> CaseFileOut:
        """Close the file: ngày kết thúc, the counts, the retention re-assessed."""
        return CaseFileOut.of(
            _service(request).close(
                principal,
                file_id,
                closed_on=body.closed_on,
                pages=body.pages,
                retention=body.retention,
                note=body.note,
                client_ip=_ip(request),
            )  # fmt: skip
        )

    @router.post("/case-files/{file_id}/reopen", openapi_extra=access.REOPEN.route(), response_model=CaseFileOut)
    def reopen(
        request: Request, file_id: Annotated[Id, Path()], body: ReopenIn, principal: CurrentPrincipal
    ) -> CaseFileOut:
        """Reopen a closed file before its hand-over (mở lại hồ sơ), with a reason: its keeper or lãnh đạo over
        its unit; a file handed over or in the archive: 409."""
        return CaseFileOut.of(_service(request).reopen(principal, file_id, body.reason, client_ip=_ip(request)))

    @router.get(
        "/case-files/{file_id}/history", openapi_extra=access.READ_FILES.route(), response_model=list[HistoryOut]
    )
    def history(request: Request, file_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> list[HistoryOut]:
        """What was done to the file, oldest first (the audit log's rows about it and its hand-over)."""
        return [HistoryOut(at=h.at, actor=h.actor, action=h.action, reason=h.reason)
                for h in _service(request).history(principal, file_id)]  # fmt: skip

    @router.put("/case-files/{file_id}/keep", openapi_extra=access.SUBMIT.route(), response_model=CaseFileOut)
    def keep(
        request: Request, file_id: Annotated[Id, Path()], body: KeepIn, principal: CurrentPrincipal
    ) -> CaseFileOut:
        """Keep a closed file past its due day with written approval (at most the years the rules allow)."""
        return CaseFileOut.of(
            _service(request).keep(principal, file_id, body.until, body.basis, client_ip=_ip(request))
        )

    @router.get(
        "/entries/{document_id}/case-files", openapi_extra=access.READ_FILES.route(), response_model=list[CaseFileOut]
    )
    def files_of_document(
        request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal
    ) -> list[CaseFileOut]:
        """The case files a document (which the caller may open) is in."""
        return [CaseFileOut.of(f) for f in _service(request).files_of_document(principal, document_id)]

    # --- hand-over ------------------------------------------------------------------------------------------

    @router.post("/handovers", openapi_extra=access.SUBMIT.route(), response_model=HandoverOut, status_code=201)
    def submit(request: Request, body: SubmitIn, principal: CurrentPrincipal) -> HandoverOut:
        """Hand closed files of a unit over to the agency archive (nộp lưu)."""
        return HandoverOut.of(
            _service(request).submit(principal, body.unit_code, body.case_file_ids, body.note, client_ip=_ip(request))
        )

    @router.get(
        "/units/{unit_code}/handovers", openapi_extra=access.READ_FILES.route(), response_model=list[HandoverOut]
    )
    def handovers(request: Request, unit_code: UnitCode, principal: CurrentPrincipal) -> list[HandoverOut]:
        return [HandoverOut.of(h) for h in _service(request).handovers(principal, unit_code)]

    @router.get("/handovers/{handover_id}", openapi_extra=access.READ_FILES.route(), response_model=HandoverOut)
    def handover(request: Request, handover_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> HandoverOut:
        return HandoverOut.of(_service(request).handover(principal, handover_id))

    @router.get("/handovers/{handover_id}/list.{fmt}", openapi_extra=access.READ_FILES.route(), response_class=Response)
    def handover_list(
        request: Request, handover_id: Annotated[Id, Path()], fmt: Fmt, principal: CurrentPrincipal
    ) -> Response:
        """Mục lục hồ sơ nộp lưu (7 columns) as PDF or XLSX."""
        return _download(_service(request).handover_export(principal, handover_id, fmt))

    @router.get("/handovers/{handover_id}/record.pdf", openapi_extra=access.READ_FILES.route(), response_class=Response)
    def handover_record(request: Request, handover_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> Response:
        """Biên bản giao nhận hồ sơ, tài liệu (bên giao, bên nhận) as PDF."""
        return _download(_service(request).handover_record_pdf(principal, handover_id))

    @router.post("/handovers/{handover_id}/accept", openapi_extra=access.ACCEPT.route(), response_model=HandoverOut)
    def accept(request: Request, handover_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> HandoverOut:
        """The archive accepts: the files and their documents are frozen from now on (409 on any change)."""
        return HandoverOut.of(_service(request).accept(principal, handover_id, client_ip=_ip(request)))

    return router

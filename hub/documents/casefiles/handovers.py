"""Hand-over of closed case files to the agency archive (nộp lưu) and the printed forms (lists, cover)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.casefiles import access, render
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.models import (
    CaseFileConflict,
    CaseFileError,
    Due,
    DueFile,
    Handover,
    State,
    UnknownCaseFile,
    both,
    due_date,
    due_status,
)
from hub.reports.documents import ExportFile, ExportFormat, ascii_slug

if TYPE_CHECKING:
    pass
from hub.documents.casefiles.base import (
    MAX_IDS,
    CaseFilesBase,
    _text,
)


class Handovers(CaseFilesBase):
    """The due list, a hand-over batch and its acceptance, and the PDF/XLSX forms."""

    def due(self, principal: Principal, unit_code: str, *, only: Sequence[Due] | None = None) -> list[DueFile]:
        """The unit's closed files not yet handed over, with their due day and status (soon, overdue, …)."""
        today = self.today()
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            rules = repo.rules(conn)
            found = repo.case_files(conn, unit_id=unit[0], states=("closed",), limit=100_000)
        out = []
        for f in found:
            status = due_status(f, rules, today)
            due = due_date(f, rules)
            if status is None or due is None or (only and status not in only):
                continue
            out.append(DueFile(f, due, status))
        return sorted(out, key=lambda d: (d.due_on, d.case_file.code))

    def submit(
        self, principal: Principal, unit_code: str, file_ids: Sequence[int], note: str | None = None, *,
        client_ip: str | None = None,
    ) -> Handover:  # fmt: skip
        """Hand closed files of the unit over to the archive in one batch (mục lục hồ sơ nộp lưu)."""
        ids = sorted(set(file_ids))
        if not 1 <= len(ids) <= MAX_IDS:
            raise CaseFileError(both(f"nộp từ 1 đến {MAX_IDS} hồ sơ", f"hand over 1 to {MAX_IDS} files"))
        remark = _text(note, "ghi chú", "note", 500, required=False)
        with self.pool.connection() as conn, conn.transaction():
            unit = self._unit(conn, unit_code)
            gate.check(principal, access.SUBMIT, Target.unit(unit[3]))
            found = repo.case_files(conn, unit_id=unit[0], ids=ids)
            if len(found) != len(ids):
                missing = sorted(set(ids) - {f.id for f in found})
                raise UnknownCaseFile(
                    both(f"{unit_code} không có hồ sơ {missing}", f"{unit_code} has no file {missing}")
                )
            not_closed = [f.code for f in found if f.state is not State.CLOSED]
            if not_closed:
                raise CaseFileConflict(
                    both(f"chỉ nộp hồ sơ đã kết thúc: {not_closed}", f"only closed files not handed over: {not_closed}")
                )  # fmt: skip
            handover_id = repo.insert_handover(conn, unit[0], principal.username, principal.user_id or None,
                                               self.clock(), remark)  # fmt: skip
            if repo.submit_files(conn, handover_id, ids) != len(ids):
                raise CaseFileConflict(
                    both("hồ sơ vừa thay đổi, hãy thử lại", "the files changed meanwhile, try again")
                )
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_files_submit", "case_file_handover", handover_id,
                after={"files": [f.code for f in found], "note": remark}, unit_path=unit[3],
            )  # fmt: skip
            result = repo.handover(conn, handover_id)
            assert result is not None
            return result

    def accept(self, principal: Principal, handover_id: int, *, client_ip: str | None = None) -> Handover:
        """The archive accepts a hand-over: its files and their documents are frozen from now on."""
        with self.pool.connection() as conn, conn.transaction():
            found = repo.handover(conn, handover_id, lock=True)
            if found is None:
                raise UnknownCaseFile(both(f"không có lần nộp lưu {handover_id}", f"no hand-over {handover_id}"))
            gate.check(principal, access.ACCEPT, Target.unit(found.unit_path))
            if found.accepted_at is not None:
                raise CaseFileConflict(
                    both("lưu trữ đã nhận lần nộp lưu này", "the archive accepted this hand-over already")
                )
            if found.submitted_by == principal.username:
                raise AccessDenied(
                    both("người nộp lưu không tự nhận vào lưu trữ", "who hands files over cannot accept them")
                )
            frozen = repo.accept_handover(conn, handover_id, principal.username, self.clock())
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_files_accept", "case_file_handover", handover_id,
                after={"files": [f.code for f in found.files], "frozen_documents": len(frozen)},
                unit_path=found.unit_path,
            )  # fmt: skip
            result = repo.handover(conn, handover_id)
            assert result is not None
            return result

    def handover(self, principal: Principal, handover_id: int) -> Handover:
        with self.pool.connection() as conn:
            found = repo.handover(conn, handover_id)
            if found is None:
                raise UnknownCaseFile(both(f"không có lần nộp lưu {handover_id}", f"no hand-over {handover_id}"))
            self._check_read(principal, found.unit_path)
            return found

    def handovers(self, principal: Principal, unit_code: str) -> list[Handover]:
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            return repo.handovers(conn, unit[0])

    def file_list_export(self, principal: Principal, unit_code: str, year: int, fmt: str) -> ExportFile:
        """Danh mục hồ sơ as PDF or XLSX."""
        found = self.file_list(principal, unit_code, year)
        if found is None:
            raise UnknownCaseFile(
                both(f"{unit_code} chưa có danh mục năm {year}", f"{unit_code} has no list of {year}")
            )
        return render.file_list(found, ExportFormat(fmt), self.clock())

    def contents_export(self, principal: Principal, file_id: int, fmt: str) -> ExportFile:
        """Mục lục văn bản trong hồ sơ as PDF or XLSX (a secret document the caller may not open: its place only)."""
        return render.contents(self.case_file(principal, file_id), ExportFormat(fmt), self.clock())

    def cover_pdf(self, principal: Principal, file_id: int) -> ExportFile:
        found = self.case_file(principal, file_id)
        return ExportFile(f"bia-ho-so-{ascii_slug(found.code)}-{found.year}.pdf", "application/pdf",
                          render.cover_pdf(found))  # fmt: skip

    def handover_export(self, principal: Principal, handover_id: int, fmt: str) -> ExportFile:
        """Mục lục hồ sơ nộp lưu as PDF or XLSX."""
        found = self.handover(principal, handover_id)
        with self.pool.connection() as conn:
            files = [repo.case_file(conn, f.id) for f in found.files]
        return render.handover_list(found, [f for f in files if f is not None], ExportFormat(fmt), self.clock())

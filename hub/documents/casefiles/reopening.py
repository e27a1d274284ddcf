"""Reopening a closed case file before its hand-over (mở lại hồ sơ), and a file's history (issue 15 item 7).

Who: its keeper (người lập hồ sơ), or a lãnh đạo over its unit (hub.documents.casefiles.access.REOPEN,
REOPEN_ANY), with a reason (at most MAX_REASON characters). Reopening clears the closing (ngày kết thúc, the
counts) and any keeping past the due day; the retention stays as it was re-assessed. A file handed over —
submitted (waiting for the archive) or accepted into it (frozen) — is never reopened (409). The audit log
holds the step and its reason; the file's history (the audit log's rows about it) shows it.
"""

from __future__ import annotations

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.casefiles import access
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.base import CaseFilesBase, _text
from hub.documents.casefiles.models import CaseFile, CaseFileConflict, HistoryEntry, State, both

MAX_REASON = 500


class Reopening(CaseFilesBase):
    def may_reopen(self, principal: Principal, f: CaseFile) -> bool:
        """Whether the caller may reopen this file (a page deciding to show the button); its state aside."""
        if not gate.allows_on(principal, access.REOPEN):
            return False
        owner = bool(principal.user_id) and f.owner_id == principal.user_id
        return owner or gate.allows_on(principal, access.REOPEN_ANY, Target.unit(f.unit_path))

    def reopen(self, principal: Principal, file_id: int, reason: str, *, client_ip: str | None = None) -> CaseFile:
        """Reopen a closed file not handed over yet, with a reason: its keeper or lãnh đạo over its unit."""
        text = _text(reason, "lý do mở lại hồ sơ", "the reason to reopen the file", MAX_REASON)
        gate.check(principal, access.REOPEN)
        with self.pool.connection() as conn, conn.transaction():
            found = self._load_locked(conn, file_id)
            if not self.may_reopen(principal, found):
                if not self._may_read(principal, found):
                    raise self._missing(file_id)
                raise AccessDenied(
                    both("chỉ người lập hồ sơ hoặc lãnh đạo đơn vị được mở lại hồ sơ",
                         "only its keeper or a lãnh đạo of the unit may reopen a case file")
                )  # fmt: skip
            if found.state is State.ARCHIVED:
                raise CaseFileConflict(
                    both(f"hồ sơ {found.code} đã nộp lưu vào lưu trữ cơ quan, không mở lại được",
                         f"file {found.code} is in the agency archive, it cannot be reopened")
                )  # fmt: skip
            if found.state is State.SUBMITTED:
                raise CaseFileConflict(
                    both(f"hồ sơ {found.code} đã nộp lưu, đang chờ lưu trữ cơ quan nhận; không mở lại được",
                         f"file {found.code} is handed over, awaiting the archive; it cannot be reopened")
                )  # fmt: skip
            if found.state is State.OPEN:
                raise CaseFileConflict(
                    both(f"hồ sơ {found.code} đang lập, chưa kết thúc", f"file {found.code} is open, not closed")
                )
            repo.reopen_case_file(conn, file_id)
            before = {
                "closed_on": found.closed_on.isoformat() if found.closed_on else None, "closed_by": found.closed_by,
                "pages": found.pages, "documents": found.documents,
                "keep_until": found.keep_until.isoformat() if found.keep_until else None,
                "keep_basis": found.keep_basis,
            }  # fmt: skip
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_reopen", "case_file", file_id,
                before=before, after={"reason": text}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def history(self, principal: Principal, file_id: int) -> list[HistoryEntry]:
        """What was done to the file, oldest first (opened, filled, closed, reopened with its reason, handed over)."""
        found = self.case_file(principal, file_id)  # type: ignore[attr-defined]  # CaseFilesService's read check
        with self.pool.connection() as conn:
            return repo.history(conn, file_id, found.handover_id)

"""The review of case files past their retention (hồ sơ hết thời hạn bảo quản; issue 15 item 7, DOMAIN.md §3).

A file's retention is "Vĩnh viễn" or N years (data, `case_file_retentions`); the years count from the year after
the file's end year (ngày kết thúc), so a file closed in 2020 and kept 5 years is kept to the end of 2025
(CaseFile.retention_until) and is past its retention from 1 January 2026 in Hà Nội. A permanent file never is.

The archive (văn thư or lãnh đạo over the unit: access.REVIEW_RETENTION) lists such files of the unit and the
units under it, by unit, and exports the list (XLSX or PDF); it may propose a file for destruction with a reason
(at most MAX_REASON characters) or withdraw the proposal (access.PROPOSE_DESTRUCTION), each step audited. The
destruction itself (the council's review and the head's decision) happens outside CCES; nothing is deleted.
"""

from __future__ import annotations

import psycopg

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.casefiles import access
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.base import CaseFilesBase, _text
from hub.documents.casefiles.models import (
    STATE_LABELS,
    CaseFile,
    CaseFileConflict,
    ExpiredFile,
    both,
)
from hub.reports.documents import Column, ExportFile, ExportFormat, ReportDocument, ascii_slug
from hub.reports.export import render

MAX_REASON = 500
MAX_LISTED = 5000  # one unit's review: more than a list page or a sheet is read by a person


class RetentionReview(CaseFilesBase):
    def past_retention(self, principal: Principal, unit_code: str) -> list[ExpiredFile]:
        """The closed files of the unit and those under it whose retention ran out, with any proposal."""
        return self._past(principal, unit_code)[1]

    def _past(self, principal: Principal, unit_code: str) -> tuple[str, list[ExpiredFile]]:
        year = self.today().year
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            gate.check(principal, access.REVIEW_RETENTION, Target.unit(unit[3]))
            files = repo.expired_files(conn, unit[3], year, MAX_LISTED)
            proposed = repo.proposals(conn, [f.id for f in files])
        out = []
        for f in files:
            assert f.retention_until is not None
            out.append(ExpiredFile(f, f.retention_until, proposed.get(f.id)))
        return unit[2], out

    def past_retention_export(self, principal: Principal, unit_code: str, fmt: str) -> ExportFile:
        """The review list as XLSX (or PDF): unit, file, its time, retention, when it ran out, state, proposal."""
        unit_name, found = self._past(principal, unit_code)
        columns = (
            Column("STT", 0.9, "right"), Column("Đơn vị", 3.0), Column("Số và ký hiệu hồ sơ", 2.2),
            Column("Tiêu đề hồ sơ", 6.0), Column("Thời gian", 2.8, "center"),
            Column("Thời hạn bảo quản", 1.8, "center"), Column("Hết hạn sau năm", 1.6, "center"),
            Column("Tình trạng", 2.4), Column("Đề nghị hủy (lý do)", 4.0),
        )  # fmt: skip
        rows = []
        for n, e in enumerate(found, 1):
            f = e.case_file
            span = f"{f.opened_on:%d/%m/%Y} - {f.closed_on:%d/%m/%Y}" if f.closed_on else ""
            proposal = f"{e.proposal.reason} ({e.proposal.proposed_by})" if e.proposal else ""
            rows.append((n, f.unit_name, f.code, f.title, span, f.retention_label, e.until,
                         STATE_LABELS[f.state][0], proposal))  # fmt: skip
        today = self.today()
        doc = ReportDocument(
            title="DANH SÁCH HỒ SƠ HẾT THỜI HẠN BẢO QUẢN", period=f"Tính đến ngày {today:%d/%m/%Y}",
            unit_name=unit_name, columns=columns, rows=rows, sheet_name="Hết hạn bảo quản",
            filename_stem=f"ho-so-het-han-bao-quan-{ascii_slug(unit_code)}-{today:%Y%m%d}",
            notes=(f"Tổng số hồ sơ: {len(found)}; đề nghị hủy: {sum(1 for e in found if e.proposal)}.",),
            signatures=("Người lập", "Thủ trưởng đơn vị"), generated_at=self.clock(), agency_lines=(unit_name.upper(),),
        )  # fmt: skip
        return render(doc, ExportFormat(fmt))

    def propose_destruction(
        self, principal: Principal, file_id: int, reason: str, *, client_ip: str | None = None
    ) -> ExpiredFile:
        """Propose a file past its retention for destruction, with a reason (audited)."""
        text = _text(reason, "lý do đề nghị hủy", "the reason for the proposal", MAX_REASON)
        assert text is not None
        with self.pool.connection() as conn, conn.transaction():
            f = self._reviewable(conn, principal, file_id)
            now = self.clock()
            if not repo.insert_proposal(conn, f.id, text, now, principal.username):
                raise CaseFileConflict(
                    both(f"hồ sơ {f.code} đã được đề nghị hủy", f"file {f.code} is proposed for destruction already")
                )
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_propose_destruction", "case_file", f.id,
                after={"reason": text, "retention": f.retention, "retention_until": f.retention_until},
                unit_path=f.unit_path,
            )  # fmt: skip
            return self._expired(conn, f)

    def withdraw_destruction(self, principal: Principal, file_id: int, *, client_ip: str | None = None) -> ExpiredFile:
        """Withdraw a proposal to destroy the file (audited, with the reason it had)."""
        with self.pool.connection() as conn, conn.transaction():
            f = self._reviewable(conn, principal, file_id)
            gone = repo.delete_proposal(conn, f.id)
            if gone is None:
                raise CaseFileConflict(
                    both(f"hồ sơ {f.code} chưa được đề nghị hủy", f"file {f.code} is not proposed for destruction")
                )
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_withdraw_destruction", "case_file", f.id,
                before={"reason": gone.reason, "proposed_by": gone.proposed_by}, unit_path=f.unit_path,
            )  # fmt: skip
            return self._expired(conn, f)

    def _reviewable(self, conn: psycopg.Connection, principal: Principal, file_id: int) -> CaseFile:
        """The file, if the caller reviews its unit and its retention ran out (else 404, 403 or 409)."""
        gate.check(principal, access.PROPOSE_DESTRUCTION)
        f = repo.case_file(conn, file_id, lock=True)
        if f is None:
            raise self._missing(file_id)
        if not gate.allows_on(principal, access.PROPOSE_DESTRUCTION, Target.unit(f.unit_path)):
            if not self._may_read(principal, f):
                raise self._missing(file_id)
            raise AccessDenied(both("chỉ văn thư, lãnh đạo đơn vị", "only văn thư or lãnh đạo of the unit"))
        if f.permanent:
            raise CaseFileConflict(
                both(f"hồ sơ {f.code} bảo quản vĩnh viễn, không hủy", f"file {f.code} is kept permanently")
            )
        until = f.retention_until
        if until is None or until >= self.today().year:
            raise CaseFileConflict(
                both(
                    f"hồ sơ {f.code} chưa hết thời hạn bảo quản" + (f" (đến hết năm {until})" if until else ""),
                    f"file {f.code} is not past its retention" + (f" (kept to the end of {until})" if until else ""),
                )
            )
        return f

    def _expired(self, conn: psycopg.Connection, f: CaseFile) -> ExpiredFile:
        assert f.retention_until is not None
        return ExpiredFile(f, f.retention_until, repo.proposals(conn, [f.id]).get(f.id))

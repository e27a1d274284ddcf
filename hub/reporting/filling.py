"""A unit's report from opening to acceptance: read, filled and corrected with a note, submitted, returned with
comments or accepted, filled from the reporters' sums, and the files sent with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.files import Upload, check_file, scan
from hub.domain import Unavailable
from hub.reporting import access
from hub.reporting import repository as repo
from hub.reporting.consolidation import SENT
from hub.reporting.core import _OPEN, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, Filled, ReportingCore, _filled, _text
from hub.reporting.models import (
    Attachment,
    Report,
    ReportingError,
    ReportStatus,
    UnknownAttachment,
    UnknownReport,
    WrongState,
    both,
)
from hub.reporting.template import check_value


class ReportingFilling(ReportingCore):
    """Reading, filling, the workflow and attachments of reports."""

    def reports(self, principal: Principal, regime: str | None = None, period_key: str | None = None) -> list[Report]:
        """The reports of the caller's units (as the reporting or the receiving unit), newest period first."""
        gate.check(principal, access.VIEW)
        with self.pool.connection() as conn:
            return repo.reports(conn, regime=regime, period_key=period_key, paths=gate.reach(principal, access.VIEW))

    def report(self, principal: Principal, report_id: int) -> Filled:
        with self.pool.connection() as conn:
            found = repo.report(conn, report_id)
            if found is None or not self._may(principal, access.VIEW, found):
                raise UnknownReport(report_id)
            version = repo.version_by_id(conn, found.version_id)
        assert version is not None
        return _filled(found, version.template)

    def save(
        self, principal: Principal, report_id: int, values: Mapping[str, Any], notes: Mapping[str, str] | None = None,
        client_ip: str | None = None,
    ) -> Filled:  # fmt: skip
        """Fill or correct indicators (a report being prepared or returned). A pre-filled figure changed needs
        a note saying why; formulas are computed, never typed."""
        notes = dict(notes or {})
        with self.pool.connection() as conn, conn.transaction():
            found, template = self._locked(conn, principal, report_id, access.FILL, "unit")
            if found.status not in _OPEN:
                raise WrongState(both("báo cáo đã gửi, không sửa được", "the report was submitted: it cannot change"))
            by_code = template.by_code()
            rows = []
            for code, raw in values.items():
                ind = by_code.get(code)
                if ind is None or ind.formula:
                    raise ReportingError(
                        both(f"không nhập được chỉ tiêu {code!r}", f"indicator {code!r} cannot be filled")
                    )
                value = check_value(ind, raw)
                old = found.values.get(code)
                note = _text(notes.get(code), f"ghi chú chỉ tiêu {code}", f"the note of {code}", 1000, required=False)
                if old is not None and old.prefilled is not None and value != old.prefilled and not note:
                    raise ReportingError(
                        both(f"chỉ tiêu {code} khác số liệu CCES ({old.prefilled}): cần ghi chú lý do điều chỉnh",
                             f"indicator {code} differs from CCES data ({old.prefilled}): a note must say why")
                    )  # fmt: skip
                rows.append({"code": code, "value": value, "prefilled": old.prefilled if old else None,
                             "source": old.source if old else None, "note": note or None,
                             "updated_by": principal.username})  # fmt: skip
            if len(notes.keys() - values.keys()):
                raise ReportingError(both("ghi chú chỉ đi kèm số liệu nhập", "a note comes with a value"))
            repo.put_values(conn, report_id, rows)
            repo.add_event(conn, report_id, principal.username, "saved")
            audit.record(
                conn, Actor.of(principal, client_ip), "report.save", "report", report_id,
                after={"codes": sorted(values)}, unit_path=found.unit_path,
            )  # fmt: skip
            found = repo.report(conn, report_id)
        assert found is not None
        return _filled(found, template)

    def submit(self, principal: Principal, report_id: int, client_ip: str | None = None) -> Filled:
        """Send the report to the receiving unit (manager over the reporting unit); required indicators filled."""
        from hub.reporting.notify import tell

        with self.pool.connection() as conn, conn.transaction():
            found, template = self._locked(conn, principal, report_id, access.SUBMIT, "unit")
            if found.status not in _OPEN:
                raise WrongState(both("báo cáo đã được gửi", "the report was submitted already"))
            filled = _filled(found, template)
            empty = [i.code for i in template.indicators if i.required and filled.values.get(i.code) in (None, "", [])]
            if empty:
                raise ReportingError(
                    both(
                        f"chưa nhập chỉ tiêu bắt buộc: {', '.join(empty)}",
                        f"required indicators empty: {', '.join(empty)}",
                    )
                )
            repo.set_status(conn, report_id, ReportStatus.SUBMITTED, principal.username, None)
            repo.add_event(conn, report_id, principal.username, "submitted")
            audit.record(conn, Actor.of(principal, client_ip), "report.submit", "report", report_id,
                         unit_path=found.unit_path, other_unit_path=found.recipient_path)  # fmt: skip
            tell(conn, found, "submitted", config=self.notify_config)
            found = repo.report(conn, report_id)
        assert found is not None
        return _filled(found, template)

    def decide(
        self, principal: Principal, report_id: int, accept: bool, comment: str | None = None,
        client_ip: str | None = None,
    ) -> Filled:  # fmt: skip
        """Accept a submitted report, or return it with comments (manager over the receiving unit)."""
        from hub.reporting.notify import tell

        text = _text(comment, "ý kiến khi trả lại", "the comments", 2000, required=not accept) or None
        with self.pool.connection() as conn, conn.transaction():
            found, template = self._locked(conn, principal, report_id, access.REVIEW, "recipient")
            if found.status is not ReportStatus.SUBMITTED:
                raise WrongState(both("báo cáo không ở trạng thái chờ tiếp nhận", "the report is not awaiting review"))
            status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
            repo.set_status(conn, report_id, status, principal.username, text)
            repo.add_event(conn, report_id, principal.username, status.value, text)
            audit.record(conn, Actor.of(principal, client_ip), "report.accept" if accept else "report.return",
                         "report", report_id, after={"comment": text}, unit_path=found.unit_path,
                         other_unit_path=found.recipient_path)  # fmt: skip
            tell(conn, found, status.value, text, config=self.notify_config)
            found = repo.report(conn, report_id)
        assert found is not None
        return _filled(found, template)

    def fill_from_reporters(self, principal: Principal, report_id: int, client_ip: str | None = None) -> Filled:
        """A unit in between fills its report from the sums of the reports sent to it for the same period: every
        number indicator that is neither a formula nor bound to CCES data (a bound figure is already pre-filled
        over the unit's whole subtree), every table (the rows joined) and every text (each unit's text under its
        name). Saved as the filler's change (audit `report.save`); nothing sent to the unit: refused."""
        filled = self.report(principal, report_id)
        r = filled.report
        gate.check(principal, access.FILL, Target.unit(r.unit_path))
        c = self.consolidate(principal, r.regime_code, r.period_key, r.unit_code)
        sent = [p for p in c.parts if p.status in SENT]
        if not sent:
            raise ReportingError(
                both(f"chưa có đơn vị nào gửi báo cáo kỳ {r.period_key} đến {r.unit_name}",
                     f"no unit has sent its report of period {r.period_key} to {r.unit_name} yet")
            )  # fmt: skip
        values: dict[str, Any] = {}
        for ind in filled.template.indicators:
            if ind.formula or ind.source:
                continue
            if ind.kind == "text":
                lines = [f"{p.unit_name}: {p.values[ind.code]}" for p in sent if p.values.get(ind.code)]
                values[ind.code] = "\n".join(lines) or None
            else:
                values[ind.code] = c.values.get(ind.code)
        return self.save(principal, report_id, values, {}, client_ip)

    def attach(self, principal: Principal, report_id: int, upload: Upload, client_ip: str | None = None) -> Attachment:
        """A file sent with the report (a report being prepared or returned; whoever fills it): at most
        MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS a report, PDF, scans or Office files by their bytes
        (hub.documents.files.check_file), virus-scanned when a scanner is configured, kept in the content store."""
        rules = replace(self.file_rules, max_bytes=min(self.file_rules.max_bytes, MAX_ATTACHMENT_BYTES))
        with self.pool.connection() as conn:  # refused before the bytes are looked at
            self._locked(conn, principal, report_id, access.FILL, "unit")
        if self.store is None:
            raise Unavailable(both("chưa cấu hình nơi lưu tệp đính kèm", "no store for attachments is configured"))
        checked = check_file(upload, rules)
        scan(checked, rules)
        digest = self.store.put(checked.data)  # before the row: a file without a row harms nobody
        with self.pool.connection() as conn, conn.transaction():
            found, _ = self._locked(conn, principal, report_id, access.FILL, "unit")
            if found.status not in _OPEN:
                raise WrongState(both("báo cáo đã gửi, không đính kèm thêm được", "the report was submitted"))
            if len(found.attachments) >= MAX_ATTACHMENTS:
                raise ReportingError(
                    both(f"mỗi báo cáo đính kèm tối đa {MAX_ATTACHMENTS} tệp",
                         f"a report holds at most {MAX_ATTACHMENTS} attachments")
                )  # fmt: skip
            saved = repo.insert_attachment(conn, report_id, {
                "filename": checked.name, "content_type": checked.content_type, "size": len(checked.data),
                "sha256": digest, "uploaded_by": principal.username,
            })  # fmt: skip
            audit.record(
                conn, Actor.of(principal, client_ip), "report.attach", "report", report_id,
                after={"attachment": saved.id, "filename": saved.filename, "size": saved.size, "sha256": digest},
                unit_path=found.unit_path,
            )  # fmt: skip
        return saved

    def attachment(self, principal: Principal, report_id: int, attachment_id: int) -> tuple[Attachment, bytes]:
        """An attachment and its bytes, for whoever sees the report."""
        filled = self.report(principal, report_id)
        found = next((a for a in filled.report.attachments if a.id == attachment_id), None)
        if found is None or self.store is None:
            raise UnknownAttachment(report_id, attachment_id)
        try:
            return found, self.store.get(found.sha256)
        except FileNotFoundError:
            raise UnknownAttachment(report_id, attachment_id) from None

    def detach(self, principal: Principal, report_id: int, attachment_id: int, client_ip: str | None = None) -> None:
        """Take an attachment off a report being prepared or returned (the file stays in the content store,
        which may hold the same bytes for another row)."""
        with self.pool.connection() as conn, conn.transaction():
            found, _ = self._locked(conn, principal, report_id, access.FILL, "unit")
            if found.status not in _OPEN:
                raise WrongState(both("báo cáo đã gửi, không gỡ tệp được", "the report was submitted"))
            if not repo.delete_attachment(conn, report_id, attachment_id):
                raise UnknownAttachment(report_id, attachment_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "report.detach", "report", report_id,
                before={"attachment": attachment_id}, unit_path=found.unit_path,
            )  # fmt: skip

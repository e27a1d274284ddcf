"""The reporting service (issue 18 items 1–2): regimes as versioned data, each reporting unit's report of a
period opened with its pre-filled figures, filled and corrected with a note, submitted, returned with
comments or accepted, late units reminded (and, from the third reminder, their receiving unit told), and the
list of who has not submitted. Transactions, access checks (hub.reporting.access) and audit live here.

A regime version is in force from its `valid_from`; a report is opened on the version in force the day
after its period's cut-off (the day it opens) and keeps it, so a regime changed mid-year leaves the reports
already opened on their old version and template. Opening is idempotent: one report per regime, period and
unit (a unique key), whichever process opens it first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import SYSTEM_ACTOR, Actor
from hub.accounts.principal import Principal
from hub.documents.files import FileRules, Upload, check_file, scan
from hub.domain import DomainError, Unavailable
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ as LOCAL
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig
from hub.reporting import access
from hub.reporting import repository as repo
from hub.reporting.consolidation import SENT, Consolidation, combine, parts_of
from hub.reporting.export import consolidated_sheet, heading, report_sheet
from hub.reporting.models import (
    Attachment,
    Missing,
    NothingToExport,
    RegimeVersion,
    Report,
    ReportingError,
    ReportStatus,
    UnknownAttachment,
    UnknownRegime,
    UnknownReport,
    UnknownUnit,
    WrongState,
    both,
)
from hub.reporting.opening import open_reports
from hub.reporting.periods import Period, check_cutoff_day, frequency, last_closed, parse_period
from hub.reporting.render import Format, render
from hub.reporting.template import Template, TemplateError, check_value, compute, parse_template
from hub.reports.documents import ExportFile, OfficialHeading

log = logging.getLogger(__name__)
MAX_REPORTERS = 2000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # a file sent with a report
MAX_ATTACHMENTS = 10  # files a report holds
ESCALATE_FROM = 3  # the reminder from which the receiving unit's managers are told too
_OPEN = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class Filled:
    """A report with its values computed: formulas and table totals (what the page and the API show)."""

    report: Report
    template: Template
    values: dict[str, Any]  # code → value, formulas computed
    totals: dict[str, float | None]  # "table.column" → total


def _text(value: str | None, vi: str, en: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReportingError(both(f"thiếu {vi}", f"{en} is required"))
    if len(text) > limit:
        raise ReportingError(both(f"{vi} quá dài (tối đa {limit} ký tự)", f"{en} is longer than {limit} characters"))
    return text


class ReportingService:
    def __init__(
        self, pool: ConnectionPool, clock: Callable[[], datetime], notify_config: NotifyConfig = DEFAULT_NOTIFY
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.notify_config = notify_config  # how submissions, decisions and reminders are told (hub.notifications)
        # where attachments are kept, and how they are checked: given by hub.reporting.jobs.domain_jobs (the
        # hub's content store and the documents' file rules); without a store attachments are refused
        self.store: ContentStore | None = None
        self.file_rules = FileRules(max_bytes=MAX_ATTACHMENT_BYTES)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    # --- regimes --------------------------------------------------------------------------------------

    def regimes(self, principal: Principal) -> list[RegimeVersion]:
        """The newest version of every regime."""
        gate.check(principal, access.REFERENCE)
        with self.pool.connection() as conn:
            newest: dict[str, RegimeVersion] = {}
            for v in repo.versions(conn):
                newest.setdefault(v.code, v)
            return list(newest.values())

    def regime(self, principal: Principal, code: str) -> list[RegimeVersion]:
        """Every version of a regime, newest first."""
        gate.check(principal, access.REFERENCE)
        with self.pool.connection() as conn:
            found = repo.versions(conn, code)
        if not found:
            raise UnknownRegime(code)
        return found

    def define(
        self, principal: Principal, code: str, *, valid_from: date, name_vi: str, name_en: str, basis: str,
        content: str = "", frequency_name: str, cutoff_day: int = 15, deadline_days: int, deadline_working: bool = True,
        owner_unit: str, template: Any, reporters: Sequence[tuple[str, str]], client_ip: str | None = None,
    ) -> RegimeVersion:  # fmt: skip
        """A new regime, or a new version of one in force from `valid_from` (reports already opened keep theirs).
        Office admin over the receiving unit (and over the previous version's, when it changes)."""
        freq = frequency(frequency_name)
        check_cutoff_day(cutoff_day)
        if not 0 <= deadline_days <= 60:
            raise ReportingError(both("hạn gửi từ 0 đến 60 ngày sau ngày chốt", "the deadline is 0..60 days after"))
        parsed = template if isinstance(template, Template) else parse_template(template)
        if not reporters or len(reporters) > MAX_REPORTERS:
            raise ReportingError(
                both(f"cần từ 1 đến {MAX_REPORTERS} đơn vị báo cáo", f"1..{MAX_REPORTERS} reporting units are needed")
            )
        values = {
            "valid_from": valid_from, "frequency": freq.value, "cutoff_day": cutoff_day,
            "deadline_days": deadline_days, "deadline_working": bool(deadline_working),
            "name_vi": _text(name_vi, "tên chế độ báo cáo", "the regime's name (Vietnamese)", 300),
            "name_en": _text(name_en, "tên tiếng Anh", "the regime's name (English)", 300),
            "basis": _text(basis, "căn cứ pháp lý", "the legal basis", 300),
            "content": _text(content, "nội dung báo cáo", "the content", 4000, required=False),
            "template": parsed.model_dump(mode="json"), "created_by": principal.username,
        }  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            owner = self._unit(conn, owner_unit)
            gate.check(principal, access.DEFINE, Target.unit(owner[3]))
            pairs = self._reporters(conn, owner, reporters)
            existing = repo.lock_regime(conn, code)
            if existing is None:
                _check_code(code)
                regime_id = repo.insert_regime(conn, code, principal.username)
            else:
                regime_id = existing[0]
                for earlier in repo.versions(conn, code)[:1]:
                    gate.check(principal, access.DEFINE, Target.unit(earlier.owner_path))
                if repo.has_version_from(conn, regime_id, valid_from):
                    raise WrongState(
                        both(f"chế độ {code} đã có phiên bản hiệu lực từ {valid_from:%d/%m/%Y}",
                             f"regime {code} already has a version in force from {valid_from}")
                    )  # fmt: skip
            version = repo.next_version(conn, regime_id)
            version_id = repo.insert_version(
                conn, {**values, "regime_id": regime_id, "version": version, "owner_unit_id": owner[0]}, pairs
            )
            audit.record(
                conn, Actor.of(principal, client_ip), "reporting_regime.define", "reporting_regime", code,
                after={"version": version, "valid_from": valid_from.isoformat(), "frequency": freq.value,
                       "reporters": len(pairs), "indicators": len(parsed.indicators)},
                unit_path=owner[3],
            )  # fmt: skip
            found = repo.version_by_id(conn, version_id)
        assert found is not None
        return found

    def _unit(self, conn: psycopg.Connection, code: str) -> tuple[int, str, str, str]:
        found = repo.unit(conn, code)
        if found is None:
            raise UnknownUnit(code)
        return found

    def _reporters(
        self, conn: psycopg.Connection, owner: tuple[int, str, str, str], reporters: Sequence[tuple[str, str]]
    ) -> list[tuple[int, int]]:
        """(unit id, recipient id) pairs: each recipient above its reporter, both in the owner's subtree."""
        pairs, seen = [], set()
        for unit_code, recipient_code in reporters:
            u, r = self._unit(conn, unit_code), self._unit(conn, recipient_code)
            if u[0] in seen:
                raise ReportingError(both(f"đơn vị {u[1]} có tên hai lần", f"unit {u[1]} is named twice"))
            seen.add(u[0])
            if not (u[3].startswith(r[3]) and u[0] != r[0] and r[3].startswith(owner[3])):
                raise ReportingError(
                    both(f"{u[1]} chỉ báo cáo lên một đơn vị cấp trên của mình thuộc {owner[1]} (không phải {r[1]})",
                         f"{u[1]} reports to a unit above it within {owner[1]} (not {r[1]})")
                )  # fmt: skip
            pairs.append((u[0], r[0]))
        return pairs

    # --- opening reports (the job, or an admin now) -----------------------------------------------------

    def open_due(self) -> int:
        """Internal (the periodic job): open, for every active regime, the reports of its latest period whose
        cut-off has passed, for each reporting unit that has none yet. The number opened."""
        today = self.today()
        opened = 0
        with self.pool.connection() as conn:
            regimes = repo.active_regimes(conn)
        for regime_id, _ in regimes:
            with self.pool.connection() as conn:
                current = repo.version_in_force(conn, regime_id, today)
            if current is None:
                continue
            period = last_closed(current.frequency, today, current.cutoff_day)
            try:
                opened += self._open(regime_id, period, SYSTEM_ACTOR)
            except DomainError as exc:  # e.g. the frequency changed: that period belongs to no version
                log.warning("reporting: regime %s, period %s not opened: %s", current.code, period.key, exc)
        return opened

    def open_period(self, principal: Principal, code: str, period_key: str, client_ip: str | None = None) -> int:
        """Open the reports of one period now (its cut-off must have passed). Office admin over the receiving unit."""
        with self.pool.connection() as conn:
            found = repo.versions(conn, code)
        if not found:
            raise UnknownRegime(code)
        gate.check(principal, access.DEFINE, Target.unit(found[0].owner_path))
        period = parse_period(found[0].frequency, period_key)
        return self._open(found[0].regime_id, period, Actor.of(principal, client_ip))

    def _open(self, regime_id: int, period: Period, actor: Actor) -> int:
        return open_reports(self.pool, self.clock, self.today(), regime_id, period, actor)

    # --- reading ----------------------------------------------------------------------------------------

    def _may(self, principal: Principal, action: Any, report: Report) -> bool:
        return gate.allows_on(principal, action, Target.unit(report.unit_path)) or gate.allows_on(
            principal, action, Target.unit(report.recipient_path)
        )

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

    # --- filling and the workflow -------------------------------------------------------------------------

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

    def _locked(
        self, conn: psycopg.Connection, principal: Principal, report_id: int, action: Any, side: str
    ) -> tuple[Report, Template]:
        found = repo.report(conn, report_id, lock=True)
        if found is None or not self._may(principal, access.VIEW, found) and not self._may(principal, action, found):
            raise UnknownReport(report_id)
        gate.check(principal, action, Target.unit(found.unit_path if side == "unit" else found.recipient_path))
        version = repo.version_by_id(conn, found.version_id)
        assert version is not None
        return found, version.template

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

    # --- following up -------------------------------------------------------------------------------------

    def missing(self, principal: Principal, regime: str, period_key: str) -> list[Missing]:
        """Who has not submitted their report of a period (draft or returned), among the units the caller
        follows as the receiving unit."""
        gate.check(principal, access.FOLLOW)
        reach = gate.reach(principal, access.FOLLOW)
        with self.pool.connection() as conn:
            if not repo.versions(conn, regime):
                raise UnknownRegime(regime)
            found = repo.reports(
                conn, regime=regime, period_key=period_key, paths=None, status=[s.value for s in _OPEN]
            )
        today = self.today()
        return [
            Missing(r.id, r.unit_code, r.unit_name, r.recipient_code, r.status, r.deadline, r.late(today), r.reminders)
            for r in found
            if reach is None or any(r.recipient_path.startswith(p) for p in reach)
        ]

    def remind_late(self) -> int:
        """Internal (the periodic job): remind each late unit once a day (inbox and mail through
        hub.notifications); from the third reminder on the receiving unit's managers are told too."""
        from hub.reporting.notify import remind

        today = self.today()
        count = 0
        with self.pool.connection() as conn:
            late = repo.late_reports(conn, today)
        for r in late:
            with self.pool.connection() as conn, conn.transaction():
                if not repo.mark_reminded(conn, r.id, today):
                    continue
                repo.add_event(conn, r.id, SYSTEM_ACTOR.username, "reminded")
                remind(conn, r, escalate=r.reminders + 1 >= ESCALATE_FROM, today=today, config=self.notify_config)
                count += 1
        return count

    def consolidate(self, principal: Principal, regime: str, period_key: str, unit_code: str) -> Consolidation:
        """The consolidation of the reports sent to `unit_code` for a period, with the previous period and the
        same period a year before (hub.reporting.consolidation). Whoever sees the receiving unit's reports."""
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            gate.check(principal, access.VIEW, Target.unit(unit[3]))
            versions = repo.versions(conn, regime)
            if not versions:
                raise UnknownRegime(regime)
            period = parse_period(versions[0].frequency, period_key)

            def of(key: str) -> tuple[list[Report], dict[int, dict[str, Any]], Template | None]:
                found = [
                    r for r in repo.reports(conn, regime=regime, period_key=key, paths=[unit[3]], limit=5000)
                    if r.recipient_code == unit[1]
                ]  # fmt: skip
                if not found:
                    return [], {}, None
                version = repo.version_by_id(conn, found[0].version_id)
                return found, repo.values_of(conn, [r.id for r in found]), version.template if version else None

            found, values, template = of(period.key)
            earlier = {}
            for name, key in (("previous", period.previous().key), ("last_year", f"{period.year - 1}{period.key[4:]}")):
                rs, vs, t = of(key)
                sent = [vs[r.id] for r in rs if r.status in SENT]
                earlier[name] = combine(t, sent)[0] if t is not None and sent else {}
        if template is None:
            return Consolidation(
                regime, period.key, unit[1], None, (), {}, {}, earlier["previous"], earlier["last_year"]
            )
        parts = parts_of(found, values, template)
        summed, totals = combine(template, [values[r.id] for r in found if r.status in SENT])
        return Consolidation(
            regime,
            period.key,
            unit[1],
            template,
            parts,
            summed,
            totals,
            earlier["previous"],
            earlier["last_year"],
            found[0].version_id,
        )

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

    # --- attachments (issue 18 item 2) ----------------------------------------------------------------------

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

    # --- exports (issue 18 item 4) --------------------------------------------------------------------------

    def export_consolidated(
        self, principal: Principal, regime: str, period_key: str, unit_code: str, fmt: str
    ) -> ExportFile:
        """The consolidated report of `unit_code` as DOCX, XLSX or PDF (hub.reporting.export, .render), under
        the unit's official heading. Whoever sees the consolidation."""
        kind = export_format(fmt)
        c = self.consolidate(principal, regime, period_key, unit_code)
        if c.template is None or c.version_id is None:
            raise NothingToExport(
                both(f"chưa có báo cáo nào của kỳ {c.period_key} gửi đến {unit_code}",
                     f"no report of period {c.period_key} is addressed to {unit_code}")
            )  # fmt: skip
        with self.pool.connection() as conn:
            version = repo.version_by_id(conn, c.version_id)
            unit = self._unit(conn, unit_code)
            head = self._heading(conn, unit[1], unit[3])
        assert version is not None
        period = parse_period(version.frequency, c.period_key)
        return render(consolidated_sheet(c, version, period, head, unit[2]), kind)

    def export_report(self, principal: Principal, report_id: int, fmt: str) -> ExportFile:
        """One unit's report as DOCX, XLSX or PDF, under the reporting unit's heading. Whoever sees the report."""
        kind = export_format(fmt)
        filled = self.report(principal, report_id)
        r = filled.report
        with self.pool.connection() as conn:
            version = repo.version_by_id(conn, r.version_id)
            head = self._heading(conn, r.unit_code, r.unit_path)
        assert version is not None
        period = parse_period(version.frequency, r.period_key)
        sheet = report_sheet(r, filled.template, filled.values, filled.totals, version, period, head)
        return render(sheet, kind)

    def _heading(self, conn: psycopg.Connection, unit_code: str, unit_path: str) -> OfficialHeading:
        notation, place = repo.issuer(conn, unit_code)
        return heading(repo.unit_names(conn, unit_path), notation, place, self.today())


def export_format(value: str) -> Format:
    try:
        return Format(value)
    except ValueError:
        raise ReportingError(
            both(
                f"định dạng {value!r} không hỗ trợ (docx, xlsx, pdf)",
                f"format {value!r} is not offered (docx, xlsx, pdf)",
            )  # fmt: skip
        ) from None


def _filled(report: Report, template: Template) -> Filled:
    raw = {code: v.value for code, v in report.values.items()}
    computed = compute(template, raw)
    totals = computed.pop("__totals__")
    return Filled(report, template, computed, totals)


def _check_code(code: str) -> None:
    import re

    if not re.match(r"^[a-z][a-z0-9_-]{0,39}$", code or ""):
        raise ReportingError(
            both(f"mã chế độ báo cáo không hợp lệ: {code!r} (a-z, 0-9, _ -)", f"invalid regime code: {code!r}")
        )


__all__ = ["Filled", "ReportingService", "TemplateError"]

"""What the receiving unit does with the reports: who has not submitted, reminders and escalation of late
units (the job), the consolidation up the unit tree and its exports (DOCX, XLSX, PDF)."""

from __future__ import annotations

from typing import Any

from hub.access import Target, gate
from hub.accounts.audit import SYSTEM_ACTOR
from hub.accounts.principal import Principal
from hub.reporting import access
from hub.reporting import repository as repo
from hub.reporting.consolidation import SENT, Consolidation, combine, parts_of
from hub.reporting.core import _OPEN, ESCALATE_FROM, ReportingCore, export_format
from hub.reporting.export import consolidated_sheet, report_sheet
from hub.reporting.models import (
    Missing,
    NothingToExport,
    Report,
    UnknownRegime,
    both,
)
from hub.reporting.periods import parse_period
from hub.reporting.render import render
from hub.reporting.template import Template
from hub.reports.documents import ExportFile


class ReportingFollowing(ReportingCore):
    """Following up, consolidation and exports."""

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

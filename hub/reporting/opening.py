"""Opening a period's reports (issue 18 item 2): for each reporting unit of the regime version in force the day
after the period's cut-off, one report (a unique key: whichever process opens it first), its deadline counted
on the work calendar, and its indicators bound to CCES data pre-filled (hub.reporting.prefill), the figure kept
as `prefilled` beside the value a unit may correct with a note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts.audit import Actor
from hub.reporting import repository as repo
from hub.reporting.models import RegimeVersion, ReportingError, WrongState, both
from hub.reporting.periods import Period
from hub.reporting.prefill import figures
from hub.timekeeping.service import load_calendar


def open_reports(
    pool: ConnectionPool, clock: Callable[[], datetime], today: date, regime_id: int, period: Period, actor: Actor
) -> int:
    """Open the period's reports for each reporting unit that has none (the number opened)."""
    opened = 0
    with pool.connection() as conn:
        # the version in force the day the period opens; periods of another frequency than it are not its
        probe = repo.version_in_force(conn, regime_id, today)
        if probe is None:
            return 0
        first, last = period.cutoff(probe.cutoff_day)
        version = repo.version_in_force(conn, regime_id, last + timedelta(days=1))
        if version is None or version.frequency is not period.frequency:
            raise ReportingError(both(f"chế độ không có kỳ {period.key}", f"the regime has no period {period.key}"))
        first, last = period.cutoff(version.cutoff_day)
        if last >= today:
            raise WrongState(
                both(f"kỳ {period.key} chưa đến ngày chốt số liệu ({last:%d/%m/%Y})",
                     f"period {period.key} is not cut off yet ({last})")
            )  # fmt: skip
        deadline = deadline_of(conn, last, version)
        units = {u[1]: u for u in (repo.unit(conn, c) for r in version.reporters for c in (r.unit_code,)) if u}
        recipients = {r.recipient_code: repo.unit(conn, r.recipient_code) for r in version.reporters}
    bindings = {i.source for i in version.template.indicators if i.source is not None}
    for reporter in version.reporters:
        unit, recipient = units.get(reporter.unit_code), recipients.get(reporter.recipient_code)
        if unit is None or recipient is None:
            continue  # closed or merged since the version was saved
        with pool.connection() as conn, conn.transaction():
            report_id = repo.insert_report(conn, {
                "regime_id": regime_id, "version_id": version.id, "period_key": period.key, "period_start": first,
                "period_end": last, "unit_id": unit[0], "recipient_unit_id": recipient[0], "deadline": deadline,
            })  # fmt: skip
            if report_id is None:
                continue
            got = figures(conn, bindings, unit[3], first, last, clock()) if bindings else {}
            repo.put_values(conn, report_id, [
                {"code": i.code, "value": got.get(i.source), "prefilled": got.get(i.source),
                 "source": i.source.value, "updated_by": actor.username}
                for i in version.template.indicators if i.source is not None
            ])  # fmt: skip
            repo.add_event(conn, report_id, actor.username, "opened")
            opened += 1
    return opened


def deadline_of(conn: psycopg.Connection, last: date, version: RegimeVersion) -> date:
    """The last day to submit: `deadline_days` (working or calendar) days after the cut-off."""
    if not version.deadline_working:
        return last + timedelta(days=max(version.deadline_days, 1))
    calendar = load_calendar(conn)
    day, left = last, max(version.deadline_days, 1)
    while left:
        day += timedelta(days=1)
        left -= 1 if calendar.is_working_day(day) else 0
    return day

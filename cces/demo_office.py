"""The demo's office work (issue 18, issue 13 item 6): what `cces demo` adds after its organisation and attendance
(cces.demo_seed) so that the leadership screen and the leave, documents, meetings, assets and reporting pages of a
fresh demo show a living office — and only the demo calls this.

- accounts: the heads of the Cục, the Chi cục and a few teams (`ld-<unit>`, manager of their unit, linked to their
  employee; the password is the report's), so that leave requests wait in a manager's inbox, documents are
  assigned by a leader and finished by the lead unit, meetings have a chair, reports are submitted;
- leave: a dozen requests — some approved covering today, some waiting for the manager, one rejected;
- documents: incoming documents registered over the last four weeks in the units with a seal, most assigned by
  the unit's leader to a lead unit with a deadline (some done, some overdue), and outgoing documents released
  (those to other units arrive in their incoming registers);
- meetings: rooms in the two offices, three meetings today (one running now, with its agenda and people checked
  in), a few in the coming days, and one held last week whose conclusion tasks run (one overdue, one done);
- assets: locations, 150 computers with their custodians (the only category loaded so far is the annex's
  computers row: the others come from the official text, hub.assets), two under repair, one lent, a transfer
  waiting and a check-out not returned by its day (an asset alert);
- reporting: a monthly regime (Chi cục → Cục) with indicators bound to CCES data; the last two periods' reports
  opened, some submitted, one late.

Everything goes through the domains' services (audited as 'demo' or as the seeded leaders), on a clock moved to
the moment each thing happened (a document registered three weeks ago is registered "then"). Idempotent: each
part is recorded in the demo marker (`demo_seed.summary['office']`) when done, and a part done is never redone.
Deterministic: random.Random with fixed seeds; the dates are relative to the first run's day.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cces.demo_office_context import Clock, Ctx
from cces.demo_office_parts import seed_accounts, seed_assets, seed_documents, seed_leave, seed_meetings, seed_reporting
from cces.demo_seed import VERSION
from hub.accounts.credentials import generate_password
from hub.localtime import LOCAL_TZ
from hub.org import repository as org_repo
from hub.services import HubServices

log = logging.getLogger(__name__)

KEY = "office"  # the demo marker's entry (its parts, as they are done)


@dataclass
class OfficeReport:
    added: dict[str, int] = field(default_factory=dict)  # part → records added by this run
    password: str | None = None  # the leaders' accounts' password, when this run made them
    failed: dict[str, str] = field(default_factory=dict)  # part → why (not recorded as done: the next run retries)


PARTS: tuple[tuple[str, Callable[[Ctx], int]], ...] = (
    ("accounts", seed_accounts), ("leave", seed_leave), ("documents", seed_documents), ("meetings", seed_meetings),
    ("assets", seed_assets), ("reporting", seed_reporting),
)  # fmt: skip


def seed_office(services: HubServices, now: datetime | None = None) -> OfficeReport:
    """Seed the demo's office work once, part by part (see the module); a part already done is left alone."""
    now = now or services.now()
    clock = Clock(now)
    hub = HubServices(
        services.pool, None, clock=clock, asset_policy=services.assets.policy,
        notify_config=services.reporting.notify_config,
    )  # fmt: skip
    ctx = Ctx(hub, clock, now, now.astimezone(LOCAL_TZ).date(), generate_password())
    report = OfficeReport()
    with services.pool.connection() as conn:
        done = dict(org_repo.demo_summary(conn).get(KEY) or {})
    for name, part in PARTS:
        if name in done:
            continue
        try:
            report.added[name] = part(ctx)
        except Exception as exc:  # noqa: BLE001 - the demo starts anyway; the part is retried by the next run
            log.exception("demo: the office work's part %r failed", name)
            report.failed[name] = str(exc)
            ctx.at(now)
            continue
        if name == "accounts" and report.added[name]:
            report.password = ctx.password
        done[name] = report.added[name]
        with services.pool.connection() as conn, conn.transaction():
            org_repo.mark_demo(conn, VERSION, {KEY: done})
        ctx.at(now)
    return report

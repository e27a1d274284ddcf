"""The leave service: requests, approval chains with backups and escalation, balances, the team
calendar, HR adjustments and the year-end close. Transactions, access and audit live here.

- A request is counted on the working calendar (hub.leave.days) and refused — nothing written — when
  it overlaps another pending or approved request, exceeds the balance of a type that deducts it
  (unless the type allows it), starts in a closed year, or breaks the type's limits.
- Its steps come from the most specific `leave_approval_chains` row: level 0 is a manager of the
  person's own unit, 1 of its parent, … (a level with no manager, or the person themself, moves
  up). An approver with a backup named for today (`leave_delegations`), or on approved leave
  today, is replaced by the backup, or else by the next level up.
- A step waiting longer than the chain's working hours is escalated by the `leave.escalate` job.
- Approved requests are what timekeeping reads (the `approved_absences` view): the symbol of the
  type (P, Ô, TS, R, KL, H, CT) lands in the timesheet.
- Every change is audited in its own transaction; notifications go through `notifier` (the
  shared notification service when it is wired, else nothing).
"""

from __future__ import annotations

from hub.leave.core import MAX_ATTACHMENT_BYTES, Attachment, Notifier, Preview
from hub.leave.deciding import LeaveDeciding
from hub.leave.hours import LOCAL, WORK_PERIODS, add_working_hours, load_calendar
from hub.leave.reading import LeaveReading
from hub.leave.team import LeaveTeam
from hub.leave.year import LeaveYear

__all__ = [
    "LOCAL",
    "MAX_ATTACHMENT_BYTES",
    "WORK_PERIODS",
    "Attachment",
    "LeaveService",
    "Notifier",
    "Preview",
    "add_working_hours",
    "load_calendar",
]


class LeaveService(LeaveDeciding, LeaveReading, LeaveYear, LeaveTeam):
    """The whole leave service, one part per job (one module each):

    - `hub.leave.core` — the pool, clock, notifier; finding people, types and requests; balances;
    - `hub.leave.reading` — types, balances, requests, the inbox, the preview;
    - `hub.leave.asking` — the checks and the request (`submit`);
    - `hub.leave.chain` — approvers, backups, the end of the chain, escalation;
    - `hub.leave.deciding` — approve / reject / return, override, cancel, change;
    - `hub.leave.year` — HR adjustments, opening balances, the year-end close;
    - `hub.leave.team` — the team calendar, reports, check-ins on leave days.
    """

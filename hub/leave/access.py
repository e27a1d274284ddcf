"""Who may do what with leave, declared once; hub.leave.service enforces it, the route guard reads it.

| action | who (besides system admin) |
|---|---|
| see own balance, requests; ask for leave | the employee themself |
| ask for leave on someone's behalf, see their balance and requests | manager or HR over their unit |
| approve / reject / return a request | the current step's approver, or their backup |
| override a decision (with a reason) | HR over the employee's unit |
| cancel | the employee (before the leave starts), manager or HR over their unit |
| name a backup approver | the approver themself, or HR |
| the team calendar of a unit | its own staff; manager, HR or office admin over it |
| HR adjustments, opening balances, year-end close, check-in-on-leave report | HR (year close: HR at the top) |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

VIEWERS = (Role.MANAGER, Role.HR)  # a unit's requests and balances
ON_BEHALF = (Role.MANAGER, Role.HR)  # ask for / cancel someone else's leave
HR = (Role.HR,)  # adjustments, overrides, year close, reports
CALENDAR_VIEWERS = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)  # the team calendar of units they reach

# the rule book (hub.access): the route guard lets through what these allow; the service checks the
# person, the unit or the approval step (hub.leave.service)
REQUEST = Action(
    "leave.request", "xin nghỉ phép", "ask for leave", roles=ON_BEHALF, scope=Scope.OWN,
    note="self, or manager/HR over the employee's unit",
)  # fmt: skip
VIEW = Action(
    "leave.view", "xem đơn và số ngày phép", "see leave requests and balances", roles=VIEWERS, scope=Scope.OWN,
    note="self, its approvers, or manager/HR over the employee's unit",
)  # fmt: skip
DECIDE = Action(
    "leave.decide", "duyệt, từ chối, trả lại đơn nghỉ", "approve, reject or return a leave request", roles=None,
    scope=Scope.OWN, note="the current step's approver or their backup",
)  # fmt: skip
OVERRIDE = Action(
    "leave.override", "quyết định thay đơn nghỉ", "override a leave decision", roles=HR, scope=Scope.UNIT,
    note="HR over the employee's unit, with a reason",
)  # fmt: skip
CANCEL = Action(
    "leave.cancel", "hủy đơn nghỉ", "cancel a leave request", roles=ON_BEHALF, scope=Scope.OWN,
    note="self before the leave starts, or manager/HR over the employee's unit",
)  # fmt: skip
DELEGATE = Action(
    "leave.delegate", "ủy quyền duyệt đơn", "name a backup approver", roles=HR, scope=Scope.OWN,
    note="the approver themself, or HR",
)  # fmt: skip
TEAM_CALENDAR = Action(
    "leave.team_calendar", "xem lịch nghỉ của đơn vị", "see the team calendar", roles=CALENDAR_VIEWERS,
    scope=Scope.OWN, note="the unit's own staff, or manager/HR/office admin over it",
)  # fmt: skip
ADJUST = Action(
    "leave.adjust", "điều chỉnh số ngày phép", "adjust leave balances", roles=HR, scope=Scope.UNIT,
    note="HR over the employee's unit",
)  # fmt: skip
YEAR_CLOSE = Action(
    "leave.year_close", "khóa sổ phép cuối năm", "close the leave year", roles=HR, scope=Scope.ADMINISTRATION,
    note="HR on the top unit",
)  # fmt: skip

REPORT = Action(
    "leave.report", "xuất báo cáo nghỉ phép của đơn vị", "export a unit's leave reports", roles=VIEWERS,
    scope=Scope.UNIT, note="manager or HR over that unit",
)  # fmt: skip

CHECKINS_ON_LEAVE = Action(
    "leave.checkins_on_leave", "đối chiếu chấm công ngày nghỉ", "see check-ins on leave days", roles=HR,
    scope=Scope.UNIT, note="HR over that unit",
)  # fmt: skip

ACTIONS = (
    REQUEST, VIEW, DECIDE, OVERRIDE, CANCEL, DELEGATE, TEAM_CALENDAR, ADJUST, YEAR_CLOSE, REPORT, CHECKINS_ON_LEAVE,
)  # fmt: skip

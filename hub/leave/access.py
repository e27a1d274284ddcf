"""Who may do what with leave, declared once; hub.leave.service enforces it, the API table repeats it.

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

from hub.accounts.principal import Role

VIEWERS = (Role.MANAGER, Role.HR)  # a unit's requests and balances
ON_BEHALF = (Role.MANAGER, Role.HR)  # ask for / cancel someone else's leave
HR = (Role.HR,)  # adjustments, overrides, year close, reports
CALENDAR_VIEWERS = (Role.MANAGER, Role.HR, Role.OFFICE_ADMIN)  # the team calendar of units they reach

#: the actions of this domain as the rule book (hub.access, when it lands) will list them:
#: action → (roles beyond the person themself / the step's approver, scope)
ACTIONS: dict[str, tuple[tuple[Role, ...], str]] = {
    "leave.request": (ON_BEHALF, "self, or over the employee's unit"),
    "leave.view": (VIEWERS, "self, or over the employee's unit"),
    "leave.decide": ((), "the current step's approver or their backup"),
    "leave.override": (HR, "over the employee's unit"),
    "leave.cancel": (ON_BEHALF, "self before the leave starts, or over the employee's unit"),
    "leave.delegate": (HR, "the approver themself, or HR"),
    "leave.team_calendar": (CALENDAR_VIEWERS, "the unit's own staff, or over the unit"),
    "leave.adjust": (HR, "over the employee's unit"),
    "leave.year_close": (HR, "HR on the top unit"),
}

#: the API's routes under /api/v1/leave → (roles the route needs, or None: anyone signed in; the scope)
ROUTES: tuple[tuple[str, str, tuple[Role, ...] | None, str], ...] = (
    ("GET", "/balances/{employee_code}/{year}", None, "self, or manager/HR over the employee's unit"),
    ("POST", "/requests", None, "self, or manager/HR over the employee's unit"),
    ("GET", "/preview", None, "self, or manager/HR over the employee's unit"),
    ("GET", "/requests/{request_id}", None, "self, its approvers, or manager/HR over the unit"),
    ("GET", "/employees/{employee_code}/requests", None, "self, or manager/HR over the employee's unit"),
    ("GET", "/inbox", None, "the caller's own waiting steps"),
    ("POST", "/requests/{request_id}/approve", None, "the current step's approver or backup"),
    ("POST", "/requests/{request_id}/reject", None, "the current step's approver or backup"),
    ("POST", "/requests/{request_id}/return", None, "the current step's approver or backup"),
    ("POST", "/requests/{request_id}/cancel", None, "self before the start, or manager/HR over the unit"),
    ("POST", "/requests/{request_id}/override", HR, "HR over the employee's unit"),
    ("POST", "/delegations", None, "the approver themself, or HR"),
    ("GET", "/calendar/{unit_code}/{period}", None, "the unit's own staff, or manager/HR/office admin over it"),
    ("POST", "/adjustments", HR, "HR over the employee's unit"),
    ("POST", "/opening-balances/{year}", HR, "HR: every row's employee in their units"),
    ("POST", "/years/{year}/close", HR, "HR on the top unit"),
    ("GET", "/reports/{unit_code}/{year}/{report}.{fmt}", VIEWERS, "manager or HR over that unit"),
    ("GET", "/checkins-on-leave/{unit_code}/{period}", HR, "HR over that unit"),
)

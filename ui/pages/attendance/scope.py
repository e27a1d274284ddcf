"""Who reads and corrects attendance, and the units a principal may open.

Every attendance page checks the signed-in principal against the unit of what it shows before it
loads anything: an employee opens only their own month, a manager or HR officer only the units
(and sub-units) they are granted. The dashboard and the reports use the same rules.
"""

from __future__ import annotations

from hub.access import Action, Target, gate
from hub.accounts.principal import Role
from hub.people.models import OrgUnit
from hub.people.service import UnknownUnit
from hub.timekeeping import access as timekeeping_access
from hub.timekeeping.engine import DayStatus
from ui.components.states import show_problem
from ui.components.units import top_units
from ui.i18n import N_
from ui.shell import PageContext, forbidden

NO_UNIT = N_("Không tìm thấy đơn vị")

#: who reads a unit's attendance (a system admin reads every unit)
READERS: tuple[Role, ...] = tuple(timekeeping_access.VIEW_UNIT.roles or ())  # the rule book's
#: who may correct a day of someone in their unit
CORRECTORS: tuple[Role, ...] = tuple(timekeeping_access.CORRECT.roles or ())
#: statuses a correction may set (the calendar and the clock decide the others)
CORRECTABLE: tuple[DayStatus, ...] = (
    DayStatus.PRESENT,
    DayStatus.LATE,
    DayStatus.LEFT_EARLY,
    DayStatus.MISSING_CHECKIN,
    DayStatus.MISSING_CHECKOUT,
    DayStatus.ABSENT,
    DayStatus.ON_LEAVE,
    DayStatus.BUSINESS_TRIP,
)


def units_in_scope(ctx: PageContext, action: Action = timekeeping_access.VIEW_UNIT) -> list[OrgUnit]:
    """The units (with their sub-units) where this principal may do `action` (read attendance), in tree order."""
    return ctx.services.people.units(ctx.principal, action)


def top_units_in_scope(ctx: PageContext, action: Action = timekeeping_access.VIEW_UNIT) -> list[OrgUnit]:
    """The highest units of the scope (a grant's own unit, not each of its sub-units)."""
    return top_units(units_in_scope(ctx, action))


def require_unit(ctx: PageContext, unit_code: str) -> OrgUnit | None:
    """The unit when this principal may read it; otherwise shows why not and returns None."""
    try:
        unit = ctx.services.people.unit(ctx.principal, unit_code)
    except UnknownUnit:
        show_problem(f"{ctx.t(NO_UNIT)}: {unit_code}")
        return None
    if not gate.allows_on(ctx.principal, timekeeping_access.VIEW_UNIT, Target.unit(unit.path)):
        forbidden(ctx)  # the rule book's answer, as the API's unit day and timesheet give it
        return None
    return unit

"""Who may do what with timekeeping (chấm công): the domain's actions, declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import CALENDAR_EDITORS, CORRECTORS, TIMEKEEPING_VIEWERS

VIEW_CALENDAR = Action("timekeeping.view_calendar", "xem lịch nghỉ lễ", "see the holiday calendar", roles=None)
VIEW_PERSON = Action(
    "timekeeping.view_person", "xem chấm công", "see attendance", roles=TIMEKEEPING_VIEWERS, scope=Scope.OWN,
    note="the person themself; manager or HR over the person's unit",
)  # fmt: skip
VIEW_UNIT = Action(
    "timekeeping.view_unit", "xem chấm công của đơn vị", "see a unit's attendance", roles=TIMEKEEPING_VIEWERS,
    scope=Scope.UNIT,
)  # fmt: skip
CORRECT = Action(
    "timekeeping.correct", "điều chỉnh chấm công", "correct attendance", roles=CORRECTORS, scope=Scope.UNIT,
    others_only=True,
    own_refusal="Không thể tự điều chỉnh chấm công của chính mình / You cannot correct your own attendance",
)  # fmt: skip
EDIT_CALENDAR = Action(
    "timekeeping.edit_calendar", "sửa lịch nghỉ lễ, nghỉ bù", "edit the holiday calendar", roles=CALENDAR_EDITORS,
    scope=Scope.ADMINISTRATION,
)  # fmt: skip

ACTIONS = (VIEW_CALENDAR, VIEW_PERSON, VIEW_UNIT, CORRECT, EDIT_CALENDAR)

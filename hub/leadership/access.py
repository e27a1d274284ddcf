"""Who may open the leadership screen (thông tin lãnh đạo quan tâm), declared once (the rule book, hub.access);
hub.leadership.service checks the unit asked for, the route guard and the page read the same declaration.

| action | who (besides system admin) |
|---|---|
| leadership.view: a unit subtree's overview and the records behind its figures | manager (lãnh đạo) over it |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

LEADERS = (Role.MANAGER,)

VIEW = Action(
    "leadership.view", "xem thông tin lãnh đạo quan tâm", "see the leadership overview", roles=LEADERS,
    scope=Scope.UNIT, note="manager over the unit: its subtree, down to the records behind each figure",
)  # fmt: skip

ACTIONS = (VIEW,)

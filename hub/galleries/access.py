"""Who may do what with the offices (trụ sở) and their face galleries, declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import DEVICE_ADMINS

VIEW = Action("offices.view", "xem trụ sở", "view offices", roles=DEVICE_ADMINS, scope=Scope.OFFICE)
ASSIGN_UNITS = Action(
    "offices.assign_units", "đổi đơn vị của trụ sở", "change an office's units", roles=(),
    note="the map decides device scope: a system admin's alone",
)  # fmt: skip

ACTIONS = (VIEW, ASSIGN_UNITS)

"""Who may make and revoke the links of the door and room screens (màn hình), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import DEVICE_ADMINS

MANAGE_LINKS = Action(
    "kiosk.manage_links", "quản lý liên kết màn hình", "manage screen links", roles=DEVICE_ADMINS,
    scope=Scope.OFFICE, note="door screens: of their offices' devices",
)  # fmt: skip
SHOW = Action(
    "kiosk.show", "hiển thị màn hình cửa, phòng họp", "show a door or room screen", public=True,
    note="authorised by the screen's link key",
)  # fmt: skip

ACTIONS = (MANAGE_LINKS, SHOW)

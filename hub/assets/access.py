"""Who may do what with assets (tài sản), declared once (hub.access); hub.assets.service checks the unit.

| action | who (besides system admin) |
|---|---|
| assets.view: search, an asset, its history and wear, the wear table | asset officer or manager over its unit |
| assets.edit: create, update, import | asset officer over the asset's unit (a move: over both units) |
| assets.locations: create offices, buildings, floors, rooms | asset officer over the office's unit |
| assets.categories: load the legal rates | system admin only |
| assets.categories_view | anyone signed in |
| assets.move: check out, return; request a transfer, repair, loan, liquidation | asset officer over its unit |
| assets.approve_move: decide a request (never one's own) | manager or asset officer over its unit (a transfer: both) |
| assets.inventory: start a session, add reads, resolve differences, close | asset officer over the location's unit |
| assets.readers: map fixed readers to rooms, configure door portals | asset officer over the location's unit |
| assets.alerts: see door portal alerts live, acknowledge them | asset officer or manager over the portal's unit |

`cces rfid …` works with the machine operator's authority."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

VIEWERS = (Role.ASSET_OFFICER, Role.MANAGER)
EDITORS = (Role.ASSET_OFFICER,)

VIEW = Action(
    "assets.view", "xem tài sản", "see assets", roles=VIEWERS, scope=Scope.UNIT,
    note="over the asset's unit; lists filtered to their units",
)  # fmt: skip
EDIT = Action(
    "assets.edit", "sửa tài sản", "change assets", roles=EDITORS, scope=Scope.UNIT,
    note="over the asset's unit (a move: both units); an import: every row's unit",
)  # fmt: skip
LOCATIONS = Action(
    "assets.locations", "sửa vị trí tài sản", "change asset locations", roles=EDITORS, scope=Scope.UNIT,
    note="over the office's unit",
)  # fmt: skip
CATEGORIES = Action(
    "assets.categories", "sửa danh mục loại tài sản", "change asset categories", roles=(),
    scope=Scope.ADMINISTRATION, note="the legal rates of TT 23/2023 Appendix I",
)  # fmt: skip
CATEGORIES_VIEW = Action(
    "assets.categories_view", "xem danh mục loại tài sản", "see asset categories", roles=None, scope=Scope.UNIT,
)  # fmt: skip

MOVE = Action(
    "assets.move", "ghi cấp phát, điều chuyển tài sản", "record asset movements", roles=EDITORS, scope=Scope.UNIT,
    note="over the asset's unit: check-out and return at once; transfer, repair, loan, liquidation as requests",
)  # fmt: skip
APPROVE_MOVE = Action(
    "assets.approve_move", "duyệt điều chuyển, sửa chữa, cho mượn, thanh lý tài sản", "approve asset movements",
    roles=VIEWERS, scope=Scope.UNIT,
    note="over the asset's unit (a transfer to another unit: both); never one's own request",
)  # fmt: skip

INVENTORY = Action(
    "assets.inventory", "kiểm kê tài sản", "take inventory of assets", roles=EDITORS, scope=Scope.UNIT,
    note="over the session's location's unit (the whole administration: system admin); reads, resolutions, closing",
)  # fmt: skip
READERS = Action(
    "assets.readers", "cấu hình đầu đọc RFID, cổng kiểm soát", "configure RFID readers and door portals",
    roles=EDITORS, scope=Scope.UNIT, note="over the room's or exit's unit",
)  # fmt: skip
ALERTS = Action(
    "assets.alerts", "xem, xử lý cảnh báo cổng kiểm soát", "see and handle door portal alerts", roles=VIEWERS,
    scope=Scope.UNIT, note="over the portal's unit",
)  # fmt: skip

ACTIONS = (VIEW, EDIT, LOCATIONS, CATEGORIES, CATEGORIES_VIEW, MOVE, APPROVE_MOVE, INVENTORY, READERS, ALERTS)

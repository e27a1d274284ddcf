"""Who may do what with the organisation (cơ cấu tổ chức), declared once (hub.access).

hub.org.service checks the unit: an office admin works strictly below the unit of their grant
(creating and importing: under a unit of their subtree); a system admin everywhere."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

ORG_EDITORS: tuple[Role, ...] = (Role.OFFICE_ADMIN,)

VIEW = Action(
    "org.view", "xem đơn vị", "see units", roles=None, scope=Scope.UNIT,
    note="own unit and the subtrees of their grants",
)  # fmt: skip
CREATE = Action(
    "org.create", "tạo đơn vị", "create a unit", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="under a unit of their subtree",
)  # fmt: skip
RENAME = Action(
    "org.rename", "đổi tên đơn vị", "rename a unit", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="units strictly below their grant's unit",
)  # fmt: skip
MOVE = Action(
    "org.move", "chuyển đơn vị", "move a unit", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="units strictly below their grant's unit, to a parent inside it",
)  # fmt: skip
MERGE = Action(
    "org.merge", "sáp nhập đơn vị", "merge units", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="both units strictly below their grant's unit",
)  # fmt: skip
CLOSE = Action(
    "org.close", "giải thể đơn vị", "close a unit", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="units strictly below their grant's unit",
)  # fmt: skip
IMPORT = Action(
    "org.import", "nhập danh sách đơn vị", "import units", roles=ORG_EDITORS, scope=Scope.UNIT,
    note="each row's parent inside their subtree",
)  # fmt: skip

ACTIONS = (VIEW, CREATE, RENAME, MOVE, MERGE, CLOSE, IMPORT)

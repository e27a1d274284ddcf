"""Who may do what with the organisation and its people (đơn vị, cán bộ), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import PEOPLE_IMPORTERS, PEOPLE_VIEWERS
from hub.accounts.principal import Role

VIEW_ORG = Action(
    "people.view_org", "xem cơ cấu tổ chức", "see the org tree", roles=None, scope=Scope.UNIT,
    note="their own unit and the subtrees of their grants",
)  # fmt: skip
VIEW_PERSON = Action(
    "people.view_person", "xem hồ sơ cán bộ", "see a person's record",
    roles=(Role.MANAGER, Role.HR, Role.OFFICE_ADMIN), scope=Scope.OWN,
)  # fmt: skip
LIST = Action("people.list", "xem danh sách cán bộ", "see the staff list", roles=PEOPLE_VIEWERS, scope=Scope.UNIT)
IMPORT = Action(
    "people.import", "nhập danh sách cán bộ", "import employees", roles=PEOPLE_IMPORTERS, scope=Scope.UNIT,
    note="every row's unit must be theirs",
)  # fmt: skip

ACTIONS = (VIEW_ORG, VIEW_PERSON, LIST, IMPORT)

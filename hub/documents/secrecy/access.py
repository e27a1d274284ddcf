"""Who may set clearances and grant secret documents (the rule book, hub.access).

| action | who |
|---|---|
| set an account's clearance (mật, tối mật, tuyệt mật) | system admin |
| grant a secret document to another cleared account, withdraw it | a cleared lãnh đạo over its unit |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

LEADERS = (Role.MANAGER,)

SET_CLEARANCE = Action(
    "documents.set_clearance", "cấp, thu hồi quyền tiếp cận văn bản mật", "set security clearances", roles=(),
    scope=Scope.ADMINISTRATION, note="system admin; audited",
)  # fmt: skip
GRANT_SECRET = Action(
    "documents.grant_secret", "cho phép người khác xem văn bản mật", "grant a secret document to someone",
    roles=LEADERS, scope=Scope.UNIT,
    note="lãnh đạo over the registering unit, cleared for the document's level; the grantee must be cleared too",
)  # fmt: skip

ACTIONS = (SET_CLEARANCE, GRANT_SECRET)

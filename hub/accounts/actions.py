"""Who may do what with accounts, sessions and the audit log, declared once (hub.access).

(The accounts domain's `access` module holds the role checks every domain's rules build on, so its
own actions are declared here.)"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import AUDIT_READERS, USER_ADMINS

SIGN_IN = Action("accounts.sign_in", "đăng nhập", "sign in", public=True, note="the password is the proof")
OWN_SESSION = Action(
    "accounts.own_session", "xem, đổi phiên và mật khẩu của mình", "see or change one's own session and password",
    roles=None, scope=Scope.OWN,
)  # fmt: skip
MANAGE_USERS = Action(
    "accounts.manage_users", "quản lý tài khoản", "manage accounts", roles=USER_ADMINS, scope=Scope.UNIT,
    note="office admin: non-admin accounts wholly in their units",
)  # fmt: skip
READ_AUDIT = Action(
    "audit.read", "xem nhật ký", "read the audit log", roles=AUDIT_READERS, scope=Scope.UNIT,
    note="office admin: the rows about their units",
)  # fmt: skip

ACTIONS = (SIGN_IN, OWN_SESSION, MANAGE_USERS)
AUDIT_ACTIONS = (READ_AUDIT,)

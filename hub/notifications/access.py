"""Who may do what with notifications (thông báo), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope

OWN_INBOX = Action(
    "notifications.own", "xem, đánh dấu thông báo và chọn cách nhận", "read one's notifications and choices",
    roles=None, scope=Scope.OWN, note="their own inbox and preferences",
)  # fmt: skip
MAIL = Action(
    "notifications.mail", "xem, gửi lại thư thông báo", "see and resend notification mail", roles=(),
    note="the outbox spans everyone",
)  # fmt: skip
ACTION_LINK = Action(
    "notifications.action_link", "dùng liên kết trong thư", "use a mail's action link", public=True,
    note="the signed single-use token is the authority",
)  # fmt: skip

ACTIONS = (OWN_INBOX, MAIL, ACTION_LINK)

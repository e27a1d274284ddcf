"""Who may see and run backups (sao lưu), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action

VIEW = Action(
    "backup.view", "xem sao lưu", "see backups", roles=(), note="the backups hold every unit's data",
)  # fmt: skip

ACTIONS = (VIEW,)

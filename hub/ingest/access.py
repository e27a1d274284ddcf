"""The hub's own health and ingest figures (tiếp nhận sự kiện), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action
from hub.accounts.principal import Role

HEALTH = Action("ingest.health", "xem tình trạng máy chủ", "see the hub's health", public=True)
STATS = Action(
    "ingest.stats", "xem số liệu tiếp nhận", "see ingest figures", roles=(Role.OFFICE_ADMIN,),
    note="hub-wide totals, no payloads (the home page showed them to office admins already)",
)  # fmt: skip
REJECTS = Action(
    "ingest.rejects", "xem sự kiện bị từ chối", "see refused events", roles=(),
    note="rejects hold raw device payloads",
)  # fmt: skip

ACTIONS = (HEALTH, STATS, REJECTS)

"""Health answers as people say them: 'ok' → 'Bình thường', 'down: …' → 'Ngừng hoạt động: …'.

`HubServices.health()` answers each part with `ok`, `n/a` (a part this node does not run) or a
state code followed by the reason (`down: …`, `stuck: …`). The reason stays as the hub wrote it
(it names what failed); the state before it is said in words.
"""

from __future__ import annotations

from ui.components.format import Translate
from ui.i18n import N_, pgettext

#: state code → how it is said (Vietnamese, translated where shown)
STATES: dict[str, str] = {
    "ok": N_("Bình thường"),
    "n/a": N_("Không chạy trên máy này"),
    "down": N_("Ngừng hoạt động"),
    "stuck": N_("Bị treo"),
    "degraded": N_("Suy giảm"),
}
#: the parts the start page reports on, and the ingest counters it shows
DATABASE = N_("Cơ sở dữ liệu")
BROKER = N_("Kết nối MQTT")
INGEST = N_("Tiếp nhận sự kiện")
INGEST_COUNTS: dict[str, str] = {
    "accepted": pgettext("ingest", "Đã lưu"),
    "duplicates": N_("Trùng lặp"),
    "rejected": N_("Bị từ chối"),
}


def health_text(t: Translate, answer: str, *, fine_if_absent: bool = True) -> str:
    """'Bình thường', or 'Ngừng hoạt động: not connected to the broker'. With `fine_if_absent`, a part this
    node does not run ('n/a') reads as fine (the start page's broker line on an API-only node)."""
    _ = t
    if answer == "ok" or (answer == "n/a" and fine_if_absent):
        return _(STATES["ok"])
    state, sep, reason = answer.partition(":")
    if state.strip() in STATES:
        label = _(STATES[state.strip()])
        return f"{label}: {reason.strip()}" if sep and reason.strip() else label
    return answer

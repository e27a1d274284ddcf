"""Health answers as people say them: 'ok' → 'Bình thường', 'down: …' → 'Ngừng hoạt động: …'.

`HubServices.health()` answers each part with `ok`, `n/a` (a part this node does not run) or a
state code followed by the reason (`down: …`, `stuck: …`). The reason stays as the hub wrote it
(it names what failed); the state before it is said in words.
"""

from __future__ import annotations

from ui.components.format import Translate
from ui.i18n import register_texts

#: state code → (Vietnamese, English)
STATES: dict[str, tuple[str, str]] = {
    "ok": ("Bình thường", "OK"),
    "n/a": ("Không chạy trên máy này", "Not run on this node"),
    "down": ("Ngừng hoạt động", "Down"),
    "stuck": ("Bị treo", "Stuck"),
    "degraded": ("Suy giảm", "Degraded"),
}

register_texts({f"health.{code}": {"vi": vi, "en": en} for code, (vi, en) in STATES.items()})


def health_text(t: Translate, answer: str, *, fine_if_absent: bool = True) -> str:
    """'Bình thường', or 'Ngừng hoạt động: not connected to the broker'. With `fine_if_absent`, a part this
    node does not run ('n/a') reads as fine (the start page's broker line on an API-only node)."""
    if answer == "ok" or (answer == "n/a" and fine_if_absent):
        return t("health.ok")
    state, sep, reason = answer.partition(":")
    if state.strip() in STATES:
        label = t(f"health.{state.strip()}")
        return f"{label}: {reason.strip()}" if sep and reason.strip() else label
    return answer

"""Who may read a room's display state over the API, declared once (hub.access).

The state is what the room's door sign shows to anyone walking past (the meeting's title, times and chair,
the item under discussion, vote results the chair chose to show): anyone signed in may read it. Screens
with no sign-in read it through their kiosk link (hub.kiosk: `kiosk.show`).
"""

from __future__ import annotations

from hub.access import Action

VIEW = Action(
    "displays.view", "xem màn hình phòng họp", "see a meeting room's display", roles=None,
    note="what the room's door sign shows",
)  # fmt: skip

ACTIONS = (VIEW,)

"""The look every kiosk screen shares: dark, edge to edge, never a scrollbar (nobody scrolls a door)."""

from __future__ import annotations

from nicegui import ui

KIOSK_STYLE = """
<style>
  html, body { background: #0f172a; overflow: hidden; }
  .nicegui-content { padding: 0 !important; }
</style>
"""


def kiosk_frame() -> None:
    """Call first in a kiosk page function."""
    ui.add_head_html(KIOSK_STYLE)

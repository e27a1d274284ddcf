"""The meetings pages' markers made visible to a real browser's tests."""

from __future__ import annotations

from nicegui import ui


def expose(box: ui.element) -> None:
    """Give each marked element its marker as `data-mark` too, so a real browser's test finds it as a person's eye
    does (the simulated user reads the markers themselves)."""
    for element in box.descendants(include_self=True):
        if element._markers:
            element.props(f'data-mark="{element._markers[0]}"')

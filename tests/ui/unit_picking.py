"""Picking units in a ui.components.unit_picker tree as the browser does: QTree sends `update:ticked` (the ticked
units' codes) or `update:selected` (the clicked unit's code), which reach the page through the client's own
event handler — the simulated user has no click for a tree node's checkbox."""

from __future__ import annotations

import json
from typing import Any

from nicegui import ui
from nicegui.testing.user import User


def tree_of(user: User, marker: str) -> ui.tree:
    with user:
        found = [e for e in user.find(marker=marker).elements if isinstance(e, ui.tree)]
    assert len(found) == 1, f"one tree marked {marker}"
    return found[0]


def _send(user: User, tree: ui.tree, event: str, value: Any) -> None:
    assert user.client is not None
    for listener_id, listener in tree._event_listeners.items():  # noqa: SLF001 — what the browser addresses
        if listener.type == event:
            user.client.handle_event({"id": tree.id, "listener_id": listener_id, "args": [json.dumps(value)]})
            return
    raise AssertionError(f"the tree does not listen to {event}")


def tick(user: User, marker: str, codes: list[str]) -> None:
    """Leave exactly `codes` ticked (what the browser sends after the last tick)."""
    _send(user, tree_of(user, marker), "update:ticked", codes)


def select(user: User, marker: str, code: str | None) -> None:
    """Click one unit (single choice)."""
    _send(user, tree_of(user, marker), "update:selected", code)


def labels(user: User, marker: str) -> list[str]:
    """The names the tree shows, in order (parents before children)."""
    out: list[str] = []

    def walk(nodes: list[dict]) -> None:
        for n in nodes:
            out.append(n["label"])
            walk(n.get("children", []))

    walk(tree_of(user, marker).props["nodes"])
    return out

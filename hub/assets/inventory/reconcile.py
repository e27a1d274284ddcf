"""The reconciliation of an inventory session (đối chiếu kiểm kê): per room what is found, missing, moved (found
here, registered elsewhere) and unknown, computed from the register and the reads without touching the database."""

from __future__ import annotations

from collections.abc import Sequence

from hub.assets.inventory.models import Inventory, Line, Reconciliation, RoomView
from hub.assets.models import Location


def reconcile(
    inventory: Inventory,
    locations: dict[int, Location],
    expected: Sequence[tuple[int, str, str, int]],
    reads: Sequence[tuple[str, int | None, str | None, str | None, int | None, int | None]],
    resolved_assets: dict[int, str],
    resolved_tags: dict[str, str],
) -> Reconciliation:
    """Per room: found (read in its registered room), moved (read here, registered elsewhere), unknown (no asset),
    missing (registered here, read nowhere in the session). Pure: the bench times it with the queries."""
    rooms: dict[int | None, RoomView] = {}

    def room(location_id: int | None) -> RoomView:
        view = rooms.get(location_id)
        if view is None:
            loc = locations.get(location_id) if location_id is not None else None
            view = RoomView(loc.code if loc else None, loc.path_name if loc else "—")
            rooms[location_id] = view
        return view

    for _, _, _, location_id in expected:
        room(location_id).counts["expected"] += 1
    seen = {a for a, outcome in resolved_assets.items() if outcome == "registered"}  # read as an unknown tag
    for tag, asset_id, number, name, registered, read_at in reads:
        view = room(read_at)
        if asset_id is None or tag in resolved_tags:  # an unknown tag (registered since: still shown as such)
            state, resolution = "unknown", resolved_tags.get(tag)
        else:
            seen.add(asset_id)
            moved = registered != read_at or resolved_assets.get(asset_id) == "moved"  # moved, and then settled
            state = "moved" if moved else "found"
            resolution = resolved_assets.get(asset_id) if moved else None
        view.counts[state] += 1
        where = locations.get(registered) if registered is not None else None
        view.lines.append(Line(state, view.code, tag, number, name, where.code if where else None, resolution))
    for asset_id, number, name, location_id in expected:
        if asset_id not in seen:
            view = room(location_id)
            view.counts["missing"] += 1
            view.lines.append(Line("missing", view.code, None, number, name, view.code, resolved_assets.get(asset_id)))
    totals = {k: sum(v.counts[k] for v in rooms.values()) for k in ("expected", "found", "missing", "moved", "unknown")}
    unresolved = sum(1 for v in rooms.values() for x in v.lines if x.state != "found" and x.resolution is None)
    ordered = sorted(rooms.values(), key=lambda v: (v.code is None, v.name))
    return Reconciliation(inventory, ordered, totals, unresolved, len(reads))

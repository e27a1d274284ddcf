"""The organisation's units as the pages list them: tree order, the tops of a scope, an indented label."""

from __future__ import annotations

from collections.abc import Sequence

from hub.people.models import OrgUnit, OrgUnitNode


def flatten(nodes: Sequence[OrgUnitNode]) -> list[OrgUnit]:
    """The units of `services.people.org_tree(...)` in tree order (each parent before its children)."""
    out: list[OrgUnit] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        out.append(node.unit)
        stack.extend(reversed(node.children))
    return out


def top_units(units: Sequence[OrgUnit]) -> list[OrgUnit]:
    """The units of `units` that lie inside no other of them (a grant's own unit, not its sub-units)."""
    return [u for u in units if not any(o.path != u.path and u.path.startswith(o.path) for o in units)]


def unit_label(unit: OrgUnit) -> str:
    """'  Chi cục Hải quan Nội Bài (CCHQNB)': indented by depth, for a select's options."""
    return f"{'  ' * unit.depth}{unit.name} ({unit.code})"

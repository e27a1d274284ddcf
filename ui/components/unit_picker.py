"""A unit tree picker: the organisation's tree with the units' names (not their codes), a search box that
narrows it (without diacritics too: "noi bai" finds "Nội Bài"; a code finds its unit), and one unit (a click
selects it) or several (ticks) picked. What a page reads back is the units' codes, which the services take.

    picker = UnitTreePicker(ctx, services.org.units(principal), multiple=True, marker="x-units")
    picker.value  # ["DOI1", "CCHQNB"]

The units are anything with `code`, `name` and a materialised `path` ("/1/7/42/", hub.org.models.Unit or
hub.people.models.OrgUnit); a unit whose parent is not among them shows as a top. `pickable` limits which
units may be picked (the others show, greyed, to keep the tree's shape). Vietnamese first."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Protocol

from nicegui import ui

from ui.i18n import N_
from ui.shell import PageContext

MAX_SEARCH = 100  # characters the search box takes
MAX_UNITS = 5000  # units one picker shows


# Quasar's QTree filter, told to ignore case and Vietnamese diacritics (đ counts as d) and to look at the code
_FILTER = (
    "(node, filter) => { const f = (s) => (s || '').normalize('NFD').replace(/[\\u0300-\\u036f]/g, '')"
    ".replace(/[đĐ]/g, 'd').toLowerCase(); return f(node.search).includes(f(filter)); }"
)


class UnitLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...


def _parent_path(path: str) -> str:
    return path[: path.rstrip("/").rfind("/") + 1]


def unit_nodes(units: Sequence[UnitLike], pickable: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The QTree nodes of `units` (tree order not needed): each under its nearest ancestor among them."""
    by_path = {u.path: u for u in units[:MAX_UNITS]}
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for u in sorted(by_path.values(), key=lambda x: (x.path.count("/"), x.name)):
        node: dict[str, Any] = {"id": u.code, "label": u.name, "search": f"{u.name} {u.code}", "children": []}
        if pickable is not None and u.code not in pickable:
            node.update(disabled=True, selectable=False, noTick=True)
        nodes[u.path] = node
        parent, path = None, _parent_path(u.path)
        while parent is None and len(path) > 1:
            parent = nodes.get(path)
            path = _parent_path(path)
        (parent["children"] if parent is not None else roots).append(node)
    return roots


class UnitTreePicker:
    """The picker; `value` is the picked codes (multiple) or the one picked code or None (single)."""

    def __init__(
        self, ctx: PageContext, units: Sequence[UnitLike], *, marker: str, multiple: bool = False,
        label: str = "", value: str | Sequence[str] | None = None, pickable: Collection[str] | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        self.ctx = ctx
        self.multiple = multiple
        self.on_change = on_change
        self._names: dict[str, str] = {}
        with ui.column().classes("gap-1 w-full max-w-xl").mark(f"{marker}-box"):
            if label:
                ui.label(label).classes("text-sm font-medium")
            with ui.row().classes("items-center gap-2 w-full"):
                self.search = ui.input(ctx.t(N_("Tìm đơn vị (tên hoặc mã)"))).props(
                    f"dense clearable maxlength={MAX_SEARCH}"
                )
                self.search.classes("grow").mark(f"{marker}-search")
                ui.button(ctx.t(N_("Bỏ chọn")), on_click=lambda: self.set_value(None)).props("flat dense")
            self.tree = ui.tree(
                [], on_select=None if multiple else self._selected, on_tick=self._ticked if multiple else None,
                tick_strategy="strict" if multiple else None,
            )  # fmt: skip
            self.tree.props(f"no-transition dense{'' if multiple else ' selected-color=primary'}")
            self.tree.props[":filter-method"] = _FILTER
            self.tree.classes("w-full max-h-80 overflow-auto border rounded").mark(marker)
            self.tree.bind_filter_from(self.search, "value", backward=lambda v: (v or "")[:MAX_SEARCH])
            self.empty = ui.label(ctx.t(N_("Không có đơn vị nào để chọn"))).classes("text-sm text-grey-7")
            self.chosen = ui.label().classes("text-sm text-grey-8").mark(f"{marker}-chosen")
        self.set_units(units, pickable, value)

    # --- reading and setting ------------------------------------------------------------------------------

    @property
    def value(self) -> Any:
        if self.multiple:
            return [c for c in self._order if c in set(self.tree.props.get("ticked") or [])]
        return self.tree.props.get("selected")

    def set_units(
        self, units: Sequence[UnitLike], pickable: Collection[str] | None = None, value: Any = None
    ) -> None:  # fmt: skip
        """Show other units (e.g. another regime's receiving units); the picked value is `value`."""
        nodes = unit_nodes(units, pickable)
        self._names = {u.code: u.name for u in units}
        self._pickable = set(self._names) if pickable is None else set(pickable) & set(self._names)
        self._order = [n["id"] for n in self._walk(nodes)]
        self.tree.props["nodes"] = nodes
        self.tree.props["expanded"] = [n["id"] for n in self._walk(nodes) if n["children"]]
        self.empty.set_visibility(not nodes)
        self.set_value(value)

    def set_value(self, value: Any) -> None:
        if self.multiple:
            wanted = [value] if isinstance(value, str) else list(value or [])
            self.tree.props["ticked"] = [c for c in wanted if c in self._pickable]
        else:
            self.tree.props["selected"] = value if value in self._pickable else None
        self.tree.update()
        self._changed()

    @property
    def codes(self) -> list[str]:
        """The codes of the units shown."""
        return list(self._names)

    def name(self, code: str) -> str:
        return self._names.get(code, code)

    # --- events --------------------------------------------------------------------------------------------

    def _walk(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for n in nodes:
            out.append(n)
            out.extend(self._walk(n["children"]))
        return out

    def _selected(self, e: Any) -> None:
        if e.value is not None and e.value not in self._pickable:  # a greyed unit: keep the previous choice
            self.tree.props["selected"] = e.previous_value
            self.tree.update()
        self._changed()

    def _ticked(self, e: Any) -> None:
        kept = [c for c in e.value or [] if c in self._pickable]
        if kept != list(e.value or []):
            self.tree.props["ticked"] = kept
            self.tree.update()
        self._changed()

    def _changed(self) -> None:
        picked = self.value if self.multiple else [c for c in [self.value] if c]
        if picked:
            names = "; ".join(self.name(c) for c in picked)
            self.chosen.set_text(self.ctx.t(N_("Đã chọn ({n}): {names}")).format(n=len(picked), names=names))
        else:
            self.chosen.set_text(self.ctx.t(N_("Chưa chọn đơn vị nào")))
        if self.on_change is not None:
            self.on_change()

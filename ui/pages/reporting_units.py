"""Who reports to whom, on the regime form of /reporting: the regime's receiving unit picked in the org tree,
the reporting units ticked in it, and for each of them the unit it reports to — one of the units above it, no
higher than the receiving unit; by default the nearest ticked unit above it, else the receiving unit (so the
reports consolidate up the tree). What the form hands the service is what it took before: the receiving unit's
code and (unit code, recipient code) pairs. Vietnamese first."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from hub.reporting.models import RegimeVersion
from ui.components.unit_picker import UnitTreePicker
from ui.i18n import N_
from ui.shell import PageContext


class ReportersField:
    """The receiving unit, the reporting units and whom each reports to."""

    def __init__(self, ctx: PageContext, marker: str = "reporting-define") -> None:
        self.ctx = ctx
        self.marker = marker
        self.units = ctx.services.org.units(ctx.principal)
        self.by_code = {u.code: u for u in self.units}
        self._chosen: dict[str, str] = {}  # unit code → the recipient picked for it
        self._selects: dict[str, Any] = {}
        with ui.row().classes("gap-6 w-full items-start flex-wrap"):
            self.owner = UnitTreePicker(
                ctx,
                self.units,
                marker=f"{marker}-owner",
                label=ctx.t(N_("Đơn vị nhận báo cáo tổng hợp")),
                on_change=self._redraw,
            )
            self.reporters = UnitTreePicker(
                ctx, [], marker=f"{marker}-units", multiple=True, label=ctx.t(N_("Các đơn vị báo cáo")),
                on_change=self._redraw,
            )  # fmt: skip
        self.hint = ui.label(ctx.t(N_("Chọn đơn vị nhận trước, rồi đánh dấu các đơn vị báo cáo bên dưới nó."))).classes(
            "text-sm text-grey-7"
        )
        self.rows = ui.column().classes("gap-1 w-full max-w-3xl").mark(f"{marker}-recipients")
        self._redraw()

    # --- what the service takes ------------------------------------------------------------------------

    @property
    def owner_code(self) -> str:
        return self.owner.value or ""

    def pairs(self) -> list[tuple[str, str]]:
        return [(code, self._recipient(code)) for code in self.reporters.value]

    def load(self, version: RegimeVersion) -> None:
        """Fill from a saved version (to save a new one)."""
        self.owner.set_value(version.owner_code)
        self._chosen = {r.unit_code: r.recipient_code for r in version.reporters}
        self.reporters.set_value([r.unit_code for r in version.reporters])

    # --- drawing --------------------------------------------------------------------------------------

    def _above(self, code: str) -> list[str]:
        """The codes of the units above `code`, up to the receiving unit, nearest first."""
        unit, owner = self.by_code[code], self.by_code.get(self.owner_code)
        if owner is None:
            return []
        found = [u for u in self.units if unit.path.startswith(u.path) and u.path != unit.path]
        found = [u for u in found if u.path.startswith(owner.path)]
        return [u.code for u in sorted(found, key=lambda u: -len(u.path))]

    def _recipient(self, code: str) -> str:
        above = self._above(code)
        picked = self._chosen.get(code)
        if picked in above:
            return picked
        ticked = set(self.reporters.value)
        return next((a for a in above if a in ticked), above[-1] if above else "")

    def _subtree(self) -> list[Any]:
        owner = self.by_code.get(self.owner_code)
        if owner is None:
            return []
        return [u for u in self.units if u.path.startswith(owner.path) and u.path != owner.path]

    def _redraw(self) -> None:
        if not hasattr(self, "rows"):
            return
        below = self._subtree()
        if [u.code for u in below] != self.reporters.codes:  # the receiving unit changed
            self.reporters.set_units(below, value=[c for c in self.reporters.value if c in {u.code for u in below}])
            return  # set_units calls back here
        self.hint.set_visibility(not below)
        self.rows.clear()
        self._selects = {}
        with self.rows:
            for code in self.reporters.value:
                options = {a: self.by_code[a].name for a in self._above(code)}
                with ui.row().classes("items-center gap-2 w-full no-wrap"):
                    ui.label(self.by_code[code].name).classes("w-80")
                    select = ui.select(options, value=self._recipient(code), label=self.ctx.t(N_("Báo cáo lên")))
                    select.classes("w-80").mark(f"{self.marker}-to-{code}")
                    select.on_value_change(lambda e, c=code: self._pick(c, e.value))
                    self._selects[code] = select

    def _pick(self, code: str, recipient: str | None) -> None:
        if recipient:
            self._chosen[code] = recipient

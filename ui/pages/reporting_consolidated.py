"""The consolidation on /reporting (issue 18 item 3): a receiving unit's view of a period — the sums of the
reports sent to it beside the previous period and the same period last year, each contributing unit's part with
its status (a link to its report) — and the consolidated report as DOCX, XLSX or PDF. Whoever sees the receiving
unit's reports (hub.reporting.access.VIEW; the service checks the unit). Vietnamese first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from hub.domain import DomainError
from hub.reporting.consolidation import Consolidation
from hub.reporting.export import number
from hub.reporting.models import STATUS_LABELS
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.components.unit_picker import UnitTreePicker
from ui.i18n import N_, pgettext
from ui.shell import PageContext

REGIME = pgettext("report", "Chế độ báo cáo")  # as ui.pages.reporting says it


def _pair(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def consolidated_box(
    ctx: PageContext, report_url: Callable[[int], str], buttons: Callable[[PageContext, str, Callable], None]
) -> None:
    """The choice of regime, period and receiving unit, and the consolidation shown below it."""
    regimes = ctx.services.reporting.regimes(ctx.principal)
    if not regimes:
        return
    ui.label(ctx.t(N_("Tổng hợp báo cáo của đơn vị nhận"))).classes("text-lg mt-4")
    options = {v.code: v.name_vi if ctx.lang == "vi" else v.name_en for v in regimes}
    recipients = {v.code: sorted({r.recipient_code for r in v.reporters}) for v in regimes}
    with ui.row().classes("items-end gap-2"):
        chosen = ui.select(options, value=regimes[0].code, label=ctx.t(REGIME)).classes("w-72")
        chosen.mark("reporting-consolidated-regime")
        key = ui.input(ctx.t(N_("Kỳ báo cáo")), placeholder="2026-03").props("dense maxlength=10")
        key.mark("reporting-consolidated-period")
    visible = ctx.services.org.units(ctx.principal)

    def receiving(code: str) -> list[Any]:
        return [u for u in visible if u.code in set(recipients.get(code, []))]

    first = receiving(regimes[0].code)
    unit = UnitTreePicker(
        ctx, first, marker="reporting-consolidated-unit", label=ctx.t(N_("Đơn vị nhận")),
        value=first[0].code if first else None,
    )  # fmt: skip

    def regime_changed() -> None:
        found = receiving(chosen.value)
        unit.set_units(found, value=found[0].code if found else None)

    chosen.on_value_change(regime_changed)
    result = ui.column().classes("w-full")

    def show() -> None:
        result.clear()
        regime, period, receiving = chosen.value, (key.value or "").strip(), unit.value or ""
        with result:
            try:
                c = ctx.services.reporting.consolidate(ctx.principal, regime, period, receiving)
            except DomainError as exc:
                show_problem(str(exc), marker="reporting-consolidated-problem")
                return
            consolidated_view(ctx, c, report_url)
            if c.template is not None:

                def make(fmt: str) -> Any:
                    return ctx.services.reporting.export_consolidated(ctx.principal, regime, period, receiving, fmt)

                buttons(ctx, "reporting-consolidated-export", make)

    ui.button(ctx.t(N_("Tổng hợp")), on_click=show).props("dense").mark("reporting-consolidated-show")


def consolidated_view(ctx: PageContext, c: Consolidation, report_url: Callable[[int], str]) -> None:
    if c.template is None:
        empty_state(ctx.t(N_("Chưa có báo cáo nào của kỳ này gửi đến đơn vị.")), marker="reporting-consolidated-none")
        return
    sent = [p for p in c.parts if p.values]
    ui.label(ctx.t(N_("{sent}/{all} đơn vị đã gửi báo cáo")).format(sent=len(sent), all=len(c.parts))).mark(
        "reporting-sent-count"
    )
    numbers = [i for i in c.template.indicators if i.kind == "number"]
    cols = columns(ctx.t, [("name", N_("Chỉ tiêu")), ("unit", N_("Đơn vị tính")),
                           ("now", N_("Kỳ này"), "right"), ("previous", N_("Kỳ trước"), "right"),
                           ("last_year", N_("Cùng kỳ năm trước"), "right")])  # fmt: skip
    rows = [
        {"code": i.code, "name": i.name_vi if ctx.lang == "vi" else i.name_en, "unit": i.unit,
         "now": number(c.values.get(i.code), i.decimals), "previous": number(c.previous.get(i.code), i.decimals),
         "last_year": number(c.last_year.get(i.code), i.decimals)}
        for i in numbers
    ]  # fmt: skip
    for ind in c.template.indicators:
        if ind.kind == "table" and ind.total:
            for col in ind.columns:
                if col.kind == "number":
                    label = f"{ind.name_vi if ctx.lang == 'vi' else ind.name_en}: " + (
                        col.name_vi if ctx.lang == "vi" else col.name_en
                    )
                    rows.append({"code": f"{ind.code}.{col.code}", "name": label, "unit": col.unit,
                                 "now": number(c.totals.get(f"{ind.code}.{col.code}")), "previous": "",
                                 "last_year": ""})  # fmt: skip
    data_table(cols, rows, row_key="code", marker="reporting-consolidated", wrap=True)
    ui.label(ctx.t(N_("Phần của từng đơn vị"))).classes("text-md mt-2")
    part_cols: list[dict[str, Any]] = columns(ctx.t, [("unit", N_("Đơn vị báo cáo")), ("status", N_("Tình trạng"))])
    part_cols += [
        {"name": i.code, "label": i.name_vi if ctx.lang == "vi" else i.name_en, "field": i.code, "align": "right"}
        for i in numbers
    ]
    part_rows = [
        {"id": p.report_id, "href": report_url(p.report_id), "unit": p.unit_name,
         "status": _pair(STATUS_LABELS[p.status], ctx.lang),
         **{i.code: number(p.values.get(i.code), i.decimals) for i in numbers}}
        for p in c.parts
    ]  # fmt: skip
    link_cell(data_table(part_cols, part_rows, row_key="id", marker="reporting-parts"), "unit")

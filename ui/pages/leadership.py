"""The leadership screen (/leadership, thông tin lãnh đạo quan tâm, issue 18 item 5): what needs a leader's
attention today across the units in their scope — documents assigned and overdue, meetings today, who is present
and who is away, asset alerts, reports not yet submitted, tasks from meeting conclusions.

Every figure drills down: a unit's line opens that unit split by its sub-units (`?unit=`), a figure opens the
records behind it (`?unit=…&tile=…`), each linking to the page that keeps it. The service refuses a unit outside
the caller's scope (the page answers 403). Readable on a wall screen and on a phone (the tiles wrap, the table
scrolls sideways); it refreshes itself every minute. Vietnamese first."""

from __future__ import annotations

from urllib.parse import urlencode

from nicegui import ui

from hub.accounts.models import AccessDenied
from hub.domain import DomainError
from hub.leadership import access
from hub.leadership.models import FIGURES, TILE_LABELS, WARNINGS, Overview, Records, Tile
from hub.services import HubServices
from ui.components.format import local_date, local_time
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table
from ui.i18n import N_, pgettext
from ui.shell import PageContext, forbidden, module_page

DIRECT = N_("(trực tiếp)")
RECORDS = pgettext("leadership", "Hồ sơ")
UP = N_("Lên đơn vị cấp trên")
AS_OF = N_("Cập nhật lúc")
PATH = "/leadership"
REFRESH_S = 60.0
#: the figures the table by unit shows (all of them would not fit a phone; the tiles show every one)
TABLE_FIGURES = (
    "docs_open",
    "docs_overdue",
    "meetings_today",
    "present",
    "away",
    "staff",
    "asset_portal",
    "asset_waiting",
    "asset_not_returned",
    "reports_open",
    "reports_late",
    "tasks_open",
    "tasks_overdue",
)
TILE_ICONS = {Tile.DOCUMENTS: "description", Tile.MEETINGS: "groups", Tile.PRESENCE: "badge",
              Tile.ASSETS: "inventory_2", Tile.REPORTS: "summarize", Tile.TASKS: "task_alt"}  # fmt: skip


def page_url(unit: str | None = None, tile: str | None = None) -> str:
    query = {k: v for k, v in (("unit", unit), ("tile", tile)) if v}
    return f"{PATH}?{urlencode(query)}" if query else PATH


def _pair(vi: str, en: str, lang: str) -> str:
    return vi if lang == "vi" else en


def _tiles(ctx: PageContext, o: Overview) -> None:
    unit = o.focus.code if o.focus else None
    with ui.element("div").classes("w-full grid gap-3 grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6"):
        for tile, (vi, en) in TILE_LABELS.items():
            with ui.card().classes("p-3").mark(f"leadership-tile-{tile.value}"):
                with ui.row().classes("items-center gap-2 no-wrap"):
                    ui.icon(TILE_ICONS[tile]).classes("text-2xl text-primary")
                    ui.label(_pair(vi, en, ctx.lang)).classes("text-base font-bold")
                for key, (t, fvi, fen) in FIGURES.items():
                    if t is not tile:
                        continue
                    value = o.totals[key]
                    colour = "text-negative" if key in WARNINGS and value else "text-grey-9"
                    with ui.link(target=page_url(unit, tile.value)).classes("w-full no-underline"):
                        with ui.row().classes("w-full items-baseline justify-between no-wrap"):
                            ui.label(_pair(fvi, fen, ctx.lang)).classes("text-sm text-grey-8")
                            ui.label(str(value)).classes(f"text-2xl font-bold {colour}").mark(
                                f"leadership-figure-{key}"
                            )


def _by_unit(ctx: PageContext, o: Overview) -> None:
    ui.label(ctx.t(N_("Theo đơn vị"))).classes("text-lg mt-2")
    if not o.rows:
        empty_state(ctx.t(N_("Chưa có đơn vị nào trong phạm vi.")), marker="leadership-no-units")
        return
    specs = [("unit", N_("Đơn vị"))]
    cols = columns(ctx.t, specs) + [
        {"name": k, "label": _pair(FIGURES[k][1], FIGURES[k][2], ctx.lang), "field": k, "align": "right"}
        for k in TABLE_FIGURES
    ]
    rows = []
    for r in o.rows:
        name = f"{r.unit.name} {ctx.t(DIRECT)}" if r.direct else r.unit.name
        rows.append({"code": r.unit.code + (":direct" if r.direct else ""), "unit": name, "unit_code": r.unit.code,
                     "href": "" if r.direct else page_url(r.unit.code), **r.figures})  # fmt: skip
    rows.append({"code": ":total", "unit": ctx.t(N_("Tổng cộng")), "unit_code": "", "href": "", **o.totals})
    with ui.element("div").classes("w-full overflow-x-auto"):
        table = data_table(cols, rows, row_key="code", marker="leadership-units")
        table.add_slot(
            "body-cell-unit",
            '<q-td :props="props"><a v-if="props.row.href" class="text-primary" :href="props.row.href">'
            "{{ props.value }}</a><span v-else>{{ props.value }}</span></q-td>",
        )


def _records(ctx: PageContext, r: Records) -> None:
    vi, en = TILE_LABELS[r.tile]
    with ui.row().classes("items-center gap-4 mt-2"):
        ui.label(f"{ctx.t(RECORDS)}: {_pair(vi, en, ctx.lang)} — {r.unit.name}").classes("text-lg")
        ui.link(ctx.t(N_("Đóng danh sách")), page_url(r.unit.code)).mark("leadership-records-close")
    if not r.items:
        empty_state(ctx.t(N_("Không có hồ sơ nào.")), marker="leadership-no-records")
        return
    cols = columns(ctx.t, [("figure", N_("Số liệu")), ("title", N_("Nội dung")), ("unit", N_("Đơn vị")),
                           ("when", N_("Thời hạn, thời gian")), ("status", N_("Tình trạng"))])  # fmt: skip
    rows = []
    for n, i in enumerate(r.items):
        when = i.when
        shown = local_time(when, seconds=False) if hasattr(when, "hour") else local_date(when) if when else ""
        rows.append({
            "n": n, "figure": _pair(FIGURES[i.figure][1], FIGURES[i.figure][2], ctx.lang), "title": i.title,
            "unit": i.unit_name, "when": shown, "status": _pair(i.status_vi, i.status_en, ctx.lang),
            "href": i.link or "",
        })  # fmt: skip
    with ui.element("div").classes("w-full overflow-x-auto"):
        table = data_table(cols, rows, row_key="n", marker="leadership-records", wrap=True)
        table.add_slot(
            "body-cell-title",
            '<q-td :props="props"><a v-if="props.row.href" class="text-primary" :href="props.row.href">'
            "{{ props.value }}</a><span v-else>{{ props.value }}</span></q-td>",
        )
    if r.truncated:
        ui.label(ctx.t(N_("Chỉ hiển thị {n} hồ sơ đầu tiên.")).format(n=len(r.items))).classes("text-sm text-grey-7")


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Thông tin lãnh đạo quan tâm"), icon="insights", action=access.VIEW, order=5)
    def leadership_page(ctx: PageContext, unit: str = "", tile: str = "") -> None:
        svc = ctx.services.leadership
        try:  # refused before anything is drawn: the page answers 403
            first = svc.overview(ctx.principal, unit or None)
            records = svc.records(ctx.principal, tile, first.focus.code if first.focus else unit) if tile else None
        except AccessDenied:
            forbidden(ctx)
            return
        except DomainError as e:
            show_problem(str(e), marker="leadership-problem")
            return
        state = {"overview": first, "records": records}

        @ui.refreshable
        def body() -> None:
            o: Overview = state["overview"]
            with ui.row().classes("w-full items-baseline gap-4 flex-wrap"):
                ui.label(ctx.t(N_("Thông tin lãnh đạo quan tâm"))).classes("text-2xl font-bold")
                ui.label(o.focus.name if o.focus else ctx.t(N_("Toàn bộ phạm vi"))).classes("text-xl").mark(
                    "leadership-unit"
                )
                if o.parent is not None:
                    ui.link(f"↑ {ctx.t(UP)}: {o.parent.name}", page_url(o.parent.code)).mark("leadership-up")
            ui.label(f"{ctx.t(AS_OF)} {local_time(o.as_of, seconds=False)}").classes("text-sm text-grey-7").mark(
                "leadership-as-of"
            )
            ui.label(
                ctx.t(
                    N_(
                        "Tình hình hôm nay của các đơn vị thuộc phạm vi quản lý. Bấm vào một số "
                        "liệu để xem hồ sơ, bấm vào tên đơn vị để xem chi tiết các đơn vị cấp "
                        "dưới."
                    )
                )
            ).classes("text-sm text-grey-8 max-w-4xl")
            _tiles(ctx, o)
            if state["records"] is not None:
                _records(ctx, state["records"])
            _by_unit(ctx, o)

        body()

        def refresh() -> None:
            try:
                state["overview"] = svc.overview(ctx.principal, unit or None)
                if tile:
                    state["records"] = svc.records(ctx.principal, tile, unit or None)
            except DomainError:
                return  # keep what is shown (a grant withdrawn shows on the next open)
            body.refresh()

        ui.timer(REFRESH_S, refresh)

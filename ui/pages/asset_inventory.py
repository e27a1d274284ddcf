"""Inventory on the web (/asset-inventory): start a session over a room, floor, building or office (the system
admin: the whole administration), follow it live — per room the assets found, missing, moved (found here,
registered elsewhere) and unknown tags, refreshed every two seconds as fixed readers and handhelds report — settle
each difference, close it and download the minutes and the difference report; and the year's stocktake progress
per office.

Who may: hub.assets.access.VIEW sees, INVENTORY (asset officers over the location's unit) acts. Vietnamese first."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from nicegui import ui

from hub.assets import access
from hub.assets.checks import today as hanoi_today
from hub.assets.inventory.models import OUTCOME_LABELS, STATE_LABELS, Reconciliation
from hub.assets.models import AssetInput
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_
from ui.shell import PageContext, module_page

PROGRESS = N_("Tiến độ kiểm kê năm")
WHOLE = N_("Toàn ngành")
UNRESOLVED = N_("Chưa xử lý")
READS = N_("Thẻ đã đọc")
EXPECTED = N_("Theo sổ")

PATH = "/asset-inventory"
REFRESH_S = 2.0

STATUS_TEXTS = {"open": N_("Đang kiểm kê"), "closed": N_("Đã kết thúc")}  # a session's status


def _pair(labels: dict[str, tuple[str, str]], code: str | None, lang: str) -> str:
    pair = labels.get(code or "")
    return "" if pair is None else pair[0 if lang == "vi" else 1]


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Kiểm kê tài sản"), icon="fact_check", action=access.VIEW, order=62)
    def inventory_page(ctx: PageContext, session: int | None = None) -> None:
        ui.label(ctx.t(N_("Kiểm kê tài sản"))).classes("text-2xl font-bold")
        if session is not None:
            live_view(ctx, session)
        else:
            overview(ctx)


def overview(ctx: PageContext) -> None:
    t, svc = ctx.t, ctx.services.asset_inventory
    ui.label(
        t(
            N_(
                "Mở phiên kiểm kê cho một phòng, tầng, tòa nhà hoặc trụ sở; đầu đọc cố "
                "định và máy cầm tay gửi thẻ đọc được về; xử lý từng chênh lệch rồi kết "
                "thúc phiên để in biên bản."
            )
        )
    ).classes("text-sm text-grey-8 max-w-4xl")
    year = hanoi_today(ctx.services.now()).year
    with ui.row().classes("items-end gap-3 flex-wrap").mark("inv-start-form"):
        where = ui.input(t(N_("Mã vị trí (trống: toàn ngành)"))).props("maxlength=64 dense").mark("inv-location")
        title = ui.input(t(N_("Tên phiên"))).props("maxlength=200 dense").classes("w-72").mark("inv-name")
        part = (
            ui.number(t(N_("Thuộc đợt kiểm kê năm")), value=year, min=2000, max=2200, format="%d")
            .props("dense")
            .mark("inv-year")
        )

        def start() -> None:
            try:
                made = svc.start(ctx.principal, ctx.actor(), (where.value or "").strip() or None, title.value or "",
                                 int(part.value) if part.value else None)  # fmt: skip
            except DomainError as exc:
                ui.notify(str(exc), type="negative", multi_line=True)
                return
            ui.navigate.to(f"{PATH}?{urlencode({'session': made.id})}")

        ui.button(t(N_("Mở phiên")), icon="play_arrow", on_click=start).props("unelevated").mark("inv-start")
    ui.label(t(N_("Các phiên kiểm kê"))).classes("text-lg mt-4")
    try:
        found = svc.listing(ctx.principal)
        progress = svc.stocktake(ctx.principal, year)
    except DomainError as exc:
        show_problem(str(exc), marker="inv-problem")
        return
    if not found:
        empty_state(t(N_("Chưa có phiên kiểm kê nào.")), marker="inv-empty")
    else:
        table = data_table(
            columns(t, [("title", N_("Tên phiên")), ("scope", N_("Phạm vi")), ("status", N_("Trạng thái")),
                        ("started", N_("Bắt đầu"))]),
            [{"id": i.id, "href": f"{PATH}?session={i.id}", "title": i.title,
              "scope": i.location_name or t(WHOLE), "status": t(STATUS_TEXTS.get(i.status, i.status)),
              "started": local_time(i.started_at, seconds=False)} for i in found],
            row_key="id", marker="inv-sessions",
        )  # fmt: skip
        link_cell(table, "title")
    ui.label(f"{t(PROGRESS)} {year}").classes("text-lg mt-4")
    data_table(
        columns(t, [("office", N_("Trụ sở")), ("assets", N_("Tài sản theo sổ"), "right"),
                    ("found", N_("Đã thấy"), "right"), ("resolved", N_("Đã xử lý"), "right"),
                    ("sessions", N_("Phiên (mở/đóng)"), "right")]),
        [{"office": f"{p.office_name} ({p.office_code})", "assets": p.assets,
          "found": f"{p.found} ({100 * p.found // p.assets if p.assets else 0} %)", "resolved": p.resolved,
          "sessions": f"{p.sessions_open}/{p.sessions_closed}"} for p in progress],
        row_key="office", marker="inv-progress",
    )  # fmt: skip


def live_view(ctx: PageContext, session_id: int) -> None:
    t, svc = ctx.t, ctx.services.asset_inventory
    ui.link(t(N_("← Các phiên kiểm kê")), PATH).mark("inv-back")
    body = ui.column().classes("w-full")
    state: dict[str, object] = {"last": None}

    def draw() -> None:
        try:
            result = svc.live(ctx.principal, session_id)
        except DomainError as exc:
            body.clear()
            with body:
                show_problem(str(exc), marker="inv-problem")
            timer.deactivate()
            return
        key = (result.totals, result.unresolved, result.reads, result.inventory.status)
        if key == state["last"]:
            return  # nothing new: keep what the officer is typing
        state["last"] = key
        body.clear()
        with body:
            draw_result(ctx, result, force)
        if result.inventory.status != "open":
            timer.deactivate()

    def force() -> None:
        state["last"] = None
        draw()

    timer = ui.timer(REFRESH_S, draw)
    draw()


def draw_result(ctx: PageContext, result: Reconciliation, reload: object) -> None:
    t, svc, inv = ctx.t, ctx.services.asset_inventory, result.inventory
    ui.label(f"{inv.title} — {inv.location_name or t(WHOLE)}").classes("text-xl").mark("inv-live-title")
    totals = result.totals
    with ui.row().classes("gap-6 flex-wrap").mark("inv-totals"):
        for key in ("expected", "found", "missing", "moved", "unknown"):
            text = t(N_("Theo sổ")) if key == "expected" else _pair(STATE_LABELS, key, ctx.lang)
            ui.label(f"{text}: {totals[key]}").classes("text-base font-bold").mark(f"inv-total-{key}")
        ui.label(f"{t(UNRESOLVED)}: {result.unresolved}").mark("inv-unresolved")
        ui.label(f"{t(READS)}: {result.reads}")
    is_open = inv.status == "open"

    def act(run: object) -> None:
        try:
            run()  # type: ignore[operator]
        except (DomainError, ValueError) as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.notify(t(N_("Đã ghi nhận")), type="positive")
        reload()  # type: ignore[operator]

    for room in result.rooms:
        counts = room.counts
        with ui.card().classes("w-full").mark(f"inv-room-{room.code}"):
            ui.label(f"{room.name}").classes("font-bold")
            ui.label(" · ".join(f"{_pair(STATE_LABELS, k, ctx.lang) or t(EXPECTED)}: {counts[k]}"
                                for k in ("expected", "found", "missing", "moved", "unknown"))).mark(
                f"inv-counts-{room.code}")  # fmt: skip
            for line in room.lines:
                if line.state == "found":
                    continue
                what = line.asset_number or line.tag or ""
                with ui.row().classes("items-center gap-2").mark(f"inv-line-{what}"):
                    ui.badge(_pair(STATE_LABELS, line.state, ctx.lang))
                    extra = f" (theo sổ: {line.registered_code})" if line.state == "moved" else ""
                    ui.label(f"{what} {line.asset_name or ''}{extra}")
                    if line.resolution:
                        ui.label(_pair(OUTCOME_LABELS, line.resolution, ctx.lang)).classes("text-positive")
                    elif is_open and line.state in ("moved", "missing"):
                        outcome = "moved" if line.state == "moved" else "missing"
                        label = t(N_("Cập nhật vị trí") if outcome == "moved" else N_("Ghi nhận thiếu"))

                        def settle(n: str = what, o: str = outcome) -> None:
                            act(lambda: svc.resolve(ctx.principal, ctx.actor(), inv.id, o, asset_number=n))

                        ui.button(label, on_click=settle).props("dense flat").mark(f"inv-resolve-{what}")
                    elif is_open and line.state == "unknown":
                        register_form(ctx, inv.id, line.tag or "", act)
    with ui.row().classes("gap-3 mt-4"):
        if is_open:
            ui.button(
                t(N_("Kết thúc phiên")),
                icon="lock",
                on_click=lambda: act(lambda: svc.close(ctx.principal, ctx.actor(), inv.id)),
            ).props("unelevated").mark("inv-close")
        else:
            ui.link(
                t(N_("Biên bản kiểm kê (PDF)")), f"/api/v1/asset-inventories/{inv.id}/minutes.pdf", new_tab=True
            ).mark("inv-minutes")
        ui.link(
            t(N_("Báo cáo chênh lệch (PDF)")), f"/api/v1/asset-inventories/{inv.id}/differences.pdf", new_tab=True
        ).mark("inv-differences")


def register_form(ctx: PageContext, inventory_id: int, tag: str, act: object) -> None:
    t = ctx.t
    with ui.expansion(t(N_("Đăng ký tài sản")), icon="add").mark(f"inv-register-{tag}"):
        number = ui.input(t(N_("Mã tài sản mới"))).props("maxlength=40 dense")
        name = ui.input(t(N_("Tên"))).props("maxlength=200 dense")
        category = ui.input(t(N_("Mã loại")), value="may-vi-tinh").props("maxlength=32 dense")
        unit = ui.input(t(N_("Mã đơn vị"))).props("maxlength=64 dense")
        cost = ui.number(t(N_("Nguyên giá")), min=1, max=10**15 - 1, format="%d").props("dense")
        day = ui.input(t(N_("Ngày sử dụng (dd/mm/yyyy)"))).props("maxlength=10 dense")

        def send() -> None:
            from datetime import datetime

            acquired: date = datetime.strptime((day.value or "").strip(), "%d/%m/%Y").date()
            inp = AssetInput(asset_number=number.value or "", name=name.value or "", category_code=category.value,
                             unit_code=unit.value or "", cost=int(cost.value or 0), acquired_on=acquired)  # fmt: skip
            ctx.services.asset_inventory.resolve(ctx.principal, ctx.actor(), inventory_id, "registered", tag=tag,
                                                 register=inp)  # fmt: skip

        ui.button(t(N_("Đăng ký tài sản")), on_click=lambda: act(send)).props("dense unelevated")  # type: ignore[operator]

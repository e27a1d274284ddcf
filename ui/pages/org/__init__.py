"""The organisation page (/org): the tree, a unit with its history, and the forms that change it.

Whoever may `org.view` (anyone signed in: the API's `GET /api/v1/org-units` says the same) sees the
units they reach — their own unit and the subtrees of their grants; the forms appear for system admins and office
admins, and the service (hub.org.service) decides each change — a refused one shows its reason in
Vietnamese and English and changes nothing. On a hub with no units a system admin is asked to set the
organisation up first (the dashboard and the reports link here).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from nicegui import run, ui

from hub.accounts.models import AccessDenied
from hub.org import access as org_access
from hub.org.models import NewUnit, OrgError, Unit, UnitDetail, UnitKindInfo
from hub.org.service import may_edit
from hub.services import HubServices
from ui.components.facts import facts
from ui.components.format import local_date
from ui.components.states import empty_state
from ui.i18n import N_
from ui.pages.org.imports import import_cards
from ui.shell import PageContext, module_page

CLOSED_MARK = N_("đã giải thể")

PATH = "/org"


def org_url(unit: str = "", closed: bool = False) -> str:
    query = {k: v for k, v in {"unit": unit, "closed": "1" if closed else ""}.items() if v}
    return PATH + (f"?{urlencode(query)}" if query else "")


def setup_notice(ctx: PageContext) -> None:
    """The empty hub's answer to a system admin (dashboard, reports): set the organisation up first."""
    with ui.card().classes("w-full max-w-xl mx-auto mt-8 items-center text-center").mark("org-setup"):
        ui.icon("account_tree").classes("text-5xl text-primary")
        ui.label(ctx.t(N_("Thiết lập tổ chức trước"))).classes("text-xl font-bold")
        ui.label(
            ctx.t(
                N_(
                    "Hệ thống chưa có đơn vị nào. Tạo đơn vị cấp cao nhất (Cục Hải quan) bên dưới, hoặc nhập danh sách "
                    "đơn vị từ tệp CSV/XLSX (cột: mã, tên, loại, mã đơn vị cấp trên, hiệu lực từ)."
                )
            )
        )
        ui.link(ctx.t(N_("Thiết lập cơ cấu tổ chức")), PATH).mark("org-setup-link")


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Cơ cấu tổ chức"), icon="account_tree", action=org_access.VIEW, order=52)
    async def org_page(ctx: PageContext, unit: str = "", closed: str = "") -> None:
        await render(ctx, unit.strip()[:64], closed == "1")


def kind_name(kinds: dict[str, UnitKindInfo], code: str, lang: str) -> str:
    return kinds[code].name(lang) if code in kinds else code


async def render(ctx: PageContext, unit_code: str, closed: bool) -> None:
    t, org = ctx.t, ctx.services.org
    ui.label(t(N_("Cơ cấu tổ chức"))).classes("text-xl font-bold")
    if await run.io_bound(org.demo_seeded):
        ui.label(
            t(
                N_(
                    "Dữ liệu trình diễn: tổ chức, cán bộ và chấm công ở đây do `cces demo` tạo ra, không phải dữ liệu "
                    "thật."
                )
            )
        ).classes("text-orange-9 bg-orange-1 p-2 rounded w-full").mark("org-demo")
    units = await run.io_bound(lambda: org.units(ctx.principal, include_closed=closed))
    kinds = {k.code: k for k in await run.io_bound(org.kinds)}
    editor = may_edit(ctx.principal)
    if not units:
        if ctx.principal.is_system_admin:
            setup_notice(ctx)
        else:
            empty_state(t(N_("(không)")), icon="account_tree", marker="org-empty")
    else:
        ui.label(
            t(
                N_(
                    "Cục Hải quan → Chi cục Hải quan khu vực → Hải quan cửa khẩu, đội, phòng (từ 01/03/2025). Mỗi thay "
                    "đổi có ngày hiệu lực; tên, cấp trên cũ và đơn vị đã sáp nhập được giữ trong lịch sử."
                )
            )
        ).classes("text-grey-8")
        if not editor:
            ui.label(
                t(N_("Chỉ quản trị hệ thống và quản trị đơn vị (với đơn vị cấp dưới) được thay đổi cơ cấu."))
            ).classes("text-grey-7").mark("org-read-only")
    with ui.row().classes("w-full gap-4 items-start flex-wrap"):
        if units:
            with ui.card().classes("w-full md:w-96"):
                ui.checkbox(t(N_("Hiện đơn vị đã giải thể, sáp nhập")), value=closed).on_value_change(
                    lambda e: ui.navigate.to(org_url(unit_code, bool(e.value)))
                ).mark("org-show-closed")
                _tree(ctx, units, unit_code, closed)
        with ui.column().classes("grow min-w-[20rem] gap-4"):
            chosen = next((u for u in units if u.code == unit_code), None)
            if chosen is not None:
                try:
                    detail = await run.io_bound(org.detail, ctx.principal, chosen.code)
                except (OrgError, AccessDenied) as exc:
                    ui.label(str(exc)).classes("text-negative")
                else:
                    _detail(ctx, detail, kinds, units)
            elif units:
                ui.label(t(N_("Chọn một đơn vị trong cây để xem chi tiết."))).classes("text-grey-7")
            if editor:
                _create_form(ctx, kinds, units, chosen)
                import_cards(ctx, units)


def _tree(ctx: PageContext, units: list[Unit], selected: str, closed: bool) -> None:
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for u in units:  # tree order: a parent before its children
        label = f"{u.name} ({u.code})" + (f" — {ctx.t(CLOSED_MARK)}" if u.valid_to else "")
        node: dict[str, Any] = {"id": u.code, "label": label, "children": []}
        nodes[u.id] = node
        parent = nodes.get(u.parent_id) if u.parent_id is not None else None
        (parent["children"] if parent is not None else roots).append(node)
    tree = ui.tree(roots, on_select=lambda e: e.value and ui.navigate.to(org_url(e.value, closed)))
    tree.props(f'selected="{selected}"' if selected else "").classes("w-full").mark("org-tree")
    tree.expand()


def _yes(ctx: PageContext, value: bool) -> str:
    return ctx.t(N_("Có")) if value else ctx.t(N_("Không"))


def _detail(ctx: PageContext, detail: UnitDetail, kinds: dict[str, UnitKindInfo], units: list[Unit]) -> None:
    t, u = ctx.t, detail.unit
    with ui.card().classes("w-full").mark("org-detail"):
        ui.label(f"{u.name} ({u.code})").classes("text-lg font-bold").mark("org-detail-name")
        rows = [
            (t(N_("Loại đơn vị")), kind_name(kinds, u.kind, ctx.lang)),
            (t(N_("Đơn vị cấp trên")), u.parent_code or t(N_("(không)"))),
            (t(N_("Hiệu lực từ")), local_date(u.valid_from) if u.valid_from else t(N_("từ đầu"))),
            (t(N_("Có con dấu riêng")), _yes(ctx, u.has_seal)),
            (t(N_("Là trụ sở")), _yes(ctx, u.is_office)),
            (t(N_("Số cán bộ")), str(detail.employees)),
            (t(N_("Đơn vị trực thuộc")), ", ".join(c.code for c in detail.children) or t(N_("(không)"))),
        ]
        if u.valid_to:
            rows.append((t(N_("Kết thúc từ")), local_date(u.valid_to)))
        if u.successor_code:
            rows.append((t(N_("Sáp nhập vào")), u.successor_code))
        if detail.predecessors:
            rows.append((t(N_("Đơn vị đã sáp nhập vào đây")), ", ".join(p.code for p in detail.predecessors)))
        facts(rows, marker="org-facts")
        ui.label(t(N_("Lịch sử (tên, mã, cấp trên)"))).classes("font-bold mt-2")
        columns = [
            {"name": k, "label": t(label), "field": k, "align": "left"}
            for k, label in (("from", N_("Từ ngày")), ("to", N_("Đến ngày")), ("name", N_("Tên đơn vị")),
                             ("code", N_("Mã đơn vị")),
                             ("kind", N_("Loại đơn vị")), ("parent", N_("Đơn vị cấp trên")))
        ]  # fmt: skip
        history = [
            {
                "key": i,
                "from": local_date(v.valid_from) if v.valid_from else t(N_("từ đầu")),
                "to": local_date(v.valid_to) if v.valid_to else t(N_("nay")),
                "name": v.name,
                "code": v.code,
                "kind": kind_name(kinds, v.kind, ctx.lang),
                "parent": f"{v.parent_name} ({v.parent_code})" if v.parent_code else t(N_("(không)")),
            }
            for i, v in enumerate(detail.versions)
        ]
        ui.table(columns=columns, rows=history, row_key="key").classes("w-full").props("flat dense bordered").mark(
            "org-history"
        )
    if may_edit(ctx.principal) and u.valid_to is None:
        _change_forms(ctx, u, units)


def _day(value: str | None) -> date | None:
    """A date input's value (ISO, from the browser's date picker); anything else is no date (today)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _options(units: list[Unit], leave_out: Unit | None = None) -> dict[str, str]:
    return {
        u.code: f"{'  ' * u.depth}{u.name} ({u.code})"
        for u in units
        if u.valid_to is None and (leave_out is None or not u.path.startswith(leave_out.path))
    }


def _error_label() -> ui.label:
    return ui.label().classes("text-negative")


async def _attempt(ctx: PageContext, error: ui.label, call: Any, *args: Any, go_to: str) -> None:
    """Run a change on a worker thread; its refusal in the error label (nothing changed), else reload."""
    error.text = ""
    try:
        await run.io_bound(call, ctx.principal, ctx.actor(), *args)
    except (OrgError, AccessDenied, ValueError) as exc:
        error.text = str(exc)
        return
    ui.notify(ctx.t(N_("Đã lưu")), type="positive")
    ui.navigate.to(go_to)


def _change_forms(ctx: PageContext, unit: Unit, units: list[Unit]) -> None:
    t, org = ctx.t, ctx.services.org
    here = org_url(unit.code)
    with ui.card().classes("w-full").mark("org-changes"):
        error = _error_label().mark("org-change-error")
        effective = ui.input(t(N_("Ngày hiệu lực"))).props("type=date outlined dense stack-label").mark("org-effective")
        with ui.row().classes("w-full items-end gap-2"):
            name = ui.input(t(N_("Tên đơn vị")), value=unit.name).props("outlined dense maxlength=200").classes("grow")
            name.mark("org-rename-name")
            ui.button(t(N_("Đổi tên")), icon="edit", on_click=lambda: _attempt(
                ctx, error, org.rename, unit.code, name.value or "", _day(effective.value), go_to=here
            )).props("unelevated dense").mark("org-rename")  # fmt: skip
        others = _options(units, leave_out=unit)
        with ui.row().classes("w-full items-end gap-2"):
            parent = (
                ui.select(others, label=t(N_("Đơn vị cấp trên")), with_input=True)
                .props("outlined dense")
                .classes("grow")
            )
            parent.mark("org-move-parent")
            ui.button(t(N_("Chuyển sang đơn vị cấp trên khác")), icon="drive_file_move", on_click=lambda: _attempt(
                ctx, error, org.move, unit.code, parent.value or "", _day(effective.value), go_to=here
            )).props("unelevated dense").mark("org-move")  # fmt: skip
        with ui.row().classes("w-full items-end gap-2"):
            into = (
                ui.select(others, label=t(N_("Sáp nhập vào")), with_input=True).props("outlined dense").classes("grow")
            )
            into.mark("org-merge-into")
            ui.button(t(N_("Sáp nhập vào đơn vị khác")), icon="call_merge", on_click=lambda: _attempt(
                ctx, error, org.merge, unit.code, into.value or "", _day(effective.value),
                go_to=org_url(into.value or ""),
            )).props("unelevated dense color=warning").mark("org-merge")  # fmt: skip
        ui.label(t(N_("Đơn vị trực thuộc và cán bộ chuyển sang đơn vị nhận; đơn vị này kết thúc."))).classes(
            "text-sm text-grey-7"
        )
        with ui.row().classes("w-full items-center gap-2"):
            ui.button(t(N_("Giải thể")), icon="block", on_click=lambda: _attempt(
                ctx, error, org.close, unit.code, _day(effective.value), go_to=PATH
            )).props("unelevated dense color=negative").mark("org-close")  # fmt: skip
            ui.label(t(N_("Chỉ giải thể được đơn vị không còn đơn vị trực thuộc và cán bộ."))).classes(
                "text-sm text-grey-7"
            )


def _create_form(ctx: PageContext, kinds: dict[str, UnitKindInfo], units: list[Unit], chosen: Unit | None) -> None:
    t, org = ctx.t, ctx.services.org
    today = date.today()
    current = {k.code: k.name(ctx.lang) for k in kinds.values() if k.in_force(today)}
    with ui.card().classes("w-full").mark("org-create"):
        ui.label(t(N_("Thành lập đơn vị"))).classes("font-bold")
        error = _error_label().mark("org-create-error")
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            code = (
                ui.input(t(N_("Mã đơn vị"))).props("outlined dense maxlength=32").classes("w-40").mark("org-new-code")
            )
            name = (
                ui.input(t(N_("Tên đơn vị"))).props("outlined dense maxlength=200").classes("grow").mark("org-new-name")
            )
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            first = next(iter(current)) if not units else next((c for c in current if c != "customs_department"), None)
            kind = ui.select(current, label=t(N_("Loại đơn vị")), value=first).props("outlined dense").classes("w-64")
            kind.mark("org-new-kind")
            parent = ui.select(
                {"": t(N_("(không)")), **_options(units)}, label=t(N_("Đơn vị cấp trên")), with_input=True,
                value=chosen.code if chosen is not None and chosen.valid_to is None else "",
            ).props("outlined dense").classes("grow").mark("org-new-parent")  # fmt: skip
            start = ui.input(t(N_("Hiệu lực từ"))).props("type=date outlined dense stack-label").mark("org-new-from")

        async def create() -> None:
            try:
                new = NewUnit(code.value or "", name.value or "", kind.value or "", parent.value or None,
                              _day(start.value))  # fmt: skip
            except ValueError as exc:
                error.text = str(exc)
                return
            await _attempt(ctx, error, org.create, new, go_to=org_url((code.value or "").strip()))

        ui.button(t(N_("Thành lập đơn vị")), icon="add", on_click=create).props("unelevated").mark("org-new-create")

"""Asset movements on the web: on an asset's page (/assets?asset=…) its movements with return / cancel
buttons and a form to check it out or request a transfer, repair, loan or liquidation; and the approvals page
(/asset-movements) listing the requests waiting in one's units, each approved or rejected with a note.

Who may: hub.assets.access.MOVE (asset officers) records, APPROVE_MOVE (managers, asset officers) decides —
never one's own request (the service refuses it in words). Vietnamese first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from nicegui import ui

from hub.access import Target, gate
from hub.assets import access
from hub.assets.models import Asset
from hub.assets.movements.models import KIND_LABELS, STATUS_LABELS, Movement, MovementInput
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_date, local_time
from ui.components.states import empty_state
from ui.components.tables import columns, data_table
from ui.i18n import N_
from ui.shell import PageContext, module_page

PATH = "/asset-movements"


def label(pairs: dict[str, tuple[str, str]], code: str, lang: str) -> str:
    pair = pairs.get(code)
    return code if pair is None else pair[0 if lang == "vi" else 1]


def target_of(m: Movement) -> str:
    parts = [m.employee_name or "", m.location_name or "", m.to_unit_code or "", m.party or ""]
    if m.decision_number:
        parts.append(f"QĐ {m.decision_number} ({local_date(m.decision_date)})" if m.decision_date else "")
    return ", ".join(p for p in parts if p) or "—"


def _day(text: str | None) -> date | None:
    from datetime import datetime

    text = (text or "").strip()
    if not text:
        return None
    return datetime.strptime(text, "%d/%m/%Y").date()


def draw_movements(ctx: PageContext, asset: Asset, reload: Callable[[], None]) -> None:
    """The asset's movements, their buttons, and the form for a new one (asset page)."""
    svc = ctx.services.asset_movements
    t = ctx.t
    ui.label(t(N_("Cấp phát, điều chuyển"))).classes("text-lg mt-4")
    try:
        found = svc.of_asset(ctx.principal, asset.asset_number)
    except DomainError as exc:
        ui.label(str(exc)).classes("text-negative")
        return
    may_move = gate.allows_on(ctx.principal, access.MOVE, Target.unit(asset.unit_path))

    def act(run: Callable[[], object]) -> None:
        try:
            run()
        except (DomainError, ValueError) as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        ui.notify(t(N_("Đã ghi nhận")), type="positive")
        reload()

    actor = ctx.actor()
    for m in found:
        with ui.row().classes("w-full items-center gap-3").mark(f"move-{m.id}"):
            ui.label(f"{local_time(m.requested_at, seconds=False)} · {label(KIND_LABELS, m.kind, ctx.lang)}")
            ui.badge(label(STATUS_LABELS, m.status, ctx.lang)).mark(f"move-status-{m.id}")
            ui.label(f"{target_of(m)} — {m.reason}").classes("text-sm text-grey-8")
            if may_move and m.status == "approved" and m.kind in ("checkout", "repair", "loan"):
                ui.button(
                    t(N_("Nhận lại")), on_click=lambda mid=m.id: act(lambda: svc.return_(ctx.principal, actor, mid))
                ).props("dense flat").mark(f"move-return-{m.id}")
            if may_move and m.status == "requested":
                ui.button(
                    t(N_("Hủy đề nghị")), on_click=lambda mid=m.id: act(lambda: svc.cancel(ctx.principal, actor, mid))
                ).props("dense flat").mark(f"move-cancel-{m.id}")
    if not may_move or asset.status == "liquidated":
        return
    with ui.expansion(t(N_("Ghi cấp phát / đề nghị mới")), icon="swap_horiz").classes("w-full").mark("move-form"):
        kind = (
            ui.select({k: label(KIND_LABELS, k, ctx.lang) for k in KIND_LABELS}, value="checkout", label=t(N_("Loại")))
            .classes("w-72")
            .mark("move-kind")
        )
        reason = ui.input(t(N_("Lý do"))).props("maxlength=2000").classes("w-full").mark("move-reason")
        employee = ui.input(t(N_("Mã cán bộ nhận"))).props("maxlength=64").mark("move-employee")
        location = ui.input(t(N_("Mã vị trí mới"))).props("maxlength=64").mark("move-location")
        unit = ui.input(t(N_("Mã đơn vị mới"))).props("maxlength=64").mark("move-unit")
        party = ui.input(t(N_("Bên mượn / nơi sửa chữa"))).props("maxlength=200").mark("move-party")
        due = ui.input(t(N_("Hạn trả (dd/mm/yyyy)"))).props("maxlength=10").mark("move-due")
        number = ui.input(t(N_("Số quyết định thanh lý"))).props("maxlength=100").mark("move-decision-number")
        decided = ui.input(t(N_("Ngày quyết định (dd/mm/yyyy)"))).props("maxlength=10").mark("move-decision-date")
        signer = ui.input(t(N_("Người ký quyết định"))).props("maxlength=200").mark("move-signer")
        shown = {
            "checkout": (employee, due), "transfer": (location, unit), "repair": (party, due), "loan": (party, due),
            "liquidation": (number, decided, signer),
        }  # fmt: skip

        def show() -> None:
            wanted = shown[kind.value]
            for field in (employee, location, unit, party, due, number, decided, signer):
                field.set_visibility(field in wanted)

        kind.on_value_change(lambda _: show())
        show()

        def send() -> None:
            try:
                inp = MovementInput(
                    kind=kind.value, reason=reason.value or "", employee_code=employee.value or None,
                    location_code=location.value or None, unit_code=unit.value or None, party=party.value or None,
                    due_on=_day(due.value), decision_number=number.value or None, decision_date=_day(decided.value),
                    decision_signer=signer.value or None,
                )  # fmt: skip
            except ValueError:
                ui.notify(t(N_("Ngày phải theo dạng dd/mm/yyyy")), type="negative")
                return
            act(lambda: svc.request(ctx.principal, actor, asset.asset_number, inp))

        ui.button(t(N_("Ghi nhận")), icon="send", on_click=send).props("unelevated").mark("move-send")


def register(services: HubServices) -> None:
    @module_page(
        PATH, text_key=N_("Duyệt điều chuyển tài sản"), icon="swap_horiz", action=access.APPROVE_MOVE, order=61
    )
    def approvals_page(ctx: PageContext) -> None:
        ui.label(ctx.t(N_("Duyệt điều chuyển tài sản"))).classes("text-2xl font-bold")
        ui.label(
            ctx.t(
                N_(
                    "Đề nghị điều chuyển, sửa chữa, cho mượn, thanh lý tài sản của đơn vị "
                    "đang chờ duyệt. Không tự duyệt đề nghị của chính mình."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        body = ui.column().classes("w-full")

        def draw() -> None:
            body.clear()
            with body:
                waiting(ctx, draw)

        draw()


def waiting(ctx: PageContext, reload: Callable[[], None]) -> None:
    svc = ctx.services.asset_movements
    t = ctx.t
    found = svc.listing(ctx.principal, "requested", limit=200)
    if not found:
        empty_state(t(N_("Không có đề nghị nào chờ duyệt.")), marker="moves-empty")
        return
    data_table(
        columns(t, [("asset", N_("Tài sản")), ("kind", N_("Loại")), ("target", N_("Đến / bên nhận")),
                    ("reason", N_("Lý do")), ("by", N_("Người đề nghị")), ("at", N_("Thời điểm"))]),
        [{"id": m.id, "asset": f"{m.asset_number} — {m.asset_name}", "kind": label(KIND_LABELS, m.kind, ctx.lang),
          "target": target_of(m), "reason": m.reason, "by": m.requested_by,
          "at": local_time(m.requested_at, seconds=False)} for m in found],
        row_key="id", marker="moves-table", wrap=True,
    )  # fmt: skip
    for m in found:
        with ui.row().classes("w-full items-end gap-2").mark(f"moves-decide-{m.id}"):
            ui.label(f"#{m.id} {m.asset_number}").classes("font-bold")
            note = ui.input(t(N_("Ghi chú"))).props("maxlength=2000 dense").classes("grow").mark(f"moves-note-{m.id}")

            def decide(mid: int, approve: bool, box: ui.input = note) -> None:
                run = svc.approve if approve else svc.reject
                try:
                    run(ctx.principal, ctx.actor(), mid, box.value or None)
                except DomainError as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                ui.notify(t(N_("Đã ghi nhận")), type="positive")
                reload()

            ui.button(t(N_("Duyệt")), on_click=lambda mid=m.id: decide(mid, True)).props(
                "unelevated color=positive dense"
            ).mark(f"moves-approve-{m.id}")
            ui.button(t(N_("Từ chối")), on_click=lambda mid=m.id: decide(mid, False)).props(
                "unelevated color=negative dense"
            ).mark(f"moves-reject-{m.id}")

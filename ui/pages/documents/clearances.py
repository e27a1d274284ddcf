"""Clearances for secret documents (quyền tiếp cận văn bản mật, issue 15 item 6): /documents/clearances — the
accounts cleared to read MẬT, TỐI MẬT or TUYỆT MẬT documents, with the decision clearing each and who set it
when, and the form that sets or withdraws an account's clearance. The same service call as
`PUT /api/v1/documents/clearances/{username}`, so the rule book decides who may
(hub.documents.secrecy.access.SET_CLEARANCE: the system admin) and the service checks again and audits.
Grants of one secret document to a person are on that document's page (ui/pages/documents/grants_panel.py)."""

from __future__ import annotations

from nicegui import ui

from hub.access import AccessDenied
from hub.documents.secrecy import access
from hub.documents.secrecy.models import LEVEL_LABELS, Clearance
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import NOTHING, local_time
from ui.components.states import empty_state
from ui.components.tables import columns, data_table
from ui.i18n import N_
from ui.pages.documents.texts import pick
from ui.shell import PageContext, forbidden, module_page

PATH = "/documents/clearances"
TITLE = N_("Quyền tiếp cận văn bản mật")
#: the longest basis the service takes (hub.documents.secrecy.service.set_clearance)
MAX_BASIS = 200
MAX_USERNAME = 64


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=TITLE, icon="admin_panel_settings", action=access.SET_CLEARANCE, order=77)
    def clearances_page(ctx: PageContext) -> None:
        t, secrecy = ctx.t, ctx.services.documents.secrecy
        ui.label(t(TITLE)).classes("text-2xl font-bold")
        ui.label(
            t(
                N_(
                    "Văn bản MẬT, TỐI MẬT, TUYỆT MẬT chỉ người được cấp quyền tiếp cận từ mức đó trở lên và có liên"
                    " quan đến văn bản mới xem được. Cấp quyền theo quyết định của cấp có thẩm quyền; chọn «Không"
                    " được tiếp cận văn bản mật» để thu hồi. Mọi thay đổi đều được ghi nhật ký."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        try:
            found = secrecy.clearances(ctx.principal)
        except AccessDenied:
            forbidden(ctx)
            return
        _form(ctx)
        ui.label(t(N_("Tài khoản được cấp quyền"))).classes("text-xl mt-4")
        if not found:
            empty_state(t(N_("Chưa có tài khoản nào được cấp quyền tiếp cận văn bản mật.")), marker="cl-empty")
            return
        _table(ctx, found)


def _table(ctx: PageContext, found: list[Clearance]) -> None:
    t = ctx.t
    cols = columns(t, [("username", N_("Tên đăng nhập")), ("name", N_("Họ tên")), ("level", N_("Mức được tiếp cận")),
                       ("basis", N_("Căn cứ (quyết định)")), ("set_by", N_("Người cấp")),
                       ("set_at", N_("Thời gian cấp"))])  # fmt: skip
    rows = [{"username": c.username, "name": c.display_name, "level": pick(LEVEL_LABELS[c.level], ctx.lang),
             "basis": c.basis or NOTHING, "set_by": c.set_by or NOTHING, "set_at": local_time(c.set_at)}
            for c in found]  # fmt: skip
    data_table(cols, rows, row_key="username", marker="cl-list", wrap=True)


def _form(ctx: PageContext) -> None:
    t, secrecy = ctx.t, ctx.services.documents.secrecy
    with ui.card().classes("w-full").mark("cl-form"):
        ui.label(t(N_("Cấp hoặc thu hồi quyền"))).classes("font-bold")
        with ui.row().classes("items-end gap-4 flex-wrap"):
            username = ui.input(t(N_("Tên đăng nhập"))).props(f"dense maxlength={MAX_USERNAME}").classes("w-56")
            username.mark("cl-username")
            levels = {level: pick(LEVEL_LABELS[level], ctx.lang) for level in sorted(LEVEL_LABELS)}
            level = ui.select(levels, value=1, label=t(N_("Mức được tiếp cận"))).classes("w-64").mark("cl-level")
            basis = ui.input(t(N_("Căn cứ: số quyết định (tối đa 200 ký tự)"))).props(f"dense maxlength={MAX_BASIS}")
            basis.classes("w-[28rem]").mark("cl-basis")
        problem = ui.label().classes("text-negative").mark("cl-problem")

        def save() -> None:
            problem.set_text("")
            name = (username.value or "").strip()
            if not name:
                problem.set_text(t(N_("Hãy nhập tên đăng nhập.")))
                return
            try:
                secrecy.set_clearance(ctx.principal, name, int(level.value or 0), basis.value or None)
            except (DomainError, AccessDenied) as exc:
                problem.set_text(str(exc))  # the service's words, Vietnamese / English; nothing was written
                return
            ui.navigate.to(PATH)

        ui.button(t(N_("Lưu")), icon="save", on_click=save).mark("cl-save")

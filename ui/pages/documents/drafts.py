"""Outgoing documents (issue 15 item 3): /documents/drafts — my drafts, the drafts waiting for my review, my
signature or my release (văn thư), and the released ones with their numbers; /documents/drafts?id=… — one
draft (ui.pages.documents.draft: the editor, versions, comments and the chain's steps; the link the
notifications carry); /documents/drafts/new — a new draft. Who may: hub.documents.access.DRAFT (anyone signed
in: the service narrows it to the draft's participants); each step is checked again by the service."""

from __future__ import annotations

from nicegui import ui

from hub.documents import access
from hub.documents.outgoing.models import Draft, InboxItem
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_time
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_, pgettext
from ui.pages.documents import draft as draft_view
from ui.pages.documents.draft_form import draft_fields
from ui.pages.documents.drafts_texts import STATES
from ui.shell import PageContext, module_page

#: texts shown inside composed lines (a constant, so that Babel extracts them)
RELEASED = pgettext("drafts: released", "Đã phát hành")

PATH = "/documents/drafts"
NEW_PATH = "/documents/drafts/new"
#: the lists on the page: (text key, marker, what the inbox says the draft waits for)
LISTS = (
    (N_("Dự thảo của tôi"), "drafts-mine", ("edit", "others")),
    (pgettext("drafts: review", "Chờ tôi duyệt"), "drafts-review", ("review",)),
    (N_("Chờ tôi ký"), "drafts-sign", ("sign",)),
    (N_("Chờ phát hành"), "drafts-release", ("release",)),
)


def register(services: HubServices) -> None:

    @module_page(PATH, text_key=N_("Văn bản đi: dự thảo và phát hành"), icon="outbox", action=access.DRAFT, order=73)
    def drafts_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the notifications' link parameter
        if id:
            draft_view.draw(ctx, id)
            return
        _lists(ctx)

    @module_page(
        NEW_PATH, text_key=N_("Soạn dự thảo mới"), icon="edit_note", action=access.DRAFT, order=76, in_nav=False
    )
    def new_page(ctx: PageContext) -> None:
        _new(ctx)


def _rows(ctx: PageContext, drafts: list[tuple[Draft, str]]) -> list[dict[str, object]]:
    return [
        {
            "id": d.id, "href": f"{PATH}?id={d.id}", "subject": d.subject, "type": d.type_name_vi,
            "unit": d.unit_code, "drafter": d.created_by, "state": ctx.t(STATES[d.state]),
            "created": local_time(d.created_at, seconds=False), "number": number,
            "released": local_time(d.released_at, seconds=False) if d.released_at else "",
        }
        for d, number in drafts
    ]  # fmt: skip


def _table(ctx: PageContext, drafts: list[tuple[Draft, str]], marker: str, *, released: bool = False) -> None:
    if not drafts:
        empty_state(ctx.t(N_("Không có dự thảo nào.")), marker=f"{marker}-empty")
        return
    specs = [
        ("subject", N_("Trích yếu")),
        ("type", N_("Loại văn bản")),
        ("unit", N_("Đơn vị ban hành (mã, có con dấu)")),
        ("drafter", N_("Người soạn thảo")),
    ]
    specs += (
        [("number", N_("Số, ký hiệu")), ("released", N_("Phát hành lúc"))]
        if released
        else [("state", N_("Bước")), ("created", N_("Ngày tạo"))]
    )
    table = data_table(columns(ctx.t, specs), _rows(ctx, drafts), row_key="id", marker=marker, wrap=True)
    link_cell(table, "subject")


def _lists(ctx: PageContext) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    ui.label(t(N_("Văn bản đi: dự thảo và phát hành"))).classes("text-2xl font-bold")
    ui.label(
        t(
            N_(
                "Dự thảo của tôi, dự thảo chờ tôi duyệt, chờ tôi ký, chờ phát hành và văn bản đã phát"
                " hành. Trình tự: chuyên viên soạn thảo → lãnh đạo đơn vị → lãnh đạo ký → văn thư cấp số"
                " và phát hành (NĐ 30/2020)."
            )
        )
    ).classes("text-sm text-grey-8 max-w-4xl")
    ui.button(t(N_("Soạn dự thảo mới")), icon="edit_note", on_click=lambda: ui.navigate.to(NEW_PATH)).mark("drafts-new")
    try:
        inbox: list[InboxItem] = outgoing.inbox(ctx.principal)
        released = outgoing.released(ctx.principal, limit=100)
    except DomainError as exc:
        show_problem(str(exc), marker="drafts-problem")
        return
    for key, marker, waiting in LISTS:
        chosen = [(i.draft, "") for i in inbox if i.waiting_for in waiting]
        if key == N_("Dự thảo của tôi"):  # only the caller's own: "others" also holds nothing else today, but be exact
            chosen = [(d, n) for d, n in chosen if d.created_by_user_id == ctx.principal.user_id]
        ui.label(f"{t(key)} ({len(chosen)})").classes("text-xl mt-4")
        _table(ctx, chosen, marker)
    ui.label(f"{t(RELEASED)} ({len(released)})").classes("text-xl mt-4")
    _table(ctx, [(r.draft, r.number_line) for r in released], "drafts-released", released=True)


def _new(ctx: PageContext) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    ui.label(t(N_("Soạn dự thảo mới"))).classes("text-2xl font-bold")
    with ui.card().classes("w-full"):
        with ui.row().classes("items-end gap-2"):
            unit = (
                ui.input(t(N_("Đơn vị ban hành (mã, có con dấu)")))
                .props("dense maxlength=64")
                .classes("w-72")
                .mark("drafts-field-unit")
            )
            drafting = ui.input(t(N_("Đơn vị soạn thảo (mã)"))).props("dense maxlength=64").classes("w-72")
            drafting.mark("drafts-field-drafting-unit")
        fields = draft_fields(ctx)
        problem = ui.label().classes("text-negative").mark("drafts-problem")

        def create() -> None:
            problem.set_text("")
            try:
                saved = outgoing.create(
                    ctx.principal, (unit.value or "").strip(), **fields.values(),
                    drafting_unit_code=(drafting.value or "").strip() or None, recipients=fields.recipients(),
                )  # fmt: skip
            except DomainError as exc:
                problem.set_text(str(exc))
                return
            ui.navigate.to(f"{PATH}?id={saved.id}")

        ui.button(t(N_("Tạo dự thảo")), icon="save", on_click=create).mark("drafts-create")

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
from ui.pages.documents import draft as draft_view
from ui.pages.documents.draft_form import draft_fields
from ui.pages.documents.drafts_texts import STATES, register_draft_texts
from ui.pages.documents.texts import pick
from ui.shell import PageContext, module_page

PATH = "/documents/drafts"
NEW_PATH = "/documents/drafts/new"
#: the lists on the page: (text key, marker, what the inbox says the draft waits for)
LISTS = (
    ("drafts.mine", "drafts-mine", ("edit", "others")),
    ("drafts.review", "drafts-review", ("review",)),
    ("drafts.sign", "drafts-sign", ("sign",)),
    ("drafts.release", "drafts-release", ("release",)),
)


def register(services: HubServices) -> None:
    register_draft_texts()

    @module_page(PATH, text_key="drafts.title", icon="outbox", action=access.DRAFT, order=73)
    def drafts_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the notifications' link parameter
        if id:
            draft_view.draw(ctx, id)
            return
        _lists(ctx)

    @module_page(NEW_PATH, text_key="drafts.new", icon="edit_note", action=access.DRAFT, order=76, in_nav=False)
    def new_page(ctx: PageContext) -> None:
        _new(ctx)


def _rows(ctx: PageContext, drafts: list[tuple[Draft, str]]) -> list[dict[str, object]]:
    return [
        {
            "id": d.id, "href": f"{PATH}?id={d.id}", "subject": d.subject, "type": d.type_name_vi,
            "unit": d.unit_code, "drafter": d.created_by, "state": pick(STATES[d.state], ctx.lang),
            "created": local_time(d.created_at, seconds=False), "number": number,
            "released": local_time(d.released_at, seconds=False) if d.released_at else "",
        }
        for d, number in drafts
    ]  # fmt: skip


def _table(ctx: PageContext, drafts: list[tuple[Draft, str]], marker: str, *, released: bool = False) -> None:
    if not drafts:
        empty_state(ctx.t("drafts.none"), marker=f"{marker}-empty")
        return
    specs = [("subject", "drafts.subject"), ("type", "drafts.type"), ("unit", "drafts.unit"),
             ("drafter", "drafts.drafter")]  # fmt: skip
    specs += (
        [("number", "drafts.number"), ("released", "drafts.released_at")]
        if released
        else [("state", "drafts.state"), ("created", "drafts.created")]
    )
    table = data_table(columns(ctx.t, specs), _rows(ctx, drafts), row_key="id", marker=marker, wrap=True)
    link_cell(table, "subject")


def _lists(ctx: PageContext) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    ui.label(t("drafts.title")).classes("text-2xl font-bold")
    ui.label(t("drafts.intro")).classes("text-sm text-grey-8 max-w-4xl")
    ui.button(t("drafts.new"), icon="edit_note", on_click=lambda: ui.navigate.to(NEW_PATH)).mark("drafts-new")
    try:
        inbox: list[InboxItem] = outgoing.inbox(ctx.principal)
        released = outgoing.released(ctx.principal, limit=100)
    except DomainError as exc:
        show_problem(str(exc), marker="drafts-problem")
        return
    for key, marker, waiting in LISTS:
        chosen = [(i.draft, "") for i in inbox if i.waiting_for in waiting]
        if key == "drafts.mine":  # only the caller's own: "others" also holds nothing else today, but be exact
            chosen = [(d, n) for d, n in chosen if d.created_by_user_id == ctx.principal.user_id]
        ui.label(f"{t(key)} ({len(chosen)})").classes("text-xl mt-4")
        _table(ctx, chosen, marker)
    ui.label(f"{t('drafts.released')} ({len(released)})").classes("text-xl mt-4")
    _table(ctx, [(r.draft, r.number_line) for r in released], "drafts-released", released=True)


def _new(ctx: PageContext) -> None:
    t, outgoing = ctx.t, ctx.services.outgoing
    ui.label(t("drafts.new")).classes("text-2xl font-bold")
    with ui.card().classes("w-full"):
        with ui.row().classes("items-end gap-2"):
            unit = ui.input(t("drafts.unit")).props("dense maxlength=64").classes("w-72").mark("drafts-field-unit")
            drafting = ui.input(t("drafts.drafting_unit")).props("dense maxlength=64").classes("w-72")
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

        ui.button(t("drafts.create"), icon="save", on_click=create).mark("drafts-create")

"""/documents/entry?id=…: one document — its metadata and marks, its files shown in the browser (PDFs in a
frame, images inline, Office files to download), the leader's instruction with each handler's derived
status, progress and extensions; the leader's assignment form while it is not assigned, the leader's
decision on a waiting extension, and a handler's own progress, extension request and finishing.
Who may: hub.documents.access.READ_DOCUMENT (the service narrows it: the unit's văn thư and managers,
and the document's handlers); every action is checked again by the service. A secret document's grants: a panel
of their own (ui.pages.documents.grants_panel)."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import ui

from hub.access import gate
from hub.documents import access
from hub.documents.handling.models import STATUS_LABELS, Assignment, Handler, HandlerSpec, UnknownHandling
from hub.documents.handling.service import member_paths
from hub.documents.models import Document
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.facts import facts
from ui.components.format import local_date, local_time
from ui.components.states import show_problem
from ui.i18n import N_, pgettext
from ui.pages.documents.casefiles import document_files
from ui.pages.documents.grants_panel import grants_panel
from ui.pages.documents.texts import SECRECY, URGENCY, pick
from ui.shell import PageContext, module_page

#: texts shown inside composed lines (a constant, so that Babel extracts them)
NUMBER = N_("Số đến")
REGISTERED_LATE = N_("Vào sổ muộn")
INSTRUCTION = N_("Ý kiến chỉ đạo")
INSTRUCTED = N_("hạn giao ban đầu")
DEADLINE = N_("Hạn xử lý")
RESULT = N_("Kết quả xử lý")
EXTENSION = N_("Đề nghị gia hạn")
HANDLER = N_("Đơn vị (mã) hoặc người (tên đăng nhập)")

PATH = "/documents/entry"

#: an extension request's decision (hub.documents.handling: approved | refused)
_DECISIONS = {"approved": N_("đã đồng ý"), "refused": N_("không đồng ý")}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def _mine(ctx: PageContext, h: Handler) -> bool:
    if h.user_id is not None:
        return h.user_id == ctx.principal.user_id
    return any(p.startswith(h.unit_path or "\0") for p in member_paths(ctx.principal))


def register(services: HubServices) -> None:
    @module_page(
        PATH,
        text_key=pgettext("docs: entry title", "Văn bản"),
        icon="description",
        action=access.READ_DOCUMENT,
        order=72,
        in_nav=False,
    )
    def entry_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the link's query parameter
        svc = ctx.services.documents
        try:
            doc = svc.document(ctx.principal, int(id))
        except (DomainError, ValueError) as exc:
            show_problem(str(exc) if isinstance(exc, DomainError) else "?", marker="docs-entry-problem")
            return
        _document(ctx, doc)
        try:
            _assignment(ctx, doc, svc.handling.assignment(ctx.principal, doc.id))
        except UnknownHandling:  # a secret document granted to someone outside its unit: the document only
            pass
        document_files(ctx, doc.id)  # the case files it is in (hub.documents.casefiles)
        grants_panel(ctx, doc, lambda: _reload(doc))  # a secret one's grants, for a cleared leader of its unit


def _document(ctx: PageContext, doc: Document) -> None:
    t = ctx.t
    title = f"{t(NUMBER)} {doc.number:02d} ({doc.unit_code}) — {doc.code_number}/{doc.code_notation}"
    ui.label(title).classes("text-2xl font-bold").mark("docs-entry-title")
    if doc.marks:
        ui.label(" · ".join(doc.marks)).classes("text-lg font-bold text-red-600").mark("docs-marks")
    facts(
        [
            (t(N_("Loại văn bản")), doc.type_name_vi), (t(N_("Cơ quan ban hành")), doc.organ_name),
            (t(N_("Ngày văn bản")), local_date(doc.issued_date)), (t(N_("Ngày đến")), local_date(doc.arrival_date)),
            (t(N_("Trích yếu")), doc.subject), (t(N_("Độ khẩn")), t(URGENCY[doc.urgency])),
            (t(N_("Độ mật")), t(SECRECY[doc.secrecy])),
            *([(t(N_("Hạn trả lời")), local_date(doc.due_date))] if doc.due_date else []),
            (t(N_("Người ký")), " — ".join(x for x in (doc.signer_position, doc.signer_name) if x) or "—"),
            (t(N_("Vào sổ lúc")), f"{local_time(doc.registered_at, seconds=False)}"
             f"{' — ' + t(REGISTERED_LATE) if doc.registered_late else ''}"),
        ],
        marker="docs-entry-facts",
    )  # fmt: skip
    for f in doc.files:
        url = f"/api/v1/documents/entries/{doc.id}/files/{f.id}"
        with ui.card().classes("w-full").mark(f"docs-file-{f.id}"):
            with ui.row().classes("items-center gap-4"):
                ui.label(f"{f.filename} ({f.size_bytes / 1024:.0f} KB)").classes("font-bold")
                ui.link(t(N_("Tải về")), f"{url}?download=true", new_tab=True)
                if f.text_status == "pending":
                    ui.label(t(N_("đang đọc nội dung…"))).classes("text-sm text-grey-7")
            if f.content_type == "application/pdf":
                ui.element("iframe").props(f'src="{url}" title="{f.filename}"').classes("w-full h-[70vh] border")
            elif f.content_type in ("image/jpeg", "image/png"):
                ui.image(url).classes("max-w-3xl").props(f'alt="{f.filename}"')


def _assignment(ctx: PageContext, doc: Document, assignment: Assignment | None) -> None:
    t, handling = ctx.t, ctx.services.documents.handling
    ui.label(t(N_("Phiếu giải quyết văn bản đến"))).classes("text-xl mt-4")
    leader = gate.allows(ctx.principal, access.ASSIGN)
    if assignment is None:
        ui.label(t(N_("Chưa giao xử lý."))).mark("docs-not-assigned")
        if leader and doc.direction.value == "incoming":
            _assign_form(ctx, doc)
        return
    if assignment.comment:
        ui.label(f"{t(INSTRUCTION)}: {assignment.comment} — {assignment.assigned_by}").mark("docs-comment")
    today = handling.today()
    for h in assignment.handlers:
        with ui.card().classes("w-full").mark(f"docs-handler-{h.id}"):
            role = t(pgettext("docs: lead", "Chủ trì")) if h.lead else t(N_("Phối hợp"))
            status = pick(STATUS_LABELS[h.status(today)], ctx.lang)
            extra = (
                f" ({t(INSTRUCTED)} {local_date(h.instructed_deadline)})" if h.deadline != h.instructed_deadline else ""
            )
            ui.label(f"{role}: {h.who} — {t(DEADLINE)} {local_date(h.deadline)}{extra} — {status}").classes(
                "font-bold"
            ).mark(f"docs-handler-status-{h.id}")
            for p in h.progress:
                ui.label(f"{local_time(p.at, seconds=False)} {p.by_user}: {p.note}").classes("text-sm")
            if h.result_note or h.reply_document_id:
                ui.label(f"{t(RESULT)}: {h.result_note or ''} {h.reply_document_id or ''}").classes("text-sm")
            for x in h.extensions:
                said = t(N_("chờ quyết định")) if x.decision is None else t(_DECISIONS[x.decision])
                ui.label(f"{t(EXTENSION)}: {local_date(x.new_deadline)} — {x.reason} ({said})").classes("text-sm")
                if x.decision is None and leader:
                    _decision(ctx, doc, x.id)
            if h.finished_at is None and _mine(ctx, h):
                _handler_form(ctx, doc, h)


def _reload(doc: Document) -> None:
    ui.navigate.to(f"{PATH}?id={doc.id}")


def _run(action: Any, doc: Document, problem: ui.label) -> None:
    try:
        action()
    except DomainError as exc:
        problem.set_text(str(exc))
        return
    _reload(doc)


def _assign_form(ctx: PageContext, doc: Document) -> None:
    t, handling = ctx.t, ctx.services.documents.handling
    rows: list[tuple[ui.input, ui.checkbox, ui.input]] = []
    with ui.card().classes("w-full").mark("docs-assign"):
        ui.label(t(N_("Giao xử lý (lãnh đạo)"))).classes("font-bold")
        ui.label(
            t(
                N_(
                    "Đơn vị hoặc người chủ trì, các đơn vị, người phối hợp, mỗi nơi một hạn; ghi mã đơn vị"
                    " (DOI1) hoặc tên đăng nhập."
                )
            )
        ).classes("text-sm text-grey-7")
        holder = ui.column().classes("w-full")

        def add_row(label: str) -> None:
            with holder, ui.row().classes("items-end gap-2"):
                who = ui.input(f"{label}: {t(HANDLER)}").props("dense maxlength=64").classes("w-72")
                person = ui.checkbox(t(N_("là một người")))
                day = ui.input(t(N_("Hạn xử lý"))).props("dense type=date")
                n = len(rows)
                who.mark(f"docs-assign-who-{n}")
                person.mark(f"docs-assign-person-{n}")
                day.mark(f"docs-assign-deadline-{n}")
                rows.append((who, person, day))

        add_row(t(pgettext("docs: lead", "Chủ trì")))
        ui.button(t(N_("Thêm nơi phối hợp")), icon="add", on_click=lambda: add_row(t(N_("Phối hợp")))).props(
            "flat dense"
        )
        comment = (
            ui.textarea(t(N_("Ý kiến chỉ đạo"))).props("maxlength=2000").classes("w-full").mark("docs-assign-comment")
        )
        problem = ui.label().classes("text-negative").mark("docs-assign-problem")

        def assign() -> None:
            specs = []
            for who, person, day in rows:
                name = (who.value or "").strip()
                if not name:
                    continue
                deadline = _day(day.value) or handling.today()
                specs.append(
                    HandlerSpec(deadline, username=name) if person.value else HandlerSpec(deadline, unit_code=name)
                )
            if not specs:
                problem.set_text(f"{t(HANDLER)}?")
                return
            _run(
                lambda: handling.assign(ctx.principal, doc.id, specs[0], specs[1:], comment.value or None), doc, problem
            )

        ui.button(t(N_("Giao xử lý")), icon="send", on_click=assign).mark("docs-assign-button")


def _decision(ctx: PageContext, doc: Document, extension_id: int) -> None:
    handling = ctx.services.documents.handling
    problem = ui.label().classes("text-negative")
    with ui.row().classes("gap-2"):
        for approve, key in ((True, N_("Đồng ý")), (False, N_("Không đồng ý"))):
            ui.button(
                ctx.t(key),
                on_click=lambda a=approve: _run(
                    lambda: handling.decide_extension(ctx.principal, extension_id, a), doc, problem
                ),
            ).props("dense" if approve else "dense flat").mark(f"docs-extension-{'approve' if approve else 'refuse'}")


def _handler_form(ctx: PageContext, doc: Document, h: Handler) -> None:
    t, handling = ctx.t, ctx.services.documents.handling
    problem = ui.label().classes("text-negative").mark(f"docs-handle-problem-{h.id}")
    with ui.row().classes("items-end gap-2 w-full"):
        note = ui.input(t(N_("Tiến độ"))).props("dense maxlength=2000").classes("w-96").mark(f"docs-progress-{h.id}")
        ui.button(
            t(N_("Báo cáo tiến độ")),
            on_click=lambda: _run(
                lambda: handling.report_progress(ctx.principal, h.id, note.value or ""), doc, problem
            ),
        ).props("dense")
    with ui.row().classes("items-end gap-2 w-full"):
        day = ui.input(t(N_("Xin gia hạn đến"))).props("dense type=date").mark(f"docs-extend-day-{h.id}")
        reason = ui.input(t(N_("Lý do"))).props("dense maxlength=2000").classes("w-80")
        ui.button(t(N_("Gửi đề nghị")), on_click=lambda: _run(
            lambda: handling.ask_extension(ctx.principal, h.id, _day(day.value) or h.deadline, reason.value or ""),
            doc, problem)).props("dense flat")  # fmt: skip
    with ui.row().classes("items-end gap-2 w-full"):
        result = (
            ui.input(t(N_("Kết quả xử lý"))).props("dense maxlength=2000").classes("w-96").mark(f"docs-result-{h.id}")
        )
        reply = (
            ui.number(t(N_("Số hiệu văn bản trả lời trong hệ thống (nếu có)")), min=1, format="%d")
            .props("dense")
            .classes("w-72")
        )
        ui.button(t(pgettext("docs: finish", "Hoàn thành")), icon="done", on_click=lambda: _run(
            lambda: handling.finish(ctx.principal, h.id, note=result.value or None,
                                    reply_document_id=int(reply.value) if reply.value else None),
            doc, problem)).mark(f"docs-finish-{h.id}")  # fmt: skip

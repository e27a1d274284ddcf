"""Case files (issue 15 item 7): /documents/case-files?unit=…&year=… — a unit's file list (danh mục hồ sơ), its
case files, the files due or overdue for hand-over and the hand-overs, with the form to open a file; and
/documents/case-file?id=… — one file with what it holds in order (a secret document the reader may not open
shows its place only), adding a document by its id, closing, reopening (with a reason), its table of contents
and cover as PDF, the hand-over and the archive's acceptance, and its history. Who may:
hub.documents.casefiles.access; the service checks again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from nicegui import ui

from hub.access import AccessDenied, Target, gate
from hub.documents.casefiles import access
from hub.documents.casefiles.models import DUE_LABELS, STATE_LABELS, CaseFile, Due, State
from hub.documents.casefiles.reopening import MAX_REASON
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.facts import facts
from ui.components.format import local_date, local_time
from ui.components.labels.audit import action_label
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import register_texts
from ui.pages.documents.texts import pick
from ui.shell import PageContext, forbidden, module_page

LIST_PATH = "/documents/case-files"
FILE_PATH = "/documents/case-file"

TEXTS = {
    "cf.title": ("Hồ sơ và nộp lưu", "Case files and archive"),
    "cf.intro": (
        "Danh mục hồ sơ của đơn vị theo năm, hồ sơ đang lập và đã kết thúc, hồ sơ đến hạn hoặc quá hạn nộp lưu"
        " vào lưu trữ cơ quan (NĐ 30/2020 Chương IV, Phụ lục V).",
        "The unit's yearly file list, its open and closed case files, and the files due or overdue for hand-over"
        " to the agency archive (Decree 30/2020 Ch. IV, Appendix V).",
    ),
    "cf.unit": ("Đơn vị (mã)", "Unit (code)"),
    "cf.year": ("Năm", "Year"),
    "cf.show": ("Xem", "Show"),
    "cf.list": ("Danh mục hồ sơ", "File list"),
    "cf.no_list": ("Đơn vị chưa có danh mục hồ sơ năm này.", "The unit has no file list for this year."),
    "cf.approved": ("Đã duyệt", "Approved"),
    "cf.draft": ("Dự thảo, chưa duyệt", "Draft, not approved"),
    "cf.code": ("Số và ký hiệu hồ sơ", "File code"),
    "cf.file_title": ("Tiêu đề hồ sơ", "File title"),
    "cf.retention": ("Thời hạn bảo quản", "Retention"),
    "cf.keeper": ("Người lập hồ sơ", "Keeper"),
    "cf.note": ("Ghi chú", "Note"),
    "cf.files": ("Hồ sơ của đơn vị", "The unit's case files"),
    "cf.none": ("Chưa có hồ sơ nào.", "No case file yet."),
    "cf.state": ("Tình trạng", "State"),
    "cf.opened": ("Ngày mở", "Opened"),
    "cf.closed": ("Ngày kết thúc", "Closed"),
    "cf.documents": ("Số văn bản", "Documents"),
    "cf.pages": ("Số tờ/trang", "Pages"),
    "cf.due": ("Đến hạn, quá hạn nộp lưu", "Due and overdue for hand-over"),
    "cf.due_on": ("Hạn nộp lưu", "Hand-over due"),
    "cf.none_due": ("Không có hồ sơ đến hạn nộp lưu.", "No file is due for hand-over."),
    "cf.open_title": ("Mở hồ sơ", "Open a case file"),
    "cf.from_list": ("Theo danh mục", "From the list"),
    "cf.outside": ("Hoặc ngoài danh mục: số ký hiệu, tiêu đề, thời hạn", "Or outside the list: code, title, retention"),
    "cf.open": ("Mở hồ sơ", "Open the file"),
    "cf.items": ("Văn bản, tài liệu trong hồ sơ", "What the file holds"),
    "cf.no_items": ("Hồ sơ chưa có văn bản nào.", "The file holds nothing yet."),
    "cf.number": ("Số, ký hiệu", "Number, symbol"),
    "cf.date": ("Ngày tháng", "Date"),
    "cf.subject": ("Tên loại và trích yếu", "Type and subject"),
    "cf.author": ("Tác giả", "Author"),
    "cf.hidden": ("Văn bản mật — không hiển thị", "Secret document — not shown"),
    "cf.add_document": ("Thêm văn bản (mã văn bản)", "Add a document (its id)"),
    "cf.add": ("Thêm vào hồ sơ", "Add to the file"),
    "cf.close": ("Kết thúc hồ sơ", "Close the file"),
    "cf.contents": ("Mục lục văn bản (PDF)", "Table of contents (PDF)"),
    "cf.cover": ("Bìa hồ sơ (PDF)", "Cover (PDF)"),
    "cf.submit": ("Nộp lưu vào lưu trữ cơ quan", "Hand over to the archive"),
    "cf.accept": ("Lưu trữ cơ quan nhận", "Accept into the archive"),
    "cf.handover_list": ("Mục lục hồ sơ nộp lưu (PDF)", "Hand-over list (PDF)"),
    "cf.handover_record": ("Biên bản giao nhận (PDF)", "Hand-over record (PDF)"),
    "cf.package": ("Xuất hồ sơ (PDF và XML, tệp ZIP)", "Export the file (PDF and XML, a ZIP)"),
    "cf.in_files": ("Thuộc hồ sơ", "In case files"),
    "cf.in_no_file": ("Chưa thuộc hồ sơ nào.", "In no case file yet."),
    "cf.retention_until": ("Bảo quản đến hết năm", "Kept until the end of"),
    "cf.reopen_reason": ("Lý do mở lại hồ sơ", "Why the file is reopened"),
    "cf.reopen": ("Mở lại hồ sơ", "Reopen the file"),
    "cf.history": ("Quá trình lập hồ sơ", "The file's history"),
    "cf.when": ("Thời gian", "When"),
    "cf.who": ("Người thực hiện", "Who"),
    "cf.what": ("Việc", "What"),
    "cf.why": ("Lý do, ghi chú", "Reason, note"),
}


def register(services: HubServices) -> None:
    register_texts({k: {"vi": vi, "en": en} for k, (vi, en) in TEXTS.items()})

    @module_page(LIST_PATH, text_key="cf.title", icon="folder", action=access.READ_FILES, order=74)
    def list_page(ctx: PageContext, unit: str = "", year: str = "") -> None:
        t, cf = ctx.t, ctx.services.documents.casefiles
        ui.label(t("cf.title")).classes("text-2xl font-bold")
        ui.label(t("cf.intro")).classes("text-sm text-grey-8 max-w-4xl")
        this_year = cf.today().year
        chosen_year = int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else this_year
        with ui.row().classes("items-end gap-4"):
            unit_box = ui.input(t("cf.unit"), value=unit).props("dense maxlength=64").mark("cf-unit")
            year_box = ui.input(t("cf.year"), value=str(chosen_year)).props("dense maxlength=4").mark("cf-year")
            ui.button(t("cf.show"), on_click=lambda: ui.navigate.to(
                f"{LIST_PATH}?unit={(unit_box.value or '').strip()}&year={(year_box.value or '').strip()}"
            )).mark("cf-show")  # fmt: skip
        if not unit:
            return
        try:
            found = cf.file_list(ctx.principal, unit, chosen_year)
            files = cf.case_files(ctx.principal, unit, chosen_year)
            due = cf.due(ctx.principal, unit, only=[Due.SOON, Due.OVERDUE])
        except AccessDenied:
            forbidden(ctx)
            return
        except DomainError as exc:
            show_problem(str(exc), marker="cf-problem")
            return
        _file_list(ctx, found)
        _open_form(ctx, unit, found)
        ui.label(t("cf.files")).classes("text-xl mt-4")
        if not files:
            empty_state(t("cf.none"), marker="cf-files-empty")
        else:
            _files_table(ctx, files, "cf-files")
        ui.label(t("cf.due")).classes("text-xl mt-4")
        if not due:
            empty_state(t("cf.none_due"), marker="cf-due-empty")
        else:
            cols = columns(t, [("code", "cf.code"), ("title", "cf.file_title"), ("closed", "cf.closed"),
                               ("due_on", "cf.due_on"), ("status", "cf.state")])  # fmt: skip
            rows = [{"id": d.case_file.id, "href": f"{FILE_PATH}?id={d.case_file.id}", "code": d.case_file.code,
                     "title": d.case_file.title, "closed": local_date(d.case_file.closed_on),
                     "due_on": local_date(d.due_on), "status": pick(DUE_LABELS[d.status], ctx.lang)}
                    for d in due]  # fmt: skip
            link_cell(data_table(cols, rows, row_key="id", marker="cf-due", wrap=True), "code")

    @module_page(FILE_PATH, text_key="cf.title", icon="folder_open", action=access.READ_FILES, order=75,
                 in_nav=False)  # fmt: skip
    def file_page(ctx: PageContext, id: str = "") -> None:  # noqa: A002 - the link's query parameter
        cf = ctx.services.documents.casefiles
        try:
            found = cf.case_file(ctx.principal, int(id))
        except AccessDenied:
            forbidden(ctx)
            return
        except (DomainError, ValueError) as exc:
            show_problem(str(exc) if isinstance(exc, DomainError) else "?", marker="cf-file-problem")
            return
        _case_file(ctx, found)


def _files_table(ctx: PageContext, files: list[CaseFile], marker: str) -> None:
    t = ctx.t
    cols = columns(t, [("code", "cf.code"), ("title", "cf.file_title"), ("retention", "cf.retention"),
                       ("keeper", "cf.keeper"), ("opened", "cf.opened"), ("closed", "cf.closed"),
                       ("state", "cf.state")])  # fmt: skip
    rows = [{"id": f.id, "href": f"{FILE_PATH}?id={f.id}", "code": f.code, "title": f.title,
             "retention": f.retention_label, "keeper": f.owner, "opened": local_date(f.opened_on),
             "closed": local_date(f.closed_on), "state": pick(STATE_LABELS[f.state], ctx.lang)}
            for f in files]  # fmt: skip
    link_cell(data_table(cols, rows, row_key="id", marker=marker, wrap=True), "code")


def _file_list(ctx: PageContext, found: Any) -> None:
    t = ctx.t
    ui.label(t("cf.list")).classes("text-xl mt-4")
    if found is None:
        empty_state(t("cf.no_list"), marker="cf-no-list")
        return
    ui.label(f"{t('cf.approved')}: {found.decision or ''}" if found.approved else t("cf.draft")).mark("cf-list-state")
    cols = columns(t, [("code", "cf.code"), ("title", "cf.file_title"), ("retention", "cf.retention"),
                       ("keeper", "cf.keeper"), ("note", "cf.note")])  # fmt: skip
    rows: list[dict[str, Any]] = []
    for h in found.headings:
        rows.append({"id": f"h{h.id}", "code": f"{h.ordinal}. {h.code}" if h.code else h.ordinal, "title": h.title,
                     "retention": "", "keeper": "", "note": ""})  # fmt: skip
        rows.extend(
            {"id": f"e{e.id}", "code": e.code, "title": e.title, "retention": e.retention_label,
             "keeper": e.responsible or "", "note": e.note or ""}
            for e in found.entries if e.heading_id == h.id
        )  # fmt: skip
    data_table(cols, rows, row_key="id", marker="cf-list", wrap=True)
    ui.link(f"PDF — {t('cf.list')}", f"/api/v1/documents/file-lists/{found.unit_code}/{found.year}/list.pdf",
            new_tab=True)  # fmt: skip


def _run(action: Callable[[], Any], problem: ui.label, then: Callable[[Any], str]) -> None:
    try:
        result = action()
    except DomainError as exc:
        problem.set_text(str(exc))
        return
    ui.navigate.to(then(result))


def _open_form(ctx: PageContext, unit: str, found: Any) -> None:
    t, cf = ctx.t, ctx.services.documents.casefiles
    with ui.card().classes("w-full").mark("cf-open"):
        ui.label(t("cf.open_title")).classes("font-bold")
        free = {e.id: f"{e.code} — {e.title}" for e in (found.entries if found and found.approved else ())
                if e.case_file_id is None}  # fmt: skip
        entry = ui.select(free, label=t("cf.from_list"), clearable=True).classes("w-[32rem]").mark("cf-open-entry")
        ui.label(t("cf.outside")).classes("text-sm text-grey-7")
        with ui.row().classes("items-end gap-2"):
            code = ui.input(t("cf.code")).props("dense maxlength=40").mark("cf-open-code")
            title = ui.input(t("cf.file_title")).props("dense maxlength=500").classes("w-96").mark("cf-open-title")
            retention = ui.select({r.code: r.label_vi for r in cf.retentions()}, label=t("cf.retention"))
            retention.classes("w-40").mark("cf-open-retention")
        problem = ui.label().classes("text-negative").mark("cf-open-problem")

        def open_file() -> None:
            if entry.value:
                make = lambda: cf.open_file(ctx.principal, unit, entry_id=int(entry.value))  # noqa: E731
            else:
                make = lambda: cf.open_file(  # noqa: E731
                    ctx.principal, unit, code=code.value, title=title.value, retention=retention.value
                )
            _run(make, problem, lambda f: f"{FILE_PATH}?id={f.id}")

        ui.button(t("cf.open"), icon="create_new_folder", on_click=open_file).mark("cf-open-button")


def _case_file(ctx: PageContext, f: CaseFile) -> None:
    t, cf = ctx.t, ctx.services.documents.casefiles
    ui.label(f"{f.code} — {f.title}").classes("text-2xl font-bold").mark("cf-file-title")
    first, last = f.span
    facts(
        [
            (t("cf.unit"), f"{f.unit_code} — {f.unit_name}"), (t("cf.retention"), f.retention_label),
            (t("cf.keeper"), f.owner), (t("cf.opened"), local_date(f.opened_on)),
            (t("cf.closed"), local_date(f.closed_on)), (t("cf.date"), f"{local_date(first)} – {local_date(last)}"),
            (t("cf.documents"), str(f.documents if f.documents is not None else len(f.items))),
            (t("cf.pages"), str(f.pages or "")), (t("cf.state"), pick(STATE_LABELS[f.state], ctx.lang)),
            (t("cf.retention_until"), str(f.retention_until or "")),
        ],
        marker="cf-file-facts",
    )  # fmt: skip
    with ui.row().classes("gap-4"):
        ui.link(t("cf.contents"), f"/api/v1/documents/case-files/{f.id}/contents.pdf", new_tab=True)
        ui.link(t("cf.cover"), f"/api/v1/documents/case-files/{f.id}/cover.pdf", new_tab=True)
        ui.link(t("cf.package"), f"/api/v1/documents/case-files/{f.id}/package.zip").mark("cf-package")
        if f.handover_id:
            ui.link(t("cf.handover_list"), f"/api/v1/documents/handovers/{f.handover_id}/list.pdf", new_tab=True)
            ui.link(t("cf.handover_record"), f"/api/v1/documents/handovers/{f.handover_id}/record.pdf",
                    new_tab=True).mark("cf-handover-record")  # fmt: skip
    ui.label(t("cf.items")).classes("text-xl mt-4")
    if not f.items:
        empty_state(t("cf.no_items"), marker="cf-items-empty")
    else:
        cols = columns(t, [("n", "cf.number"), ("code", "cf.number"), ("date", "cf.date"),
                           ("subject", "cf.subject"), ("author", "cf.author"), ("pages", "cf.pages")])  # fmt: skip
        cols[0]["label"] = "STT"
        rows = [{"id": i.id, "n": n, "code": i.number_symbol, "date": "" if i.hidden else local_date(i.item_date),
                 "subject": t("cf.hidden") if i.hidden else " ".join(x for x in (i.type_name, i.subject) if x),
                 "author": i.author, "pages": i.pages or "",
                 "href": f"/documents/entry?id={i.document_id}" if i.document_id and not i.hidden else ""}
                for n, i in enumerate(f.items, 1)]  # fmt: skip
        data_table(cols, rows, row_key="id", marker="cf-items", wrap=True)
    problem = ui.label().classes("text-negative").mark("cf-file-problem")
    here = f"{FILE_PATH}?id={f.id}"
    keeper = gate.allows_on(ctx.principal, access.SUBMIT, Target.unit(f.unit_path))
    if f.state is State.OPEN and (keeper or f.owner_id == ctx.principal.user_id):
        with ui.row().classes("items-end gap-2"):
            doc = ui.number(t("cf.add_document"), min=1, format="%d").props("dense").classes("w-64")
            doc.mark("cf-add-document")
            ui.button(t("cf.add"), icon="add", on_click=lambda: _run(
                lambda: cf.add_document(ctx.principal, f.id, int(doc.value or 0)), problem, lambda _: here
            )).mark("cf-add-button")  # fmt: skip
        with ui.row().classes("items-end gap-2"):
            day = ui.input(t("cf.closed"), value=cf.today().isoformat()).props("dense type=date").mark("cf-close-day")

            def close() -> None:
                try:
                    closed_on = date.fromisoformat(day.value) if day.value else None
                except ValueError:
                    closed_on = None
                _run(lambda: cf.close(ctx.principal, f.id, closed_on=closed_on), problem, lambda _: here)

            ui.button(t("cf.close"), icon="inventory_2", on_click=close).mark("cf-close-button")
    if f.state is State.CLOSED and cf.may_reopen(ctx.principal, f):
        with ui.row().classes("items-end gap-2"):
            reason = ui.input(t("cf.reopen_reason")).props(f"dense maxlength={MAX_REASON}").classes("w-96")
            reason.mark("cf-reopen-reason")
            ui.button(t("cf.reopen"), icon="lock_open", on_click=lambda: _run(
                lambda: cf.reopen(ctx.principal, f.id, reason.value or ""), problem, lambda _: here
            )).mark("cf-reopen-button")  # fmt: skip
    if f.state is State.CLOSED and keeper:
        ui.button(t("cf.submit"), icon="archive", on_click=lambda: _run(
            lambda: cf.submit(ctx.principal, f.unit_code, [f.id]), problem, lambda _: here
        )).mark("cf-submit-button")  # fmt: skip
    if f.state is State.SUBMITTED and gate.allows_on(ctx.principal, access.ACCEPT, Target.unit(f.unit_path)):
        handover_id = f.handover_id or 0
        ui.button(t("cf.accept"), icon="verified", on_click=lambda: _run(
            lambda: cf.accept(ctx.principal, handover_id), problem, lambda _: here
        )).mark("cf-accept-button")  # fmt: skip
    _history(ctx, f)


def _history(ctx: PageContext, f: CaseFile) -> None:
    """The file's history from the audit log: opened, filled, closed, reopened (its reason), handed over."""
    t = ctx.t
    ui.label(t("cf.history")).classes("text-xl mt-4")
    cols = columns(t, [("when", "cf.when"), ("who", "cf.who"), ("what", "cf.what"), ("why", "cf.why")])
    found = ctx.services.documents.casefiles.history(ctx.principal, f.id)
    rows = [{"id": n, "when": local_time(h.at, seconds=False), "who": h.actor, "what": action_label(t, h.action),
             "why": h.reason or ""} for n, h in enumerate(found)]  # fmt: skip
    data_table(cols, rows, row_key="id", marker="cf-history", wrap=True)


def document_files(ctx: PageContext, document_id: int) -> None:
    """On a document's page: the case files it is in (those the reader may read)."""
    t, cf = ctx.t, ctx.services.documents.casefiles
    ui.label(t("cf.in_files")).classes("text-xl mt-4")
    try:
        files = cf.files_of_document(ctx.principal, document_id)
    except DomainError:
        files = []
    if not files:
        ui.label(t("cf.in_no_file")).mark("cf-in-no-file")
        return
    _files_table(ctx, files, "cf-in-files")

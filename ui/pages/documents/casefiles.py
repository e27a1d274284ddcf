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
from ui.i18n import N_, pgettext
from ui.pages.documents.texts import pick
from ui.shell import PageContext, forbidden, module_page

#: texts shown inside composed lines (a constant, so that Babel extracts them)
APPROVED = N_("Đã duyệt")
FILE_LIST = N_("Danh mục hồ sơ")

LIST_PATH = "/documents/case-files"
FILE_PATH = "/documents/case-file"


def register(services: HubServices) -> None:

    @module_page(LIST_PATH, text_key=N_("Hồ sơ và nộp lưu"), icon="folder", action=access.READ_FILES, order=74)
    def list_page(ctx: PageContext, unit: str = "", year: str = "") -> None:
        t, cf = ctx.t, ctx.services.documents.casefiles
        ui.label(t(N_("Hồ sơ và nộp lưu"))).classes("text-2xl font-bold")
        ui.label(
            t(
                N_(
                    "Danh mục hồ sơ của đơn vị theo năm, hồ sơ đang lập và đã kết thúc, hồ sơ đến hạn hoặc"
                    " quá hạn nộp lưu vào lưu trữ cơ quan (NĐ 30/2020 Chương IV, Phụ lục V)."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        this_year = cf.today().year
        chosen_year = int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else this_year
        with ui.row().classes("items-end gap-4"):
            unit_box = ui.input(t(N_("Đơn vị (mã)")), value=unit).props("dense maxlength=64").mark("cf-unit")
            year_box = ui.input(t(N_("Năm")), value=str(chosen_year)).props("dense maxlength=4").mark("cf-year")
            ui.button(t(pgettext("cf: show", "Xem")), on_click=lambda: ui.navigate.to(
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
        ui.label(t(N_("Hồ sơ của đơn vị"))).classes("text-xl mt-4")
        if not files:
            empty_state(t(N_("Chưa có hồ sơ nào.")), marker="cf-files-empty")
        else:
            _files_table(ctx, files, "cf-files")
        ui.label(t(N_("Đến hạn, quá hạn nộp lưu"))).classes("text-xl mt-4")
        if not due:
            empty_state(t(N_("Không có hồ sơ đến hạn nộp lưu.")), marker="cf-due-empty")
        else:
            cols = columns(
                t,
                [
                    ("code", N_("Số và ký hiệu hồ sơ")),
                    ("title", N_("Tiêu đề hồ sơ")),
                    ("closed", pgettext("cf: closed", "Ngày kết thúc")),
                    ("due_on", N_("Hạn nộp lưu")),
                    ("status", pgettext("cf: state", "Tình trạng")),
                ],
            )
            rows = [
                {
                    "id": d.case_file.id,
                    "href": f"{FILE_PATH}?id={d.case_file.id}",
                    "code": d.case_file.code,
                    "title": d.case_file.title,
                    "closed": local_date(d.case_file.closed_on),
                    "due_on": local_date(d.due_on),
                    "status": pick(DUE_LABELS[d.status], ctx.lang),
                }
                for d in due
            ]
            link_cell(data_table(cols, rows, row_key="id", marker="cf-due", wrap=True), "code")

    @module_page(FILE_PATH, text_key=N_("Hồ sơ và nộp lưu"), icon="folder_open", action=access.READ_FILES, order=75,
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
    cols = columns(
        t,
        [
            ("code", N_("Số và ký hiệu hồ sơ")),
            ("title", N_("Tiêu đề hồ sơ")),
            ("retention", N_("Thời hạn bảo quản")),
            ("keeper", N_("Người lập hồ sơ")),
            ("opened", N_("Ngày mở")),
            ("closed", pgettext("cf: closed", "Ngày kết thúc")),
            ("state", pgettext("cf: state", "Tình trạng")),
        ],
    )
    rows = [
        {
            "id": f.id,
            "href": f"{FILE_PATH}?id={f.id}",
            "code": f.code,
            "title": f.title,
            "retention": f.retention_label,
            "keeper": f.owner,
            "opened": local_date(f.opened_on),
            "closed": local_date(f.closed_on),
            "state": pick(STATE_LABELS[f.state], ctx.lang),
        }
        for f in files
    ]
    link_cell(data_table(cols, rows, row_key="id", marker=marker, wrap=True), "code")


def _file_list(ctx: PageContext, found: Any) -> None:
    t = ctx.t
    ui.label(t(N_("Danh mục hồ sơ"))).classes("text-xl mt-4")
    if found is None:
        empty_state(t(N_("Đơn vị chưa có danh mục hồ sơ năm này.")), marker="cf-no-list")
        return
    ui.label(f"{t(APPROVED)}: {found.decision or ''}" if found.approved else t(N_("Dự thảo, chưa duyệt"))).mark(
        "cf-list-state"
    )
    cols = columns(
        t,
        [
            ("code", N_("Số và ký hiệu hồ sơ")),
            ("title", N_("Tiêu đề hồ sơ")),
            ("retention", N_("Thời hạn bảo quản")),
            ("keeper", N_("Người lập hồ sơ")),
            ("note", N_("Ghi chú")),
        ],
    )
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
    ui.link(f"PDF — {t(FILE_LIST)}", f"/api/v1/documents/file-lists/{found.unit_code}/{found.year}/list.pdf",
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
        ui.label(t(pgettext("cf: open title", "Mở hồ sơ"))).classes("font-bold")
        free = {e.id: f"{e.code} — {e.title}" for e in (found.entries if found and found.approved else ())
                if e.case_file_id is None}  # fmt: skip
        entry = ui.select(free, label=t(N_("Theo danh mục")), clearable=True).classes("w-[32rem]").mark("cf-open-entry")
        ui.label(t(N_("Hoặc ngoài danh mục: số ký hiệu, tiêu đề, thời hạn"))).classes("text-sm text-grey-7")
        with ui.row().classes("items-end gap-2"):
            code = ui.input(t(N_("Số và ký hiệu hồ sơ"))).props("dense maxlength=40").mark("cf-open-code")
            title = ui.input(t(N_("Tiêu đề hồ sơ"))).props("dense maxlength=500").classes("w-96").mark("cf-open-title")
            retention = ui.select({r.code: r.label_vi for r in cf.retentions()}, label=t(N_("Thời hạn bảo quản")))
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

        ui.button(t(pgettext("cf: open", "Mở hồ sơ")), icon="create_new_folder", on_click=open_file).mark(
            "cf-open-button"
        )


def _case_file(ctx: PageContext, f: CaseFile) -> None:
    t, cf = ctx.t, ctx.services.documents.casefiles
    ui.label(f"{f.code} — {f.title}").classes("text-2xl font-bold").mark("cf-file-title")
    first, last = f.span
    facts(
        [
            (t(N_("Đơn vị (mã)")), f"{f.unit_code} — {f.unit_name}"),
            (t(N_("Thời hạn bảo quản")), f.retention_label),
            (t(N_("Người lập hồ sơ")), f.owner),
            (t(N_("Ngày mở")), local_date(f.opened_on)),
            (t(pgettext("cf: closed", "Ngày kết thúc")), local_date(f.closed_on)),
            (t(N_("Ngày tháng")), f"{local_date(first)} – {local_date(last)}"),
            (t(N_("Số văn bản")), str(f.documents if f.documents is not None else len(f.items))),
            (t(N_("Số tờ/trang")), str(f.pages or "")),
            (t(pgettext("cf: state", "Tình trạng")), pick(STATE_LABELS[f.state], ctx.lang)),
            (t(N_("Bảo quản đến hết năm")), str(f.retention_until or "")),
        ],
        marker="cf-file-facts",
    )
    with ui.row().classes("gap-4"):
        ui.link(t(N_("Mục lục văn bản (PDF)")), f"/api/v1/documents/case-files/{f.id}/contents.pdf", new_tab=True)
        ui.link(t(N_("Bìa hồ sơ (PDF)")), f"/api/v1/documents/case-files/{f.id}/cover.pdf", new_tab=True)
        ui.link(t(N_("Xuất hồ sơ (PDF và XML, tệp ZIP)")), f"/api/v1/documents/case-files/{f.id}/package.zip").mark(
            "cf-package"
        )
        if f.handover_id:
            ui.link(
                t(N_("Mục lục hồ sơ nộp lưu (PDF)")),
                f"/api/v1/documents/handovers/{f.handover_id}/list.pdf",
                new_tab=True,
            )
            ui.link(t(N_("Biên bản giao nhận (PDF)")), f"/api/v1/documents/handovers/{f.handover_id}/record.pdf",
                    new_tab=True).mark("cf-handover-record")  # fmt: skip
    ui.label(t(N_("Văn bản, tài liệu trong hồ sơ"))).classes("text-xl mt-4")
    if not f.items:
        empty_state(t(N_("Hồ sơ chưa có văn bản nào.")), marker="cf-items-empty")
    else:
        cols = columns(
            t,
            [
                ("n", N_("Số, ký hiệu")),
                ("code", N_("Số, ký hiệu")),
                ("date", N_("Ngày tháng")),
                ("subject", N_("Tên loại và trích yếu")),
                ("author", N_("Tác giả")),
                ("pages", N_("Số tờ/trang")),
            ],
        )
        cols[0]["label"] = "STT"
        rows = [
            {
                "id": i.id,
                "n": n,
                "code": i.number_symbol,
                "date": "" if i.hidden else local_date(i.item_date),
                "subject": t(N_("Văn bản mật — không hiển thị"))
                if i.hidden
                else " ".join(x for x in (i.type_name, i.subject) if x),
                "author": i.author,
                "pages": i.pages or "",
                "href": f"/documents/entry?id={i.document_id}" if i.document_id and not i.hidden else "",
            }
            for n, i in enumerate(f.items, 1)
        ]
        data_table(cols, rows, row_key="id", marker="cf-items", wrap=True)
    problem = ui.label().classes("text-negative").mark("cf-file-problem")
    here = f"{FILE_PATH}?id={f.id}"
    keeper = gate.allows_on(ctx.principal, access.SUBMIT, Target.unit(f.unit_path))
    if f.state is State.OPEN and (keeper or f.owner_id == ctx.principal.user_id):
        with ui.row().classes("items-end gap-2"):
            doc = ui.number(t(N_("Thêm văn bản (mã văn bản)")), min=1, format="%d").props("dense").classes("w-64")
            doc.mark("cf-add-document")
            ui.button(t(N_("Thêm vào hồ sơ")), icon="add", on_click=lambda: _run(
                lambda: cf.add_document(ctx.principal, f.id, int(doc.value or 0)), problem, lambda _: here
            )).mark("cf-add-button")  # fmt: skip
        with ui.row().classes("items-end gap-2"):
            day = (
                ui.input(t(pgettext("cf: closed", "Ngày kết thúc")), value=cf.today().isoformat())
                .props("dense type=date")
                .mark("cf-close-day")
            )

            def close() -> None:
                try:
                    closed_on = date.fromisoformat(day.value) if day.value else None
                except ValueError:
                    closed_on = None
                _run(lambda: cf.close(ctx.principal, f.id, closed_on=closed_on), problem, lambda _: here)

            ui.button(t(N_("Kết thúc hồ sơ")), icon="inventory_2", on_click=close).mark("cf-close-button")
    if f.state is State.CLOSED and cf.may_reopen(ctx.principal, f):
        with ui.row().classes("items-end gap-2"):
            reason = ui.input(t(N_("Lý do mở lại hồ sơ"))).props(f"dense maxlength={MAX_REASON}").classes("w-96")
            reason.mark("cf-reopen-reason")
            ui.button(t(N_("Mở lại hồ sơ")), icon="lock_open", on_click=lambda: _run(
                lambda: cf.reopen(ctx.principal, f.id, reason.value or ""), problem, lambda _: here
            )).mark("cf-reopen-button")  # fmt: skip
    if f.state is State.CLOSED and keeper:
        ui.button(t(N_("Nộp lưu vào lưu trữ cơ quan")), icon="archive", on_click=lambda: _run(
            lambda: cf.submit(ctx.principal, f.unit_code, [f.id]), problem, lambda _: here
        )).mark("cf-submit-button")  # fmt: skip
    if f.state is State.SUBMITTED and gate.allows_on(ctx.principal, access.ACCEPT, Target.unit(f.unit_path)):
        handover_id = f.handover_id or 0
        ui.button(t(N_("Lưu trữ cơ quan nhận")), icon="verified", on_click=lambda: _run(
            lambda: cf.accept(ctx.principal, handover_id), problem, lambda _: here
        )).mark("cf-accept-button")  # fmt: skip
    _history(ctx, f)


def _history(ctx: PageContext, f: CaseFile) -> None:
    """The file's history from the audit log: opened, filled, closed, reopened (its reason), handed over."""
    t = ctx.t
    ui.label(t(N_("Quá trình lập hồ sơ"))).classes("text-xl mt-4")
    cols = columns(
        t,
        [
            ("when", pgettext("cf: when", "Thời gian")),
            ("who", pgettext("cf: who", "Người thực hiện")),
            ("what", N_("Việc")),
            ("why", N_("Lý do, ghi chú")),
        ],
    )
    found = ctx.services.documents.casefiles.history(ctx.principal, f.id)
    rows = [{"id": n, "when": local_time(h.at, seconds=False), "who": h.actor, "what": action_label(t, h.action),
             "why": h.reason or ""} for n, h in enumerate(found)]  # fmt: skip
    data_table(cols, rows, row_key="id", marker="cf-history", wrap=True)


def document_files(ctx: PageContext, document_id: int) -> None:
    """On a document's page: the case files it is in (those the reader may read)."""
    t, cf = ctx.t, ctx.services.documents.casefiles
    ui.label(t(N_("Thuộc hồ sơ"))).classes("text-xl mt-4")
    try:
        files = cf.files_of_document(ctx.principal, document_id)
    except DomainError:
        files = []
    if not files:
        ui.label(t(N_("Chưa thuộc hồ sơ nào."))).mark("cf-in-no-file")
        return
    _files_table(ctx, files, "cf-in-files")

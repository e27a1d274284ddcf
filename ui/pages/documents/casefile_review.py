"""Files past their retention (hồ sơ hết thời hạn bảo quản, issue 15 item 7): /documents/case-files/past-retention
?unit=… — the closed files of a unit and those under it whose retention ran out (never permanent ones), by unit,
with the XLSX of the list; the archive proposes a file for destruction with a reason, or withdraws the proposal.
Who may: hub.documents.casefiles.access (REVIEW_RETENTION, PROPOSE_DESTRUCTION); the service checks again."""

from __future__ import annotations

from nicegui import ui

from hub.access import AccessDenied, Target, gate
from hub.documents.casefiles import access
from hub.documents.casefiles.models import STATE_LABELS, ExpiredFile
from hub.documents.casefiles.retention_review import MAX_REASON
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_date
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_
from ui.pages.documents.casefiles import FILE_PATH
from ui.pages.documents.texts import pick
from ui.shell import PageContext, forbidden, module_page

PATH = "/documents/case-files/past-retention"
TITLE = N_("Hồ sơ hết thời hạn bảo quản")


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=TITLE, icon="auto_delete", action=access.REVIEW_RETENTION, order=76)
    def review_page(ctx: PageContext, unit: str = "") -> None:
        t = ctx.t
        ui.label(t(TITLE)).classes("text-2xl font-bold")
        ui.label(
            t(
                N_(
                    "Hồ sơ đã kết thúc của đơn vị và các đơn vị trực thuộc có thời hạn bảo quản đã hết (tính từ năm sau"
                    " năm kết thúc hồ sơ; không gồm hồ sơ bảo quản vĩnh viễn). Lưu trữ cơ quan có thể đề nghị hủy, nêu"
                    " lý do."
                )
            )  # fmt: skip
        ).classes("text-sm text-grey-8 max-w-4xl")
        with ui.row().classes("items-end gap-4"):
            box = ui.input(t(N_("Đơn vị (mã)")), value=unit).props("dense maxlength=64").mark("cr-unit")
            ui.button(t(N_("Xem")), on_click=lambda: ui.navigate.to(f"{PATH}?unit={(box.value or '').strip()}"))
        if not unit:
            return
        try:
            found = ctx.services.documents.casefiles.past_retention(ctx.principal, unit)
        except AccessDenied:
            forbidden(ctx)
            return
        except DomainError as exc:
            show_problem(str(exc), marker="cr-problem")
            return
        xlsx = f"/api/v1/documents/units/{unit}/case-files/past-retention.xlsx"
        ui.link(t(N_("Tải danh sách (XLSX)")), xlsx).mark("cr-xlsx")
        if not found:
            empty_state(t(N_("Không có hồ sơ nào hết thời hạn bảo quản.")), marker="cr-empty")
            return
        _table(ctx, found)
        _proposal_form(ctx, unit, found)


def _table(ctx: PageContext, found: list[ExpiredFile]) -> None:
    t = ctx.t
    cols = columns(t, [("unit", N_("Đơn vị")), ("code", N_("Số và ký hiệu hồ sơ")), ("title", N_("Tiêu đề hồ sơ")),
                       ("closed", N_("Ngày kết thúc")), ("retention", N_("Thời hạn bảo quản")),
                       ("until", N_("Hết hạn sau năm")), ("state", N_("Tình trạng")),
                       ("proposal", N_("Đề nghị hủy (lý do)"))])  # fmt: skip
    rows = [{"id": e.case_file.id, "href": f"{FILE_PATH}?id={e.case_file.id}", "unit": e.case_file.unit_name,
             "code": e.case_file.code, "title": e.case_file.title, "closed": local_date(e.case_file.closed_on),
             "retention": e.case_file.retention_label, "until": e.until,
             "state": pick(STATE_LABELS[e.case_file.state], ctx.lang),
             "proposal": f"{e.proposal.reason} ({e.proposal.proposed_by})" if e.proposal else ""}
            for e in found]  # fmt: skip
    link_cell(data_table(cols, rows, row_key="id", marker="cr-files", wrap=True), "code")


def _proposal_form(ctx: PageContext, unit: str, found: list[ExpiredFile]) -> None:
    t, cf = ctx.t, ctx.services.documents.casefiles
    mine = [e for e in found if gate.allows_on(ctx.principal, access.PROPOSE_DESTRUCTION,
                                               Target.unit(e.case_file.unit_path))]  # fmt: skip
    if not mine:
        return
    here = f"{PATH}?unit={unit}"
    with ui.card().classes("w-full").mark("cr-propose"):
        ui.label(t(N_("Đề nghị hủy hồ sơ"))).classes("font-bold")
        choices = {e.case_file.id: f"{e.case_file.code} — {e.case_file.title}" for e in mine}
        chosen = ui.select(choices, label=t(N_("Hồ sơ"))).classes("w-[32rem]").mark("cr-file")
        reason = ui.input(t(N_("Lý do đề nghị hủy"))).props(f"dense maxlength={MAX_REASON}").classes("w-[32rem]")
        reason.mark("cr-reason")
        problem = ui.label().classes("text-negative").mark("cr-form-problem")

        def act(withdraw: bool) -> None:
            if not chosen.value:
                problem.set_text(t(N_("Hãy chọn hồ sơ.")))
                return
            try:
                if withdraw:
                    cf.withdraw_destruction(ctx.principal, int(chosen.value))
                else:
                    cf.propose_destruction(ctx.principal, int(chosen.value), reason.value or "")
            except DomainError as exc:
                problem.set_text(str(exc))
                return
            ui.navigate.to(here)

        with ui.row().classes("gap-2"):
            ui.button(t(N_("Đề nghị hủy")), icon="delete_sweep", on_click=lambda: act(False)).mark("cr-propose-button")
            ui.button(t(N_("Rút đề nghị")), icon="undo", on_click=lambda: act(True)).props("flat").mark(
                "cr-withdraw-button"
            )

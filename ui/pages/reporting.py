"""The reporting page (/reporting, tổng hợp – báo cáo, Decree 09/2019): the reports of one's units (open one to
fill it, correct a pre-filled figure with a note, submit it, or — as the receiving unit — return it with
comments or accept it), the reporting regimes, who has not submitted a period, and, for office admins, a form
that saves a regime (a new version when it exists). Who may what: hub.reporting.access; the service checks the
unit. Vietnamese first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from nicegui import run, ui

from hub.access import Target, gate
from hub.domain import DomainError
from hub.reporting import access
from hub.reporting.models import STATUS_LABELS, Report, ReportStatus
from hub.reporting.periods import FREQUENCY_LABELS
from hub.reporting.service import Filled
from hub.reporting.template import Indicator
from hub.reports.documents import ExportFile
from hub.services import HubServices
from ui.components.facts import facts
from ui.components.format import local_date, local_time
from ui.components.labels.audit import actor_label
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_, pgettext
from ui.pages.reporting_attachments import attachments_box
from ui.pages.reporting_consolidated import consolidated_box
from ui.pages.reporting_define import define_form
from ui.shell import PageContext, module_page

#: a regime as a column or a choice ('Reporting regimes' is the page)
REGIME = pgettext("report", "Chế độ báo cáo")
TOTAL = N_("Tổng cộng")
PATH = "/reporting"


EVENTS = {
    "opened": ("Mở báo cáo, điền số liệu CCES", "Opened, CCES figures filled in"),
    "saved": ("Nhập, điều chỉnh số liệu", "Figures filled or corrected"),
    "submitted": ("Gửi báo cáo", "Submitted"),
    "returned": ("Trả lại", "Returned"),
    "accepted": ("Tiếp nhận", "Accepted"),
    "reminded": ("Nhắc gửi báo cáo (quá hạn)", "Reminded (late)"),
}


def _pair(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]


def report_url(report_id: int) -> str:
    return f"{PATH}?{urlencode({'report': report_id})}"


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Tổng hợp, báo cáo"), icon="summarize", action=access.REFERENCE, order=65)
    def reporting_page(ctx: PageContext, report: str = "") -> None:
        ui.label(ctx.t(N_("Tổng hợp, báo cáo"))).classes("text-2xl font-bold")
        if report.strip():
            detail(ctx, int(report) if report.strip().isdigit() and len(report) < 18 else 0)
            return
        ui.label(
            ctx.t(
                N_(
                    "Báo cáo định kỳ theo Nghị định 09/2019/NĐ-CP: số liệu báo cáo tháng "
                    "tính từ ngày 15 tháng trước đến ngày 14 tháng báo cáo; quý, 6 tháng, 9 "
                    "tháng và năm tính từ ngày 15/12 năm trước (quý: từ ngày 15 tháng trước "
                    "quý) đến ngày 14 tháng cuối kỳ. Số liệu có sẵn trong CCES được điền "
                    "trước."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        if gate.allows(ctx.principal, access.VIEW):
            reports_list(ctx)
            consolidated_box(ctx, report_url, download_buttons)
        regimes_list(ctx)
        if gate.allows(ctx.principal, access.FOLLOW):
            missing_box(ctx)
        if gate.allows(ctx.principal, access.DEFINE):
            define_form(ctx)


def reports_list(ctx: PageContext) -> None:
    ui.label(ctx.t(N_("Báo cáo của đơn vị"))).classes("text-lg mt-4")
    try:
        found = ctx.services.reporting.reports(ctx.principal)
    except DomainError as exc:
        show_problem(str(exc), marker="reporting-problem")
        return
    if not found:
        empty_state(ctx.t(N_("Chưa có báo cáo nào.")), marker="reporting-none")
        return
    cols = columns(ctx.t, [("period", N_("Kỳ báo cáo")), ("regime", REGIME), ("unit", N_("Đơn vị báo cáo")),
                           ("recipient", N_("Gửi đến")), ("deadline", N_("Hạn gửi")),
                           ("status", N_("Tình trạng"))])  # fmt: skip
    rows = [
        {"id": r.id, "href": report_url(r.id), "period": r.period_key, "regime": r.regime_code, "unit": r.unit_name,
         "recipient": r.recipient_name, "deadline": local_date(r.deadline),
         "status": _pair(STATUS_LABELS[r.status], ctx.lang)}
        for r in found
    ]  # fmt: skip
    link_cell(data_table(cols, rows, row_key="id", marker="reporting-reports"), "period")


def regimes_list(ctx: PageContext) -> None:
    ui.label(ctx.t(REGIME)).classes("text-lg mt-4")
    found = ctx.services.reporting.regimes(ctx.principal)
    if not found:
        empty_state(ctx.t(N_("Chưa có chế độ báo cáo nào.")), marker="reporting-no-regimes")
        return
    cols = columns(ctx.t, [("name", N_("Tên báo cáo")), ("basis", N_("Căn cứ")),
                           ("frequency", N_("Tần suất")), ("deadline", N_("Hạn gửi")),
                           ("units", N_("Số đơn vị báo cáo"), "right"),
                           ("version", N_("Phiên bản (hiệu lực từ)"))])  # fmt: skip
    rows = []
    for v in found:
        kind = ctx.t(N_("làm việc") if v.deadline_working else N_("theo lịch"))
        rows.append({
            "code": v.code, "name": v.name_vi if ctx.lang == "vi" else v.name_en, "basis": v.basis,
            "frequency": _pair(FREQUENCY_LABELS[v.frequency], ctx.lang),
            "deadline": ctx.t(N_("{n} ngày {kind} sau ngày chốt số liệu")).format(n=v.deadline_days, kind=kind),
            "units": len(v.reporters), "version": f"{v.version} ({local_date(v.valid_from)})",
        })  # fmt: skip
    data_table(cols, rows, row_key="code", marker="reporting-regimes", wrap=True)


def missing_box(ctx: PageContext) -> None:
    ui.label(ctx.t(N_("Đơn vị chưa gửi báo cáo"))).classes("text-lg mt-4")
    regimes = ctx.services.reporting.regimes(ctx.principal)
    if not regimes:
        return
    options = {v.code: v.name_vi if ctx.lang == "vi" else v.name_en for v in regimes}
    with ui.row().classes("items-end gap-2"):
        chosen = ui.select(options, value=regimes[0].code, label=ctx.t(REGIME)).classes("w-72")
        chosen.mark("reporting-missing-regime")
        key = ui.input(ctx.t(N_("Kỳ báo cáo")), placeholder="2026-03").props("dense maxlength=10")
        key.mark("reporting-missing-period")
        result = ui.column().classes("w-full")

        def show() -> None:
            result.clear()
            with result:
                try:
                    found = ctx.services.reporting.missing(ctx.principal, chosen.value, (key.value or "").strip())
                except DomainError as exc:
                    show_problem(str(exc), marker="reporting-missing-problem")
                    return
                if not found:
                    empty_state(ctx.t(N_("Mọi đơn vị đã gửi.")), marker="reporting-missing-none")
                    return
                cols = columns(ctx.t, [("unit", N_("Đơn vị báo cáo")), ("status", N_("Tình trạng")),
                                       ("deadline", N_("Hạn gửi")), ("late", N_("Quá hạn")),
                                       ("reminders", N_("Số lần nhắc"), "right")])  # fmt: skip
                rows = [
                    {"id": m.report_id, "unit": m.unit_name, "status": _pair(STATUS_LABELS[m.status], ctx.lang),
                     "deadline": local_date(m.deadline), "late": ctx.t(N_("Có") if m.late else N_("Không")),
                     "reminders": m.reminders}
                    for m in found
                ]  # fmt: skip
                data_table(cols, rows, row_key="id", marker="reporting-missing")

        ui.button(ctx.t(N_("Xem")), on_click=show).props("dense").mark("reporting-missing-show")


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _cell(text: str, kind: str) -> Any:
    text = text.strip()
    if kind == "text" or not text:
        return text or None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise DomainError(f"'{text}' không phải là số / '{text}' is not a number") from None
    return int(number) if number.is_integer() else number


def detail(ctx: PageContext, report_id: int) -> None:
    ui.link(ctx.t(N_("← Danh sách báo cáo")), PATH).mark("reporting-back")
    svc = ctx.services.reporting
    try:
        filled = svc.report(ctx.principal, report_id)
    except DomainError as exc:
        show_problem(str(exc), marker="reporting-problem")
        return
    r = filled.report
    ui.label(f"{r.regime_code} — {r.period_key} — {r.unit_name}").classes("text-xl").mark("reporting-title")
    facts([
        (ctx.t(N_("Số liệu từ ngày – đến ngày")), f"{local_date(r.period_start)} – {local_date(r.period_end)}"),
        (ctx.t(N_("Gửi đến")), r.recipient_name), (ctx.t(N_("Hạn gửi")), local_date(r.deadline)),
        (ctx.t(N_("Tình trạng")), _pair(STATUS_LABELS[r.status], ctx.lang)),
        (ctx.t(N_("Ý kiến của đơn vị nhận")), r.comment or "—"),
    ], marker="reporting-facts")  # fmt: skip
    may_fill = r.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and gate.allows_on(
        ctx.principal, access.FILL, Target.unit(r.unit_path)
    )
    inputs: dict[str, tuple[Indicator, Any, Any]] = {}
    for ind in filled.template.indicators:
        inputs[ind.code] = _indicator(ctx, filled, ind, may_fill)

    def collect() -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for code, (ind, field, note) in inputs.items():
            if field is None:
                continue
            if ind.kind == "number":
                v = field.value
                values[code] = None if v in (None, "") else (int(v) if float(v).is_integer() else float(v))
            elif ind.kind == "text":
                values[code] = (field.value or "").strip() or None
            else:
                rows = []
                for line in (field.value or "").splitlines():
                    if line.strip():
                        cells = line.split("|")
                        row = {c.code: _cell(cells[i] if i < len(cells) else "", c.kind)
                               for i, c in enumerate(ind.columns)}  # fmt: skip
                        rows.append({k: v for k, v in row.items() if v is not None})
                values[code] = rows
            if note is not None and (note.value or "").strip():
                notes[code] = note.value.strip()
        return values, notes

    def act(what: str) -> None:
        try:
            if what == "save":
                svc.save(ctx.principal, r.id, *collect())
                ui.notify(ctx.t(N_("Đã lưu.")), type="positive")
            elif what == "fill":
                svc.fill_from_reporters(ctx.principal, r.id)
                ui.notify(ctx.t(N_("Đã lưu.")), type="positive")
            elif what == "submit":
                if may_fill:
                    svc.save(ctx.principal, r.id, *collect())
                svc.submit(ctx.principal, r.id)
                ui.notify(ctx.t(N_("Đã gửi báo cáo.")), type="positive")
            else:
                svc.decide(ctx.principal, r.id, what == "accept", comment.value if comment else None)
                ui.notify(ctx.t(N_("Đã cập nhật tình trạng báo cáo.")), type="positive")
        except DomainError as exc:
            problem.set_text(str(exc))
            problem.set_visibility(True)
            return
        ui.navigate.to(report_url(r.id))

    comment = None
    with ui.row().classes("gap-2 mt-2 items-end"):
        if may_fill:
            ui.button(ctx.t(N_("Lưu")), on_click=lambda: act("save")).mark("reporting-save")
        if r.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and gate.allows_on(
            ctx.principal, access.SUBMIT, Target.unit(r.unit_path)
        ):
            ui.button(ctx.t(N_("Gửi báo cáo")), on_click=lambda: act("submit")).mark("reporting-submit")
        if r.status is ReportStatus.SUBMITTED and gate.allows_on(
            ctx.principal, access.REVIEW, Target.unit(r.recipient_path)
        ):
            comment = ui.textarea(ctx.t(N_("Ý kiến (bắt buộc khi trả lại)"))).props("maxlength=2000").classes("w-96")
            comment.mark("reporting-comment")
            ui.button(ctx.t(N_("Trả lại")), on_click=lambda: act("return")).mark("reporting-return")
            ui.button(ctx.t(N_("Tiếp nhận")), on_click=lambda: act("accept")).mark("reporting-accept")
        if may_fill and _receives(ctx, r):
            ui.button(
                ctx.t(N_("Điền từ số liệu tổng hợp của các đơn vị cấp dưới")), on_click=lambda: act("fill")
            ).props("outline").mark("reporting-fill-from-reporters")
    problem = show_problem("", marker="reporting-action-problem")
    problem.set_visibility(False)
    download_buttons(ctx, "reporting-export", lambda fmt: svc.export_report(ctx.principal, r.id, fmt))
    attachments_box(ctx, filled, may_fill, report_url(r.id))
    _history(ctx, filled)


def _receives(ctx: PageContext, report: Report) -> bool:
    """Whether other units report to this report's unit under its regime version (a unit in between)."""
    try:
        versions = ctx.services.reporting.regime(ctx.principal, report.regime_code)
    except DomainError:
        return False
    return any(
        rep.recipient_code == report.unit_code for v in versions if v.id == report.version_id for rep in v.reporters
    )


def download_buttons(ctx: PageContext, marker: str, make: Callable[[str], ExportFile]) -> None:
    """DOCX, XLSX and PDF buttons: the file is rendered on the click (off the UI loop) and downloaded; a refusal
    is shown beside them."""
    with ui.row().classes("gap-2 mt-2 items-center"):
        problem = ui.label("").classes("text-negative")
        problem.set_visibility(False)
        for fmt, icon in (("docx", "description"), ("xlsx", "table_view"), ("pdf", "picture_as_pdf")):

            async def download(fmt: str = fmt) -> None:
                try:
                    found = await run.io_bound(make, fmt)
                except DomainError as exc:
                    problem.set_text(str(exc))
                    problem.set_visibility(True)
                    return
                problem.set_visibility(False)
                ui.download.content(found.content, found.filename, found.media_type)

            button = ui.button(ctx.t(N_("Tải {fmt}")).format(fmt=fmt.upper()), icon=icon, on_click=download)
            button.props("outline dense").mark(f"{marker}-{fmt}")


def _indicator(ctx: PageContext, filled: Filled, ind: Indicator, may_fill: bool) -> tuple[Indicator, Any, Any]:
    name = ind.name_vi if ctx.lang == "vi" else ind.name_en
    label = f"{name} ({ind.unit})" if ind.unit else name
    value = filled.values.get(ind.code)
    stored = filled.report.values.get(ind.code)
    field = note = None
    with ui.column().classes("w-full gap-0 mt-2").mark(f"reporting-indicator-{ind.code}"):
        if ind.formula:
            ui.label(f"{label}: {_shown(value) or '—'}").classes("font-medium")
            ui.label(ctx.t(N_("Tự tính theo công thức: {formula}")).format(formula=ind.formula)).classes(
                "text-xs text-grey-7"
            )
        elif ind.kind == "number":
            field = ui.number(label, value=value).props("dense" + ("" if may_fill else " readonly"))
            field.classes("w-96").mark(f"reporting-value-{ind.code}")
        elif ind.kind == "text":
            field = ui.textarea(label, value=value or "").props("maxlength=4000" + ("" if may_fill else " readonly"))
            field.classes("w-full max-w-3xl").mark(f"reporting-value-{ind.code}")
        else:
            names = " | ".join(c.name_vi if ctx.lang == "vi" else c.name_en for c in ind.columns)
            text = "\n".join(" | ".join(_shown(row.get(c.code)) for c in ind.columns) for row in value or [])
            field = ui.textarea(label, value=text).props("" if may_fill else "readonly")
            field.classes("w-full max-w-3xl").mark(f"reporting-value-{ind.code}")
            ui.label(ctx.t(N_("Mỗi dòng một hàng, các cột cách nhau bằng |: {cols}")).format(cols=names)).classes(
                "text-xs text-grey-7"
            )
            if ind.total:
                sums = ", ".join(
                    f"{c.name_vi if ctx.lang == 'vi' else c.name_en}: "
                    + _shown(filled.totals.get(f"{ind.code}.{c.code}"))
                    for c in ind.columns
                    if c.kind == "number"
                )
                ui.label(f"{ctx.t(TOTAL)}: {sums}").classes("text-sm").mark(f"reporting-total-{ind.code}")
        if stored is not None and stored.source:
            shown = _shown(stored.prefilled) or ctx.t(N_("không có"))
            ui.label(ctx.t(N_("Số liệu CCES: {value}")).format(value=shown)).classes("text-xs text-grey-7")
            note = ui.input(ctx.t(N_("Ghi chú lý do điều chỉnh")), value=stored.note or "").props(
                "dense maxlength=1000" + ("" if may_fill else " readonly")
            )
            note.classes("w-96").mark(f"reporting-note-{ind.code}")
    return ind, field, note


def _history(ctx: PageContext, filled: Filled) -> None:
    ui.label(ctx.t(N_("Quá trình xử lý"))).classes("text-lg mt-4")
    cols = columns(ctx.t, [("at", N_("Thời điểm")), ("by", N_("Người thực hiện")), ("event", N_("Việc")),
                           ("comment", N_("Ý kiến của đơn vị nhận"))])  # fmt: skip
    rows = [
        {"n": i, "at": local_time(e.at, seconds=False), "by": actor_label(ctx.t, e.actor),
         "event": _pair(EVENTS[e.kind], ctx.lang), "comment": e.comment or ""}
        for i, e in enumerate(filled.report.events)
    ]  # fmt: skip
    data_table(cols, rows, row_key="n", marker="reporting-history", wrap=True)

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
from ui.i18n import register_texts
from ui.pages.reporting_attachments import attachments_box
from ui.pages.reporting_consolidated import consolidated_box
from ui.pages.reporting_define import define_form
from ui.shell import PageContext, module_page

PATH = "/reporting"

register_texts(
    {
        "reporting.title": {"vi": "Tổng hợp, báo cáo", "en": "Summary reporting"},
        "reporting.intro": {
            "vi": "Báo cáo định kỳ theo Nghị định 09/2019/NĐ-CP: số liệu báo cáo tháng tính từ ngày 15 tháng trước"
            " đến ngày 14 tháng báo cáo; quý, 6 tháng, 9 tháng và năm tính từ ngày 15/12 năm trước (quý: từ ngày 15"
            " tháng trước quý) đến ngày 14 tháng cuối kỳ. Số liệu có sẵn trong CCES được điền trước.",
            "en": "Periodic reports under Decree 09/2019: a monthly report's data runs from the 15th of the previous"
            " month to the 14th of the reporting month; quarterly, six-, nine-monthly and yearly from 15 December of"
            " the previous year (a quarter: from the 15th of the month before it) to the 14th of the last month."
            " Figures CCES holds are filled in beforehand.",
        },
        "reporting.mine": {"vi": "Báo cáo của đơn vị", "en": "My units' reports"},
        "reporting.none": {"vi": "Chưa có báo cáo nào.", "en": "No reports yet."},
        "reporting.regimes": {"vi": "Chế độ báo cáo", "en": "Reporting regimes"},
        "reporting.no_regimes": {"vi": "Chưa có chế độ báo cáo nào.", "en": "No reporting regime yet."},
        "reporting.regime": {"vi": "Chế độ báo cáo", "en": "Regime"},
        "reporting.name": {"vi": "Tên báo cáo", "en": "Name"},
        "reporting.basis": {"vi": "Căn cứ", "en": "Legal basis"},
        "reporting.frequency": {"vi": "Tần suất", "en": "Frequency"},
        "reporting.deadline_rule": {"vi": "Hạn gửi", "en": "Deadline"},
        "reporting.days_after": {"vi": "{n} ngày {kind} sau ngày chốt số liệu",
                                 "en": "{n} {kind} days after the cut-off"},
        "reporting.working": {"vi": "làm việc", "en": "working"},
        "reporting.calendar": {"vi": "theo lịch", "en": "calendar"},
        "reporting.units": {"vi": "Số đơn vị báo cáo", "en": "Reporting units"},
        "reporting.version": {"vi": "Phiên bản (hiệu lực từ)", "en": "Version (in force from)"},
        "reporting.period": {"vi": "Kỳ báo cáo", "en": "Period"},
        "reporting.data": {"vi": "Số liệu từ ngày – đến ngày", "en": "Data from – to"},
        "reporting.unit": {"vi": "Đơn vị báo cáo", "en": "Reporting unit"},
        "reporting.recipient": {"vi": "Gửi đến", "en": "Reports to"},
        "reporting.deadline": {"vi": "Hạn gửi", "en": "Due"},
        "reporting.status": {"vi": "Tình trạng", "en": "Status"},
        "reporting.comment": {"vi": "Ý kiến của đơn vị nhận", "en": "Reviewer's comments"},
        "reporting.back": {"vi": "← Danh sách báo cáo", "en": "← All reports"},
        "reporting.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
        "reporting.from_cces": {"vi": "Số liệu CCES: {value}", "en": "CCES figure: {value}"},
        "reporting.no_data": {"vi": "không có", "en": "none"},
        "reporting.note": {"vi": "Ghi chú lý do điều chỉnh", "en": "Why it was corrected"},
        "reporting.computed": {"vi": "Tự tính theo công thức: {formula}", "en": "Computed by the formula: {formula}"},
        "reporting.rows": {"vi": "Mỗi dòng một hàng, các cột cách nhau bằng |: {cols}",
                           "en": "One row per line, columns separated by |: {cols}"},
        "reporting.total": {"vi": "Tổng cộng", "en": "Total"},
        "reporting.save": {"vi": "Lưu", "en": "Save"},
        "reporting.saved": {"vi": "Đã lưu.", "en": "Saved."},
        "reporting.submit": {"vi": "Gửi báo cáo", "en": "Submit"},
        "reporting.submitted": {"vi": "Đã gửi báo cáo.", "en": "The report was submitted."},
        "reporting.return": {"vi": "Trả lại", "en": "Return"},
        "reporting.accept": {"vi": "Tiếp nhận", "en": "Accept"},
        "reporting.decided": {"vi": "Đã cập nhật tình trạng báo cáo.", "en": "The report's status was updated."},
        "reporting.review_comment": {"vi": "Ý kiến (bắt buộc khi trả lại)", "en": "Comments (required to return)"},
        "reporting.history": {"vi": "Quá trình xử lý", "en": "History"},
        "reporting.at": {"vi": "Thời điểm", "en": "When"},
        "reporting.by": {"vi": "Người thực hiện", "en": "By"},
        "reporting.event": {"vi": "Việc", "en": "What"},
        "reporting.missing": {"vi": "Đơn vị chưa gửi báo cáo", "en": "Units that have not submitted"},
        "reporting.missing_show": {"vi": "Xem", "en": "Show"},
        "reporting.missing_none": {"vi": "Mọi đơn vị đã gửi.", "en": "Every unit has submitted."},
        "reporting.late": {"vi": "Quá hạn", "en": "Late"},
        "reporting.reminders": {"vi": "Số lần nhắc", "en": "Reminders"},
        "reporting.yes": {"vi": "Có", "en": "Yes"},
        "reporting.no": {"vi": "Không", "en": "No"},
        "reporting.download": {"vi": "Tải {fmt}", "en": "Download {fmt}"},
        "reporting.fill_from_reporters": {"vi": "Điền từ số liệu tổng hợp của các đơn vị cấp dưới",
                                          "en": "Fill from my reporting units' sums"},
    }
)  # fmt: skip

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
    @module_page(PATH, text_key="reporting.title", icon="summarize", action=access.REFERENCE, order=65)
    def reporting_page(ctx: PageContext, report: str = "") -> None:
        ui.label(ctx.t("reporting.title")).classes("text-2xl font-bold")
        if report.strip():
            detail(ctx, int(report) if report.strip().isdigit() and len(report) < 18 else 0)
            return
        ui.label(ctx.t("reporting.intro")).classes("text-sm text-grey-8 max-w-4xl")
        if gate.allows(ctx.principal, access.VIEW):
            reports_list(ctx)
            consolidated_box(ctx, report_url, download_buttons)
        regimes_list(ctx)
        if gate.allows(ctx.principal, access.FOLLOW):
            missing_box(ctx)
        if gate.allows(ctx.principal, access.DEFINE):
            define_form(ctx)


def reports_list(ctx: PageContext) -> None:
    ui.label(ctx.t("reporting.mine")).classes("text-lg mt-4")
    try:
        found = ctx.services.reporting.reports(ctx.principal)
    except DomainError as exc:
        show_problem(str(exc), marker="reporting-problem")
        return
    if not found:
        empty_state(ctx.t("reporting.none"), marker="reporting-none")
        return
    cols = columns(ctx.t, [("period", "reporting.period"), ("regime", "reporting.regime"), ("unit", "reporting.unit"),
                           ("recipient", "reporting.recipient"), ("deadline", "reporting.deadline"),
                           ("status", "reporting.status")])  # fmt: skip
    rows = [
        {"id": r.id, "href": report_url(r.id), "period": r.period_key, "regime": r.regime_code, "unit": r.unit_name,
         "recipient": r.recipient_name, "deadline": local_date(r.deadline),
         "status": _pair(STATUS_LABELS[r.status], ctx.lang)}
        for r in found
    ]  # fmt: skip
    link_cell(data_table(cols, rows, row_key="id", marker="reporting-reports"), "period")


def regimes_list(ctx: PageContext) -> None:
    ui.label(ctx.t("reporting.regimes")).classes("text-lg mt-4")
    found = ctx.services.reporting.regimes(ctx.principal)
    if not found:
        empty_state(ctx.t("reporting.no_regimes"), marker="reporting-no-regimes")
        return
    cols = columns(ctx.t, [("name", "reporting.name"), ("basis", "reporting.basis"),
                           ("frequency", "reporting.frequency"), ("deadline", "reporting.deadline_rule"),
                           ("units", "reporting.units", "right"), ("version", "reporting.version")])  # fmt: skip
    rows = []
    for v in found:
        kind = ctx.t("reporting.working" if v.deadline_working else "reporting.calendar")
        rows.append({
            "code": v.code, "name": v.name_vi if ctx.lang == "vi" else v.name_en, "basis": v.basis,
            "frequency": _pair(FREQUENCY_LABELS[v.frequency], ctx.lang),
            "deadline": ctx.t("reporting.days_after").format(n=v.deadline_days, kind=kind),
            "units": len(v.reporters), "version": f"{v.version} ({local_date(v.valid_from)})",
        })  # fmt: skip
    data_table(cols, rows, row_key="code", marker="reporting-regimes", wrap=True)


def missing_box(ctx: PageContext) -> None:
    ui.label(ctx.t("reporting.missing")).classes("text-lg mt-4")
    regimes = ctx.services.reporting.regimes(ctx.principal)
    if not regimes:
        return
    options = {v.code: v.name_vi if ctx.lang == "vi" else v.name_en for v in regimes}
    with ui.row().classes("items-end gap-2"):
        chosen = ui.select(options, value=regimes[0].code, label=ctx.t("reporting.regime")).classes("w-72")
        chosen.mark("reporting-missing-regime")
        key = ui.input(ctx.t("reporting.period"), placeholder="2026-03").props("dense maxlength=10")
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
                    empty_state(ctx.t("reporting.missing_none"), marker="reporting-missing-none")
                    return
                cols = columns(ctx.t, [("unit", "reporting.unit"), ("status", "reporting.status"),
                                       ("deadline", "reporting.deadline"), ("late", "reporting.late"),
                                       ("reminders", "reporting.reminders", "right")])  # fmt: skip
                rows = [
                    {"id": m.report_id, "unit": m.unit_name, "status": _pair(STATUS_LABELS[m.status], ctx.lang),
                     "deadline": local_date(m.deadline), "late": ctx.t("reporting.yes" if m.late else "reporting.no"),
                     "reminders": m.reminders}
                    for m in found
                ]  # fmt: skip
                data_table(cols, rows, row_key="id", marker="reporting-missing")

        ui.button(ctx.t("reporting.missing_show"), on_click=show).props("dense").mark("reporting-missing-show")


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
    ui.link(ctx.t("reporting.back"), PATH).mark("reporting-back")
    svc = ctx.services.reporting
    try:
        filled = svc.report(ctx.principal, report_id)
    except DomainError as exc:
        show_problem(str(exc), marker="reporting-problem")
        return
    r = filled.report
    ui.label(f"{r.regime_code} — {r.period_key} — {r.unit_name}").classes("text-xl").mark("reporting-title")
    facts([
        (ctx.t("reporting.data"), f"{local_date(r.period_start)} – {local_date(r.period_end)}"),
        (ctx.t("reporting.recipient"), r.recipient_name), (ctx.t("reporting.deadline"), local_date(r.deadline)),
        (ctx.t("reporting.status"), _pair(STATUS_LABELS[r.status], ctx.lang)),
        (ctx.t("reporting.comment"), r.comment or "—"),
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
                ui.notify(ctx.t("reporting.saved"), type="positive")
            elif what == "fill":
                svc.fill_from_reporters(ctx.principal, r.id)
                ui.notify(ctx.t("reporting.saved"), type="positive")
            elif what == "submit":
                if may_fill:
                    svc.save(ctx.principal, r.id, *collect())
                svc.submit(ctx.principal, r.id)
                ui.notify(ctx.t("reporting.submitted"), type="positive")
            else:
                svc.decide(ctx.principal, r.id, what == "accept", comment.value if comment else None)
                ui.notify(ctx.t("reporting.decided"), type="positive")
        except DomainError as exc:
            problem.set_text(str(exc))
            problem.set_visibility(True)
            return
        ui.navigate.to(report_url(r.id))

    comment = None
    with ui.row().classes("gap-2 mt-2 items-end"):
        if may_fill:
            ui.button(ctx.t("reporting.save"), on_click=lambda: act("save")).mark("reporting-save")
        if r.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and gate.allows_on(
            ctx.principal, access.SUBMIT, Target.unit(r.unit_path)
        ):
            ui.button(ctx.t("reporting.submit"), on_click=lambda: act("submit")).mark("reporting-submit")
        if r.status is ReportStatus.SUBMITTED and gate.allows_on(
            ctx.principal, access.REVIEW, Target.unit(r.recipient_path)
        ):
            comment = ui.textarea(ctx.t("reporting.review_comment")).props("maxlength=2000").classes("w-96")
            comment.mark("reporting-comment")
            ui.button(ctx.t("reporting.return"), on_click=lambda: act("return")).mark("reporting-return")
            ui.button(ctx.t("reporting.accept"), on_click=lambda: act("accept")).mark("reporting-accept")
        if may_fill and _receives(ctx, r):
            ui.button(ctx.t("reporting.fill_from_reporters"), on_click=lambda: act("fill")).props("outline").mark(
                "reporting-fill-from-reporters"
            )
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

            button = ui.button(ctx.t("reporting.download").format(fmt=fmt.upper()), icon=icon, on_click=download)
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
            ui.label(ctx.t("reporting.computed").format(formula=ind.formula)).classes("text-xs text-grey-7")
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
            ui.label(ctx.t("reporting.rows").format(cols=names)).classes("text-xs text-grey-7")
            if ind.total:
                sums = ", ".join(
                    f"{c.name_vi if ctx.lang == 'vi' else c.name_en}: "
                    + _shown(filled.totals.get(f"{ind.code}.{c.code}"))
                    for c in ind.columns
                    if c.kind == "number"
                )
                ui.label(f"{ctx.t('reporting.total')}: {sums}").classes("text-sm").mark(f"reporting-total-{ind.code}")
        if stored is not None and stored.source:
            shown = _shown(stored.prefilled) or ctx.t("reporting.no_data")
            ui.label(ctx.t("reporting.from_cces").format(value=shown)).classes("text-xs text-grey-7")
            note = ui.input(ctx.t("reporting.note"), value=stored.note or "").props(
                "dense maxlength=1000" + ("" if may_fill else " readonly")
            )
            note.classes("w-96").mark(f"reporting-note-{ind.code}")
    return ind, field, note


def _history(ctx: PageContext, filled: Filled) -> None:
    ui.label(ctx.t("reporting.history")).classes("text-lg mt-4")
    cols = columns(ctx.t, [("at", "reporting.at"), ("by", "reporting.by"), ("event", "reporting.event"),
                           ("comment", "reporting.comment")])  # fmt: skip
    rows = [
        {"n": i, "at": local_time(e.at, seconds=False), "by": actor_label(ctx.t, e.actor),
         "event": _pair(EVENTS[e.kind], ctx.lang), "comment": e.comment or ""}
        for i, e in enumerate(filled.report.events)
    ]  # fmt: skip
    data_table(cols, rows, row_key="n", marker="reporting-history", wrap=True)

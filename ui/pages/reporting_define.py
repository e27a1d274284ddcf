"""The form on /reporting that saves a reporting regime (office admins over its receiving unit): a new regime,
or a new version of one in force from a day (the reports already opened keep theirs). The receiving unit and
who reports to whom are picked in the org tree (ui.pages.reporting_units); the template of indicators is
edited as a table (ui.pages.reporting_template; JSON only as an advanced import), an example filled in. An
existing regime can be loaded into the form to save its next version. Vietnamese first."""

from __future__ import annotations

from datetime import date

from nicegui import ui

from hub.domain import DomainError
from hub.reporting.periods import FREQUENCY_LABELS, Frequency
from ui.components.states import show_problem
from ui.i18n import N_, pgettext
from ui.pages.reporting_template import TemplateEditor
from ui.pages.reporting_units import ReportersField
from ui.shell import PageContext

REGIME = pgettext("report", "Chế độ báo cáo")  # as ui.pages.reporting says it

EXAMPLE = {
    "indicators": [
        {"code": "staff", "name_vi": "Số cán bộ, công chức", "name_en": "Staff", "unit": "người",
         "source": "staff_count"},
        {"code": "attendance", "name_vi": "Tỷ lệ chuyên cần", "name_en": "Attendance rate", "unit": "%",
         "source": "attendance_rate"},
        {"code": "late", "name_vi": "Số lượt đi muộn", "name_en": "Late arrivals", "unit": "lượt",
         "source": "late_arrivals"},
        {"code": "late_per_person", "name_vi": "Số lượt đi muộn bình quân", "name_en": "Late arrivals per person",
         "unit": "lượt/người", "formula": "late / staff"},
        {"code": "summary", "name_vi": "Tình hình chung", "name_en": "Summary", "kind": "text", "required": True},
    ]
}  # fmt: skip

#: the template editor found problems (said in both languages, as the service's refusals are)
TEMPLATE_BAD = N_(
    "Biểu mẫu chỉ tiêu có lỗi, xem dưới từng chỉ tiêu; chưa lưu gì. / The indicator template has problems, shown "
    "under each indicator; nothing was saved."
)


def define_form(ctx: PageContext) -> None:
    with (
        ui.expansion(ctx.t(N_("Lưu chế độ báo cáo")), icon="edit_note").classes("w-full mt-4").mark("reporting-define")
    ):
        ui.label(
            ctx.t(N_("Mã đã có: lưu thành phiên bản mới, có hiệu lực từ ngày chọn; báo cáo đã mở giữ phiên bản cũ."))
        ).classes("text-sm text-grey-8")
        regimes = {v.code: v for v in ctx.services.reporting.regimes(ctx.principal)}
        if regimes:
            names = {c: f"{v.name_vi if ctx.lang == 'vi' else v.name_en} ({c})" for c, v in regimes.items()}
            earlier = ui.select(
                names, label=ctx.t(N_("Sửa chế độ đã có (lưu thành phiên bản mới)")), clearable=True
            ).classes("w-96")
            earlier.mark("reporting-define-edit")
        with ui.row().classes("gap-4 flex-wrap"):
            code = ui.input(ctx.t(N_("Mã chế độ (a-z, 0-9, -)"))).props("maxlength=40").mark("reporting-define-code")
            valid = ui.input(ctx.t(N_("Hiệu lực từ ngày (YYYY-MM-DD)")), value=date.today().replace(day=1).isoformat())
            valid.props("maxlength=10").mark("reporting-define-valid-from")
        with ui.row().classes("gap-4 flex-wrap w-full"):
            name_vi = ui.input(ctx.t(pgettext("regime form", "Tên báo cáo"))).props("maxlength=200").classes("w-96")
            name_vi.mark("reporting-define-name-vi")
            name_en = ui.input(ctx.t(N_("Tên tiếng Anh"))).props("maxlength=200").classes("w-96")
            name_en.mark("reporting-define-name-en")
        basis = ui.input(ctx.t(N_("Căn cứ")), value="Nghị định 09/2019/NĐ-CP").props("maxlength=200")
        basis.classes("w-full max-w-3xl").mark("reporting-define-basis")
        content = ui.textarea(ctx.t(N_("Nội dung báo cáo"))).props("maxlength=2000").classes("w-full max-w-3xl")
        with ui.row().classes("gap-4 flex-wrap items-end"):
            options = {f.value: FREQUENCY_LABELS[f][0 if ctx.lang == "vi" else 1] for f in Frequency}
            freq = ui.select(options, value="monthly", label=ctx.t(N_("Tần suất"))).classes("w-48")
            freq.mark("reporting-define-frequency")
            cutoff = ui.number(
                ctx.t(N_("Ngày bắt đầu số liệu trong tháng (Nghị định 09: 15)")), value=15, min=1, max=28, format="%d"
            ).classes("w-72")
            days = ui.number(ctx.t(N_("Hạn gửi: số ngày sau ngày chốt")), value=2, min=0, max=60, format="%d").classes(
                "w-64"
            )
            days.mark("reporting-define-deadline")
            working = ui.checkbox(ctx.t(N_("Tính theo ngày làm việc")), value=True)
        units = ReportersField(ctx)
        editor = TemplateEditor(ctx, EXAMPLE)

        def fill(chosen: str | None) -> None:
            v = regimes.get(chosen or "")
            if v is None:
                return
            code.set_value(v.code)
            name_vi.set_value(v.name_vi)
            name_en.set_value(v.name_en)
            basis.set_value(v.basis)
            content.set_value(v.content)
            freq.set_value(v.frequency.value)
            cutoff.set_value(v.cutoff_day)
            days.set_value(v.deadline_days)
            working.set_value(v.deadline_working)
            units.load(v)
            editor.load(v.template)

        if regimes:
            earlier.on_value_change(lambda e: fill(e.value))
        problem = show_problem("", marker="reporting-define-problem")
        problem.set_visibility(False)

        def save() -> None:
            problem.set_visibility(False)
            try:
                checked = editor.check()
                if checked.template is None:
                    raise DomainError(ctx.t(TEMPLATE_BAD))
                try:
                    from_day = date.fromisoformat((valid.value or "").strip())
                except ValueError:
                    raise DomainError(
                        ctx.t(N_("Ngày hiệu lực không hợp lệ / The day it comes into force is not a date"))
                    ) from None
                saved = ctx.services.reporting.define(
                    ctx.principal, (code.value or "").strip(), valid_from=from_day, name_vi=name_vi.value or "",
                    name_en=name_en.value or "", basis=basis.value or "", content=content.value or "",
                    frequency_name=freq.value, cutoff_day=int(cutoff.value or 15), deadline_days=int(days.value or 0),
                    deadline_working=bool(working.value), owner_unit=units.owner_code, template=checked.template,
                    reporters=units.pairs(),
                )  # fmt: skip
            except DomainError as exc:
                problem.set_text(str(exc))
                problem.set_visibility(True)
                return
            ui.notify(ctx.t(N_("Đã lưu phiên bản {n}.")).format(n=saved.version), type="positive")
            ui.navigate.to("/reporting")

        ui.button(ctx.t(N_("Lưu")), on_click=save).mark("reporting-define-save")

"""/documents/incoming: the clerk's form for registering forty incoming documents at 8 a.m. — every field
reached with Tab, Enter saves and empties the form for the next one (keeping the unit, type and arrival
day), the next số đến always shown, files dropped or picked, and this year's register below with the
documents registered late marked. Who may: hub.documents.access.REGISTER (văn thư over the unit)."""

from __future__ import annotations

from datetime import date
from typing import Any

from nicegui import events, run, ui

from hub.documents import access
from hub.documents.files import Upload
from hub.documents.printouts.render import XLSX_TYPE
from hub.domain import DomainError
from hub.services import HubServices
from ui.components.format import local_date, local_time
from ui.components.states import empty_state, show_problem
from ui.components.tables import columns, data_table, link_cell
from ui.i18n import N_
from ui.pages.documents.texts import SECRECY, URGENCY
from ui.shell import PageContext, module_page

#: texts shown inside composed lines (a constant, so that Babel extracts them)
NEXT_NUMBER = N_("Số đến tiếp theo")
REGISTERED_AS = N_("Đã vào sổ số đến")
DUPLICATE = N_("Cảnh báo: trùng số, ký hiệu và cơ quan với văn bản")

PATH = "/documents/incoming"
SHOWN = 40


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()) if value else None
    except ValueError:
        return None


def register(services: HubServices) -> None:
    @module_page(PATH, text_key=N_("Vào sổ văn bản đến"), icon="move_to_inbox", action=access.REGISTER, order=70)
    def incoming_page(ctx: PageContext, unit: str = "") -> None:
        t, svc = ctx.t, ctx.services.documents
        ui.label(t(N_("Vào sổ văn bản đến"))).classes("text-2xl font-bold")
        ui.label(
            t(
                N_(
                    "Nhập lần lượt từng văn bản: Enter để lưu và sang văn bản tiếp theo. Văn bản đến phải vào"
                    " sổ trong ngày, chậm nhất ngày làm việc tiếp theo (NĐ 30/2020 Đ.22)."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        units = svc.registering_units(ctx.principal)
        if not units:
            empty_state(t(N_("Bạn không là văn thư của đơn vị có con dấu nào.")), marker="docs-no-units")
            return
        codes = [c for c, _ in units]
        chosen = unit if unit in codes else codes[0]
        types = {d.key: f"{d.abbreviation + ' — ' if d.abbreviation else ''}{d.name_vi}" for d in svc.types()}
        today = svc.today().isoformat()
        held: list[Upload] = []
        state: dict[str, Any] = {"unit": chosen}

        with ui.row().classes("items-end gap-4 flex-wrap"):
            unit_box = ui.select({c: f"{c} — {n}" for c, n in units}, value=chosen, label=t(N_("Đơn vị vào sổ")))
            unit_box.classes("w-80").mark("docs-unit")
            next_label = ui.label().classes("text-xl font-bold text-primary").mark("docs-next-number")

        def show_next() -> None:
            number = svc.next_number(ctx.principal, state["unit"])
            next_label.set_text(f"{t(NEXT_NUMBER)}: {number:02d}")

        with (
            ui.card().classes("w-full"),
            ui.grid(columns="repeat(auto-fill, minmax(14rem, 1fr))").classes("w-full gap-2"),
        ):
            kind = ui.select(types, value="cong_van", label=t(N_("Loại văn bản"))).props("dense").mark("docs-type")
            number = ui.input(t(N_("Số"))).props("dense maxlength=11 autofocus").mark("docs-code-number")
            symbol = ui.input(t(N_("Ký hiệu"))).props("dense maxlength=30").mark("docs-code-notation")
            organ = ui.input(t(N_("Cơ quan ban hành"))).props("dense maxlength=200").mark("docs-organ")
            issued = ui.input(t(N_("Ngày văn bản")), value=today).props("dense type=date").mark("docs-issued")
            arrival = ui.input(t(N_("Ngày đến")), value=today).props("dense type=date").mark("docs-arrival")
            subject = (
                ui.input(t(N_("Trích yếu"))).props("dense maxlength=500").classes("col-span-2").mark("docs-subject")
            )
            urgency = ui.select({k: t(v) for k, v in URGENCY.items()}, value=0, label=t(N_("Độ khẩn")))
            urgency.props("dense").mark("docs-urgency")
            secrecy = ui.select({k: t(v) for k, v in SECRECY.items()}, value=0, label=t(N_("Độ mật")))
            secrecy.props("dense").mark("docs-secrecy")
            signer = ui.input(t(N_("Người ký"))).props("dense maxlength=50").mark("docs-signer")
            position = ui.input(t(N_("Chức vụ người ký"))).props("dense maxlength=100").mark("docs-signer-position")
            pages = ui.number(t(N_("Số trang")), min=1, max=999, format="%d").props("dense").mark("docs-pages")
            due = ui.input(t(N_("Hạn trả lời"))).props("dense type=date").mark("docs-due")

        async def take(event: events.UploadEventArguments) -> None:
            held.append(Upload(event.file.name, await event.file.read()))

        upload = ui.upload(
            label=t(N_("Tệp văn bản (PDF, ảnh quét, Office)")), multiple=True, auto_upload=True, on_upload=take
        )
        upload.props('accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,.doc,.docx,.xls,.xlsx,.odt,.ods" flat bordered')
        upload.classes("w-full sm:w-[32rem]").mark("docs-upload")
        problem = ui.label().classes("text-negative").mark("docs-problem")
        listing = ui.column().classes("w-full")

        async def save() -> None:
            problem.set_text("")
            try:
                saved = await run.io_bound(
                    lambda: svc.register_incoming(
                        ctx.principal, state["unit"], type_key=kind.value or "", code_number=number.value or "",
                        code_notation=symbol.value or "", organ_name=organ.value or "",
                        issued_date=_day(issued.value) or svc.today(), subject=subject.value or "",
                        urgency=int(urgency.value or 0), secrecy=int(secrecy.value or 0),
                        arrival_date=_day(arrival.value), signer_name=signer.value or None,
                        signer_position=position.value or None,
                        page_amount=int(pages.value) if pages.value else None, due_date=_day(due.value),
                        files=list(held),
                    )
                )  # fmt: skip
            except DomainError as exc:
                problem.set_text(str(exc))
                return
            ui.notify(f"{t(REGISTERED_AS)} {saved.number:02d}", type="positive")
            if saved.duplicates:
                same = ", ".join(map(str, saved.duplicates))
                ui.notify(
                    f"{t(DUPLICATE)} {same}",
                    type="warning",
                    timeout=0,
                    close_button=True,
                )
            for box in (number, symbol, organ, subject, signer, position, due):
                box.set_value("")
            pages.set_value(None)
            urgency.set_value(0)
            secrecy.set_value(0)
            held.clear()
            upload.reset()
            show_next()
            draw_register()
            number.run_method("focus")

        for box in (number, symbol, organ, issued, arrival, subject, signer, position, pages, due):
            box.on("keydown.enter", save)
        ui.button(t(N_("Vào sổ (Enter)")), icon="save", on_click=save).mark("docs-save")

        def draw_register() -> None:
            listing.clear()
            with listing:
                try:
                    year = svc.today().year
                    total = svc.register_page(ctx.principal, state["unit"], year, "den", limit=1).total
                    page = svc.register_page(ctx.principal, state["unit"], year, "den", limit=SHOWN,
                                             offset=max(0, total - SHOWN))  # fmt: skip
                except DomainError as exc:
                    show_problem(str(exc), marker="docs-register-problem")
                    return
                ui.label(t(N_("Văn bản đến trong sổ năm nay (mới nhất trước)"))).classes("text-lg mt-2")
                with ui.row().classes("gap-2"):  # the books as Decree 30 prints them (hub.documents.printouts)
                    for series, fmt, key, icon in (
                        ("den", "pdf", N_("In sổ (PDF)"), "print"),
                        ("den", "xlsx", N_("Xuất sổ (Excel)"), "table_view"),
                        ("di", "pdf", N_("In sổ văn bản đi (PDF)"), "print"),
                        ("di", "xlsx", N_("Xuất sổ văn bản đi (Excel)"), "table_view"),
                    ):
                        ui.button(
                            t(key), icon=icon, on_click=lambda s=series, f=fmt, y=year: download_book(s, f, y)
                        ).props("outline dense").mark(f"docs-print-{series}-{fmt}")
                with ui.row().classes("gap-2"):  # Decree 30 Appendix VI: the reports on handling them
                    for kind, fmt, key, icon in (
                        ("den", "pdf", N_("Báo cáo giải quyết văn bản đến (PDF)"), "summarize"),
                        ("den", "xlsx", N_("Báo cáo giải quyết văn bản đến (Excel)"), "table_view"),
                        ("di", "pdf", N_("Báo cáo giải quyết văn bản đi (PDF)"), "summarize"),
                        ("di", "xlsx", N_("Báo cáo giải quyết văn bản đi (Excel)"), "table_view"),
                    ):
                        ui.button(
                            t(key), icon=icon, on_click=lambda k=kind, f=fmt, y=year: download_report(k, f, y)
                        ).props("outline dense").mark(f"docs-report-{kind}-{fmt}")
                cols = columns(
                    t,
                    [("number", N_("Số đến")), ("arrival", N_("Ngày đến")), ("code", N_("Ký hiệu")),
                     ("organ", N_("Cơ quan ban hành")), ("subject", N_("Trích yếu")), ("marks", N_("Dấu")),
                     ("registered", N_("Vào sổ lúc")), ("late", N_("Vào sổ muộn"))],
                )  # fmt: skip
                rows = [
                    {
                        "number": f"{d.number:02d}", "href": f"/documents/entry?id={d.id}",
                        "arrival": local_date(d.arrival_date), "code": f"{d.code_number}/{d.code_notation}",
                        "organ": d.organ_name, "subject": d.subject, "marks": ", ".join(d.marks),
                        "registered": local_time(d.registered_at, seconds=False),
                        "late": t(N_("Vào sổ muộn")) if d.registered_late else t(N_("Đúng hạn")),
                    }
                    for d in reversed(page.entries)
                ]  # fmt: skip
                table = data_table(cols, rows, row_key="number", marker="docs-register", wrap=True)
                link_cell(table, "number")

        # rendered off the UI loop: a year's book of a big register takes tens of seconds (bench.documents_registers:
        # 42.6 s for 13,689 entries), which would stall every page of this hub process
        async def download_book(series: str, fmt: str, year: int) -> None:
            printouts = svc.printouts
            make = printouts.book_pdf if fmt == "pdf" else printouts.book_xlsx
            ui.notify(t(N_("Đang lập sổ, xin chờ…")), type="ongoing", timeout=3000)
            try:
                name, data = await run.io_bound(make, ctx.principal, state["unit"], year, series)
            except DomainError as exc:
                ui.notify(str(exc), type="negative", multi_line=True)
                return
            media = "application/pdf" if fmt == "pdf" else XLSX_TYPE
            ui.download(data, name, media_type=media)

        async def download_report(kind: str, fmt: str, year: int) -> None:
            printouts = svc.printouts
            make = printouts.status_report if kind == "den" else printouts.outgoing_report
            try:
                found = await run.io_bound(make, ctx.principal, state["unit"], year, fmt)
            except DomainError as exc:
                ui.notify(str(exc), type="negative", multi_line=True)
                return
            ui.download(found.content, found.filename, media_type=found.media_type)

        def change_unit(event: events.ValueChangeEventArguments) -> None:
            state["unit"] = event.value
            show_next()
            draw_register()

        unit_box.on_value_change(change_unit)
        show_next()
        draw_register()

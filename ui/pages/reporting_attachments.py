"""A report's attachments on /reporting (issue 18 item 2): the files sent with it (download), and, while the
report is being prepared or returned, adding one (PDF, scans, Office files; at most 20 MB, 10 a report; the
service checks the bytes) and taking one off. Vietnamese first."""

from __future__ import annotations

from nicegui import events, run, ui

from hub.documents.files import Upload
from hub.domain import DomainError
from hub.reporting.core import MAX_ATTACHMENT_BYTES, Filled
from ui.components.states import empty_state
from ui.i18n import N_
from ui.shell import PageContext

KB = N_("{n} KB")


def attachments_box(ctx: PageContext, filled: Filled, may_fill: bool, reload: str) -> None:
    """The list, with a download button per file; with `may_fill` the upload and a remove button per file.
    After a change the page is opened again at `reload`."""
    svc = ctx.services.reporting
    r = filled.report
    ui.label(ctx.t(N_("Tệp đính kèm"))).classes("text-lg mt-4")
    problem = ui.label("").classes("text-negative").mark("reporting-attachment-problem")
    problem.set_visibility(False)

    def refused(exc: DomainError) -> None:
        problem.set_text(str(exc))
        problem.set_visibility(True)

    if not r.attachments:
        empty_state(ctx.t(N_("Chưa có tệp đính kèm.")), marker="reporting-no-attachments")
    for a in r.attachments:
        with ui.row().classes("items-center gap-2").mark(f"reporting-attachment-{a.id}"):
            ui.label(f"{a.filename} ({ctx.t(KB).format(n=max(1, round(a.size / 1024)))})")

            async def download(attachment_id: int = a.id) -> None:
                try:
                    found, data = await run.io_bound(svc.attachment, ctx.principal, r.id, attachment_id)
                except DomainError as exc:
                    refused(exc)
                    return
                ui.download.content(data, found.filename, found.content_type)

            ui.button(icon="download", on_click=download).props("flat dense").mark(f"reporting-attachment-get-{a.id}")
            if may_fill:

                def detach(attachment_id: int = a.id) -> None:
                    try:
                        svc.detach(ctx.principal, r.id, attachment_id)
                    except DomainError as exc:
                        refused(exc)
                        return
                    ui.navigate.to(reload)

                ui.button(ctx.t(N_("Gỡ")), icon="delete", on_click=detach).props("flat dense").mark(
                    f"reporting-attachment-remove-{a.id}"
                )
    if not may_fill:
        return
    ui.label(
        ctx.t(N_("PDF, ảnh quét (JPEG, PNG, TIFF) hoặc tệp Office; tối đa 20 MB một tệp, 10 tệp một báo cáo."))
    ).classes("text-xs text-grey-7")

    async def uploaded(event: events.UploadEventArguments) -> None:
        data = await event.file.read()
        try:
            saved = await run.io_bound(svc.attach, ctx.principal, r.id, Upload(event.file.name, data))
        except DomainError as exc:
            refused(exc)
            return
        ui.notify(ctx.t(N_("Đã đính kèm {name}.")).format(name=saved.filename), type="positive")
        ui.navigate.to(reload)

    ui.upload(auto_upload=True, on_upload=uploaded, max_file_size=MAX_ATTACHMENT_BYTES).props(
        'accept=".pdf,.jpg,.jpeg,.png,.tif,.tiff,.docx,.xlsx,.pptx,.odt,.ods,.doc,.xls" flat bordered'
    ).classes("w-full sm:w-96").mark("reporting-attach")

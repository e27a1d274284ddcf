"""XLSX and PDF buttons of a report: the hub renders the file on a click and the browser downloads it.

The report is computed again on the click (off the UI loop) rather than kept from the page: a
page may have been open for hours, and the file should say what is true when it is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import run, ui

from hub.reports.documents import ExportFile, ExportFormat
from ui.components.format import Translate
from ui.i18n import N_


def export_buttons(t: Translate, report: str, make: Callable[[ExportFormat], ExportFile | None]) -> None:
    """Two buttons marked `export-{report}-xlsx` and `export-{report}-pdf`; `make(format)` renders the file."""
    for fmt, key, icon in (
        (ExportFormat.XLSX, N_("Tải Excel (XLSX)"), "download"),
        (ExportFormat.PDF, N_("Tải PDF"), "picture_as_pdf"),
    ):

        async def download(fmt: ExportFormat = fmt) -> None:
            file = await run.io_bound(make, fmt)
            if file is not None:
                ui.download.content(file.content, file.filename, file.media_type)

        ui.button(t(key), icon=icon, on_click=download).props("outline").mark(f"export-{report}-{fmt.value}")

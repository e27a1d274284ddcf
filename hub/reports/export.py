"""Render a report document in the format asked for: the one entry point of the exports."""

from __future__ import annotations

from hub.reports.documents import ExportFile, ExportFormat, ReportDocument


def render(doc: ReportDocument, fmt: ExportFormat) -> ExportFile:
    """The document as an .xlsx or .pdf file (named after the report, the unit and the period).

    The writers (fpdf with its fonts, openpyxl, Pillow: a second of start-up) load with the first export,
    not with every hub process that imports the services (an ingest worker never exports)."""
    from hub.reports.export_pdf import render_pdf
    from hub.reports.export_xlsx import render_xlsx

    fmt = ExportFormat(fmt)
    content = render_xlsx(doc) if fmt is ExportFormat.XLSX else render_pdf(doc)
    return ExportFile(f"{doc.filename_stem}.{fmt.value}", fmt.media_type, content)

"""Asset labels: sheets of QR code + human-readable asset number (PDF), and the encoding list a tag
printer writes the EPCs from (CSV).

Each label's EPC comes from the agency's rule (`protocol.epc.asset_epc`: GIAI-96, GIAI-202 or GID-96).
The QR code holds the EPC pure identity URI (`urn:epc:id:giai:8934567.HQ2-2024-0123`): the same identity
as the RFID tag, so a phone camera and a UHF reader find the same asset, and the codec turns either into
the other. Input is a CSV of asset numbers; a row that does not fit its EPC scheme stops the whole run
(a sheet with holes is worse than none), with every bad row named in Vietnamese and English.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from protocol.epc import AssetEpcPolicy, Epc, EpcError, asset_epc

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000  # labels per run: ~830 A4 sheets
MAX_CELL = 200
COLUMNS = ("asset_number", "name", "register_serial")

ENCODING_LIST_COLUMNS = (
    "asset_number",
    "name",
    "scheme",
    "epc_hex",
    "pc_word",
    "epc_words",
    "tag_uri",
    "pure_uri",
    "qr_text",
)


class LabelInputError(ValueError):
    """The asset list cannot be labelled as it is: one line, Vietnamese / English."""


@dataclass(frozen=True)
class AssetRow:
    row: int  # the line in the file (1-based, header included)
    asset_number: str
    name: str = ""
    register_serial: int | None = None


@dataclass(frozen=True)
class Label:
    asset_number: str
    name: str
    epc: Epc

    @property
    def qr_text(self) -> str:
        return self.epc.pure_uri


@dataclass(frozen=True)
class SheetLayout:
    """A sheet of equal labels filling the page (A4 portrait by default: 3 × 8 labels of 70 × 37.1 mm)."""

    columns: int = 3
    rows: int = 8
    page_width: float = 210.0
    page_height: float = 297.0
    margin: float = 0.0  # around the grid
    padding: float = 2.5  # inside each label

    def __post_init__(self) -> None:
        if not (1 <= self.columns <= 8 and 1 <= self.rows <= 20):
            raise LabelInputError("bố cục nhãn: 1–8 cột, 1–20 hàng / label layout: 1–8 columns and 1–20 rows per sheet")
        if self.label_height < 15 or self.label_width < 30:
            raise LabelInputError(
                f"nhãn {self.label_width:.0f} × {self.label_height:.0f} mm quá nhỏ (tối thiểu 30 × 15 mm) /"
                f" labels of {self.label_width:.0f} × {self.label_height:.0f} mm are too small (at least 30 × 15 mm)"
            )

    @property
    def label_width(self) -> float:
        return (self.page_width - 2 * self.margin) / self.columns

    @property
    def label_height(self) -> float:
        return (self.page_height - 2 * self.margin) / self.rows

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


# --- Input ---------------------------------------------------------------------------------------


def read_asset_csv(data: bytes) -> list[AssetRow]:
    """Asset numbers from a CSV (UTF-8, BOM or not; comma, semicolon or tab).

    With a header row naming `asset_number` (and optionally `name`, `register_serial`) those columns are
    read; without one, the first column of every row is an asset number. Cells are kept exactly as written
    (an asset number's leading zeros matter); blank lines are skipped."""
    if len(data) > MAX_FILE_BYTES:
        raise LabelInputError(
            f"tệp lớn hơn {MAX_FILE_BYTES // 1024 // 1024} MB / the file is larger than"
            f" {MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LabelInputError(
            f"tệp CSV không phải UTF-8 (byte {exc.start}) / the CSV file is not UTF-8 (byte {exc.start})"
        ) from exc
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[AssetRow] = []
    index: dict[str, int] | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if index is None and number == 1 and cells[0].strip().lower() == "asset_number":
                index = {c.strip().lower(): i for i, c in enumerate(cells) if c.strip().lower() in COLUMNS}
                continue
            if len(rows) >= MAX_ROWS:
                raise LabelInputError(f"quá {MAX_ROWS} tài sản trong một tệp / more than {MAX_ROWS} assets in one file")
            rows.append(_row(number, cells, index or {"asset_number": 0}))
    except csv.Error as exc:
        raise LabelInputError(f"không đọc được CSV ({exc}) / unreadable CSV ({exc})") from exc
    if not rows:
        raise LabelInputError("tệp không có tài sản nào / the file holds no asset numbers")
    return rows


def _row(number: int, cells: list[str], index: dict[str, int]) -> AssetRow:
    def cell(name: str) -> str:
        i = index.get(name)
        value = cells[i] if i is not None and i < len(cells) else ""
        if len(value) > MAX_CELL:
            raise LabelInputError(
                f"dòng {number}: ô '{name}' dài quá {MAX_CELL} ký tự / row {number}: '{name}' is longer than"
                f" {MAX_CELL} characters"
            )
        return value

    serial_text = cell("register_serial").strip()
    if serial_text and not serial_text.isdigit():
        raise LabelInputError(
            f"dòng {number}: register_serial '{serial_text}' phải là số nguyên không âm / row {number}:"
            f" register_serial '{serial_text}' must be a non-negative integer"
        )
    return AssetRow(number, cell("asset_number"), cell("name").strip(), int(serial_text) if serial_text else None)


def make_labels(rows: Sequence[AssetRow], policy: AssetEpcPolicy) -> list[Label]:
    """One label per row, each with its asset's EPC; every row that does not fit is named, none made."""
    if policy.company_prefix is None and policy.gid_manager is None:
        try:
            asset_epc("", policy)
        except EpcError as exc:  # the one reason, once, rather than once per row
            raise LabelInputError(str(exc)) from exc
    labels: list[Label] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row in rows:
        if row.asset_number in seen:
            problems.append(
                f"dòng {row.row}: '{row.asset_number}' trùng dòng {seen[row.asset_number]} / row {row.row}:"
                f" '{row.asset_number}' repeats row {seen[row.asset_number]}"
            )
            continue
        seen[row.asset_number] = row.row
        try:
            epc = asset_epc(row.asset_number, policy, register_serial=row.register_serial)
        except EpcError as exc:
            problems.append(f"dòng {row.row} '{row.asset_number}': {exc.vi} / row {row.row}: {exc.en}")
            continue
        labels.append(Label(row.asset_number, row.name, epc))
    if problems:
        shown = "; ".join(problems[:5]) + (f"; … (+{len(problems) - 5})" if len(problems) > 5 else "")
        raise LabelInputError(
            f"{len(problems)} dòng không tạo được nhãn, chưa ghi gì / {len(problems)} row(s) cannot be labelled,"
            f" nothing written: {shown}"
        )
    return labels


# --- Output --------------------------------------------------------------------------------------


def encoding_list_csv(labels: Sequence[Label]) -> bytes:
    """The tag printer's list (UTF-8 CSV): one row per tag, the EPC hex to write (upper case, whole
    words), its PC word and length, both URIs and the QR text printed on the same label."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ENCODING_LIST_COLUMNS)
    for label in labels:
        epc = label.epc
        writer.writerow(
            [
                label.asset_number,
                label.name,
                epc.scheme,
                epc.hex,
                epc.pc_word,
                epc.words,
                epc.tag_uri,
                epc.pure_uri,
                label.qr_text,
            ]
        )
    return out.getvalue().encode("utf-8")


def qr_image(text: str):  # -> PIL.Image.Image
    """A QR code (error correction M, 4-module quiet zone) as a 1-bit image, 4 pixels a module."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=4, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("1")


def label_sheet_pdf(
    labels: Sequence[Label], layout: SheetLayout | None = None, title: str = "", fonts: object | None = None
) -> bytes:
    """Label sheets as a PDF: per label the QR code, the asset number in large type, the asset's name,
    the agency (`title`) and, small, the EPC scheme and hex (to check a tag against its label)."""
    from fpdf import FPDF

    from hub.reports.export_pdf import PdfFonts

    layout = layout or SheetLayout()
    fonts = fonts or PdfFonts.installed()
    pdf = FPDF(orientation="P", unit="mm", format=(layout.page_width, layout.page_height))
    pdf.set_title(f"Nhãn tài sản / Asset labels — {title}" if title else "Nhãn tài sản / Asset labels")
    pdf.set_creator("CCES")
    pdf.add_font("DejaVu", "", fonts.regular)  # type: ignore[attr-defined]
    pdf.add_font("DejaVu", "B", fonts.bold)  # type: ignore[attr-defined]
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0  # cells use their whole width: text is measured against it
    w, h, pad = layout.label_width, layout.label_height, layout.padding
    for i, label in enumerate(labels):
        slot = i % layout.per_sheet
        if slot == 0:
            pdf.add_page()
        x = layout.margin + (slot % layout.columns) * w
        y = layout.margin + (slot // layout.columns) * h
        _draw_label(pdf, label, x, y, w, h, pad, title)
    if not labels:
        pdf.add_page()
    return bytes(pdf.output())


def _draw_label(pdf, label: Label, x: float, y: float, w: float, h: float, pad: float, title: str) -> None:
    side = min(h - 2 * pad, w * 0.45)
    pdf.image(qr_image(label.qr_text), x=x + pad, y=y + (h - side) / 2, w=side, h=side)
    left = x + pad + side + 1.5
    width = x + w - pad - left
    top = y + pad
    if title:
        pdf.set_font("DejaVu", "", 5.5)
        pdf.set_xy(left, top)
        pdf.cell(width, 2.6, _fit(pdf, title, width))
        top += 3.2
    size = 12.0  # the asset number: as large as fits the width, at least 6 pt
    pdf.set_font("DejaVu", "B", size)
    while size > 6 and pdf.get_string_width(label.asset_number) > width:
        size -= 0.5
        pdf.set_font("DejaVu", "B", size)
    pdf.set_xy(left, top)
    pdf.cell(width, size * 0.42, label.asset_number)
    top += size * 0.42 + 1.2
    if label.name:
        pdf.set_font("DejaVu", "", 6.5)
        pdf.set_xy(left, top)
        pdf.multi_cell(width, 2.8, _clip_lines(pdf, label.name, width, 2))
    epc = label.epc
    hex_groups = " ".join(epc.hex[i : i + 4] for i in range(0, len(epc.hex), 4))
    pdf.set_font("DejaVu", "", 4.2)
    lines = math.ceil(pdf.get_string_width(hex_groups) / width) + 1
    pdf.set_xy(left, y + h - pad - lines * 1.9)
    pdf.multi_cell(width, 1.9, f"{epc.scheme.upper()}\n{hex_groups}")


def _fit(pdf, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _clip_lines(pdf, text: str, width: float, lines: int) -> str:
    """`text` cut (with …) so that it wraps into at most `lines` lines of `width`."""
    words = text.split()
    out: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        current = word
        if len(out) == lines:
            break
    if len(out) < lines and current:
        out.append(current)
        current = ""
    clipped = len(" ".join(out).split()) < len(words)
    out = [_fit(pdf, line, width) for line in out[:lines]]
    if clipped and not out[-1].endswith("…"):
        out[-1] = _fit(pdf, out[-1] + " …", width)
    return "\n".join(out)

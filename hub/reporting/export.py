"""A report as a printable sheet (issue 18 item 4): the consolidated report of a receiving unit, or one unit's
report, laid out as its template orders the indicators, under the official heading; hub.reporting.render turns
one `Sheet` into DOCX, XLSX and PDF, so the three files always hold the same figures.

The heading (Decree 30/2020 Appendix I) is the documents module's: the body above and the unit in capitals on
the left with the number line under them (`Số:      /BC-HQKV2`: a report is numbered when the văn thư registers
it, so the number is left blank as on a draft), Quốc hiệu and tiêu ngữ on the right (hub.reports.documents'
NATIONAL_TITLE) with the place and date line under them (hub.documents.models.date_line: `Hà Nội, ngày 05
tháng 01 năm 2026`; the place is the one the unit set for its outgoing documents).

The layout: the number indicators as one table (STT, indicator, unit of measure, the figure; for a
consolidation also the previous period, the same period last year and the change), then — for a consolidation —
each contributing unit's part (a row per unit, a column per number indicator), each table indicator with its
total row, each text indicator (a consolidation: each unit's text under its name), a chart of the number
indicators by contributing unit, and the signature block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hub.documents.models import date_line, date_text, number_line
from hub.reporting.consolidation import SENT, Consolidation
from hub.reporting.models import STATUS_LABELS, RegimeVersion
from hub.reporting.periods import Frequency, Period
from hub.reporting.template import Indicator, Template
from hub.reports.documents import OfficialHeading, ascii_slug

#: the document type of a report (Decree 30 Appendix III: Báo cáo)
REPORT_TYPE = "BC"
#: the blank a văn thư fills in with the number when the report is registered
NUMBER_BLANK = " " * 6
MAX_CHART_INDICATORS = 6
MAX_CHART_UNITS = 25
_ROMAN = ("I", "II", "III", "IV")

Cell = str | int | float | None


def heading(unit_names: Sequence[str], notation: str, place: str | None, day: date) -> OfficialHeading:
    """The heading of a report made by the last of `unit_names` (the names from the top down to the unit)."""
    names = [n.upper() for n in unit_names[-2:]]
    line = date_line(place, day) if place else date_text(day)
    return OfficialHeading(
        names[0] if len(names) > 1 else None,
        names[-1],
        number_line(NUMBER_BLANK, f"{REPORT_TYPE}-{notation}"),
        line[0].upper() + line[1:],
    )


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the sheet: its caption, column headers and rows; `total` the last row (bold)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None
    numeric: frozenset[int] = frozenset()  # the columns aligned right (numbers)
    widths: tuple[float, ...] = ()  # relative widths
    keep: int = 0  # leading columns repeated when a wide table is split across pages (STT, unit, status)


@dataclass(frozen=True, slots=True)
class Chart:
    """Bars of some number indicators by contributing unit: `series[i][j]` is indicator i of unit j."""

    title: str
    units: tuple[str, ...]
    indicators: tuple[str, ...]
    series: tuple[tuple[float, ...], ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    heading: OfficialHeading
    title: str  # BÁO CÁO TỔNG HỢP
    subtitle: str  # the regime's name
    period_line: str  # Kỳ báo cáo tháng 03/2026 (số liệu từ ngày 15/02/2026 đến ngày 14/03/2026)
    basis: str
    unit_line: str  # who made it / whose reports it sums
    tables: tuple[Table, ...]
    texts: tuple[tuple[str, tuple[str, ...]], ...]  # a text indicator's name and its paragraphs
    chart: Chart | None
    filename_stem: str
    signer: str = "THỦ TRƯỞNG ĐƠN VỊ"
    recipients: tuple[str, ...] = field(default_factory=tuple)


def period_label(period: Period) -> str:
    """`tháng 03/2026`, `quý I/2026`, `6 tháng đầu năm 2026`, `9 tháng năm 2026`, `năm 2026`."""
    f = period.frequency
    if f is Frequency.MONTHLY:
        return f"tháng {period.index:02d}/{period.year}"
    if f is Frequency.QUARTERLY:
        return f"quý {_ROMAN[period.index - 1]}/{period.year}"
    if f is Frequency.HALF_YEAR:
        return f"6 tháng đầu năm {period.year}"
    if f is Frequency.NINE_MONTH:
        return f"9 tháng năm {period.year}"
    return f"năm {period.year}"


def _period_line(period: Period, cutoff_day: int) -> str:
    start, end = period.cutoff(cutoff_day)
    return f"Kỳ báo cáo {period_label(period)} (số liệu từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y})"


def number(value: Any, decimals: int = 2) -> str:
    """A figure as Vietnamese writes it: `1.234`, `96,5` (thousands with '.', decimals with ',')."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    v = round(float(value), decimals)
    if v.is_integer():
        return f"{int(v):,}".replace(",", ".")
    whole, _, frac = f"{v:,.{decimals}f}".partition(".")
    frac = frac.rstrip("0")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def _cell(value: Any) -> Cell:
    """A value as a cell: numbers stay numbers (the spreadsheet sums them), anything else is text."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value  # type: ignore[no-any-return]
    return str(value)


def _change(now: Any, before: Any) -> Cell:
    """Now against before, in % (None when either is missing or before is 0)."""
    if not isinstance(now, int | float) or not isinstance(before, int | float) or not before:
        return None
    return round(100.0 * now / before, 1)


def _numbers(template: Template) -> list[Indicator]:
    return [i for i in template.indicators if i.kind == "number"]


def _name(ind: Indicator) -> str:
    return ind.name_vi


def _table_indicator(ind: Indicator, rows: Sequence[tuple[str | None, dict[str, Any]]], totals: dict) -> Table:
    """A table indicator: its rows (with the unit each came from when `rows` names it), and its total row."""
    by_unit = any(unit is not None for unit, _ in rows)
    headers = (("Đơn vị",) if by_unit else ()) + tuple(
        f"{c.name_vi} ({c.unit})" if c.unit else c.name_vi for c in ind.columns
    )
    offset = 1 if by_unit else 0
    numeric = frozenset(offset + k for k, c in enumerate(ind.columns) if c.kind == "number")
    body = tuple(
        (*((unit or "",) if by_unit else ()), *(_cell(row.get(c.code)) for c in ind.columns)) for unit, row in rows
    )
    total = None
    if ind.total:
        cells: list[Cell] = [None] * len(headers)
        for k, c in enumerate(ind.columns):
            if c.kind == "number":
                cells[offset + k] = totals.get(f"{ind.code}.{c.code}")
        label_at = next((j for j in range(len(headers)) if j not in numeric), None)
        if label_at is not None:
            cells[label_at] = "Cộng"
        total = tuple(cells)
    widths = ((3.0,) if by_unit else ()) + tuple(4.0 if c.kind == "text" else 2.0 for c in ind.columns)
    return Table(_name(ind), headers, body, total, numeric, widths)


def consolidated_sheet(
    c: Consolidation, version: RegimeVersion, period: Period, head: OfficialHeading, unit_name: str
) -> Sheet:
    """The consolidated report of the unit `c` was made for."""
    assert c.template is not None
    template = c.template
    numbers = _numbers(template)
    sent = [p for p in c.parts if p.status in SENT]
    rows = []
    for k, ind in enumerate(numbers, start=1):
        now, before, year_ago = c.values.get(ind.code), c.previous.get(ind.code), c.last_year.get(ind.code)
        rows.append((k, _name(ind), ind.unit, _cell(now), _cell(before), _change(now, before), _cell(year_ago),
                     _change(now, year_ago)))  # fmt: skip
    tables = [
        Table(
            "Các chỉ tiêu số liệu",
            ("STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước", "So kỳ trước (%)", "Cùng kỳ năm trước",
             "So cùng kỳ (%)"),
            tuple(rows), None, frozenset({0, 3, 4, 5, 6, 7}), (1.0, 6.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0),
        )
    ]  # fmt: skip
    if numbers:
        parts = tuple(
            (k, p.unit_name, STATUS_LABELS[p.status][0], *(_cell(p.values.get(i.code)) for i in numbers))
            for k, p in enumerate(c.parts, start=1)
        )
        total = ("", "Tổng hợp", "", *(_cell(c.values.get(i.code)) for i in numbers))
        tables.append(
            Table(
                "Số liệu của từng đơn vị",
                ("STT", "Đơn vị", "Tình trạng", *(f"{_name(i)} ({i.unit})" if i.unit else _name(i) for i in numbers)),
                parts, total, frozenset({0, *range(3, 3 + len(numbers))}),
                (1.0, 5.0, 3.0, *(2.0 for _ in numbers)), keep=3,
            )
        )  # fmt: skip
    texts = []
    for ind in template.indicators:
        if ind.kind == "table":
            found = [
                (p.unit_name, row) for p in sent for row in (p.values.get(ind.code) or []) if isinstance(row, dict)
            ]
            tables.append(_table_indicator(ind, found, c.totals))
        elif ind.kind == "text":
            texts.append((_name(ind), tuple(f"{p.unit_name}: {p.values[ind.code]}" for p in sent
                                            if p.values.get(ind.code))))  # fmt: skip
    names = ", ".join(p.unit_name for p in sent) or "chưa có"
    return Sheet(
        heading=head,
        title="BÁO CÁO TỔNG HỢP",
        subtitle=version.name_vi,
        period_line=_period_line(period, version.cutoff_day),
        basis=version.basis,
        unit_line=f"Tổng hợp báo cáo gửi đến {unit_name}: {len(sent)}/{len(c.parts)} đơn vị đã gửi ({names}).",
        tables=tuple(tables),
        texts=tuple(texts),
        chart=_chart(numbers, sent),
        filename_stem=f"bao-cao-tong-hop_{c.regime}_{period.key}_{ascii_slug(c.unit_code)}",
        recipients=("- Như trên;", f"- Lưu: VT, {c.unit_code}."),
    )


def _chart(numbers: Sequence[Indicator], parts: Sequence[Any]) -> Chart | None:
    """The first number indicators that hold a figure, by contributing unit (the largest units first when there
    are more than fit: the rest summed as one bar)."""
    shown = [i for i in numbers if any(isinstance(p.values.get(i.code), int | float) for p in parts)]
    shown = shown[:MAX_CHART_INDICATORS]
    if not shown or not parts:
        return None

    def fig(p: Any, i: Indicator) -> float:
        v = p.values.get(i.code)
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0.0

    ordered = list(parts)
    units = [p.unit_name for p in ordered]
    series = [[fig(p, i) for p in ordered] for i in shown]
    if len(ordered) > MAX_CHART_UNITS:
        keep = MAX_CHART_UNITS - 1
        weight = sorted(range(len(ordered)), key=lambda j: -abs(series[0][j]))
        top, rest = sorted(weight[:keep]), weight[keep:]
        units = [units[j] for j in top] + [f"Các đơn vị khác ({len(rest)})"]
        series = [[s[j] for j in top] + [sum(s[j] for j in rest)] for s in series]
    return Chart(
        "Các chỉ tiêu số liệu theo đơn vị",
        tuple(units),
        tuple(f"{_name(i)} ({i.unit})" if i.unit else _name(i) for i in shown),
        tuple(tuple(s) for s in series),
    )


def report_sheet(
    report: Any, template: Template, values: dict[str, Any], totals: dict, version: RegimeVersion, period: Period,
    head: OfficialHeading,
) -> Sheet:  # fmt: skip
    """One unit's report (hub.reporting.service.Filled's parts)."""
    numbers = _numbers(template)
    rows = []
    for k, ind in enumerate(numbers, start=1):
        stored = report.values.get(ind.code)
        note = ""
        if stored is not None and stored.corrected:
            note = f"Số liệu CCES: {number(stored.prefilled)}; {stored.note or ''}".strip("; ")
        elif ind.formula:
            note = f"= {ind.formula}"
        rows.append((k, _name(ind), ind.unit, _cell(values.get(ind.code)), note))
    tables = [
        Table("Các chỉ tiêu số liệu", ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"), tuple(rows), None,
              frozenset({0, 3}), (1.0, 7.0, 2.0, 2.0, 6.0))
    ]  # fmt: skip
    texts = []
    for ind in template.indicators:
        if ind.kind == "table":
            found = [(None, row) for row in values.get(ind.code) or [] if isinstance(row, dict)]
            tables.append(_table_indicator(ind, found, totals))
        elif ind.kind == "text":
            texts.append((_name(ind), (str(values[ind.code]),) if values.get(ind.code) else ()))
    chart = None
    figures = [(i, values.get(i.code)) for i in numbers if isinstance(values.get(i.code), int | float)]
    if figures:
        shown = figures[:MAX_CHART_INDICATORS]
        chart = Chart(
            "Các chỉ tiêu số liệu của đơn vị",
            (report.unit_name,),
            tuple(f"{_name(i)} ({i.unit})" if i.unit else _name(i) for i, _ in shown),
            tuple((float(v),) for _, v in shown),
        )
    status = STATUS_LABELS[report.status][0]
    return Sheet(
        heading=head,
        title="BÁO CÁO",
        subtitle=version.name_vi,
        period_line=_period_line(period, version.cutoff_day),
        basis=version.basis,
        unit_line=f"Đơn vị báo cáo: {report.unit_name}; gửi đến: {report.recipient_name}; tình trạng: {status}.",
        tables=tuple(tables),
        texts=tuple(texts),
        chart=chart,
        filename_stem=f"bao-cao_{report.regime_code}_{report.period_key}_{ascii_slug(report.unit_code)}",
        recipients=(f"- {report.recipient_name};", f"- Lưu: VT, {report.unit_code}."),
    )

"""Reports as printable documents: a title block, one table, a legend and a signature block.

One `ReportDocument` per report, built here from the report's records; `export_xlsx` and
`export_pdf` each render any document, so the spreadsheet and the PDF of a report always hold
the same rows, and a new report needs a builder here and nothing in the renderers.
Texts are Vietnamese: these are the papers HR files and the unit head signs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from hub.localtime import LOCAL_TZ as LOCAL
from hub.reports.models import (
    AbsenceReport,
    DayPresence,
    DeviceUptimeReport,
    LatenessReport,
    OfflineDevice,
    PresenceStatus,
)
from hub.timekeeping.service import UnitTimesheet

Cell = str | int | float | None
Align = Literal["left", "center", "right"]

#: the sheet's symbols and what they mean (ký hiệu chấm công), as `hub.timekeeping.timesheet` writes them
TIMESHEET_LEGEND: tuple[tuple[str, str], ...] = (
    ("+", "Có mặt"),
    ("M", "Đi muộn"),
    ("S", "Về sớm"),
    ("KV", "Không chấm công vào"),
    ("KR", "Không chấm công ra"),
    ("V", "Vắng không phép"),
    ("P", "Nghỉ phép"),
    ("CT", "Công tác"),
    ("L", "Lễ, tết"),
    ("NB", "Nghỉ bù"),
    ("-", "Chưa vào làm / đã nghỉ việc"),
    ("+/P", "Nửa ngày làm, nửa ngày nghỉ"),
    ("*", "Ngày đã điều chỉnh"),
)
SIGNATURES = ("Người lập biểu", "Thủ trưởng đơn vị")
_WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
PRESENCE_LABELS = {
    PresenceStatus.PRESENT: "Có mặt",
    PresenceStatus.LATE: "Đi muộn",
    PresenceStatus.ABSENT: "Vắng mặt",
    PresenceStatus.ON_LEAVE: "Nghỉ phép",
    PresenceStatus.BUSINESS_TRIP: "Công tác",
    PresenceStatus.NOT_YET: "Chưa đến",
    PresenceStatus.DAY_OFF: "Ngày nghỉ",
}


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"

    @property
    def media_type(self) -> str:
        if self is ExportFormat.XLSX:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "application/pdf"


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A rendered report, ready to download."""

    filename: str  # ASCII, safe in a Content-Disposition header
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: float  # relative width; in a spreadsheet, characters
    align: Align = "left"
    subheader: str = ""  # a second header line (the weekday under a day of the month)


#: who a row of the lateness, absence and presence reports is about: employee code, name, unit
_PERSON_COLUMNS = (Column("Mã CB", 2.0), Column("Họ và tên", 5.0), Column("Đơn vị", 6.0))


@dataclass(frozen=True, slots=True)
class ReportDocument:
    title: str  # "BẢNG CHẤM CÔNG"
    period: str  # "Tháng 11 năm 2026"
    unit_name: str  # "Chi cục Hải quan …"
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[Cell]]
    filename_stem: str  # ASCII, no extension
    sheet_name: str = "Báo cáo"
    legend: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    signatures: tuple[str, ...] = SIGNATURES
    font_size: float = 8.0  # PDF body text, points
    generated_at: datetime | None = None
    shaded_columns: frozenset[int] = field(default_factory=frozenset)  # the days off of a timesheet
    # the official heading (Decree 30/2020 form): the agency lines on the left (the body above, then the
    # issuing agency), Quốc hiệu and tiêu ngữ on the right; empty: no heading (the reports before leave)
    agency_lines: tuple[str, ...] = ()


#: Quốc hiệu and tiêu ngữ, as the official heading prints them
NATIONAL_TITLE = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True, slots=True)
class OfficialHeading:
    """The heading's words, already worded (capitals where Decree 30 wants them)."""

    governing: str | None  # TÊN CƠ QUAN CHỦ QUẢN: the unit above (None at the top)
    agency: str  # TÊN CƠ QUAN BAN HÀNH
    number_line: str | None = None  # Số: 05/GNP-HQKV2 (None on papers that take no number)
    date_line: str | None = None  # Hà Nội, ngày 05 tháng 01 năm 2026

    def left(self) -> tuple[tuple[str, str], ...]:
        """(text, style) lines of the left block: style "" plain, "B" bold, "I" italic."""
        lines: list[tuple[str, str]] = [(self.governing, "")] if self.governing else []
        lines.append((self.agency, "B"))
        if self.number_line:
            lines.append((self.number_line, ""))
        return tuple(lines)

    def right(self) -> tuple[tuple[str, str], ...]:
        lines = [(NATIONAL_TITLE[0], "B"), (NATIONAL_TITLE[1], "B")]
        if self.date_line:
            lines.append((self.date_line, "I"))
        return tuple(lines)


def ascii_slug(text: str) -> str:
    """'Chi cục Hải quan' → 'chi-cuc-hai-quan' (filenames)."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "report"


def _local_time(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL).strftime("%H:%M") if moment is not None else ""


def _days(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _period(first: date, last: date) -> str:
    if first == last:
        return f"Ngày {first:%d/%m/%Y}"
    return f"Từ ngày {first:%d/%m/%Y} đến ngày {last:%d/%m/%Y}"


# --- builders -------------------------------------------------------------------------------------


def timesheet_document(sheet: UnitTimesheet, generated_at: datetime | None = None) -> ReportDocument:
    """The monthly sheet HR signs (bảng chấm công): a row per employee, a column per day, then totals."""
    month = sheet.sheet
    day_columns = tuple(Column(str(d.day), 1.0, "center", subheader=_WEEKDAYS[d.weekday()]) for d in month.days)
    columns = (
        Column("STT", 1.6, "right"),
        Column("Mã CB", 2.4),
        Column("Họ và tên", 7.0),
        *day_columns,
        Column("Ngày công", 1.9, "right"),
        Column("Công tác", 1.9, "right"),
        Column("Nghỉ phép", 1.9, "right"),
        Column("Lễ", 1.3, "right"),
        Column("Vắng", 2.0, "right"),
        Column("Muộn (lần)", 1.9, "right"),
        Column("Muộn (phút)", 2.4, "right"),
        Column("Sớm (lần)", 1.9, "right"),
        Column("Thiếu chấm công", 2.2, "right"),
    )
    rows = []
    for i, (staff, row) in enumerate(zip(sheet.staff, month.rows, strict=True), start=1):
        t = row.totals
        rows.append(
            (i, staff.employee_code, staff.full_name, *row.symbols, _days(t.worked_days), _days(t.trip_days),
             _days(t.leave_days), t.holiday_days, _days(t.absent_days), t.late_count, t.late_minutes,
             t.early_leave_count, t.missing_punch_count)
        )  # fmt: skip
    first_row = month.rows[0].days if month.rows else ()
    shaded = frozenset(3 + i for i, r in enumerate(first_row) if not r.day_kind.is_working)
    return ReportDocument(
        title="BẢNG CHẤM CÔNG",
        period=f"Tháng {month.month} năm {month.year}",
        unit_name=sheet.unit.name,
        columns=columns,
        rows=rows,
        filename_stem=f"bang-cham-cong_{sheet.unit.code}_{month.year}-{month.month:02d}",
        sheet_name=f"Chấm công {month.month:02d}-{month.year}",
        legend=TIMESHEET_LEGEND,
        notes=(f"Số ngày làm việc theo lịch: {month.working_days}. Số cán bộ, công chức: {len(rows)}.",),
        font_size=6.0,
        generated_at=generated_at,
        shaded_columns=shaded,
    )


def lateness_document(report: LatenessReport, generated_at: datetime | None = None) -> ReportDocument:
    rows = [
        (r.rank, r.employee_code, r.full_name, r.unit_name, r.late_count, r.late_minutes, r.early_leave_count,
         r.early_leave_minutes, ", ".join(f"{d:%d/%m}" for d in r.late_days))
        for r in report.rows
    ]  # fmt: skip
    return ReportDocument(
        title="BÁO CÁO ĐI MUỘN, VỀ SỚM",
        period=_period(report.first, report.last),
        unit_name=report.unit.name,
        columns=(
            Column("Hạng", 1.2, "right"),
            *_PERSON_COLUMNS,
            Column("Số lần muộn", 1.8, "right"),
            Column("Số phút muộn", 1.9, "right"),
            Column("Số lần về sớm", 2.0, "right"),
            Column("Số phút về sớm", 2.1, "right"),
            Column("Các ngày đi muộn", 7.0),
        ),
        rows=rows,
        filename_stem=f"di-muon_{report.unit.code}_{report.first}_{report.last}",
        sheet_name="Đi muộn",
        notes=(f"Số cán bộ, công chức trong kỳ: {report.staff_count}; số người đi muộn: {len(rows)}.",),
        generated_at=generated_at,
    )


def absence_document(report: AbsenceReport, generated_at: datetime | None = None) -> ReportDocument:
    rows = [
        (i, r.employee_code, r.full_name, r.unit_name, _days(r.absent_days), _days(r.leave_days), _days(r.trip_days),
         r.missing_punch_days, ", ".join(f"{d:%d/%m}" for d in r.absent_dates))
        for i, r in enumerate(report.rows, start=1)
    ]  # fmt: skip
    return ReportDocument(
        title="BÁO CÁO VẮNG MẶT",
        period=_period(report.first, report.last),
        unit_name=report.unit.name,
        columns=(
            Column("STT", 1.2, "right"),
            *_PERSON_COLUMNS,
            Column("Vắng không phép", 2.2, "right"),
            Column("Nghỉ phép", 1.8, "right"),
            Column("Công tác", 1.8, "right"),
            Column("Thiếu chấm công", 2.2, "right"),
            Column("Các ngày vắng", 7.0),
        ),
        rows=rows,
        filename_stem=f"vang-mat_{report.unit.code}_{report.first}_{report.last}",
        sheet_name="Vắng mặt",
        notes=(
            f"Số ngày làm việc theo lịch: {report.working_days}. Số cán bộ, công chức trong kỳ: {report.staff_count}.",
        ),
        generated_at=generated_at,
    )


def presence_document(presence: DayPresence, generated_at: datetime | None = None) -> ReportDocument:
    rows = [
        (i, p.employee_code, p.full_name, p.unit_name, PRESENCE_LABELS[p.status], _local_time(p.first_in),
         p.late_minutes or "", p.absence_code or "")
        for i, p in enumerate(presence.people, start=1)
    ]  # fmt: skip
    c = presence.counts
    summary = (
        f"Tổng số: {c.total}; có mặt: {c.present}; đi muộn: {c.late}; vắng mặt: {c.absent}; nghỉ phép: {c.on_leave};"
        f" công tác: {c.business_trip}; chưa đến: {c.not_yet}; ngày nghỉ: {c.day_off}."
    )
    return ReportDocument(
        title="TÌNH HÌNH CÓ MẶT",
        period=f"Ngày {presence.day:%d/%m/%Y}, lúc {_local_time(presence.as_of)}",
        unit_name=presence.unit.name,
        columns=(
            Column("STT", 1.2, "right"),
            *_PERSON_COLUMNS,
            Column("Tình trạng", 2.4),
            Column("Giờ đến", 1.6, "center"),
            Column("Muộn (phút)", 1.8, "right"),
            Column("Ký hiệu", 1.4, "center"),
        ),
        rows=rows,
        filename_stem=f"co-mat_{presence.unit.code}_{presence.day}",
        sheet_name="Có mặt",
        notes=(summary,),
        generated_at=generated_at,
    )


def uptime_document(report: DeviceUptimeReport, generated_at: datetime | None = None) -> ReportDocument:
    def hours(seconds: float) -> float:
        return round(seconds / 3600, 1)

    rows = [
        (i, r.device_id, r.kind, r.site or "", r.room or "", "Trực tuyến" if r.online_now else "Mất kết nối",
         "" if r.uptime is None else round(100 * r.uptime, 1), hours(r.online_seconds), hours(r.known_seconds),
         r.changes)
        for i, r in enumerate(report.rows, start=1)
    ]  # fmt: skip
    first, last = report.start.astimezone(LOCAL), report.end.astimezone(LOCAL)
    return ReportDocument(
        title="BÁO CÁO THỜI GIAN HOẠT ĐỘNG THIẾT BỊ",
        period=f"Từ {first:%H:%M %d/%m/%Y} đến {last:%H:%M %d/%m/%Y}",
        unit_name="Thiết bị chấm công và đầu đọc",
        columns=(
            Column("STT", 1.2, "right"),
            Column("Mã thiết bị", 4.0),
            Column("Loại", 2.0),
            Column("Địa điểm", 3.5),
            Column("Phòng", 2.5),
            Column("Hiện tại", 2.4),
            Column("Hoạt động (%)", 2.2, "right"),
            Column("Giờ trực tuyến", 2.2, "right"),
            Column("Giờ có số liệu", 2.2, "right"),
            Column("Số lần đổi", 1.8, "right"),
        ),
        rows=rows,
        filename_stem=f"hoat-dong-thiet-bi_{first:%Y-%m-%d}_{last:%Y-%m-%d}",
        sheet_name="Thiết bị",
        notes=("Tỷ lệ hoạt động = giờ trực tuyến / giờ có số liệu (từ trạng thái đầu tiên thiết bị gửi).",),
        signatures=("Người lập biểu", "Thủ trưởng đơn vị"),
        generated_at=generated_at,
    )


def offline_devices_document(devices: Sequence[OfflineDevice], generated_at: datetime) -> ReportDocument:
    rows = [
        (i, d.device_id, d.kind, d.site or "", d.room or "",
         d.since.astimezone(LOCAL).strftime("%H:%M %d/%m/%Y") if d.since else "chưa từng trực tuyến",
         d.last_seen.astimezone(LOCAL).strftime("%H:%M %d/%m/%Y") if d.last_seen else "")
        for i, d in enumerate(devices, start=1)
    ]  # fmt: skip
    return ReportDocument(
        title="THIẾT BỊ MẤT KẾT NỐI",
        period=f"Lúc {generated_at.astimezone(LOCAL):%H:%M ngày %d/%m/%Y}",
        unit_name="Thiết bị chấm công và đầu đọc",
        columns=(
            Column("STT", 1.2, "right"),
            Column("Mã thiết bị", 4.0),
            Column("Loại", 2.0),
            Column("Địa điểm", 3.5),
            Column("Phòng", 2.5),
            Column("Mất kết nối từ", 3.2),
            Column("Liên lạc cuối", 3.2),
        ),
        rows=rows,
        filename_stem=f"thiet-bi-mat-ket-noi_{generated_at.astimezone(LOCAL):%Y-%m-%d}",
        sheet_name="Mất kết nối",
        generated_at=generated_at,
    )

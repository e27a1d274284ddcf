"""The attendance pages' texts and how a day's outcome is said: 'Đi muộn 12 phút', 'Nghỉ phép'.

The dashboard and the reports share these words (a status is called the same on every page), so
they live apart from any one page.
"""

from __future__ import annotations

from datetime import date

from hub.timekeeping.engine import DayResult, DayStatus
from ui.components.format import Translate

TEXTS: dict[str, dict[str, str]] = {
    "att.title": {"vi": "Chấm công", "en": "Attendance"},
    "att.live": {"vi": "Chấm công trực tiếp", "en": "Live check-ins"},
    "att.live_hint": {
        "vi": "Các lượt chấm công mới nhất, tự cập nhật",
        "en": "The latest check-ins, updating by themselves",
    },
    "att.unit_day": {"vi": "Chấm công trong ngày", "en": "Attendance of the day"},
    "att.person_month": {"vi": "Chấm công trong tháng", "en": "Attendance of the month"},
    "att.timesheet": {"vi": "Bảng chấm công", "en": "Timesheet"},
    "att.my_month": {"vi": "Chấm công của tôi", "en": "My attendance"},
    "att.units": {"vi": "Đơn vị", "en": "Units"},
    "att.unit": {"vi": "Đơn vị", "en": "Unit"},
    "att.today": {"vi": "Hôm nay", "en": "Today"},
    "att.this_month": {"vi": "Tháng này", "en": "This month"},
    "att.prev": {"vi": "Trước", "en": "Previous"},
    "att.next": {"vi": "Sau", "en": "Next"},
    "att.code": {"vi": "Mã cán bộ", "en": "Employee code"},
    "att.name": {"vi": "Họ và tên", "en": "Full name"},
    "att.position": {"vi": "Chức vụ", "en": "Position"},
    "att.day": {"vi": "Ngày", "en": "Day"},
    "att.time": {"vi": "Thời gian", "en": "Time"},
    "att.device": {"vi": "Thiết bị", "en": "Device"},
    "att.direction": {"vi": "Hướng", "en": "Direction"},
    "att.dir_in": {"vi": "Vào", "en": "In"},
    "att.dir_out": {"vi": "Ra", "en": "Out"},
    "att.status": {"vi": "Trạng thái", "en": "Status"},
    "att.first_in": {"vi": "Giờ vào", "en": "First in"},
    "att.last_out": {"vi": "Giờ ra", "en": "Last out"},
    "att.worked": {"vi": "Giờ làm", "en": "Hours worked"},
    "att.symbol": {"vi": "Ký hiệu", "en": "Symbol"},
    "att.correction": {"vi": "Điều chỉnh", "en": "Correction"},
    "att.corrections": {"vi": "Lịch sử điều chỉnh", "en": "Correction history"},
    "att.no_corrections": {"vi": "Chưa có điều chỉnh nào", "en": "No corrections yet"},
    "att.correct_day": {"vi": "Điều chỉnh chấm công", "en": "Correct a day"},
    "att.keep_status": {"vi": "— giữ theo giờ vào/ra —", "en": "— from the times given —"},
    "att.reason": {"vi": "Lý do", "en": "Reason"},
    "att.save": {"vi": "Lưu điều chỉnh", "en": "Save correction"},
    "att.saved": {"vi": "Đã lưu điều chỉnh", "en": "Correction saved"},
    "att.not_saved": {"vi": "Chưa lưu", "en": "Not saved"},
    "att.own_record": {
        "vi": "Không thể tự điều chỉnh chấm công của chính mình",
        "en": "You cannot correct your own attendance",
    },
    "att.computed": {"vi": "theo sự kiện", "en": "from the events"},
    "att.by": {"vi": "bởi", "en": "by"},
    "att.bad_time": {"vi": "Giờ không hợp lệ (HH:MM)", "en": "Invalid time (HH:MM)"},
    "att.totals": {"vi": "Tổng hợp", "en": "Totals"},
    "att.worked_days": {"vi": "Ngày công", "en": "Days worked"},
    "att.working_days": {"vi": "Ngày làm việc theo lịch", "en": "Working days in the calendar"},
    "att.trip_days": {"vi": "Công tác", "en": "Business trips"},
    "att.leave_days": {"vi": "Nghỉ phép", "en": "Leave"},
    "att.holiday_days": {"vi": "Nghỉ lễ", "en": "Holidays"},
    "att.absent_days": {"vi": "Vắng không phép", "en": "Absent"},
    "att.late_count": {"vi": "Số lần đi muộn", "en": "Times late"},
    "att.late_minutes": {"vi": "Phút đi muộn", "en": "Minutes late"},
    "att.early_count": {"vi": "Số lần về sớm", "en": "Times left early"},
    "att.early_minutes": {"vi": "Phút về sớm", "en": "Minutes left early"},
    "att.missing_punches": {"vi": "Thiếu chấm công", "en": "Missing punches"},
    "att.corrected_days": {"vi": "Ngày đã điều chỉnh", "en": "Corrected days"},
    "att.search": {"vi": "Tìm theo tên hoặc mã", "en": "Search by name or code"},
    "att.filter_status": {"vi": "Lọc theo trạng thái", "en": "Filter by status"},
    "att.people": {"vi": "người", "en": "people"},
    "att.download_xlsx": {"vi": "Tải Excel (XLSX)", "en": "Download Excel (XLSX)"},
    "att.download_pdf": {"vi": "Tải PDF", "en": "Download PDF"},
    "att.unknown_unit": {"vi": "Không tìm thấy đơn vị", "en": "No such unit"},
    "att.unknown_employee": {"vi": "Không tìm thấy cán bộ", "en": "No such employee"},
    "att.bad_day": {"vi": "Ngày không hợp lệ (yyyy-mm-dd)", "en": "Invalid day (yyyy-mm-dd)"},
    "att.bad_month": {"vi": "Tháng không hợp lệ (yyyy-mm)", "en": "Invalid month (yyyy-mm)"},
    "att.no_events": {
        "vi": "Chưa có lượt chấm công nào kể từ khi mở trang",
        "en": "No check-ins since this page was opened",
    },
    "att.no_units": {"vi": "Bạn chưa được giao đơn vị nào", "en": "You have no units assigned"},
    "att.no_employee": {
        "vi": "Tài khoản này chưa gắn với cán bộ nào",
        "en": "This account is not linked to an employee",
    },
    "att.live_unavailable": {
        "vi": "Luồng chấm công trực tiếp chưa sẵn sàng",
        "en": "The live feed is not available",
    },
    "att.minutes": {"vi": "phút", "en": "min"},
    # statuses (trạng thái); {n} is a number of minutes
    "att.s.present": {"vi": "Có mặt", "en": "Present"},
    "att.s.late": {"vi": "Đi muộn", "en": "Late"},
    "att.s.late_n": {"vi": "Đi muộn {n} phút", "en": "Late by {n} min"},
    "att.s.left_early": {"vi": "Về sớm", "en": "Left early"},
    "att.s.left_early_n": {"vi": "Về sớm {n} phút", "en": "Left early by {n} min"},
    "att.s.missing_checkin": {"vi": "Thiếu chấm công vào", "en": "No check-in"},
    "att.s.missing_checkout": {"vi": "Thiếu chấm công ra", "en": "No check-out"},
    "att.s.absent": {"vi": "Vắng mặt", "en": "Absent"},
    "att.s.on_leave": {"vi": "Nghỉ phép", "en": "On leave"},
    "att.s.business_trip": {"vi": "Đi công tác", "en": "Business trip"},
    "att.s.holiday": {"vi": "Nghỉ lễ", "en": "Public holiday"},
    "att.s.day_off": {"vi": "Ngày nghỉ", "en": "Day off"},
    "att.s.pending": {"vi": "Chưa hết ngày", "en": "Day not over"},
    "att.s.not_employed": {"vi": "Ngoài thời gian công tác", "en": "Not employed"},
    "att.wd.0": {"vi": "T2", "en": "Mon"},
    "att.wd.1": {"vi": "T3", "en": "Tue"},
    "att.wd.2": {"vi": "T4", "en": "Wed"},
    "att.wd.3": {"vi": "T5", "en": "Thu"},
    "att.wd.4": {"vi": "T6", "en": "Fri"},
    "att.wd.5": {"vi": "T7", "en": "Sat"},
    "att.wd.6": {"vi": "CN", "en": "Sun"},
}


def weekday(t: Translate, day: date) -> str:
    """'T2' … 'CN' / 'Mon' … 'Sun'."""
    return t(f"att.wd.{day.weekday()}")


def status_label(t: Translate, status: DayStatus) -> str:
    return t(f"att.s.{status.value}")


def status_text(t: Translate, result: DayResult) -> str:
    """The status as people say it: 'Đi muộn 12 phút', 'Về sớm 5 phút', 'Nghỉ phép'."""
    if result.status is DayStatus.LATE and result.late_minutes:
        return t("att.s.late_n").format(n=result.late_minutes)
    if result.status is DayStatus.LEFT_EARLY and result.early_leave_minutes:
        return t("att.s.left_early_n").format(n=result.early_leave_minutes)
    return status_label(t, result.status)


def correction_text(t: Translate, result: DayResult) -> str:
    """'Lý do … (bởi …; theo sự kiện: Vắng mặt)': the correction with its reason, and what the events said."""
    c = result.correction
    if c is None:
        return ""
    said = status_label(t, result.computed_status) if result.computed_status else ""
    return f"{c.reason} ({t('att.by')} {c.author}; {t('att.computed')}: {said})"

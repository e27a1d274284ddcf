"""What the parts of the leave page share: its texts shown from a code (a day's part, a request's status), the
approver's buttons, the refusals it shows as they are said, and a leave type's name."""

from __future__ import annotations

from hub.accounts.models import AccessDenied
from hub.leave.days import InvalidPeriod, Part
from hub.leave.models import LeaveError, LeaveType, Status
from hub.people.service import UnknownEmployee, UnknownUnit
from ui.i18n import N_

TITLE = N_("Nghỉ phép")
SUBSTITUTE = N_("Người thay thế")
WORKING_DAYS = N_("{days} ngày làm việc")
DONE = N_("Đã ghi nhận")

#: the part of a day a request starts or ends with
PART_TEXTS = {Part.FULL: N_("Cả ngày"), Part.MORNING: N_("Buổi sáng"), Part.AFTERNOON: N_("Buổi chiều")}
#: a request's status as its badge says it
STATUS_TEXTS = {
    Status.DRAFT: N_("Nháp"),
    Status.PENDING: N_("Chờ duyệt"),
    Status.RETURNED: N_("Bị trả lại"),
    Status.APPROVED: N_("Đã duyệt"),
    Status.REJECTED: N_("Bị từ chối"),
    Status.CANCELLED: N_("Đã hủy"),
}

#: the approver's three buttons: the decision sent to the service, its label, its colour
DECISION_BUTTONS = (
    ("approve", N_("Duyệt"), "positive"),
    ("return", N_("Trả lại"), "warning"),
    ("reject", N_("Từ chối"), "negative"),
)

REFUSALS = (LeaveError, InvalidPeriod, AccessDenied, UnknownEmployee, UnknownUnit)


def type_name(kind: LeaveType | None, code: str, lang: str) -> str:
    if kind is None:
        return code
    return kind.name_vi if lang == "vi" else kind.name_en

"""Records and errors of summary reporting: regimes and their versions, reports and their values.

Every refusal says what is wrong in Vietnamese and English ("… / …"); nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from hub.domain import Conflict, Invalid, NotFound, bilingual
from hub.reporting.periods import Frequency
from hub.reporting.template import Template

both = bilingual


class ReportingError(Invalid):
    """Input the rules refuse (422): nothing was written."""


class UnknownRegime(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(both(f"không có chế độ báo cáo {code!r}", f"no reporting regime {code!r}"))


class UnknownReport(NotFound):
    def __init__(self, report_id: int) -> None:
        super().__init__(both(f"không có báo cáo số {report_id}", f"no report {report_id}"))


class UnknownAttachment(NotFound):
    def __init__(self, report_id: int, attachment_id: int) -> None:
        super().__init__(
            both(f"báo cáo số {report_id} không có tệp đính kèm số {attachment_id}",
                 f"report {report_id} has no attachment {attachment_id}")
        )  # fmt: skip


class UnknownUnit(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(both(f"không có đơn vị {code!r} đang hoạt động", f"no active unit {code!r}"))


class NothingToExport(NotFound):
    """No report of the period is addressed to the unit: there is nothing to consolidate (404)."""


class WrongState(Conflict):
    """The report is not in a state that allows this (409): already submitted, not submitted, accepted."""


class ReportStatus(StrEnum):
    DRAFT = "draft"  # đang lập
    SUBMITTED = "submitted"  # đã gửi
    RETURNED = "returned"  # bị trả lại
    ACCEPTED = "accepted"  # đã tiếp nhận


STATUS_LABELS: dict[ReportStatus, tuple[str, str]] = {
    ReportStatus.DRAFT: ("Đang lập", "Being prepared"),
    ReportStatus.SUBMITTED: ("Đã gửi, chờ tiếp nhận", "Submitted, awaiting review"),
    ReportStatus.RETURNED: ("Bị trả lại", "Returned"),
    ReportStatus.ACCEPTED: ("Đã tiếp nhận", "Accepted"),
}


@dataclass(frozen=True, slots=True)
class Reporter:
    """A unit that reports under a version, and the unit it reports to."""

    unit_code: str
    recipient_code: str


@dataclass(frozen=True, slots=True)
class RegimeVersion:
    id: int
    regime_id: int
    code: str  # the regime's code
    version: int
    valid_from: date
    name_vi: str
    name_en: str
    basis: str
    content: str
    frequency: Frequency
    cutoff_day: int
    deadline_days: int
    deadline_working: bool
    owner_code: str
    owner_path: str
    template: Template
    reporters: tuple[Reporter, ...]
    created_at: datetime
    created_by: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class ReportValue:
    code: str
    value: Any
    prefilled: Any
    source: str | None
    note: str | None
    updated_by: str | None

    @property
    def corrected(self) -> bool:
        return self.prefilled is not None and self.value != self.prefilled


@dataclass(frozen=True, slots=True)
class ReportEvent:
    at: datetime
    actor: str
    kind: str
    comment: str | None


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a report (its bytes in the content store, by SHA-256)."""

    id: int
    report_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True, slots=True)
class Report:
    id: int
    regime_code: str
    version_id: int
    version: int
    period_key: str
    period_start: date
    period_end: date
    unit_code: str
    unit_name: str
    unit_path: str
    recipient_code: str
    recipient_name: str
    recipient_path: str
    deadline: date
    status: ReportStatus
    opened_at: datetime
    submitted_at: datetime | None
    submitted_by: str | None
    decided_at: datetime | None
    decided_by: str | None
    comment: str | None
    reminders: int
    values: dict[str, ReportValue] = field(default_factory=dict)
    events: tuple[ReportEvent, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    def late(self, today: date) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and today > self.deadline


@dataclass(frozen=True, slots=True)
class Missing:
    """A unit that has not submitted its report of a period (chưa gửi báo cáo)."""

    report_id: int
    unit_code: str
    unit_name: str
    recipient_code: str
    status: ReportStatus
    deadline: date
    late: bool
    reminders: int

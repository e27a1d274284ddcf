"""The shapes of leave's REST API: what a request, a balance, a decision look like on the wire, with their limits
(hub.leave.api routes them; kept apart so the routes read as one list)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.inputs import Code, ShortText, Text, WorkDate, Year
from hub.leave.balance import Balance
from hub.leave.days import Part
from hub.leave.models import (
    LeaveError,
    LeaveRequest,
)
from hub.leave.service import MAX_ATTACHMENT_BYTES, Attachment
from hub.leave.travel import MAX_TRAVEL_DAYS


class BalanceOut(BaseModel):
    employee_code: str
    year: int
    base_days: float
    seniority_days: float
    entitled_days: float = Field(description="after prorating (Decree 145 art. 66) and rounding")
    carried_over_days: float
    lapsed_days: float
    adjusted_days: float
    taken_days: float
    pending_days: float
    remaining_days: float
    explanation_vi: list[str]
    explanation_en: list[str]

    @classmethod
    def of(cls, code: str, b: Balance) -> BalanceOut:
        return cls(employee_code=code, **b.as_dict())  # type: ignore[arg-type]


class StepOut(BaseModel):
    position: int
    level: int | None
    approver: str
    acting_for: str | None
    state: str
    comment: str | None
    due_at: datetime | None
    decided_at: datetime | None


class RequestOut(BaseModel):
    id: int
    employee_code: str
    full_name: str
    unit_code: str
    leave_type: str
    start: date
    end: date
    start_part: Part
    end_part: Part
    working_days: float
    status: str
    reason: str | None
    substitute_code: str | None
    reference: str | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    steps: list[StepOut]
    permit_number: str | None = Field(
        default=None, description="the Giấy nghỉ phép's number and symbol, e.g. 05/GNP-HQKV2 (GET …/permit.pdf)"
    )
    permit_document_id: int | None = None
    permit_problem: str | None = Field(default=None, description="why a due permit is not issued yet")
    travel_days: float = Field(default=0, description="declared days of travel, round trip (art. 113(3))")
    travel_days_added: float = Field(default=0, description="travel days added to the leave, not charged")

    @classmethod
    def of(cls, r: LeaveRequest) -> RequestOut:
        return cls(
            id=r.id, employee_code=r.employee_code, full_name=r.full_name, unit_code=r.unit_code,
            leave_type=r.leave_type, start=r.first_day, end=r.last_day, start_part=r.first_day_part,
            end_part=r.last_day_part, working_days=r.working_days, status=r.status.value, reason=r.reason,
            substitute_code=r.substitute_code, reference=r.reference, requested_by=r.requested_by,
            requested_at=r.requested_at, decided_by=r.decided_by, decided_at=r.decided_at,
            travel_days=r.travel_days, travel_days_added=r.travel_days_added, permit_number=r.permit_number,
            permit_document_id=r.permit_document_id, permit_problem=r.permit_problem,
            steps=[
                StepOut(
                    position=s.position, level=s.level, approver=s.approver, acting_for=s.acting_for,
                    state=s.state.value, comment=s.comment, due_at=s.due_at, decided_at=s.decided_at,
                )
                for s in r.steps
            ],
        )  # fmt: skip


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    filename: ShortText = Field(min_length=1)
    content_type: ShortText = "application/octet-stream"
    data_base64: str = Field(max_length=MAX_ATTACHMENT_BYTES * 4 // 3 + 8)

    @field_validator("data_base64")
    @classmethod
    def _a_pdf_or_an_image(cls, value: str) -> str:
        """A certificate is a PDF or a photo: anything else is refused here, naming the field."""
        try:
            head = base64.b64decode(value, validate=True)[:8]
        except (binascii.Error, ValueError):
            raise PydanticCustomError("attachment_base64", "must be base64") from None
        if not head.startswith(ATTACHMENT_MAGIC):
            raise PydanticCustomError("attachment_kind", "must be a PDF, JPEG or PNG file") from None
        return value


# what a certificate may be: PDF, JPEG, PNG (by their first bytes, not by the name or the declared type)
ATTACHMENT_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


#: the round trip's days of travel a request declares (Labour Code art. 113(3); hub.leave.travel)
TravelDays = Annotated[
    float,
    Field(ge=0, le=MAX_TRAVEL_DAYS, multiple_of=0.5, allow_inf_nan=False,
          description="days of travel, round trip, by road, rail or water (0–10, half days)"),
]  # fmt: skip


class RequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    employee_code: Code
    leave_type: Code = Field(examples=["annual"])
    start: WorkDate
    end: WorkDate
    start_part: Part = Part.FULL
    end_part: Part = Part.FULL
    reason: Text | None = None
    substitute_code: Code | None = None
    reference: ShortText | None = Field(default=None, max_length=64)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=5)
    travel_days: TravelDays = 0.0


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: Text | None = None
    work_refusal: bool = Field(default=False, description="refused for work reasons (Circular 141/2011)")


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve", "reject"]
    reason: Text = Field(min_length=1)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Text | None = None


class ChangeIn(BaseModel):
    """New dates for a request: an approved one stays in force until its replacement is approved."""

    model_config = ConfigDict(extra="forbid")
    start: WorkDate
    end: WorkDate
    start_part: Part = Part.FULL
    end_part: Part = Part.FULL
    reason: Text | None = None


class DelegationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approver: Code
    backup: Code
    start: WorkDate
    end: WorkDate
    reason: ShortText | None = None


class AdjustmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    employee_code: Code
    year: Year
    days: float = Field(ge=-366, le=366, allow_inf_nan=False)
    reason: Text = Field(min_length=1)
    kind: Literal["adjustment", "opening"] = "adjustment"


class PreviewOut(BaseModel):
    working_days: float
    travel_days_added: float = 0
    charged_days: float = Field(description="what the balance would be charged: working days less travel added")
    travel_note_vi: str = ""
    travel_note_en: str = ""
    skipped: list[tuple[date, str, str | None]]
    remaining_days: float | None


class TeamRowOut(BaseModel):
    employee_code: str
    full_name: str
    cells: list[str]


class TeamCalendarOut(BaseModel):
    unit_code: str
    unit_name: str
    year: int
    month: int
    day_kinds: list[str]
    rows: list[TeamRowOut]


class CheckinOnLeaveOut(BaseModel):
    employee_code: str
    day: date


class RefusedOut(BaseModel):
    row: int
    column: str
    reason: str


class OpeningOut(BaseModel):
    year: int
    rows: int
    imported: int
    rejected: list[RefusedOut]


def decode_attachments(items: list[AttachmentIn]) -> list[Attachment]:
    found = []
    for a in items:
        try:
            data = base64.b64decode(a.data_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise LeaveError("tệp đính kèm không hợp lệ / the attachment is not valid base64") from exc
        found.append(Attachment(a.filename, a.content_type, data))
    return found

"""Movement records (điều chuyển, cấp phát, sửa chữa, cho mượn, thanh lý) and their labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

KIND_LABELS: dict[str, tuple[str, str]] = {
    "checkout": ("Cấp phát cho cán bộ", "Check-out to an employee"),
    "transfer": ("Điều chuyển", "Transfer"),
    "repair": ("Sửa chữa", "Repair"),
    "loan": ("Cho mượn", "Loan"),
    "liquidation": ("Thanh lý", "Liquidation"),
}
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "requested": ("Chờ duyệt", "Waiting for approval"),
    "approved": ("Đã duyệt", "Approved"),
    "rejected": ("Từ chối", "Rejected"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "returned": ("Đã trả lại", "Returned"),
}
#: kinds that a second person approves; a check-out is done at once by the asset officer
NEEDS_APPROVAL = frozenset({"transfer", "repair", "loan", "liquidation"})
#: kinds that stay open until the asset comes back (a return closes them)
RETURNABLE = frozenset({"checkout", "repair", "loan"})
#: asset status while the movement is in effect
STATUS_DURING = {"checkout": "in_use", "repair": "under_repair", "loan": "lent", "liquidation": "liquidated"}
#: history actions written on the asset, as the asset page shows them
HISTORY_LABELS: dict[str, tuple[str, str]] = {
    "movement.request": ("Đề nghị điều chuyển", "Movement requested"),
    "movement.approve": ("Duyệt điều chuyển", "Movement approved"),
    "movement.reject": ("Từ chối điều chuyển", "Movement rejected"),
    "movement.cancel": ("Hủy đề nghị", "Request cancelled"),
    "movement.checkout": ("Cấp phát", "Checked out"),
    "movement.return": ("Trả lại", "Returned"),
    "inventory.move": ("Kiểm kê: cập nhật vị trí", "Inventory: location updated"),
    "inventory.missing": ("Kiểm kê: không thấy", "Inventory: missing"),
}


@dataclass(frozen=True, slots=True)
class MovementInput:
    kind: str
    reason: str
    employee_code: str | None = None  # checkout
    location_code: str | None = None  # transfer
    unit_code: str | None = None  # transfer
    party: str | None = None  # loan, repair
    due_on: date | None = None
    exit_until: date | None = None
    decision_number: str | None = None  # liquidation
    decision_date: date | None = None
    decision_signer: str | None = None


@dataclass(frozen=True, slots=True)
class Movement:
    id: int
    asset_number: str
    asset_name: str
    unit_code: str
    unit_path: str
    kind: str
    status: str
    employee_code: str | None
    employee_name: str | None
    location_code: str | None
    location_name: str | None
    to_unit_code: str | None
    to_unit_path: str | None
    party: str | None
    decision_number: str | None
    decision_date: date | None
    decision_signer: str | None
    reason: str
    due_on: date | None
    exit_until: date | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    returned_by: str | None
    returned_at: datetime | None

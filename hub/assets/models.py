"""Asset records and errors (quản lý tài sản): categories, locations, assets, their history.

Every refusal says what is wrong in Vietnamese and English ("… / …"), and nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hub.domain import Conflict, Invalid, NotFound, bilingual


class AssetError(Invalid):
    """A change the rules refuse (422 in the API)."""


class AssetNotFound(NotFound):
    pass


class AssetConflict(Conflict):
    """The change clashes with what is stored (a number taken): 409."""


class Status(StrEnum):
    IN_USE = "in_use"
    IN_STORE = "in_store"
    UNDER_REPAIR = "under_repair"
    LENT = "lent"
    LIQUIDATED = "liquidated"


STATUS_LABELS: dict[str, tuple[str, str]] = {
    "in_use": ("Đang sử dụng", "In use"),
    "in_store": ("Trong kho", "In store"),
    "under_repair": ("Đang sửa chữa", "Under repair"),
    "lent": ("Cho mượn", "Lent"),
    "liquidated": ("Đã thanh lý", "Liquidated"),
}


class Funding(StrEnum):
    STATE_BUDGET = "state_budget"
    PUBLIC_SERVICE_FUND = "public_service_fund"
    AID = "aid"
    OTHER = "other"


FUNDING_LABELS: dict[str, tuple[str, str]] = {
    "state_budget": ("Ngân sách nhà nước", "State budget"),
    "public_service_fund": ("Quỹ phát triển hoạt động sự nghiệp", "Public service development fund"),
    "aid": ("Viện trợ, tài trợ", "Aid, sponsorship"),
    "other": ("Nguồn khác", "Other"),
}

LOCATION_KINDS: dict[str, tuple[str, str]] = {
    "office": ("Trụ sở", "Office"),
    "building": ("Tòa nhà", "Building"),
    "floor": ("Tầng", "Floor"),
    "room": ("Phòng", "Room"),
}
PARENT_KIND = {"building": "office", "floor": "building", "room": "floor"}


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name_vi: str
    name_en: str
    service_life_years: Decimal
    wear_rate_pct: Decimal
    legal_basis: str
    confirmed: bool
    valid_from: date | None
    valid_to: date | None
    note: str | None


@dataclass(frozen=True, slots=True)
class Location:
    id: int
    parent_id: int | None
    kind: str
    code: str
    name: str
    unit_code: str
    path_name: str  # "Trụ sở A › Nhà B › Tầng 2 › Phòng 204"


@dataclass(frozen=True, slots=True)
class Asset:
    id: int
    asset_number: str
    name: str
    category_code: str
    category_name: str
    wear_rate_pct: Decimal
    service_life_years: Decimal
    unit_code: str
    unit_name: str
    unit_path: str
    custodian_code: str | None
    custodian_name: str | None
    location_code: str | None
    location_name: str | None
    cost: int
    funding_source: str
    acquired_on: date
    business_use: bool
    status: str
    liquidated_on: date | None
    serial_number: str | None
    epc_hex: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AssetInput:
    """A new asset or the fields of an update (None: unchanged on update)."""

    asset_number: str | None = None
    name: str | None = None
    category_code: str | None = None
    unit_code: str | None = None
    custodian_code: str | None = None
    location_code: str | None = None
    cost: int | None = None
    funding_source: str | None = None
    acquired_on: date | None = None
    business_use: bool | None = None
    status: str | None = None
    liquidated_on: date | None = None
    serial_number: str | None = None
    clear: frozenset[str] = field(default_factory=frozenset)  # optional fields set to nothing on update


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    changes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WearRow:
    """One asset's line of the wear table for a year."""

    asset_number: str
    name: str
    unit_code: str
    category_code: str
    acquired_on: date
    cost: int
    rate_pct: Decimal
    business_use: bool
    opening: int
    wear: int
    closing: int
    remaining: int
    liquidated_on: date | None = None  # ghi giảm (the fixed-asset book)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    created_numbers: list[str] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def summary(self) -> str:
        bad = len({e.row for e in self.rejected})
        return bilingual(
            f"{self.rows} dòng: đã thêm {self.created} tài sản, từ chối {bad} dòng",
            f"{self.rows} rows: {self.created} assets added, {bad} rows rejected",
        )

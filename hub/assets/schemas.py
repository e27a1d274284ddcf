"""The shapes of the asset register's REST API (tài sản): an asset, a category, a location, an import's report,
with their limits on the wire (hub.assets.api routes them)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hub.assets.attachments import AssetAttachment
from hub.assets.models import Asset, Category, Funding, Status
from hub.inputs import Code, ShortText, WorkDate


class AssetOut(BaseModel):
    asset_number: str
    name: str
    category_code: str
    category_name: str
    wear_rate_pct: Decimal
    unit_code: str
    unit_name: str
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

    @classmethod
    def of(cls, a: Asset) -> AssetOut:
        return cls(**{f: getattr(a, f) for f in cls.model_fields})


class AssetPage(BaseModel):
    total: int
    items: list[AssetOut]


class WearYearOut(BaseModel):
    year: int
    opening: int
    wear: int
    closing: int
    remaining: int


class HistoryOut(BaseModel):
    at: datetime
    actor: str
    action: str
    changes: dict


class AttachmentOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    note: str | None
    uploaded_by: str
    uploaded_at: datetime

    @classmethod
    def of(cls, a: AssetAttachment) -> AttachmentOut:
        return cls(**{f: getattr(a, f) for f in cls.model_fields})


class AssetDetailOut(BaseModel):
    asset: AssetOut
    remaining_value: int
    method: Literal["wear", "depreciation"]
    schedule: list[WearYearOut]
    history: list[HistoryOut]
    attachments: list[AttachmentOut] = []


class StrictIn(BaseModel):
    """An input body that refuses fields it does not know (a typo is an error, not silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class AssetIn(StrictIn):
    asset_number: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
    name: ShortText
    category_code: Code
    unit_code: Code
    custodian_code: Code | None = None
    location_code: Code | None = None
    cost: int = Field(gt=0, lt=10**15, description="nguyên giá, whole đồng")
    funding_source: Funding = Funding.STATE_BUDGET
    acquired_on: WorkDate
    business_use: bool = False
    status: Status = Status.IN_USE
    liquidated_on: WorkDate | None = None
    serial_number: ShortText | None = None


class AssetPatch(StrictIn):
    name: ShortText | None = None
    category_code: Code | None = None
    unit_code: Code | None = None
    custodian_code: Code | None = None
    location_code: Code | None = None
    cost: int | None = Field(None, gt=0, lt=10**15)
    funding_source: Funding | None = None
    acquired_on: WorkDate | None = None
    business_use: bool | None = None
    status: Status | None = None
    liquidated_on: WorkDate | None = None
    serial_number: ShortText | None = None
    clear: list[Literal["custodian_code", "location_code", "serial_number"]] = Field(default_factory=list, max_length=3)


class CategoryIn(StrictIn):
    name_vi: ShortText
    name_en: ShortText
    service_life_years: Decimal = Field(gt=0, le=100, decimal_places=2)
    wear_rate_pct: Decimal = Field(ge=0, le=100, decimal_places=3)
    legal_basis: ShortText = Field(description="the article / appendix row it comes from")
    confirmed: bool = False
    valid_from: WorkDate | None = None
    valid_to: WorkDate | None = None
    note: ShortText | None = None


class CategoryOut(CategoryIn):
    code: str


class LocationIn(StrictIn):
    kind: Literal["office", "building", "floor", "room"]
    code: Code
    name: ShortText
    parent_code: Code | None = None
    unit_code: Code | None = Field(None, description="an office's org unit")


class LocationOut(BaseModel):
    code: str
    kind: str
    name: str
    path_name: str
    unit_code: str
    parent_code: str | None


class WearTableOut(BaseModel):
    year: int
    assets: int
    cost: int
    opening: int
    wear: int
    closing: int
    remaining: int


class RowErrorOut(BaseModel):
    row: int
    column: str
    reason: str


class ImportOut(BaseModel):
    rows: int
    created: int
    created_numbers: list[str]
    rejected: list[RowErrorOut]
    ignored_columns: list[str]
    summary: str


def category_out(c: Category) -> CategoryOut:
    return CategoryOut(code=c.code, **{f: getattr(c, f) for f in CategoryIn.model_fields})

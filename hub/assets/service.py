"""The asset register's rules: categories, locations, assets (create, update, import, search), their history
and the wear table — each change in one transaction with its audit row and its history row.

Who may (hub.assets.access declares it; enforced here for the API, the UI and the CLI alike): an asset
officer works on the assets of the units they are granted on (and their subtrees); a manager reads them;
the system admin does everything, and alone loads categories (the legal rates).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Action, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access, repository, wear
from hub.assets.attachments import AssetAttachments
from hub.assets.models import (
    FUNDING_LABELS,
    LOCATION_KINDS,
    PARENT_KIND,
    STATUS_LABELS,
    Asset,
    AssetConflict,
    AssetError,
    AssetInput,
    AssetNotFound,
    Category,
    HistoryEntry,
    ImportReport,
    Location,
    RowError,
    WearRow,
    bilingual,
)
from hub.domain import DomainError
from hub.localtime import LOCAL_TZ
from hub.people.sheets import Cell, SheetColumns, SourceRow
from hub.people.text import fold, search_terms
from protocol.epc import AssetEpcPolicy, EpcError, asset_epc

NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_NAME = 300
MAX_COST = 10**15 - 1
OLDEST = date(1950, 1, 1)

ASSET_COLUMNS = SheetColumns.of(
    ("asset_number", "name", "category", "unit", "cost", "acquired_on"),
    {
        "asset_number": ("ma tai san", "so hieu tai san", "so the", "asset number"),
        "name": ("ten tai san", "ten", "asset name"),
        "category": ("loai tai san", "ma loai", "nhom", "category"),
        "unit": ("don vi", "ma don vi", "don vi quan ly", "unit code"),
        "cost": ("nguyen gia", "gia tri", "cost (vnd)"),
        "acquired_on": ("ngay dua vao su dung", "ngay su dung", "ngay mua", "acquired", "acquisition date"),
        "funding_source": ("nguon kinh phi", "nguon von", "funding"),
        "custodian": ("nguoi su dung", "nguoi quan ly", "ma can bo", "custodian"),
        "location": ("vi tri", "ma vi tri", "phong", "location"),
        "business_use": ("kinh doanh", "dung cho kinh doanh", "business"),
        "status": ("trang thai", "tinh trang"),
        "serial_number": ("so serial", "serial", "so seri"),
    },
)


def today(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()


# --- checks -----------------------------------------------------------------------------------------------


def require_in_unit(principal: Principal, action: Action, unit_path: str) -> None:
    gate.check(principal, action, Target.unit(unit_path))


def _label(value: str, labels: dict[str, tuple[str, str]], field_vi: str, field_en: str) -> str:
    folded = fold(value).replace("_", " ")
    for code, (vi, en) in labels.items():
        if folded in (code.replace("_", " "), fold(vi), fold(en)):
            return code
    known = ", ".join(f"{code} ({vi})" for code, (vi, _) in labels.items())
    raise AssetError(
        bilingual(f"{field_vi} {value[:40]!r} không hợp lệ (có: {known})", f"{field_en} {value[:40]!r} is not valid")
    )


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise AssetError(bilingual("tài sản cần có tên", "the asset needs a name"))
    if len(name) > MAX_NAME:
        raise AssetError(bilingual(f"tên dài hơn {MAX_NAME} ký tự", f"the name is longer than {MAX_NAME} characters"))
    return name


def _number(text: str) -> str:
    number = text.strip()
    if not NUMBER.match(number):
        raise AssetError(
            bilingual(
                f"mã tài sản {number[:40]!r} không hợp lệ: chữ, số, '.', '_', '-' (tối đa 40)",
                f"asset number {number[:40]!r} is not valid: letters, digits, '.', '_', '-' (at most 40)",
            )
        )
    return number


def _cost(value: int) -> int:
    if isinstance(value, bool) or not 0 < value <= MAX_COST:
        raise AssetError(
            bilingual(
                "nguyên giá phải là số đồng dương (≤ 10^15)", "the cost must be a positive amount of đồng (≤ 10^15)"
            )
        )
    return value


@dataclass(frozen=True, slots=True)
class _Resolved:
    values: dict[str, Any]
    unit_path: str
    category: Category


def _resolve(
    conn: psycopg.Connection,
    inp: AssetInput,
    current: dict[str, Any] | None,
    categories: dict[str, Category],
    now: datetime,
) -> _Resolved:
    """The columns to write (all of a new asset's; an update's changed ones) and the asset's unit path."""
    values: dict[str, Any] = {}
    base = current or {}
    if inp.asset_number is not None and current is None:
        values["asset_number"] = _number(inp.asset_number)
    elif current is None:
        raise AssetError(bilingual("thiếu mã tài sản", "the asset number is missing"))
    if inp.name is not None:
        values["name"] = _name(inp.name)
    elif current is None:
        raise AssetError(bilingual("tài sản cần có tên", "the asset needs a name"))
    code = inp.category_code if inp.category_code is not None else base.get("category_code")
    category = categories.get(code or "")
    if category is None:
        raise AssetError(
            bilingual(
                f"không có loại tài sản {code!r} (có: {', '.join(categories)})",
                f"no asset category {code!r} (known: {', '.join(categories)})",
            )
        )
    if inp.category_code is not None:
        values["category_code"] = category.code
    unit_path = ""
    if inp.unit_code is not None:
        unit = repository.unit_row(conn, inp.unit_code)
        if unit is None:
            raise AssetError(bilingual(f"không có đơn vị mã {inp.unit_code!r}", f"no org unit {inp.unit_code!r}"))
        if not unit[2]:
            raise AssetError(bilingual(f"đơn vị {inp.unit_code} đã giải thể", f"unit {inp.unit_code} is closed"))
        values["unit_id"], unit_path = unit[0], unit[1]
    elif current is None:
        raise AssetError(bilingual("thiếu đơn vị quản lý", "the unit is missing"))
    else:
        unit_path = repository.unit_path(conn, base["unit_id"])
    if inp.custodian_code is not None:
        employee = repository.employee_row(conn, inp.custodian_code)
        if employee is None:
            raise AssetError(
                bilingual(f"không có cán bộ mã {inp.custodian_code!r}", f"no employee {inp.custodian_code!r}")
            )
        values["custodian_id"] = employee
    if inp.location_code is not None:
        location = repository.location_row(conn, inp.location_code)
        if location is None:
            raise AssetError(
                bilingual(f"không có vị trí mã {inp.location_code!r}", f"no location {inp.location_code!r}")
            )
        if not unit_path.startswith(location[3]) and not location[3].startswith(unit_path):
            raise AssetError(
                bilingual(
                    f"vị trí {inp.location_code} thuộc trụ sở của đơn vị khác",
                    f"location {inp.location_code} belongs to another unit's premises",
                )
            )
        values["location_id"] = location[0]
    if inp.cost is not None:
        values["cost"] = _cost(inp.cost)
    elif current is None:
        raise AssetError(bilingual("thiếu nguyên giá", "the cost is missing"))
    if inp.funding_source is not None:
        values["funding_source"] = _label(inp.funding_source, FUNDING_LABELS, "nguồn kinh phí", "funding source")
    elif current is None:
        values["funding_source"] = "state_budget"
    acquired = inp.acquired_on if inp.acquired_on is not None else base.get("acquired_on")
    if acquired is None:
        raise AssetError(bilingual("thiếu ngày đưa vào sử dụng", "the acquisition date is missing"))
    if not OLDEST <= acquired <= today(now):
        raise AssetError(
            bilingual(
                f"ngày đưa vào sử dụng {acquired:%d/%m/%Y} phải từ 01/01/1950 đến hôm nay",
                f"the acquisition date {acquired:%d/%m/%Y} must be between 1950-01-01 and today",
            )
        )
    if inp.acquired_on is not None:
        values["acquired_on"] = acquired
    if inp.business_use is not None:
        values["business_use"] = inp.business_use
    status = inp.status if inp.status is not None else base.get("status", "in_use")
    status = _label(status, STATUS_LABELS, "trạng thái", "status")
    liquidated = inp.liquidated_on if inp.liquidated_on is not None else base.get("liquidated_on")
    if status == "liquidated":
        liquidated = liquidated or today(now)
        if liquidated < acquired or liquidated > today(now):
            raise AssetError(
                bilingual(
                    "ngày thanh lý phải từ ngày đưa vào sử dụng đến hôm nay",
                    "the liquidation date must be between the acquisition date and today",
                )
            )
    else:
        liquidated = None
    if current is None or status != base.get("status"):
        values["status"] = status
    if current is None or liquidated != base.get("liquidated_on"):
        values["liquidated_on"] = liquidated
    if inp.serial_number is not None:
        serial = " ".join(inp.serial_number.split())[:100]
        values["serial_number"] = serial or None
    for name in inp.clear:
        if name in ("custodian_code", "location_code", "serial_number"):
            values[{"custodian_code": "custodian_id", "location_code": "location_id"}.get(name, name)] = None
    if current is not None:  # only what changes
        values = {k: v for k, v in values.items() if base.get(k) != v}
    name = values.get("name", base.get("name", ""))
    number = values.get("asset_number", base.get("asset_number", ""))
    serial = values.get("serial_number", base.get("serial_number")) or ""
    if "name" in values or "serial_number" in values or current is None:
        values["search_text"] = fold(f"{number} {name} {serial}")
    return _Resolved(values, unit_path, category)


def _epc(policy: AssetEpcPolicy | None, number: str, serial: int) -> str | None:
    if policy is None:
        return None
    try:
        return asset_epc(number, policy, register_serial=serial).hex
    except EpcError as exc:
        raise AssetError(str(exc)) from exc


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "search_text"}


# --- the service -----------------------------------------------------------------------------------------


class AssetsService:
    """The asset register over the hub's pool."""

    def __init__(
        self,
        pool: ConnectionPool,
        now: Callable[[], datetime],
        policy: AssetEpcPolicy | None = None,
        first_year: wear.FirstYear = wear.FirstYear.FULL,
    ) -> None:
        self.pool = pool
        self.now = now
        self.policy = policy  # the agency's EPC rule (CCES_ASSETS_…); None: assets get no EPC yet
        self.first_year = first_year  # CCES_ASSETS_FIRST_YEAR_WEAR
        self.attachments = AssetAttachments(self)  # the record's files (its store set by the runtime)

    # categories and locations

    def categories(self) -> list[Category]:
        with self.pool.connection() as conn:
            return repository.categories(conn)

    def save_category(self, principal: Principal, actor: Actor, category: Category) -> Category:
        """Load or correct one category of the annex (system admin): the legal basis is required."""
        gate.check(principal, access.CATEGORIES)
        if not CODE.match(category.code):
            raise AssetError(bilingual("mã loại không hợp lệ", "the category code is not valid"))
        if not category.legal_basis.strip():
            raise AssetError(bilingual("cần căn cứ pháp lý", "the legal basis is required"))
        if not (0 < category.service_life_years <= 100 and 0 <= category.wear_rate_pct <= 100):
            raise AssetError(
                bilingual("thời gian sử dụng 0–100 năm, tỷ lệ 0–100 %", "service life 0–100 years, rate 0–100 %")
            )
        with self.pool.connection() as conn, conn.transaction():
            before = {c.code: c for c in repository.categories(conn)}.get(category.code)
            repository.upsert_category(conn, category)
            audit.record(conn, actor, "asset_category.save", "asset_category", category.code,
                         before=before, after=category)  # fmt: skip
        return category

    def locations(self, principal: Principal) -> list[Location]:
        with self.pool.connection() as conn:
            found = repository.locations(conn)
        gate.check(principal, access.VIEW)
        scope = gate.reach(principal, access.VIEW)
        if scope is None:
            return found
        with self.pool.connection() as conn:
            paths = repository.unit_paths(conn)
        return [loc for loc in found if any(paths.get(loc.unit_code, "").startswith(p) for p in scope)]

    def create_location(
        self, principal: Principal, actor: Actor, kind: str, code: str, name: str, parent_code: str | None,
        unit_code: str | None = None,
    ) -> Location:  # fmt: skip
        """An office (on an org unit) or a building, floor or room inside its parent."""
        if kind not in LOCATION_KINDS:
            raise AssetError(bilingual(f"loại vị trí {kind!r} không hợp lệ", f"location kind {kind!r} is not valid"))
        if not CODE.match(code.strip()):
            raise AssetError(bilingual("mã vị trí không hợp lệ", "the location code is not valid"))
        name = " ".join(name.split())
        if not name or len(name) > 200:
            raise AssetError(bilingual("vị trí cần tên (≤ 200 ký tự)", "the location needs a name (≤ 200 characters)"))
        with self.pool.connection() as conn, conn.transaction():
            parent_id = None
            if kind == "office":
                if parent_code:
                    raise AssetError(bilingual("trụ sở là cấp cao nhất", "an office has no parent"))
                unit = repository.unit_row(conn, unit_code or "")
                if unit is None:
                    raise AssetError(bilingual(f"không có đơn vị mã {unit_code!r}", f"no org unit {unit_code!r}"))
                unit_id, unit_path = unit[0], unit[1]
            else:
                parent = repository.location_row(conn, parent_code or "")
                if parent is None or parent[1] != PARENT_KIND[kind]:
                    vi, en = LOCATION_KINDS[PARENT_KIND[kind]]
                    raise AssetError(
                        bilingual(f"{LOCATION_KINDS[kind][0]} phải nằm trong một {vi.lower()}",
                                  f"a {LOCATION_KINDS[kind][1].lower()} must be inside a {en.lower()}")
                    )  # fmt: skip
                parent_id, unit_id, unit_path = parent[0], parent[2], parent[3]
            require_in_unit(principal, access.LOCATIONS, unit_path)
            if not repository.insert_location(conn, parent_id, kind, code.strip(), name, unit_id):
                raise AssetConflict(bilingual(f"mã vị trí {code} đã được dùng", f"location code {code} is taken"))
            audit.record(conn, actor, "asset_location.create", "asset_location", code,
                         after={"kind": kind, "name": name, "parent": parent_code}, unit_path=unit_path)  # fmt: skip
            return next(loc for loc in repository.locations(conn) if loc.code == code.strip())

    # assets

    def search(
        self,
        principal: Principal,
        query: str = "",
        *,
        unit_code: str | None = None,
        status: str | None = None,
        category: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Asset], int]:
        """Assets of the principal's units matching every word of `query` (no marks needed), by number."""
        gate.check(principal, access.VIEW)
        scope = gate.reach(principal, access.VIEW)
        with self.pool.connection() as conn:
            unit_path = None
            if unit_code:
                unit = repository.unit_row(conn, unit_code)
                if unit is None:
                    raise AssetNotFound(bilingual(f"không có đơn vị mã {unit_code!r}", f"no org unit {unit_code!r}"))
                unit_path = unit[1]
            return repository.search(conn, search_terms(query)[:10], scope, unit_path=unit_path, status=status,
                                     category=category, limit=limit, offset=offset)  # fmt: skip

    def _get(
        self, conn: psycopg.Connection, principal: Principal, number: str, action: str, lock: bool = False
    ) -> Asset:
        asset = repository.asset_by_number(conn, number, lock=lock)
        if asset is None:
            raise AssetNotFound(bilingual(f"không có tài sản mã {number!r}", f"no asset numbered {number!r}"))
        require_in_unit(principal, action, asset.unit_path)
        return asset

    def get(self, principal: Principal, number: str) -> Asset:
        with self.pool.connection() as conn:
            return self._get(conn, principal, number, access.VIEW)

    def history(self, principal: Principal, number: str) -> list[HistoryEntry]:
        with self.pool.connection() as conn:
            asset = self._get(conn, principal, number, access.VIEW)
            return repository.history(conn, asset.id)

    def schedule(self, asset: Asset) -> list[wear.WearYear]:
        """The asset's wear (or, used for business, depreciation) year by year."""
        if asset.business_use:
            rows, year = [], asset.acquired_on.year
            while True:
                row = wear.depreciation_for_year(asset.cost, asset.wear_rate_pct, asset.acquired_on, year,
                                                 liquidated_on=asset.liquidated_on)  # fmt: skip
                if row.opening >= asset.cost or row.wear == 0 and year > asset.acquired_on.year:
                    return rows
                rows.append(row)
                year += 1
        return wear.wear_schedule(asset.cost, asset.wear_rate_pct, asset.acquired_on, first_year=self.first_year,
                                  liquidated_on=asset.liquidated_on)  # fmt: skip

    def remaining_value(self, asset: Asset, at: date) -> int:
        """Cost less the wear of every 31 December passed by `at` (or depreciation to the end of the month before)."""
        if asset.business_use:
            first = date(at.year, at.month, 1)
            last_month_end = date.fromordinal(first.toordinal() - 1)
            done = wear.accumulated_depreciation(asset.cost, asset.wear_rate_pct, asset.acquired_on, last_month_end,
                                                 liquidated_on=asset.liquidated_on)  # fmt: skip
        else:
            year = at.year if (at.month, at.day) == (12, 31) else at.year - 1
            done = wear.accumulated_wear(asset.cost, asset.wear_rate_pct, asset.acquired_on, year,
                                         first_year=self.first_year, liquidated_on=asset.liquidated_on)  # fmt: skip
        return asset.cost - done

    def create(self, principal: Principal, actor: Actor, inp: AssetInput) -> Asset:
        with self.pool.connection() as conn, conn.transaction():
            categories = {c.code: c for c in repository.categories(conn)}
            return self._create(conn, principal, actor, inp, categories)

    def _create(
        self, conn: psycopg.Connection, principal: Principal, actor: Actor, inp: AssetInput,
        categories: dict[str, Category], *, action: str = "create",
    ) -> Asset:  # fmt: skip
        resolved = _resolve(conn, inp, None, categories, self.now())
        require_in_unit(principal, access.EDIT, resolved.unit_path)
        values = resolved.values
        asset_id = repository.insert_asset(conn, values)
        if not asset_id:
            raise AssetConflict(
                bilingual(f"mã tài sản {values['asset_number']} đã được dùng",
                          f"asset number {values['asset_number']} is taken")
            )  # fmt: skip
        epc = _epc(self.policy, values["asset_number"], asset_id)
        if epc is not None:
            with conn.transaction():  # a savepoint: an EPC clash leaves the row and its outer work intact
                try:
                    repository.set_epc(conn, asset_id, epc)
                except psycopg.errors.UniqueViolation as exc:
                    raise AssetConflict(
                        bilingual(f"EPC {epc} đã gắn với tài sản khác", f"EPC {epc} belongs to another asset")
                    ) from exc
        shown = {**_shown(values), "epc_hex": epc}
        repository.add_history(conn, asset_id, actor.username, action, {k: [None, v] for k, v in shown.items()})
        audit.record(conn, actor, "asset.import" if action == "import" else "asset.create", "asset",
                     values["asset_number"], after=shown,
                     unit_path=resolved.unit_path)  # fmt: skip
        asset = repository.asset_by_number(conn, values["asset_number"])
        assert asset is not None
        return asset

    def update(self, principal: Principal, actor: Actor, number: str, inp: AssetInput) -> Asset:
        """Change fields of an asset (a move to another unit needs the right in both units)."""
        with self.pool.connection() as conn, conn.transaction():
            asset = self._get(conn, principal, number, access.EDIT, lock=True)
            current = repository.raw_ids(conn, asset.id)
            categories = {c.code: c for c in repository.categories(conn)}
            resolved = _resolve(conn, replace(inp, asset_number=None), current, categories, self.now())
            require_in_unit(principal, access.EDIT, resolved.unit_path)
            values = resolved.values
            if not values:
                return asset
            repository.update_asset(conn, asset.id, values)
            changes = {k: [current.get(k), v] for k, v in _shown(values).items()}
            repository.add_history(conn, asset.id, actor.username, "update", changes)
            other = asset.unit_path if asset.unit_path != resolved.unit_path else None
            audit.record(conn, actor, "asset.update", "asset", number,
                         before={k: current.get(k) for k in _shown(values)}, after=_shown(values),
                         unit_path=resolved.unit_path, other_unit_path=other)  # fmt: skip
            updated = repository.asset_by_number(conn, number)
            assert updated is not None
            return updated

    def import_assets(
        self, principal: Principal, actor: Actor, rows: Sequence[SourceRow], ignored: Sequence[str] = ()
    ) -> ImportReport:
        """Each row created whole (through the same checks as `create`, in its own savepoint) or rejected with
        its reason; the good rows commit together."""
        report = ImportReport(rows=len(rows), ignored_columns=list(ignored))
        with self.pool.connection() as conn, conn.transaction():
            categories = {c.code: c for c in repository.categories(conn)}
            by_name = {fold(t): c.code for c in categories.values() for t in (c.code, c.name_vi, c.name_en)}
            seen: set[str] = set()
            for row in rows:
                try:
                    inp = _row_input(row.values, by_name)
                    if inp.asset_number in seen:
                        raise AssetError(
                            bilingual("mã tài sản lặp lại trong tệp", "the asset number repeats in the file")
                        )
                    seen.add(inp.asset_number or "")
                    with conn.transaction():
                        created = self._create(conn, principal, actor, inp, categories, action="import")
                except DomainError as exc:
                    report.rejected.append(RowError(row.number, getattr(exc, "column", ""), str(exc)))
                    continue
                report.created += 1
                report.created_numbers.append(created.asset_number)
        return report

    # wear

    def wear_rows(self, principal: Principal, year: int, unit_code: str | None = None) -> Iterator[WearRow]:
        """The wear table of `year` (at 31 December): every asset held that year, in the principal's units."""
        gate.check(principal, access.VIEW)
        scope = gate.reach(principal, access.VIEW)
        if not 1950 <= year <= 2200:
            raise AssetError(bilingual("năm không hợp lệ", "the year is not valid"))
        with self.pool.connection() as conn:
            unit_path = None
            if unit_code:
                unit = repository.unit_row(conn, unit_code)
                if unit is None:
                    raise AssetNotFound(bilingual(f"không có đơn vị mã {unit_code!r}", f"no org unit {unit_code!r}"))
                unit_path = unit[1]
                require_in_unit(principal, access.VIEW, unit_path)
            rates: dict[Decimal, Decimal] = {}
            for number, name, unit, category, acquired, cost, rate, business, liquidated in repository.wear_inputs(
                conn, scope, unit_path, year
            ):
                rate = rates.setdefault(rate, rate)
                if business:
                    y = wear.depreciation_for_year(cost, rate, acquired, year, liquidated_on=liquidated)
                else:
                    y = wear.wear_for_year(cost, rate, acquired, year, first_year=self.first_year,
                                           liquidated_on=liquidated)  # fmt: skip
                yield WearRow(number, name, unit, category, acquired, cost, rate, business, y.opening, y.wear,
                              y.closing, y.remaining, liquidated)  # fmt: skip

    def wear_xlsx(self, principal: Principal, year: int, unit_code: str | None = None) -> bytes:
        return wear_table_xlsx(self.wear_rows(principal, year, unit_code), year)

    def wear_pdf(self, principal: Principal, year: int, unit_code: str | None = None) -> bytes:
        """The wear table of `year` as PDF (assets.view, as wear_rows)."""
        from hub.assets.documents import wear_table_pdf

        rows = list(self.wear_rows(principal, year, unit_code))
        return wear_table_pdf(rows, year, self._scope_name(unit_code), self.now())

    def book(self, principal: Principal, year: int, unit_code: str | None, fmt: str) -> bytes:
        """The fixed-asset book (sổ tài sản cố định) of `year` as XLSX or PDF (assets.view, as wear_rows)."""
        from hub.assets.documents import book_pdf, book_xlsx

        rows = self.wear_rows(principal, year, unit_code)
        if fmt == "xlsx":
            return book_xlsx(rows, year)
        return book_pdf(list(rows), year, self._scope_name(unit_code), self.now())

    def card_pdf(self, principal: Principal, number: str) -> bytes:
        """The asset card (thẻ tài sản cố định) as PDF: its particulars, its wear year by year, its history."""
        from hub.assets.documents import asset_card_pdf

        with self.pool.connection() as conn:
            asset = self._get(conn, principal, number, access.VIEW)
            history = repository.history(conn, asset.id)
        now = self.now()
        return asset_card_pdf(asset, self.schedule(asset), history, self.remaining_value(asset, today(now)), now)

    @staticmethod
    def _scope_name(unit_code: str | None) -> str:
        return f"Đơn vị {unit_code}" if unit_code else "Các đơn vị được giao quản lý"


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _cell_day(value: Cell, column: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise _column_error(column, f"{text[:40]!r} không phải ngày (dd/mm/yyyy)", f"{text[:40]!r} is not a date")


def _column_error(column: str, vi: str, en: str) -> AssetError:
    exc = AssetError(bilingual(vi, en))
    exc.column = column  # type: ignore[attr-defined]
    return exc


def _cell_cost(value: Cell) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value != int(value):
            raise _column_error("cost", "nguyên giá phải là số đồng nguyên", "the cost must be whole đồng")
        return int(value)
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "")
    try:
        return int(Decimal(text))
    except (InvalidOperation, ValueError):
        raise _column_error(
            "cost", f"nguyên giá {str(value)[:40]!r} không phải số", f"the cost {str(value)[:40]!r} is not a number"
        ) from None


def _row_input(values: dict[str, Cell] | Any, categories: dict[str, str]) -> AssetInput:
    text = {k: _cell_text(v) for k, v in values.items()}
    for column in ASSET_COLUMNS.required:
        if not text.get(column):
            raise _column_error(column, f"thiếu cột {column}", f"{column} is empty")
    category = categories.get(fold(text["category"]), text["category"])
    cost = _cell_cost(values.get("cost"))
    business = fold(text.get("business_use", "")) in ("co", "x", "yes", "1", "true")
    return AssetInput(
        asset_number=text["asset_number"], name=text["name"], category_code=category, unit_code=text["unit"],
        custodian_code=text.get("custodian") or None, location_code=text.get("location") or None, cost=cost,
        funding_source=text.get("funding_source") or None,
        acquired_on=_cell_day(values.get("acquired_on"), "acquired_on"), business_use=business,
        status=text.get("status") or None, serial_number=text.get("serial_number") or None,
    )  # fmt: skip


WEAR_HEADERS = (
    ("Mã tài sản", "Asset number"),
    ("Tên tài sản", "Name"),
    ("Đơn vị", "Unit"),
    ("Loại", "Category"),
    ("Ngày sử dụng", "In use from"),
    ("Nguyên giá", "Cost"),
    ("Tỷ lệ (%)", "Rate (%)"),
    ("Hao mòn/khấu hao lũy kế đầu năm", "Accumulated at 1 Jan"),
    ("Hao mòn/khấu hao trong năm", "This year"),
    ("Lũy kế cuối năm", "Accumulated at 31 Dec"),
    ("Giá trị còn lại", "Remaining value"),
    ("Khấu hao (kinh doanh)", "Depreciated (business)"),
)


def wear_table_xlsx(rows: Iterable[WearRow], year: int) -> bytes:
    """The wear table (bảng tính hao mòn) of `year` as XLSX, written streaming (hub.assets.xlsx)."""
    from hub.assets.xlsx import BOLD, PLAIN, write_xlsx

    def lines() -> Iterator[tuple[Sequence[object], int]]:
        yield [f"BẢNG TÍNH HAO MÒN TÀI SẢN CỐ ĐỊNH NĂM {year} / FIXED-ASSET WEAR TABLE {year}"], BOLD
        yield ["Tính tại 31/12 (TT 23/2023/TT-BTC) / as of 31 December; đơn vị tính: đồng / amounts in đồng"], PLAIN
        yield [f"{vi} / {en}" for vi, en in WEAR_HEADERS], BOLD
        totals = [0, 0, 0, 0, 0]
        count = 0
        for r in rows:
            count += 1
            yield [r.asset_number, r.name, r.unit_code, r.category_code, r.acquired_on, r.cost, r.rate_pct,
                   r.opening, r.wear, r.closing, r.remaining, "x" if r.business_use else ""], PLAIN  # fmt: skip
            totals[0] += r.cost
            totals[1] += r.opening
            totals[2] += r.wear
            totals[3] += r.closing
            totals[4] += r.remaining
        yield [f"Cộng / Total ({count})", "", "", "", "", totals[0], "", *totals[1:], ""], BOLD

    return write_xlsx(f"Hao mon {year}", lines())

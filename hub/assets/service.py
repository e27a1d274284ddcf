"""The asset register's rules: categories, locations, assets (create, update, import, search), their history
and the wear table — each change in one transaction with its audit row and its history row.

Who may (hub.assets.access declares it; enforced here for the API, the UI and the CLI alike): an asset
officer works on the assets of the units they are granted on (and their subtrees); a manager reads them;
the system admin does everything, and alone loads categories (the legal rates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access, repository, wear
from hub.assets.attachments import AssetAttachments
from hub.assets.checks import CODE, epc_of, require_in_unit, resolve, shown, today
from hub.assets.importing import row_input
from hub.assets.models import (
    LOCATION_KINDS,
    PARENT_KIND,
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
from hub.assets.wear_table import wear_table_xlsx
from hub.domain import DomainError
from hub.people.sheets import SourceRow
from hub.people.text import fold, search_terms
from protocol.epc import AssetEpcPolicy


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
        resolved = resolve(conn, inp, None, categories, self.now())
        require_in_unit(principal, access.EDIT, resolved.unit_path)
        values = resolved.values
        asset_id = repository.insert_asset(conn, values)
        if not asset_id:
            raise AssetConflict(
                bilingual(f"mã tài sản {values['asset_number']} đã được dùng",
                          f"asset number {values['asset_number']} is taken")
            )  # fmt: skip
        epc = epc_of(self.policy, values["asset_number"], asset_id)
        if epc is not None:
            with conn.transaction():  # a savepoint: an EPC clash leaves the row and its outer work intact
                try:
                    repository.set_epc(conn, asset_id, epc)
                except psycopg.errors.UniqueViolation as exc:
                    raise AssetConflict(
                        bilingual(f"EPC {epc} đã gắn với tài sản khác", f"EPC {epc} belongs to another asset")
                    ) from exc
        written = {**shown(values), "epc_hex": epc}
        repository.add_history(conn, asset_id, actor.username, action, {k: [None, v] for k, v in written.items()})
        audit.record(conn, actor, "asset.import" if action == "import" else "asset.create", "asset",
                     values["asset_number"], after=written,
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
            resolved = resolve(conn, replace(inp, asset_number=None), current, categories, self.now())
            require_in_unit(principal, access.EDIT, resolved.unit_path)
            values = resolved.values
            if not values:
                return asset
            repository.update_asset(conn, asset.id, values)
            changes = {k: [current.get(k), v] for k, v in shown(values).items()}
            repository.add_history(conn, asset.id, actor.username, "update", changes)
            other = asset.unit_path if asset.unit_path != resolved.unit_path else None
            audit.record(conn, actor, "asset.update", "asset", number,
                         before={k: current.get(k) for k in shown(values)}, after=shown(values),
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
                    inp = row_input(row.values, by_name)
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

"""Inventory sessions (kiểm kê): start one over a room, floor, building, office or the whole administration; take
in the reads of the fixed readers mapped to its rooms (stored by ingest in `rfid_reads`) and of handhelds; show per
room what is found, missing, moved (found here, registered elsewhere) and unknown; let the officer resolve each
difference; close it, which freezes it for the difference report and the minutes (hub.assets.inventory.documents).

Fixed readers' reads are taken in when the session is looked at (the page refreshes every second or two): the
reads received since the session's mark, by the devices mapped to its rooms, from its start. Taking them in is
idempotent (a tag keeps its first and last time and its latest room), so two viewers at once do no harm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access
from hub.assets import repository as assets_repo
from hub.assets.inventory import repository
from hub.assets.inventory.fixed_reads import take_in_fixed_reads
from hub.assets.inventory.models import Inventory, OfficeProgress, Reconciliation, Scanned
from hub.assets.inventory.reconcile import reconcile
from hub.assets.inventory.settle import settle
from hub.assets.inventory.tags import identify_codes
from hub.assets.models import AssetConflict, AssetError, AssetInput, AssetNotFound, Location
from hub.assets.service import AssetsService
from hub.domain import bilingual

MAX_CODES = 2000  # one handheld batch
MAX_CODE_CHARS = 200  # one scanned code (hub.inputs.ShortText)


class InventoryNotFound(AssetNotFound):
    pass


class InventoryService:
    """Inventory sessions over the hub's pool; `assets` gives the EPC rule and registers unknown tags."""

    def __init__(self, pool: ConnectionPool, now: Callable[[], datetime], assets: AssetsService) -> None:
        self.pool = pool
        self.now = now
        self.assets = assets

    # sessions

    def start(
        self, principal: Principal, actor: Actor, location_code: str | None, title: str, year: int | None = None
    ) -> Inventory:
        """A session over a location (and everything in it) or, with no location, the whole administration."""
        title = " ".join(title.split())
        if not title or len(title) > 200:
            raise AssetError(bilingual("phiên kiểm kê cần tên (≤ 200 ký tự)", "the session needs a title (≤ 200)"))
        if year is not None and not 2000 <= year <= 2200:
            raise AssetError(bilingual("năm kiểm kê không hợp lệ", "the stocktake year is not valid"))
        with self.pool.connection() as conn, conn.transaction():
            location_id, unit_path = None, None
            if location_code:
                row = assets_repo.location_row(conn, location_code)
                if row is None:
                    raise AssetError(
                        bilingual(f"không có vị trí mã {location_code!r}", f"no location {location_code!r}")
                    )
                location_id, unit_path = row[0], row[3]
            self._check(principal, unit_path)
            inventory_id = repository.insert(conn, location_id, year, title, actor.username)
            audit.record(
                conn,
                actor,
                "asset_inventory.start",
                "asset_inventory",
                inventory_id,
                after={"location": location_code, "title": title, "year": year},
                unit_path=unit_path,
            )
            return self._inventory(conn, inventory_id)

    def listing(self, principal: Principal, status: str | None = None, limit: int = 100) -> list[Inventory]:
        gate.check(principal, access.VIEW)
        with self.pool.connection() as conn:
            return repository.listing(conn, gate.reach(principal, access.VIEW), status, limit)

    def live(self, principal: Principal, inventory_id: int) -> Reconciliation:
        """Take in the fixed readers' new reads (open session), then reconcile."""
        with self.pool.connection() as conn:
            inventory = self._inventory(conn, inventory_id)
            self._check(principal, inventory.unit_path, access.VIEW)
            if inventory.status == "open":
                with conn.transaction():
                    take_in_fixed_reads(conn, inventory_id, self.assets.policy)
            return self._reconcile(conn, inventory)

    def add_reads(
        self, principal: Principal, actor: Actor, inventory_id: int, room_code: str | None, codes: Sequence[str]
    ) -> tuple[int, int]:
        """A handheld's reads (EPC hex, EPC URI from a QR code, or asset numbers) in a room: (taken, unknown)."""
        if not codes or len(codes) > MAX_CODES:
            raise AssetError(bilingual(f"gửi từ 1 đến {MAX_CODES} mã", f"send 1 to {MAX_CODES} codes"))
        with self.pool.connection() as conn, conn.transaction():
            inventory = self._open(conn, principal, inventory_id)
            location_id = self._room(conn, inventory, room_code)
            at = self.now()
            found = identify_codes(conn, codes, self.assets.policy)
            source = f"handheld:{actor.username}"[:100]
            rows = {f.tag: (f.tag, f.asset_id, location_id, source, at, at) for f in found}
            repository.upsert_reads(conn, inventory_id, list(rows.values()))
            return len(rows), sum(1 for r in rows.values() if r[1] is None)

    def lookup(self, principal: Principal, code: str) -> Scanned:
        """What a scanned code names (an EPC's hex from a UHF reader, the EPC URI of a label's QR code, an asset
        number): the tag key and the asset, or no asset (an unknown tag). An asset of a unit the caller does not
        see is refused (assets.view over its unit), not shown as unknown."""
        (found,) = self.scan(principal, [code])
        if found.hidden:
            raise AccessDenied(
                bilingual(f"{code!r} là tài sản của đơn vị khác", f"{code!r} is an asset of another unit")
            )
        return found

    def scan(self, principal: Principal, codes: Sequence[str]) -> list[Scanned]:
        """`lookup` of a batch (a handheld's burst): an asset the caller may not see comes back `hidden`, bare."""
        gate.check(principal, access.VIEW)
        codes = [c.strip() for c in codes]
        if not codes or len(codes) > MAX_CODES or any(not c or len(c) > MAX_CODE_CHARS for c in codes):
            raise AssetError(
                bilingual(
                    f"gửi 1–{MAX_CODES} mã, mỗi mã 1–{MAX_CODE_CHARS} ký tự",
                    f"send 1–{MAX_CODES} codes of 1–{MAX_CODE_CHARS} characters each",
                )
            )
        with self.pool.connection() as conn:
            found = identify_codes(conn, codes, self.assets.policy)
            assets = assets_repo.assets_by_ids(conn, sorted({f.asset_id for f in found if f.asset_id is not None}))
        out = []
        for code, f in zip(codes, found, strict=True):
            asset = assets.get(f.asset_id) if f.asset_id is not None else None
            if asset is not None and not gate.allows_on(principal, access.VIEW, Target.unit(asset.unit_path)):
                out.append(Scanned(code, f.tag, None, hidden=True))
            else:
                out.append(Scanned(code, f.tag, asset))
        return out

    def rooms(self, principal: Principal, inventory_id: int) -> list[Location]:
        """The rooms a session counts (its location's rooms, or the location itself when it is a room)."""
        with self.pool.connection() as conn:
            inventory = self._inventory(conn, inventory_id)
            self._check(principal, inventory.unit_path, access.VIEW)
            raw = repository.raw(conn, inventory_id)
            inside = set(repository.subtree(conn, raw["location_id"])) if raw["location_id"] is not None else None
            found = assets_repo.locations(conn)
        return [loc for loc in found if loc.kind == "room" and (inside is None or loc.id in inside)]

    def resolve(
        self,
        principal: Principal,
        actor: Actor,
        inventory_id: int,
        outcome: str,
        *,
        asset_number: str | None = None,
        tag: str | None = None,
        note: str | None = None,
        register: AssetInput | None = None,
    ) -> None:
        """Settle one difference: `moved` puts the asset's location where it was found; `missing` records it not
        found (on its history); `registered` makes an unknown tag a new asset (`register`) in the room it was read."""
        note = " ".join((note or "").split())[:2000] or None
        with self.pool.connection() as conn, conn.transaction():
            inventory = self._open(conn, principal, inventory_id)
            result = self._reconcile(conn, inventory)
            lines = {(x.asset_number if x.state != "unknown" else x.tag): x for r in result.rooms for x in r.lines}
            key = tag if outcome == "registered" else asset_number
            line = lines.get(key or "")
            wanted = {"moved": "moved", "missing": "missing", "registered": "unknown"}.get(outcome)
            if wanted is None:
                raise AssetError(bilingual(f"cách xử lý {outcome!r} không hợp lệ", f"outcome {outcome!r} is not valid"))
            if line is None or line.state != wanted:
                raise AssetConflict(
                    bilingual(
                        f"{key!r} không phải chênh lệch loại này trong phiên",
                        f"{key!r} is not a difference of this kind in the session",
                    )
                )
            if line.resolution is not None:
                raise AssetConflict(bilingual(f"{key!r} đã được xử lý", f"{key!r} was resolved already"))
            asset_id = settle(conn, principal, actor, inventory, outcome, line, note, register, self.assets)
            repository.add_resolution(
                conn,
                inventory_id,
                asset_id,
                line.tag if outcome == "registered" else None,
                outcome,
                note,
                actor.username,
            )
            audit.record(
                conn,
                actor,
                "asset_inventory.resolve",
                "asset_inventory",
                inventory_id,
                after={
                    "outcome": outcome,
                    "asset": asset_number or (register and register.asset_number),
                    "tag": tag,
                    "note": note,
                },
                unit_path=inventory.unit_path,
            )

    def close(self, principal: Principal, actor: Actor, inventory_id: int) -> Inventory:
        """Take in the last reads and freeze the session with its counts (the minutes are drawn from it)."""
        with self.pool.connection() as conn, conn.transaction():
            inventory = self._open(conn, principal, inventory_id, lock=True)
            take_in_fixed_reads(conn, inventory_id, self.assets.policy)
            result = self._reconcile(conn, inventory)
            summary = {**result.totals, "unresolved": result.unresolved, "reads": result.reads}
            repository.close(conn, inventory_id, actor.username, self.now(), summary)
            audit.record(
                conn,
                actor,
                "asset_inventory.close",
                "asset_inventory",
                inventory_id,
                after=summary,
                unit_path=inventory.unit_path,
            )
            return self._inventory(conn, inventory_id)

    def paper(self, principal: Principal, inventory_id: int, which: str) -> bytes:
        """The difference report (`differences`) or the minutes (`minutes`, of a closed session) as PDF."""
        from hub.assets.inventory.documents import differences_pdf, minutes_pdf

        result = self.live(principal, inventory_id)
        if which == "minutes":
            if result.inventory.status != "closed":
                raise AssetConflict(
                    bilingual(
                        "biên bản lập khi kết thúc phiên kiểm kê", "the minutes are made when the session is closed"
                    )
                )
            return minutes_pdf(result, self.now())
        return differences_pdf(result, self.now())

    def stocktake(self, principal: Principal, year: int) -> list[OfficeProgress]:
        """The yearly stocktake's progress per office of the caller's units: assets, found, settled, sessions."""
        gate.check(principal, access.VIEW)
        scope = gate.reach(principal, access.VIEW)
        with self.pool.connection() as conn:
            offices = {loc.id: loc for loc in assets_repo.locations(conn) if loc.parent_id is None}
            paths = assets_repo.unit_paths(conn)
            rows = repository.stocktake(conn, year)
        out = []
        for office_id, n, found, resolved, open_, closed in rows:
            office = offices[office_id]
            path = paths.get(office.unit_code, "")
            if scope is not None and not any(path.startswith(p) for p in scope):
                continue
            out.append(OfficeProgress(office.code, office.name, n, found, resolved, open_, closed))
        return out

    def set_reader(self, principal: Principal, actor: Actor, device_id: str, antenna: int, room_code: str) -> None:
        """Map a fixed reader's antenna (0: all of them) to the room it reads."""
        with self.pool.connection() as conn, conn.transaction():
            row = assets_repo.location_row(conn, room_code)
            if row is None:
                raise AssetError(bilingual(f"không có vị trí mã {room_code!r}", f"no location {room_code!r}"))
            gate.check(principal, access.READERS, Target.unit(row[3]))
            repository.set_reader(conn, device_id, antenna, row[0])
            audit.record(
                conn,
                actor,
                "asset_reader.save",
                "asset_reader",
                f"{device_id}/{antenna}",
                after={"location": room_code},
                unit_path=row[3],
            )

    # inside

    def _reconcile(self, conn: psycopg.Connection, inventory: Inventory) -> Reconciliation:
        raw = repository.raw(conn, inventory.id)
        ids = repository.subtree(conn, raw["location_id"]) if raw["location_id"] is not None else None
        locations = {loc.id: loc for loc in assets_repo.locations(conn)}
        by_asset, by_tag = repository.resolutions(conn, inventory.id)
        return reconcile(
            inventory,
            locations,
            repository.expected(conn, ids),
            repository.session_reads(conn, inventory.id),
            by_asset,
            by_tag,
        )

    def _room(self, conn: psycopg.Connection, inventory: Inventory, room_code: str | None) -> int:
        raw = repository.raw(conn, inventory.id)
        code = room_code or inventory.location_code
        row = assets_repo.location_row(conn, code or "")
        if row is None:
            raise AssetError(bilingual("chọn phòng đang kiểm kê", "choose the room being counted"))
        if raw["location_id"] is not None and row[0] not in repository.subtree(conn, raw["location_id"]):
            raise AssetError(
                bilingual(
                    f"phòng {code} nằm ngoài phạm vi phiên kiểm kê", f"room {code} is outside the session's scope"
                )
            )
        return row[0]

    def _open(self, conn: psycopg.Connection, principal: Principal, inventory_id: int, lock: bool = False) -> Inventory:
        inventory = self._inventory(conn, inventory_id, lock=lock)
        self._check(principal, inventory.unit_path)
        if inventory.status != "open":
            raise AssetConflict(bilingual("phiên kiểm kê đã kết thúc", "the inventory session is closed"))
        return inventory

    def _check(self, principal: Principal, unit_path: str | None, action: Any = access.INVENTORY) -> None:
        if unit_path is None:  # the whole administration: only who reaches every unit
            gate.check(principal, action)
            if gate.reach(principal, action) is not None:
                raise AssetError(
                    bilingual(
                        "kiểm kê toàn ngành chỉ dành cho quản trị hệ thống",
                        "a whole-administration inventory is the system admin's",
                    )
                )
            return
        gate.check(principal, action, Target.unit(unit_path))

    @staticmethod
    def _inventory(conn: psycopg.Connection, inventory_id: int, lock: bool = False) -> Inventory:
        inventory = repository.by_id(conn, inventory_id, lock=lock)
        if inventory is None:
            raise InventoryNotFound(
                bilingual(f"không có phiên kiểm kê số {inventory_id}", f"no inventory session {inventory_id}")
            )
        return inventory

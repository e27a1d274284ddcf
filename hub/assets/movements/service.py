"""The rules of asset movements: what may move, who approves, what the asset becomes, and what a return restores.

- A check-out to an employee is done at once by an asset officer (the custodian changes); its return restores
  the custodian and status the asset had before.
- A transfer (to a room, to another unit, or both), a repair, a loan and a liquidation are requested and take
  effect when someone else approves them (never the requester: four eyes). A transfer to another unit needs the
  approver's right over both units. A liquidation names its decision document (số, ngày, người ký) and sets the
  asset liquidated on the decision's date.
- An asset has at most one open movement (a request waiting, or a check-out, repair or loan not returned).
- Every step writes the asset's history and an audit row, in one transaction with the change.
- An approved movement lets the asset leave through a door portal (`allowed_out`): a check-out, repair or loan
  while open, a transfer for 7 days and a liquidation for 30 days after approval unless `exit_until` says
  otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.assets import access
from hub.assets import repository as assets_repo
from hub.assets.checks import today
from hub.assets.models import Asset, AssetConflict, AssetError, AssetNotFound
from hub.assets.movements import repository
from hub.assets.movements.models import KIND_LABELS, NEEDS_APPROVAL, RETURNABLE, STATUS_DURING, Movement, MovementInput
from hub.assets.movements.targets import checked_text, movement_targets
from hub.domain import Refused, bilingual
from hub.notifications.models import DEFAULT_NOTIFY, Message, NotifyConfig
from hub.notifications.service import notify

MAX_REASON = 2000
EXIT_DAYS = {"transfer": 7, "liquidation": 30}


class MovementNotFound(AssetNotFound):
    pass


class MovementsService:
    """Movements over the hub's pool; the asset register (hub.assets.repository) is changed in the same
    transaction."""

    def __init__(
        self, pool: ConnectionPool, now: Callable[[], datetime], notify_config: NotifyConfig = DEFAULT_NOTIFY
    ) -> None:
        self.pool = pool
        self.now = now
        self.notify_config = notify_config  # how approvers are told of a request (hub.notifications), the hub's

    # reading

    def of_asset(self, principal: Principal, number: str) -> list[Movement]:
        with self.pool.connection() as conn:
            asset = self._asset(conn, principal, number, access.VIEW)
            return repository.of_asset(conn, asset.id)

    def listing(
        self, principal: Principal, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Movement]:
        """Movements of the caller's units' assets (and those coming into them), newest first."""
        gate.check(principal, access.VIEW)
        with self.pool.connection() as conn:
            return repository.listing(conn, gate.reach(principal, access.VIEW), status, limit, offset)

    def get(self, principal: Principal, movement_id: int) -> Movement:
        with self.pool.connection() as conn:
            movement = self._movement(conn, movement_id)
            self._check(principal, access.VIEW, movement.unit_path, None)
            return movement

    def allowed_out(self, conn: psycopg.Connection, asset_ids: Sequence[int], day: date) -> set[int]:
        """Internal (door portals): the assets an approved movement lets leave on `day`."""
        return repository.assets_allowed_out(conn, asset_ids, day)

    # changing

    def request(self, principal: Principal, actor: Actor, number: str, inp: MovementInput) -> Movement:
        """Record a movement: a check-out takes effect at once; the others wait for approval."""
        if inp.kind not in KIND_LABELS:
            known = ", ".join(f"{k} ({vi})" for k, (vi, _) in KIND_LABELS.items())
            raise AssetError(
                bilingual(
                    f"loại điều chuyển {inp.kind!r} không hợp lệ (có: {known})",
                    f"movement kind {inp.kind!r} is not valid",
                )
            )
        now = self.now()
        day = today(now)
        with self.pool.connection() as conn, conn.transaction():
            asset = self._asset(conn, principal, number, access.MOVE, lock=True)
            if asset.status == "liquidated":
                raise AssetConflict(bilingual(f"tài sản {number} đã thanh lý", f"asset {number} is liquidated"))
            values: dict[str, Any] = {
                "asset_id": asset.id,
                "kind": inp.kind,
                "requested_by": actor.username,
                "reason": checked_text(inp.reason, MAX_REASON, "lý do", "a reason", required=True),
                "status": "requested" if inp.kind in NEEDS_APPROVAL else "approved",
            }
            values.update(movement_targets(conn, asset, inp, day))
            for name, value in (("due_on", inp.due_on), ("exit_until", inp.exit_until)):
                if value is not None:
                    if not day <= value <= day + timedelta(days=3660):
                        raise AssetError(
                            bilingual(
                                "ngày phải từ hôm nay, trong 10 năm", "the date must be from today, within 10 years"
                            )
                        )
                    values[name] = value
            movement_id = repository.insert(conn, values)
            if movement_id is None:
                raise AssetConflict(
                    bilingual(
                        f"tài sản {number} đang có đề nghị chờ duyệt hoặc đang được cấp phát, sửa chữa, cho mượn",
                        f"asset {number} already has a request waiting or is checked out, under repair or lent",
                    )
                )
            shown = {k: v for k, v in values.items() if k not in ("asset_id", "requested_by", "status")}
            if inp.kind in NEEDS_APPROVAL:
                assets_repo.add_history(
                    conn,
                    asset.id,
                    actor.username,
                    "movement.request",
                    {"movement": [None, movement_id], **{k: [None, v] for k, v in shown.items()}},
                )
                audit.record(
                    conn,
                    actor,
                    "asset.movement_request",
                    "asset_movement",
                    movement_id,
                    after=shown,
                    unit_path=asset.unit_path,
                )
            else:
                self._take_effect(conn, actor, asset, movement_id, "movement.checkout", now)
                audit.record(
                    conn, actor, "asset.checkout", "asset_movement", movement_id, after=shown, unit_path=asset.unit_path
                )
            found = repository.by_id(conn, movement_id)
            assert found is not None
            if inp.kind in NEEDS_APPROVAL:
                self._tell_approvers(conn, found)
            return found

    def _tell_approvers(self, conn: psycopg.Connection, movement: Movement) -> None:
        """Those who may approve the request (never its requester) get it in their inbox (and mail), in the
        request's transaction: a request that is not stored tells nobody."""
        who = repository.approvers(conn, movement.unit_path, movement.to_unit_path, movement.requested_by)
        if not who:
            return
        vi, en = KIND_LABELS[movement.kind]
        notify(conn, who, "assets.movement_request", Message.text(
            f"Đề nghị {vi.lower()} tài sản {movement.asset_number} chờ duyệt",
            f"{en} of asset {movement.asset_number} waiting for approval",
            f"{movement.asset_name} — {movement.requested_by}: {movement.reason or ''}",
            f"{movement.asset_name} — {movement.requested_by}: {movement.reason or ''}",
        ), f"/assets?asset={quote(movement.asset_number)}", config=self.notify_config)  # fmt: skip

    def _tell_requester(self, conn: psycopg.Connection, movement: Movement, approved: bool, note: str | None) -> None:
        """The requester hears the decision (approved or rejected, with the note) in the deciding transaction."""
        who = repository.requester(conn, movement.requested_by)
        if not who:
            return
        vi, en = KIND_LABELS[movement.kind]
        verdict_vi, verdict_en = ("được duyệt", "approved") if approved else ("bị từ chối", "rejected")
        notify(conn, who, "assets.movement_decision", Message.text(
            f"Đề nghị {vi.lower()} tài sản {movement.asset_number} {verdict_vi}",
            f"{en} of asset {movement.asset_number} {verdict_en}",
            f"{movement.asset_name} — {movement.decided_by or ''}: {note or ''}",
            f"{movement.asset_name} — {movement.decided_by or ''}: {note or ''}",
        ), f"/assets?asset={quote(movement.asset_number)}", config=self.notify_config)  # fmt: skip

    def approve(self, principal: Principal, actor: Actor, movement_id: int, note: str | None = None) -> Movement:
        """Approve a waiting request (not one's own): the movement takes effect now."""
        now = self.now()
        with self.pool.connection() as conn, conn.transaction():
            movement = self._waiting(conn, principal, actor, movement_id)
            asset = self._asset_row(conn, movement.asset_number, lock=True)
            if movement.kind == "liquidation" and movement.decision_date is not None:
                if movement.decision_date < asset.acquired_on:
                    raise AssetError(
                        bilingual(
                            "ngày quyết định thanh lý trước ngày đưa vào sử dụng",
                            "the liquidation decision predates the acquisition",
                        )
                    )
            decided: dict[str, Any] = {
                "status": "approved",
                "decided_by": actor.username,
                "decided_at": now,
                "decision_note": checked_text(note, MAX_REASON, "ghi chú", "the note"),
            }
            if movement.exit_until is None and movement.kind in EXIT_DAYS:
                decided["exit_until"] = today(now) + timedelta(days=EXIT_DAYS[movement.kind])
            repository.decide(conn, movement_id, decided)
            self._take_effect(conn, actor, asset, movement_id, "movement.approve", now)
            audit.record(
                conn,
                actor,
                "asset.movement_approve",
                "asset_movement",
                movement_id,
                before={"status": "requested"},
                after={"status": "approved", "kind": movement.kind},
                unit_path=movement.unit_path,
                other_unit_path=movement.to_unit_path,
            )
            decided_movement = self._movement(conn, movement_id)
            self._tell_requester(conn, decided_movement, True, decided["decision_note"])
            return decided_movement

    def reject(self, principal: Principal, actor: Actor, movement_id: int, note: str | None = None) -> Movement:
        return self._close_request(principal, actor, movement_id, "rejected", note)

    def cancel(self, principal: Principal, actor: Actor, movement_id: int, note: str | None = None) -> Movement:
        return self._close_request(principal, actor, movement_id, "cancelled", note)

    def return_(
        self,
        principal: Principal,
        actor: Actor,
        movement_id: int,
        location_code: str | None = None,
        note: str | None = None,
    ) -> Movement:
        """The asset of an open check-out, repair or loan is back: its custodian and status as before."""
        now = self.now()
        with self.pool.connection() as conn, conn.transaction():
            movement = repository.by_id(conn, movement_id, lock=True)
            if movement is None:
                raise MovementNotFound(
                    bilingual(f"không có điều chuyển số {movement_id}", f"no movement {movement_id}")
                )
            self._check(principal, access.MOVE, movement.unit_path, None)
            if movement.status != "approved" or movement.kind not in RETURNABLE:
                raise AssetConflict(
                    bilingual(
                        "chỉ trả lại được tài sản đang cấp phát, sửa chữa hoặc cho mượn",
                        "only a check-out, repair or loan in effect can be returned",
                    )
                )
            raw = repository.raw(conn, movement_id)
            asset = self._asset_row(conn, movement.asset_number, lock=True)
            current = assets_repo.raw_ids(conn, asset.id)
            values: dict[str, Any] = {"status": raw["from_status"] or "in_use"}
            if movement.kind == "checkout":
                values["custodian_id"] = raw["from_employee_id"]
            if location_code:
                location = assets_repo.location_row(conn, location_code)
                if location is None:
                    raise AssetError(
                        bilingual(f"không có vị trí mã {location_code!r}", f"no location {location_code!r}")
                    )
                values["location_id"] = location[0]
            values = {k: v for k, v in values.items() if current.get(k) != v}
            if values:
                assets_repo.update_asset(conn, asset.id, values)
            repository.decide(
                conn, movement_id, {"status": "returned", "returned_by": actor.username, "returned_at": now}
            )
            changes = {"movement": [movement_id, None], **{k: [current.get(k), v] for k, v in values.items()}}
            if note:
                changes["note"] = [None, checked_text(note, MAX_REASON, "ghi chú", "the note")]
            assets_repo.add_history(conn, asset.id, actor.username, "movement.return", changes)
            audit.record(
                conn,
                actor,
                "asset.return",
                "asset_movement",
                movement_id,
                before={k: current.get(k) for k in values},
                after=values,
                unit_path=movement.unit_path,
            )
            return self._movement(conn, movement_id)

    # inside

    def _close_request(
        self, principal: Principal, actor: Actor, movement_id: int, status: str, note: str | None
    ) -> Movement:
        """Reject (an approver, not the requester) or cancel (the requester or an asset officer) a request."""
        with self.pool.connection() as conn, conn.transaction():
            if status == "rejected":
                movement = self._waiting(conn, principal, actor, movement_id)
            else:
                movement = self._movement(conn, movement_id, lock=True)
                self._check(principal, access.MOVE, movement.unit_path, None)
                if movement.status != "requested":
                    raise AssetConflict(bilingual("đề nghị không còn chờ duyệt", "the request is no longer waiting"))
            text = checked_text(note, MAX_REASON, "ghi chú", "the note")
            repository.decide(
                conn,
                movement_id,
                {"status": status, "decided_by": actor.username, "decided_at": self.now(), "decision_note": text},
            )
            asset = self._asset_row(conn, movement.asset_number)
            action = "movement.reject" if status == "rejected" else "movement.cancel"
            assets_repo.add_history(
                conn, asset.id, actor.username, action, {"movement": [movement_id, None], "note": [None, text]}
            )
            audit.record(
                conn,
                actor,
                "asset.movement_reject" if status == "rejected" else "asset.movement_cancel",
                "asset_movement",
                movement_id,
                before={"status": "requested"},
                after={"status": status, "note": text},
                unit_path=movement.unit_path,
            )
            closed = self._movement(conn, movement_id)
            if status == "rejected":
                self._tell_requester(conn, closed, False, text)
            return closed

    def _waiting(self, conn: psycopg.Connection, principal: Principal, actor: Actor, movement_id: int) -> Movement:
        movement = self._movement(conn, movement_id, lock=True)
        self._check(principal, access.APPROVE_MOVE, movement.unit_path, movement.to_unit_path)
        if movement.status != "requested":
            raise AssetConflict(bilingual("đề nghị không còn chờ duyệt", "the request is no longer waiting"))
        if movement.requested_by == actor.username:
            raise Refused(bilingual("không thể tự duyệt đề nghị của chính mình", "you cannot decide your own request"))
        return movement

    def _take_effect(
        self, conn: psycopg.Connection, actor: Actor, asset: Asset, movement_id: int, action: str, now: datetime
    ) -> None:
        """Apply an approved movement to the asset, keeping what it was (for a return) and its history."""
        raw = repository.raw(conn, movement_id)
        current = assets_repo.raw_ids(conn, asset.id)
        values: dict[str, Any] = {}
        kind = raw["kind"]
        if kind in STATUS_DURING:
            values["status"] = STATUS_DURING[kind]
        if kind == "checkout":
            values["custodian_id"] = raw["to_employee_id"]
        if kind == "transfer":
            if raw["to_location_id"] is not None:
                values["location_id"] = raw["to_location_id"]
            if raw["to_unit_id"] is not None:
                values["unit_id"] = raw["to_unit_id"]
        if kind == "liquidation":
            values["liquidated_on"] = raw["decision_date"]
        values = {k: v for k, v in values.items() if current.get(k) != v}
        repository.decide(
            conn,
            movement_id,
            {
                "from_status": current["status"],
                "from_employee_id": current["custodian_id"],
                "from_location_id": current["location_id"],
                "from_unit_id": current["unit_id"],
            },
        )
        if values:
            assets_repo.update_asset(conn, asset.id, values)
        changes = {"movement": [None, movement_id], **{k: [current.get(k), v] for k, v in values.items()}}
        assets_repo.add_history(conn, asset.id, actor.username, action, changes)

    def _check(self, principal: Principal, action: Any, unit_path: str, other_path: str | None) -> None:
        gate.check(principal, action, Target.unit(unit_path))
        if other_path:
            gate.check(principal, action, Target.unit(other_path))

    def _asset(
        self, conn: psycopg.Connection, principal: Principal, number: str, action: Any, lock: bool = False
    ) -> Asset:
        asset = self._asset_row(conn, number, lock=lock)
        gate.check(principal, action, Target.unit(asset.unit_path))
        return asset

    @staticmethod
    def _asset_row(conn: psycopg.Connection, number: str, lock: bool = False) -> Asset:
        asset = assets_repo.asset_by_number(conn, number, lock=lock)
        if asset is None:
            raise AssetNotFound(bilingual(f"không có tài sản mã {number!r}", f"no asset numbered {number!r}"))
        return asset

    @staticmethod
    def _movement(conn: psycopg.Connection, movement_id: int, lock: bool = False) -> Movement:
        movement = repository.by_id(conn, movement_id, lock=lock)
        if movement is None:
            raise MovementNotFound(bilingual(f"không có điều chuyển số {movement_id}", f"no movement {movement_id}"))
        return movement

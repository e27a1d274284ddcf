"""The leadership screen's service (issue 18 item 5): the figures of today for the units in the caller's scope,
split by sub-unit, and the records behind each figure.

Scope (the rule book, hub.leadership.access): a manager sees the subtrees their grants reach, a system admin every
unit. Without a unit, the overview shows the roots of that scope side by side — or, when there is one root, that
root split by its sub-units; with a unit, that unit split by its direct sub-units (each over its whole subtree)
plus a line for the unit's own staff and records. A unit outside the scope is refused (AccessDenied, 403), on the
overview and on the records alike. Each tile is one set-based query over the scope (hub.leadership.repository),
read in one read-only snapshot so that the tiles agree with each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts.principal import Principal
from hub.documents.handling.models import STATUS_LABELS as HANDLING_LABELS
from hub.documents.handling.models import status_of
from hub.leadership import access
from hub.leadership import repository as repo
from hub.leadership.models import (
    FIGURES,
    Item,
    Overview,
    Records,
    Row,
    Tile,
    UnitRef,
    UnknownLeadershipUnit,
    UnknownTile,
    both,
)
from hub.localtime import LOCAL_TZ
from hub.meetings.models import MEETING_STATUS_LABELS
from hub.people.models import OrgUnit

MAX_ITEMS = 500  # records listed behind a figure (the list says when there are more)
_SECRET = ("(văn bản mật)", "(classified document)")
_ASSET_KINDS = {
    "portal": ("asset_portal", "Mang ra qua cổng không có phiếu duyệt", "Left through a portal without approval",
               "/asset-alerts"),
    "waiting": ("asset_waiting", "Chờ duyệt điều chuyển", "Movement waiting for approval", "/asset-movements"),
    "not_returned": ("asset_not_returned", "Quá hạn trả", "Not returned by its day", "/asset-movements"),
}  # fmt: skip
_REPORT_STATES = {"draft": ("Đang lập", "Draft"), "returned": ("Bị trả lại", "Returned")}


def _ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(unit.code, unit.name, unit.path)


def day_window(day: date) -> tuple[datetime, datetime]:
    """The local day as [start, end) moments."""
    start = datetime.combine(day, time(0), LOCAL_TZ)
    return start, start + timedelta(days=1)


class LeadershipService:
    def __init__(self, pool: ConnectionPool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    # --- scope ---------------------------------------------------------------------------------------------------

    def _scope(
        self,
        conn,
        principal: Principal,
        unit_code: str | None,  # noqa: ANN001
    ) -> tuple[OrgUnit | None, list[OrgUnit], list[OrgUnit]]:
        """(the focused unit or None, the lines' units, every open unit) for the caller; refuses a unit outside."""
        gate.check(principal, access.VIEW)
        every = repo.units(conn)
        if unit_code:
            unit = repo.unit(conn, unit_code)
            if unit is None:
                raise UnknownLeadershipUnit(unit_code)
            gate.check(principal, access.VIEW, Target.unit(unit.path))
            return unit, [u for u in every if u.parent_id == unit.id], every
        reach = gate.reach(principal, access.VIEW)
        if reach is None:
            open_ids = {u.id for u in every}
            roots = [u for u in every if u.parent_id is None or u.parent_id not in open_ids]
        else:
            by_path = {u.path: u for u in every}
            roots = [by_path[p] for p in reach if p in by_path]
        if len(roots) == 1:
            return roots[0], [u for u in every if u.parent_id == roots[0].id], every
        return None, roots, every

    # --- the overview --------------------------------------------------------------------------------------------

    def overview(self, principal: Principal, unit_code: str | None = None) -> Overview:
        """Today's figures for `unit_code`'s subtree split by its sub-units (no unit: the caller's scope)."""
        now = self.clock()
        day = now.astimezone(LOCAL_TZ).date()
        start, end = day_window(day)
        with self.pool.connection() as conn:
            with conn.transaction():
                repo.snapshot(conn)
                focus, line_units, every = self._scope(conn, principal, unit_code)
                if focus is not None:
                    under: list[str] | None = [focus.path]
                elif gate.reach(principal, access.VIEW) is None:
                    under = None
                else:
                    under = [u.path for u in line_units]
                found = repo.counts(conn, under, day, start, end)
        zero = dict.fromkeys(FIGURES, 0)
        lines: dict[str, tuple[OrgUnit, bool, dict[str, int]]] = {}
        if focus is not None:
            lines[focus.path] = (focus, True, dict(zero))
        for u in line_units:
            lines[u.path] = (u, False, dict(zero))
        for path, figures in found:
            key = _line_of(path, focus, lines)
            if key is None:
                continue
            target = lines[key][2]
            for name, value in figures.items():
                target[name] += value
        totals = dict(zero)
        for _, _, figures in lines.values():
            for name, value in figures.items():
                totals[name] += value
        parent = None
        if focus is not None and focus.parent_id is not None:
            above = next((u for u in every if u.id == focus.parent_id), None)
            if above is not None and gate.allows_on(principal, access.VIEW, Target.unit(above.path)):
                parent = _ref(above)
        ordered = sorted(lines.values(), key=lambda x: (not x[1], x[0].code))
        return Overview(
            focus=_ref(focus) if focus else None,
            parent=parent,
            day=day,
            as_of=now,
            rows=tuple(Row(_ref(u), direct, figs) for u, direct, figs in ordered),
            totals=totals,
        )

    # --- the records behind a figure -----------------------------------------------------------------------------

    def records(self, principal: Principal, tile: str, unit_code: str | None = None) -> Records:
        """The records behind a tile's figures for `unit_code`'s subtree (no unit: the caller's one root)."""
        try:
            chosen = Tile(tile)
        except ValueError:
            raise UnknownTile(tile) from None
        now = self.clock()
        day = now.astimezone(LOCAL_TZ).date()
        start, end = day_window(day)
        with self.pool.connection() as conn:
            focus, _, _ = self._scope(conn, principal, unit_code)
            if focus is None:
                raise UnknownLeadershipUnit(unit_code or "")
            items = _ITEMS[chosen](conn, focus.path, day, start, end)
        return Records(_ref(focus), chosen, day, tuple(items[:MAX_ITEMS]), len(items) > MAX_ITEMS)


def _line_of(path: str, focus: OrgUnit | None, lines: dict) -> str | None:
    """The line a unit's figures count in: the focused unit's own line or the sub-unit it lies under."""
    if focus is not None:
        if not path.startswith(focus.path):
            return None
        rest = path[len(focus.path) :]
        if not rest:
            return focus.path
        key = focus.path + rest.split("/", 1)[0] + "/"
        return key if key in lines else focus.path  # under a closed sub-unit: counted as the unit's own
    return next((p for p in lines if path.startswith(p)), None)


# --- the records of each tile (Item: the derived status in words, the page that keeps the record) ----------------


def _documents(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    out = []
    for r in repo.documents(conn, path, day, MAX_ITEMS + 1):
        status = status_of(r["deadline"], None, day)
        vi, en = HANDLING_LABELS[status]
        subject = both(*_SECRET) if r["secrecy"] else r["subject"]
        symbol = f"{r['code_number']}/{r['code_notation']}" if r["code_notation"] else r["code_number"]
        out.append(Item(
            Tile.DOCUMENTS, "docs_overdue" if status.value == "overdue" else "docs_open",
            f"{r['number']} — {symbol}: {subject}", r["unit_code"], r["unit_name"], r["deadline"], vi, en,
            f"/documents/entry?id={r['document_id']}",
            {"lead": r["lead"], "person": r["person"]},
        ))  # fmt: skip
    return out


def _meetings(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    out = []
    for r in repo.meetings(conn, path, start, end):
        vi, en = MEETING_STATUS_LABELS.get(r["status"], (r["status"], r["status"]))
        out.append(Item(
            Tile.MEETINGS, "meetings_today", r["title"], r["unit_code"], r["unit_name"], r["starts_at"], vi, en, None,
            {"ends_at": r["ends_at"], "room": r["room"]},
        ))  # fmt: skip
    return out


def _presence(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    staff, away = repo.presence(conn, path, day, start, end, MAX_ITEMS + 1)
    leave = {}
    for r in away:
        leave.setdefault(r["employee_code"], r)
    out = []
    month = f"{day.year:04d}-{day.month:02d}"
    for r in staff:
        link = f"/attendance/person/{r['employee_code']}/{month}"
        title = f"{r['full_name']} ({r['employee_code']})"
        if r["first_seen"] is not None:
            seen = r["first_seen"].astimezone(LOCAL_TZ).strftime("%H:%M")
            item = Item(Tile.PRESENCE, "present", title, r["unit_code"], r["unit_name"], r["first_seen"],
                        f"Có mặt từ {seen}", f"Present since {seen}", link)  # fmt: skip
        elif r["employee_code"] in leave:
            lv = leave[r["employee_code"]]
            item = Item(Tile.PRESENCE, "away", title, r["unit_code"], r["unit_name"], lv["last_day"],
                        f"{lv['type_vi']} đến {lv['last_day']:%d/%m/%Y}", f"{lv['type_en']} until {lv['last_day']}",
                        link)  # fmt: skip
        else:
            item = Item(Tile.PRESENCE, "staff", title, r["unit_code"], r["unit_name"], None,
                        "Chưa ghi nhận", "Not seen yet", link)  # fmt: skip
        out.append(item)
    return out


def _assets(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    out = []
    for r in repo.assets(conn, path, day, MAX_ITEMS + 1):
        figure, vi, en, link = _ASSET_KINDS[r["kind"]]
        out.append(Item(
            Tile.ASSETS, figure, f"{r['asset_number']} — {r['name']}", r["unit_code"], r["unit_name"], r["since"],
            vi, en, link, {"asset_id": r["asset_id"], "ref": r["ref"]},
        ))  # fmt: skip
    return out


def _reports(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    out = []
    for r in repo.reports(conn, path, MAX_ITEMS + 1):
        late = r["deadline"] < day
        state_vi, state_en = _REPORT_STATES.get(r["status"], (r["status"], r["status"]))
        vi = f"{state_vi}, {'quá hạn' if late else 'trong hạn'}"
        en = f"{state_en}, {'late' if late else 'not yet due'}"
        out.append(Item(
            Tile.REPORTS, "reports_late" if late else "reports_open", f"{r['regime_code']} · {r['period_key']}",
            r["unit_code"], r["unit_name"], r["deadline"], vi, en, f"/reporting?report={r['id']}",
        ))  # fmt: skip
    return out


def _tasks(conn, path: str, day: date, start: datetime, end: datetime) -> list[Item]:  # noqa: ANN001
    out = []
    for r in repo.tasks(conn, path, MAX_ITEMS + 1):
        late = r["deadline"] < day
        vi, en = ("Đang thực hiện quá hạn", "Open, past the deadline") if late else (
            "Đang thực hiện trong hạn", "Open, within the deadline")  # fmt: skip
        out.append(Item(
            Tile.TASKS, "tasks_overdue" if late else "tasks_open", r["title"], r["unit_code"], r["unit_name"],
            r["deadline"], vi, en, None, {"owner": r["owner"], "meeting": r["meeting"], "meeting_id": r["meeting_id"]},
        ))  # fmt: skip
    return out


_ITEMS = {
    Tile.DOCUMENTS: _documents,
    Tile.MEETINGS: _meetings,
    Tile.PRESENCE: _presence,
    Tile.ASSETS: _assets,
    Tile.REPORTS: _reports,
    Tile.TASKS: _tasks,
}

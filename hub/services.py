"""What the API and the UI may ask of the hub: one object over the pool and running parts.

The UI never writes SQL; it calls these methods, which call each domain's repository.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from hub.access import Action, Target, gate
from hub.accounts import access as accounts_access
from hub.accounts import audit
from hub.accounts import repository as accounts_repo
from hub.accounts import service as accounts
from hub.accounts import sessions as accounts_sessions
from hub.accounts.audit import Actor
from hub.accounts.bootstrap import Bootstrapped, ensure_first_admin
from hub.accounts.models import AccountsPolicy, AuditEntry, AuditQuery, SignedIn, User
from hub.accounts.principal import Principal, Role
from hub.assets.inventory.service import InventoryService  # inventory sessions (issue 16 item 5)
from hub.assets.movements.service import MovementsService  # asset movements (issue 16 item 7)
from hub.assets.portals.service import PortalService  # door portals (issue 16 item 6)
from hub.assets.service import AssetsService  # assets (issue 16)
from hub.assets.wear import FirstYear
from hub.backup.service import BackupsService  # backups (issue 19)
from hub.biometrics.service import EnrollmentService
from hub.commands import service as commands_service
from hub.commands.repository import CommandRecord
from hub.devices.service import DevicesService
from hub.displays.models import RetainedPublisher
from hub.displays.service import DisplaysService
from hub.displays.source import meetings_schedule
from hub.documents.outgoing.service import OutgoingService
from hub.documents.service import DocumentsService
from hub.domain import Unavailable
from hub.galleries.service import OfficesService
from hub.ingest import repository as ingest_repo
from hub.ingest.consumer import IngestService
from hub.jobs.service import JobsService
from hub.kiosk.service import KioskService
from hub.leadership.service import LeadershipService
from hub.leave.notify import leave_notifier
from hub.leave.service import LeaveService
from hub.live import repository as live_repo
from hub.live.feed import LiveFeed, Subscription
from hub.live.models import CheckIn
from hub.meetings.service import MeetingsService
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig
from hub.notifications.service import NotificationsService
from hub.org.service import OrgService
from hub.people import importing
from hub.people import repository as people_repo
from hub.people import service as people
from hub.people.models import Employee, OrgUnit, OrgUnitNode
from hub.people.sheet_process import read_upload
from hub.people.sheets import ImportLimits, SourceRow
from hub.reporting.service import ReportingService
from hub.reports.service import ReportsService
from hub.search.service import SearchService
from hub.settings import AccountsSettings, ImportSettings
from hub.snapshots.models import OpenedSnapshot
from hub.snapshots.service import SnapshotService, SnapshotsUnavailable
from hub.snapshots.store import SnapshotKind
from hub.timekeeping.days import DayResultsCache
from hub.timekeeping.service import TimekeepingService

if TYPE_CHECKING:
    from hub.backup.service import BackupConfig
    from hub.galleries.runtime import BiometricsRuntime
    from hub.notifications.actions import ActionSigner
    from protocol.epc import AssetEpcPolicy

VERSION_UNKNOWN = "0.0.0"


def cces_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return VERSION_UNKNOWN


@dataclass
class HealthReport:
    database: str
    mqtt: str
    version: str
    ingest: str = "n/a"  # "ok", "n/a" on an API-only node, or "down: …" / "stuck: …"
    ingest_detail: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.mqtt in ("ok", "n/a") and self.ingest in ("ok", "n/a")

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "degraded",
            "database": self.database,
            "mqtt": self.mqtt,
            "ingest": self.ingest,
            "ingest_detail": self.ingest_detail,
            "version": self.version,
        }


def utc_now() -> datetime:
    """The wall clock, aware (the default clock of the services and the runtime)."""
    return datetime.now(UTC)


class BiometricsUnavailable(Unavailable):
    """This hub process runs no biometrics (an ingest worker, a tool): 503, and still a RuntimeError."""


class HubServices:
    def __init__(
        self,
        pool: ConnectionPool,
        ingest: IngestService | None,
        commands: commands_service.CommandPublisher | None = None,
        live: LiveFeed | None = None,
        clock: Callable[[], datetime] | None = None,
        *,
        accounts_policy: AccountsPolicy | None = None,
        import_limits: ImportLimits | None = None,
        snapshots: SnapshotService | None = None,
        biometrics: BiometricsRuntime | None = None,
        notify_signer: ActionSigner | None = None,
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
        backup_config: BackupConfig | None = None,
        asset_policy: AssetEpcPolicy | None = None,
        first_year: FirstYear | None = None,
        display_publisher: RetainedPublisher | None = None,
    ) -> None:
        """Built once with every part, by hub.runtime from the settings; what a test or tool leaves out gets the
        settings' defaults (sessions, import limits, first-year wear) or stays off (snapshots, biometrics,
        action links, the EPC rule)."""
        self.pool = pool
        self.clock = clock or utc_now  # what "now" is for reports, days and exports (a bench sets other hours)
        self.ingest = ingest
        self.live = live  # the live feed (None in tests and tools that start none)
        self.accounts_policy = accounts_policy or AccountsPolicy.from_settings(AccountsSettings())
        self.commands = commands  # the MQTT channel commands go out on (None: this node cannot send any)
        self.day_results = DayResultsCache()  # closed days of recent months, reused while their inputs hold
        # what one employee file may hold ([imports])
        self.import_limits = import_limits or ImportLimits.from_settings(ImportSettings())
        self.snapshots = snapshots  # the sealed snapshot store of this process (its data dir, biometrics key)
        self.biometrics_runtime = biometrics  # enrollment photos, office galleries, device configs (api/all roles)
        # timesheets, a person's month, a unit's day, corrections, the calendar (each checks its action)
        self.timekeeping = TimekeepingService(pool, self.now, self.day_results)
        # reports and their exports, the leaders' dashboard (each checks reports.view_unit / view_devices)
        self.reports = ReportsService(pool, self.now, self.day_results)
        # face photos, consent, erasure (each checks biometrics.enroll / erase on the person's unit)
        self.biometrics = EnrollmentService(pool, lambda: self._bio().biometrics)
        self._file_reader = threading.Lock()  # one employee file read at a time: its memory limit is the hub's
        # the device registry, commands, desired configs (each checks devices.view/change/command on the office)
        self.devices = DevicesService(pool, self.now, lambda: self.commands, lambda: self._bio().device_config)
        # the offices (trụ sở) and their units (each checks offices.view / offices.assign_units)
        self.offices = OfficesService(pool, lambda: self.biometrics_runtime and self.biometrics_runtime.galleries)
        self.kiosk = KioskService(pool, self.now)  # door and room screens: links (each checks kiosk.manage_links)
        self.jobs = JobsService(pool, self.now)  # the job queue's jobs and schedules (hub.jobs; system admin)
        # backups: runs, status, alert (hub.backup, issue 19)
        self.backups = BackupsService(pool, self.now, backup_config, notify_config)
        # leave requests, balances, approvals (hub.leave, issue 14); told through hub.notifications
        self.leave = LeaveService(pool, self.now, partial(leave_notifier, config=notify_config))
        # notifications (hub.notifications): inbox, preferences, outbox, action links (signed by notify_signer)
        self.notifications = NotificationsService(pool, notify_signer, self.now, notify_config)
        self.org = OrgService(pool, self.now)  # org: the organisation, its history (hub.org; issue 13 item 5)
        # documents: registers and numbers (hub.documents, issue 15)
        self.documents = DocumentsService(pool, self.now, notify_config=notify_config)
        # outgoing drafts, their approval chain, release with a PAdES signature, revocation (issue 15 item 3);
        # the agency's signer is attached from the [documents] settings (hub.documents.jobs.domain_jobs)
        self.outgoing = OutgoingService(self.documents)
        self.search = SearchService(pool)  # search over every module's entries (hub.search, issue 15 item 5)
        # assets: the register, wear (hub.assets; issue 16); runtime sets the EPC rule
        self.assets = AssetsService(pool, self.now, asset_policy, first_year or FirstYear.FULL)
        # summary reporting under Decree 09/2019: regimes, reports, reminders (hub.reporting; issue 18)
        self.reporting = ReportingService(pool, self.now, notify_config)
        # the leadership screen: today's figures of a unit's subtree, drilling down (hub.leadership; issue 18)
        self.leadership = LeadershipService(pool, self.now)
        self.asset_movements = MovementsService(
            pool, self.now, notify_config
        )  # check-out, transfer, repair, loan, liquidation
        self.asset_inventory = InventoryService(pool, self.now, self.assets)  # kiểm kê: sessions, reads, minutes
        # door portals: alerts (runtime watches)
        self.asset_portals = PortalService(pool, self.now, self.assets, notify_config, self._hub_command)
        # paperless meetings: rooms, bookings, what a room shows (hub.meetings, issue 17)
        self.meetings = MeetingsService(pool, self.now, notify_config)
        # room displays: each room's state from the meetings service, published retained on every change it
        # announces and at each start and end (hub.displays; issue 17 item 5); the runtime starts the publisher
        # thread where it gave it a broker connection
        self.displays = DisplaysService(
            self.now, schedule=meetings_schedule(self.meetings), rooms=self.meetings.display_room_ids,
            publisher=display_publisher,
        )  # fmt: skip
        self.meetings.on_room_change(self.displays.notify_room_changed)

    def now(self) -> datetime:
        """The current moment by the services' clock (aware): "today", open days, report stamps."""
        return self.clock()

    def health(self) -> HealthReport:
        try:
            with self.pool.connection(timeout=2.0) as conn:
                conn.execute("SELECT 1")
            database = "ok"
        except Exception as exc:  # any failure means down; the reason is reported, not raised
            database = f"down: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        if self.ingest is None:
            return HealthReport(database=database, mqtt="n/a", version=cces_version())  # an API-only node
        state = self.ingest.health()
        return HealthReport(
            database=database,
            mqtt="ok" if state.connected else "down: not connected to the broker",
            version=cces_version(),
            ingest=state.problem or "ok",
            ingest_detail={
                "writer_alive": state.writer.alive,
                "writer_restarts": state.writer.restarts,
                "writer_last_error": state.writer.last_error,
                "backlog": state.backlog,
                "last_commit_age_s": round(state.last_commit_age_s, 1),
            },
        )

    def ingest_stats(self) -> dict[str, int]:
        with self.pool.connection() as conn:
            return ingest_repo.ingest_stats(conn)

    def recent_rejects(
        self, limit: int, max_bytes: int, before_id: int | None = None, offset: int = 0
    ) -> list[ingest_repo.RejectRow]:
        with self.pool.connection() as conn:
            return ingest_repo.recent_rejects(conn, limit, max_bytes, before_id, offset)

    def _hub_command(self, device_id: str, name: str, args: dict[str, Any], ttl_s: int) -> CommandRecord:
        """Internal: a command the hub itself sends (a door portal's alert to the door's display), audited in
        `device_commands` under the actor "hub"; raises CommandsUnavailable, UnknownDevice, InvalidCommand."""
        return commands_service.send_command(self.pool, self.commands, device_id, name, args, ttl_s, "hub")

    # --- people and organisation (đơn vị, nhân viên) ---------------------------------------

    def org_tree(self, root_code: str | None = None) -> list[OrgUnitNode]:
        with self.pool.connection() as conn:
            return people.unit_tree(conn, root_code)

    def unit(self, unit_code: str) -> OrgUnit:
        """One unit by code, with the path role checks compare against; raises UnknownUnit."""
        with self.pool.connection() as conn:
            return people.require_unit(conn, unit_code)

    def employee(self, employee_code: str) -> Employee:
        """One employee by code (a page checks their unit before showing them); raises UnknownEmployee."""
        with self.pool.connection() as conn:
            return people.require_employee(conn, employee_code)

    def find_employees(
        self,
        *,
        query: str = "",
        unit_code: str | None = None,
        active_on: date | None = None,
        position: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[Employee]]:
        with self.pool.connection() as conn:
            return people.find_employees(
                conn,
                query=query,
                unit_code=unit_code,
                active_on=active_on,
                position=position,
                limit=limit,
                offset=offset,
            )

    def employee_positions(self, unit_code: str | None = None) -> list[str]:
        """The positions (chức vụ) held in a unit's subtree, for the people filter (read-only)."""
        with self.pool.connection() as conn:
            return people.positions(conn, unit_code)

    def read_employee_upload(self, filename: str, data: bytes) -> tuple[list[SourceRow], list[str]]:
        """The rows of an uploaded CSV/XLSX file within `import_limits` (ImportFileError otherwise).

        One file is read at a time: an XLSX reader may take `import_reader_memory_mb`, and 40 uploads
        at once must not take 40 times that."""
        with self._file_reader:
            return read_upload(filename, data, self.import_limits)

    def import_employees(
        self,
        rows: Sequence[SourceRow],
        *,
        all_or_nothing: bool = False,
        ignored_columns: Sequence[str] = (),
        actor: Actor | None = None,
        principal: Principal | None = None,
        create_units_under: str | None = None,
        unit_kind: str | None = None,
    ) -> importing.ImportReport:
        """Import rows, audited when written: one 'employee.import' row for the file, and one
        'employee.create' / 'employee.update' row per employee added or changed, with its state before
        and after, seen by the office admins of the unit it is in and of the unit it left.

        With `principal`, every row's unit and every known employee's current unit must be within their
        HR grants (AccessDenied naming the rows otherwise, nothing written).

        `create_units_under`: the units the rows name that do not exist are created first under that unit
        (hub.org: the principal must be allowed to create units there), of `unit_kind` or the kind that
        fits, named by the file's `unit_name` column (else their code); without it they are reported
        (`report.unknown_units`) and their rows rejected."""
        scope = None if principal is None else accounts_access.scope(principal, accounts_access.PEOPLE_IMPORTERS)
        actor = actor or audit.SYSTEM_ACTOR
        with self.pool.connection() as conn, conn.transaction():
            created: list[str] = []
            if create_units_under:  # org: units the file names, created with it
                known = people_repo.units_by_code(conn)
                missing = importing.missing_units(rows, known)
                if missing:
                    creator = principal or Principal.tool(actor.username, actor.username)
                    created = self.org.create_missing_units(
                        conn, creator, actor, missing, create_units_under, unit_kind
                    )
            try:
                report = importing.import_employees(
                    conn, rows, all_or_nothing=all_or_nothing, ignored_columns=ignored_columns, scope=scope
                )
            except importing.OutsideScope as exc:
                raise accounts.AccessDenied(str(exc)) from exc
            report.created_units = created
            if report.written:
                audit.record(
                    conn, actor, "employee.import", "employee", None,
                    after={"rows": report.rows, "inserted": report.inserted, "updated": report.updated,
                           "rejected": len(report.rejected_rows), "employee_codes": report.employee_codes},
                )  # fmt: skip
                audit.record_many(conn, actor, [
                    audit.Change(
                        "employee.create" if c.before is None else "employee.update", "employee", c.employee_code,
                        before=c.before, after=c.after, unit_path=c.unit_path,
                        other_unit_path=c.before_unit_path if c.before_unit_path != c.unit_path else None,
                    )
                    for c in report.changes
                ])  # fmt: skip
            return report

    # --- accounts, sessions, audit (tài khoản, phiên đăng nhập, nhật ký) ----------------------
    # The UI and the API call these; access rules are in hub.accounts.access (one place).

    def sign_in(
        self, username: str, password: str, client_ip: str | None = None, user_agent: str | None = None
    ) -> SignedIn:
        """`.token` (give it to the client, once) and `.principal`; raises SignInRefused (`.reason`
        'bad_credentials' | 'locked' | 'disabled', `.message` vi / en, `.retry_after_s` when locked)."""
        with self.pool.connection() as conn:
            return accounts_sessions.sign_in(conn, self.accounts_policy, username, password, client_ip, user_agent)

    def principal_for_session(self, token: str | None) -> Principal | None:
        """Who holds this session token, pushing its idle expiry forward; None: signed out/expired/unknown."""
        with self.pool.connection() as conn:
            return accounts_sessions.principal_for_session(conn, self.accounts_policy, token)

    def session_is_live(self, token: str | None) -> bool:
        """Whether the session still holds, without counting this as use (an open page asking is not
        activity: its idle expiry is not pushed forward)."""
        with self.pool.connection() as conn:
            return accounts_sessions.session_is_live(conn, token)

    def sign_out(self, token: str | None, client_ip: str | None = None) -> bool:
        """Revoke the session (audited); False when it was not a live session."""
        with self.pool.connection() as conn:
            return accounts_sessions.sign_out(conn, token, client_ip)

    def ensure_first_admin(self, data_dir: Any, password: str | None = None) -> Bootstrapped | None:
        """Create `admin` when there is no account at all (see hub.accounts.bootstrap)."""
        with self.pool.connection() as conn:
            return ensure_first_admin(conn, data_dir, password, self.accounts_policy.min_password_length)

    def find_users(
        self, principal: Principal, query: str = "", limit: int = 50, offset: int = 0
    ) -> tuple[int, list[User]]:
        with self.pool.connection() as conn:
            return accounts.find_users(conn, principal, query, limit, offset)

    def get_user(self, principal: Principal, user_id: int) -> User:
        with self.pool.connection() as conn:
            return accounts.get_user(conn, principal, user_id)

    def create_user(
        self,
        principal: Principal,
        *,
        username: str,
        password: str,
        display_name: str | None = None,
        employee_code: str | None = None,
        grants: Sequence[accounts.GrantSpec] = (),
        language: str = "vi",
        client_ip: str | None = None,
    ) -> User:
        with self.pool.connection() as conn:
            return accounts.create_user(
                conn, self.accounts_policy, principal, username=username, password=password,
                display_name=display_name, employee_code=employee_code, grants=grants, language=language,
                client_ip=client_ip,
            )  # fmt: skip

    def update_user(self, principal: Principal, user_id: int, *, client_ip: str | None = None, **changes: Any) -> User:
        """changes: display_name, language, disabled (bool), employee_code (a code, or None to unlink)."""
        with self.pool.connection() as conn:
            return accounts.update_user(conn, principal, user_id, client_ip=client_ip, **changes)

    def add_grant(
        self, principal: Principal, user_id: int, role: Role | str, unit_code: str | None = None,
        client_ip: str | None = None,
    ) -> User:  # fmt: skip
        with self.pool.connection() as conn:
            return accounts.add_grant(conn, principal, user_id, role, unit_code, client_ip)

    def remove_grant(self, principal: Principal, user_id: int, grant_id: int, client_ip: str | None = None) -> User:
        with self.pool.connection() as conn:
            return accounts.remove_grant(conn, principal, user_id, grant_id, client_ip)

    def reset_password(
        self, principal: Principal, user_id: int, new_password: str, client_ip: str | None = None
    ) -> None:
        with self.pool.connection() as conn:
            accounts.reset_password(conn, self.accounts_policy, principal, user_id, new_password, client_ip)

    def change_own_password(
        self, principal: Principal, current_password: str, new_password: str, keep_token: str | None = None,
        client_ip: str | None = None,
    ) -> None:  # fmt: skip
        with self.pool.connection() as conn:
            accounts.change_own_password(
                conn, self.accounts_policy, principal, current_password, new_password, keep_token, client_ip
            )

    def search_audit(self, principal: Principal, query: AuditQuery) -> tuple[int, list[AuditEntry]]:
        """System admin: every row; office admin: the rows about their units."""
        accounts_access.require_role(principal, accounts_access.AUDIT_READERS, "xem nhật ký / read the audit log")
        with self.pool.connection() as conn:
            return audit.search(conn, query, accounts_access.scope(principal, accounts_access.AUDIT_READERS))

    # --- access checks shared by API routes and UI pages (AccessDenied → 403) ------------------

    def authorize(
        self, principal: Principal, action: Action, *, unit_code: str | None = None, employee_code: str | None = None
    ) -> None:
        """The rule book's check (hub.access.gate) of `action` on a unit or a person named by code, the same
        for every route and page; UnknownUnit / UnknownEmployee (404) or AccessDenied (403)."""
        target = None
        with self.pool.connection() as conn:
            if employee_code is not None:
                ref = accounts_repo.employee_ref(conn, employee_code)
                if ref is None:
                    raise people.UnknownEmployee(f"no employee has the code {employee_code!r}")
                target = Target.person(ref[0], ref[3])
            elif unit_code is not None:
                unit = accounts_repo.unit_ref(conn, unit_code)
                if unit is None:
                    raise people.UnknownUnit(f"no org unit has the code {unit_code!r}")
                target = Target.unit(unit[1])
        gate.check(principal, action, target)

    def check_employee(
        self, principal: Principal, employee_code: str, roles: tuple[Role, ...], what: str, *, self_allowed: bool = True
    ) -> None:
        """The employee themself (when `self_allowed`), or one of `roles` over their unit;
        UnknownEmployee / AccessDenied."""
        with self.pool.connection() as conn:
            ref = accounts_repo.employee_ref(conn, employee_code)
        if ref is None:
            raise people.UnknownEmployee(f"no employee has the code {employee_code!r}")
        if self_allowed:
            accounts_access.require_employee(principal, ref[0], ref[3], roles, what)
        else:
            accounts_access.require_unit(principal, ref[3], roles, what)

    def check_unit(self, principal: Principal, unit_code: str, roles: tuple[Role, ...], what: str) -> None:
        """One of `roles` on this unit or above it; UnknownUnit / AccessDenied."""
        with self.pool.connection() as conn:
            ref = accounts_repo.unit_ref(conn, unit_code)
        if ref is None:
            raise people.UnknownUnit(f"no org unit has the code {unit_code!r}")
        accounts_access.require_unit(principal, ref[1], roles, what)

    def org_tree_for(self, principal: Principal, root_code: str | None = None) -> list[OrgUnitNode]:
        """The org tree as far as the principal reaches: a system admin everything; others the subtrees
        of their grants, and their own unit."""
        if principal.is_system_admin:
            return self.org_tree(root_code)
        paths = set(accounts_access.scope(principal, accounts_access.UNIT_ROLES) or ())
        if principal.employee_unit_path:
            paths.add(principal.employee_unit_path)
        roots = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
        with self.pool.connection() as conn:
            if root_code is not None:
                path = people.require_unit(conn, root_code).path
                if not any(path.startswith(p) for p in roots):
                    raise accounts.AccessDenied("đơn vị này ngoài phạm vi của bạn / that unit is outside your units")
                return people.unit_tree(conn, root_code)
            codes = accounts_repo.unit_codes_of_paths(conn, roots)
            return [node for p in roots if p in codes for node in people.unit_tree(conn, codes[p])]

    def find_employees_for(
        self,
        principal: Principal,
        *,
        query: str = "",
        unit_code: str | None = None,
        active_on: date | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[Employee]]:
        """Employee search limited to the units the principal's manager/HR/office-admin grants reach."""
        viewers = accounts_access.PEOPLE_VIEWERS
        accounts_access.require_role(principal, viewers, "xem danh sách cán bộ / see the staff list")
        paths = accounts_access.scope(principal, viewers)
        if paths is None or unit_code is not None:
            if unit_code is not None:
                self.check_unit(principal, unit_code, viewers, "xem danh sách cán bộ / see the staff list")
            return self.find_employees(
                query=query, unit_code=unit_code, active_on=active_on, limit=limit, offset=offset
            )
        total, found, skip = 0, [], offset
        with self.pool.connection() as conn:
            codes = accounts_repo.unit_codes_of_paths(conn, paths)
            for path in paths:  # one subtree after another, paged as one list
                count, page = people.find_employees(
                    conn, query=query, unit_code=codes[path], active_on=active_on,
                    limit=limit - len(found), offset=skip,
                )  # fmt: skip
                total += count
                found += page
                skip = max(0, skip - count)
        return total, found

    def subscribe_live(
        self, *, unit_path: str | None = None, kinds: set[type] | None = None, maxsize: int = 1000
    ) -> Subscription:
        """An inbox of live items (hub.live.models: CheckIn, DeviceStatusChange, FeedGap) as they are
        committed; `unit_path` keeps the check-ins of that subtree. Poll it with `drain()` (e.g. from a
        UI timer) and `close()` it when the page goes. Raises RuntimeError when this process runs no feed."""
        if self.live is None:
            raise RuntimeError("this hub process runs no live feed (role 'ingest', or a tool)")
        return self.live.subscribe(unit_path=unit_path, kinds=kinds, maxsize=maxsize)

    def recent_checkins(self, unit_paths: Sequence[str] | None, *, since: datetime, limit: int = 50) -> list[CheckIn]:
        """The newest check-ins since `since`, newest first, for the subtrees `unit_paths` (None: all):
        what a live page shows before the feed brings anything new."""
        with self.pool.connection() as conn:
            return live_repo.recent_checkins(conn, unit_paths, since, limit)

    # --- biometrics and galleries (sinh trắc học, thư viện khuôn mặt) --------------------------

    def attach_biometrics(self, runtime: BiometricsRuntime) -> None:
        """For tests that build the biometrics over services they made first; the hub passes it when it builds."""
        self.biometrics_runtime = runtime

    def _bio(self) -> BiometricsRuntime:
        runtime = self.biometrics_runtime
        if runtime is None:
            raise BiometricsUnavailable(
                vi="Máy chủ này không chạy sinh trắc học (không có gói mô hình hoặc broker)",
                en="this hub process runs no biometrics (no model packs or no broker)",
            )
        return runtime

    # --- face snapshots of door events (ảnh chụp khi chấm công) ----------------------------------

    def attach_snapshots(self, snapshots: SnapshotService) -> None:
        """For tests that make a snapshot store over services they made first; the hub passes it when it builds."""
        self.snapshots = snapshots

    def open_event_snapshot(
        self, principal: Principal, kind: SnapshotKind, event_id: UUID, actor: Actor
    ) -> OpenedSnapshot:
        """An attendance or unknown-face event's snapshot for this viewer, written to the audit log
        ('snapshot.open'); UnknownSnapshot (404), SnapshotRemoved (410), AccessDenied (403)."""
        snapshots = self.snapshots
        if snapshots is None:
            raise SnapshotsUnavailable("this hub process has no snapshot store")
        return snapshots.open(principal, kind, event_id, actor)

"""What the API, the UI and the CLI ask of the hub: one container of the per-domain services over the pool
and the running parts (`services.people`, `.accounts`, `.timekeeping`, …).

Each service lives in `hub/<domain>/service.py` and checks its actions itself (hub.access); the container
holds them, the clock and the shared caches, and no domain logic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from psycopg_pool import ConnectionPool

from hub.accounts.audit import Actor
from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal
from hub.accounts.service import AccountsService
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
from hub.ingest.consumer import IngestService
from hub.ingest.service import VERSION_UNKNOWN, HealthReport, IngestFigures, cces_version
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
from hub.people.service import PeopleService
from hub.people.sheets import ImportLimits
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


def utc_now() -> datetime:
    """The wall clock, aware (the default clock of the services and the runtime)."""
    return datetime.now(UTC)


__all__ = ["VERSION_UNKNOWN", "BiometricsUnavailable", "HealthReport", "HubServices", "cces_version", "utc_now"]


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
        # sessions, accounts, the audit log (each checks accounts.* / audit.read; sign-in and tokens are their proof)
        self.accounts = AccountsService(pool, accounts_policy or AccountsPolicy.from_settings(AccountsSettings()))
        # health (public), ingest totals and refused payloads (each checks ingest.stats / ingest.rejects)
        self.ingest_figures = IngestFigures(pool, ingest)
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
        # org units and employees: look-ups, search, the employee import (each checks people.*)
        self.people = PeopleService(pool, self.import_limits, self.org)
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
        self.meetings.outgoing = self.outgoing  # the conclusion notice is drafted as an outgoing document
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

    def _hub_command(self, device_id: str, name: str, args: dict[str, Any], ttl_s: int) -> CommandRecord:
        """Internal: a command the hub itself sends (a door portal's alert to the door's display), audited in
        `device_commands` under the actor "hub"; raises CommandsUnavailable, UnknownDevice, InvalidCommand."""
        return commands_service.send_command(self.pool, self.commands, device_id, name, args, ttl_s, "hub")

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

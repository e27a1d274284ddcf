"""Every domain of the hub, in one list: what the API, the UI, the CLI and the job worker loop over.

A domain registers itself by adding one `Domain` record to `DOMAINS` (or, from a test or a plug-in,
by `register(domain)`): its declared actions (the rule book, hub.access), its API routers, its pages,
its navigation links, its CLI commands and its scheduled jobs. No shared file lists them again:
hub.api.app includes every router, ui.app registers every page, cces.cli adds every command and
hub.runtime schedules every job from here.

Routers, pages, commands and jobs are named by reference ("package.module:function") and imported
only by the part that uses them: the hub may not import `ui` or `cces` (DESIGN.md's layout), `cces`
on a device builds its parser without the hub's dependencies, and importing this module stays cheap
(no FastAPI, NiceGUI, OpenCV or insightface). What each reference must be:

- `api`: `factory(limits: BodyLimits) -> APIRouter`, or `factory() -> APIRouter`; every route names
  its action (`openapi_extra=ACTION.route()`), or the guard refuses it.
- `pages`: `register(services: HubServices) -> None`, drawing with `ui.shell.module_page(..., action=...)`.
- `cli`: `register(add, sub, hub_config) -> None` (see cces.cli.build_parser: `add(name, handler,
  help, parent)` makes a subcommand, `sub` is the top-level subparsers, `hub_config(p)` adds --config).
- `jobs`: `jobs(runtime: HubRuntime) -> list[JobSpec]`, called once the runtime's parts are up
  (return none for a part this process does not run).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from hub.access import Action
from hub.accounts import actions as accounts_actions
from hub.assets import access as assets_access
from hub.backup import access as backup_access
from hub.biometrics import access as biometrics_access
from hub.devices import access as devices_access
from hub.displays import access as displays_access
from hub.documents import access as documents_access
from hub.documents.casefiles import access as casefiles_access
from hub.documents.secrecy import access as secrecy_access
from hub.galleries import access as offices_access
from hub.ingest import access as ingest_access
from hub.jobs import access as jobs_access
from hub.kiosk import access as kiosk_access
from hub.leadership import access as leadership_access
from hub.leave import access as leave_access
from hub.meetings import access as meetings_access
from hub.notifications import access as notifications_access
from hub.org import access as org_access
from hub.people import access as people_access
from hub.reporting import access as reporting_access
from hub.reports import access as reports_access
from hub.search import access as search_access
from hub.snapshots import access as snapshots_access
from hub.timekeeping import access as timekeeping_access


def load(ref: str) -> Any:
    """The object a "package.module:attribute" reference names."""
    module, _, attribute = ref.partition(":")
    if not attribute:
        raise ValueError(f"a reference is 'package.module:attribute', not {ref!r}")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True, slots=True)
class NavLink:
    """A navigation entry that is not a page of the domain's own (pages add theirs through ui.shell)."""

    path: str
    vi: str
    en: str
    icon: str
    action: Action  # shown to those the action allows
    order: int = 100


@dataclass(frozen=True, slots=True)
class Domain:
    name: str  # "timekeeping": the prefix of its actions' names
    vi: str  # "Chấm công"
    en: str  # "Timekeeping"
    actions: tuple[Action, ...] = ()
    api: tuple[str, ...] = ()  # router factories
    pages: tuple[str, ...] = ()  # page registrars
    nav: tuple[NavLink, ...] = ()  # extra navigation entries
    cli: tuple[str, ...] = ()  # command registrars
    jobs: tuple[str, ...] = ()  # job factories
    catalogue: str = ""  # a plug-in's own texts: a function giving the folder of its compiled gettext catalogues

    @property
    def label(self) -> str:
        return f"{self.vi} / {self.en}"


DOMAINS: list[Domain] = [
    Domain(
        "ingest", "Tiếp nhận sự kiện", "Event ingest",
        actions=ingest_access.ACTIONS,
        api=("hub.ingest.api:api_router",),
        jobs=("hub.ingest.retention:domain_jobs",),
    ),
    Domain(
        "accounts", "Tài khoản", "Accounts",
        actions=accounts_actions.ACTIONS,
        api=("hub.accounts.api:accounts_router",),
        pages=("ui.pages.users:register",),
        cli=("cces.users_command:add_users_commands",),
    ),
    Domain(
        "audit", "Nhật ký", "Audit log",
        actions=accounts_actions.AUDIT_ACTIONS,
        pages=("ui.pages.audit:register",),
    ),
    Domain(
        "people", "Cán bộ và đơn vị", "People and units",
        actions=people_access.ACTIONS,
        api=("hub.people.api:people_router",),
        pages=("ui.pages.people:register",),
        cli=("cces.people_command:add_people_commands",),
    ),
    Domain(
        "biometrics", "Sinh trắc học", "Biometrics",
        actions=biometrics_access.ACTIONS,
        pages=("ui.pages.enrollment:register",),
        jobs=("hub.galleries.runtime:domain_jobs",),
    ),
    Domain(
        "devices", "Thiết bị", "Devices",
        actions=devices_access.ACTIONS,
        api=("hub.devices.api:devices_router",),
        pages=("ui.pages.devices:register",),
        jobs=("hub.commands.resend:domain_jobs",),
    ),
    Domain(
        "kiosk", "Màn hình cửa, phòng họp", "Door and room screens",
        actions=kiosk_access.ACTIONS,
        pages=("ui.pages.kiosk_links:register", "ui.app:register_kiosk_pages"),
    ),
    Domain(
        "displays", "Màn hình phòng họp", "Room displays",
        actions=displays_access.ACTIONS,
        api=("hub.displays.api:displays_router",),
    ),
    Domain(
        "offices", "Trụ sở", "Offices",
        actions=offices_access.ACTIONS,
        api=("hub.galleries.api:offices_router",),
        pages=("ui.pages.offices:register",),
    ),
    Domain(
        "timekeeping", "Chấm công", "Timekeeping",
        actions=timekeeping_access.ACTIONS,
        api=("hub.timekeeping.api:timekeeping_router",),
        pages=("ui.pages.attendance:register",),
    ),
    Domain(
        "reports", "Báo cáo", "Reports",
        actions=reports_access.ACTIONS,
        api=("hub.reports.api:reports_router",),
        pages=("ui.pages.reports:register", "ui.pages.dashboard:register"),
    ),
    Domain(
        "snapshots", "Ảnh chụp khi chấm công", "Door snapshots",
        actions=snapshots_access.ACTIONS,
        api=("hub.snapshots.api:snapshots_router",),
        jobs=("hub.snapshots.jobs:domain_jobs",),
    ),
    Domain(
        "jobs", "Công việc nền", "Background jobs",
        actions=jobs_access.ACTIONS,
        api=("hub.jobs.api:jobs_router",),
        pages=("ui.pages.jobs:register",),
    ),
    Domain(
        "org", "Cơ cấu tổ chức", "Organisation",
        actions=org_access.ACTIONS,
        api=("hub.org.api:org_router",),
        pages=("ui.pages.org:register",),
        cli=("cces.org_command:add_org_commands",),
    ),
    Domain(
        "leave", "Nghỉ phép", "Leave",
        actions=leave_access.ACTIONS,
        api=("hub.leave.api:leave_router",),
        pages=("ui.pages.leave:register",),
        jobs=("hub.leave.jobs:domain_jobs",),
    ),
    Domain(
        "notifications", "Thông báo", "Notifications",
        actions=notifications_access.ACTIONS,
        api=("hub.notifications.api:notifications_router", "hub.notifications.api:action_pages"),
        pages=("ui.pages.notifications:register",),
        cli=("cces.mail_command:add_mail_commands",),
    ),
    Domain(
        "backup", "Sao lưu", "Backups",
        actions=backup_access.ACTIONS,
        pages=("ui.pages.backups:register",),
        cli=("cces.backup_command:add_backup_commands",),
        jobs=("hub.backup.service:domain_jobs",),
    ),
    Domain(
        "assets", "Tài sản", "Assets",
        actions=assets_access.ACTIONS,
        api=(
            "hub.assets.api:assets_router", "hub.assets.movements.api:movements_router",
            "hub.assets.inventory.api:inventory_router", "hub.assets.portals.api:portals_router",
        ),
        pages=("ui.pages.assets:register", "ui.pages.asset_movements:register", "ui.pages.asset_inventory:register",
               "ui.pages.asset_handheld:register",
               "ui.pages.asset_alerts:register"),
        cli=("cces.rfid_command:add_rfid_commands", "cces.assets_command:add_assets_commands"),
        jobs=("hub.assets.attachments:domain_jobs",),
    ),
    Domain(
        "documents", "Văn bản đi, đến", "Official documents",
        actions=documents_access.ACTIONS + secrecy_access.ACTIONS + casefiles_access.ACTIONS,
        api=(
            "hub.documents.api:documents_router",
            "hub.documents.handling.api:handling_router",
            "hub.documents.outgoing.api:outgoing_router",
            "hub.documents.secrecy.api:secrecy_router",
            "hub.documents.printouts.api:printouts_router",
            "hub.documents.casefiles.api:casefiles_router",
            "hub.documents.casefiles.review_api:retention_review_router",
        ),
        pages=("ui.pages.documents:register",),
        cli=("cces.documents_command:add_documents_commands",),
        jobs=("hub.documents.jobs:domain_jobs",),
    ),
    Domain(
        "search", "Tìm kiếm", "Search",
        actions=search_access.ACTIONS,
        api=("hub.search.api:search_router",),
        pages=("ui.pages.search:register",),
    ),
    Domain(
        "reporting", "Tổng hợp, báo cáo", "Summary reporting",
        actions=reporting_access.ACTIONS,
        api=("hub.reporting.api:reporting_router",),
        pages=("ui.pages.reporting:register",),
        cli=("cces.reporting_command:add_reporting_commands",),
        jobs=("hub.reporting.jobs:domain_jobs",),
    ),
    Domain(
        "leadership", "Thông tin lãnh đạo quan tâm", "Leadership overview",
        actions=leadership_access.ACTIONS,
        api=("hub.leadership.api:leadership_router",),
        pages=("ui.pages.leadership:register",),
    ),
    Domain(
        "meetings", "Phòng họp không giấy", "Paperless meetings",
        actions=meetings_access.ACTIONS,
        api=(
            "hub.meetings.rooms_api:rooms_router",
            "hub.meetings.api:meetings_router",
            "hub.meetings.chair_api:chair_router",
            "hub.meetings.participants_api:participants_router",
            "hub.meetings.minutes_api:minutes_router",
            "hub.meetings.viewer_api:viewer_router",
        ),
        pages=("ui.pages.meetings:register",),
        jobs=("hub.meetings.jobs:domain_jobs",),
    ),
]  # fmt: skip


def register(domain: Domain) -> Domain:
    """Add a domain (a plug-in, a test's throw-away one); a name already taken is replaced."""
    unregister(domain.name)
    DOMAINS.append(domain)
    return domain


def unregister(name: str) -> None:
    DOMAINS[:] = [d for d in DOMAINS if d.name != name]


def all_actions() -> list[Action]:
    """Every declared action of every domain, in the domains' order."""
    return [a for d in DOMAINS for a in d.actions]

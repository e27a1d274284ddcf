"""The start page: a greeting for everyone; system health, ingest counters and the devices for admins."""

from __future__ import annotations

from nicegui import run, ui

from hub.accounts.principal import Principal, Role
from hub.devices.models import Device
from hub.services import HealthReport, HubServices
from ui.components.format import local_time
from ui.components.labels.devices import ONLINE, kind_label
from ui.components.labels.health import BROKER, DATABASE, INGEST, INGEST_COUNTS, health_text
from ui.i18n import N_, pgettext
from ui.shell import PageContext, module_page, nav_entries, signed_in


def sees_operations(principal: Principal) -> bool:
    """Health, counters and the fleet are for the people who run the system."""
    return principal.is_system_admin or principal.has_role(Role.OFFICE_ADMIN)


def register(services: HubServices) -> None:
    @module_page("/", text_key=N_("Trang chủ"), icon="home", allowed=signed_in, order=0)
    def home(ctx: PageContext) -> None:
        ui.label(ctx.t(N_("Xin chào, {name}")).format(name=ctx.principal.display_name)).classes("text-xl font-bold")
        with ui.row().classes("gap-2 flex-wrap"):
            for entry in nav_entries(ctx.principal):
                if entry.path != "/":
                    with ui.link(target=entry.path).classes("no-underline"):
                        with ui.card().classes("items-center w-36 p-3 hover:bg-blue-1"):
                            ui.icon(entry.icon).classes("text-3xl text-primary")
                            ui.label(entry.title(ctx.lang)).classes("text-center text-grey-9")
        if sees_operations(ctx.principal):
            _operations(ctx)


def _operations(ctx: PageContext) -> None:
    t = ctx.t
    with ui.row().classes("w-full gap-4 flex-wrap"):
        with ui.card().classes("min-w-64"):
            ui.label(t(N_("Tình trạng hệ thống"))).classes("text-base font-bold")
            database = ui.label().mark("health-database")
            broker = ui.label().mark("health-broker")
            ingest = ui.label().mark("health-ingest")
        with ui.card().classes("min-w-64"):
            ui.label(t(N_("Tiếp nhận sự kiện"))).classes("text-base font-bold")
            counters = ui.label().props("id=ingest-counters").mark("ingest-counters")
    ui.label(t(pgettext("menu", "Thiết bị"))).classes("text-base font-bold")
    summary = ui.label().mark("devices-summary")
    columns = [
        {"name": "device_id", "label": t(N_("Mã thiết bị")), "field": "device_id", "align": "left"},
        {"name": "kind", "label": t(N_("Loại")), "field": "kind", "align": "left"},
        {"name": "state", "label": t(N_("Trực tuyến")), "field": "state", "align": "left"},
        {"name": "last_seen", "label": t(N_("Lần cuối")), "field": "last_seen", "align": "left"},
    ]
    table = ui.table(columns=columns, rows=[], row_key="device_id").classes("w-full").mark("home-devices")

    def load() -> tuple[HealthReport, dict[str, int] | None, list[Device], str]:
        """The database work of one refresh (run off the event loop by the timer)."""
        report = ctx.services.ingest_figures.health()
        try:
            stats = ctx.services.ingest_figures.stats(ctx.principal)
            return report, stats, ctx.services.devices.list_devices(ctx.principal), ""
        except Exception as exc:  # shown, not raised: the page stays up while the database is down
            return report, None, [], str(exc).splitlines()[0]

    def show(loaded: tuple[HealthReport, dict[str, int] | None, list[Device], str]) -> None:
        report, stats, devices, problem = loaded
        database.text = f"{t(DATABASE)}: {health_text(t, report.database)}"
        broker.text = f"{t(BROKER)}: {health_text(t, report.mqtt)}"
        ingest.text = f"{t(INGEST)}: {health_text(t, report.ingest)}"
        if stats is None:
            counters.text = problem
            return
        counters.text = " · ".join(f"{t(INGEST_COUNTS.get(k, k))}: {v:,}" for k, v in stats.items())
        online = sum(1 for d in devices if d.online)
        summary.text = t(N_("{online} trực tuyến · {offline} mất kết nối · tổng {total}")).format(
            online=online, offline=len(devices) - online, total=len(devices)
        )
        table.rows = [
            {
                "device_id": d.device_id,
                "kind": kind_label(t, d.kind),
                "state": t(ONLINE[d.online]),
                "last_seen": local_time(d.last_seen),
            }
            for d in devices[:200]
        ]
        table.update()

    async def refresh() -> None:
        loaded = await run.io_bound(load)
        if loaded is not None:  # None: NiceGUI is stopping or the page's client is gone
            show(loaded)

    show(load())
    ui.timer(2.0, refresh)

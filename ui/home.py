"""The start page: system health, ingest counters and the device list, refreshed live."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui

from hub.services import HubServices
from ui.i18n import t

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def register(services: HubServices) -> None:
    @ui.page("/")
    def home(lang: str = "vi") -> None:
        ui.page_title(t("title", lang))
        with ui.header().classes("items-center justify-between"):
            ui.label(t("title", lang)).classes("text-lg font-bold")
            with ui.row():
                ui.link("Tiếng Việt", "/?lang=vi").classes("text-white")
                ui.link("English", "/?lang=en").classes("text-white")
                ui.link(t("api_docs", lang), "/docs").classes("text-white")

        with ui.card():
            ui.label(t("health", lang)).classes("text-base font-bold")
            database = ui.label()
            broker = ui.label()
        with ui.card():
            ui.label(t("ingest", lang)).classes("text-base font-bold")
            counters = ui.label().props("id=ingest-counters")
        ui.label(t("devices", lang)).classes("text-base font-bold")
        columns = [
            {"name": "device_id", "label": t("device_id", lang), "field": "device_id", "align": "left"},
            {"name": "kind", "label": t("kind", lang), "field": "kind", "align": "left"},
            {"name": "state", "label": t("online", lang), "field": "state", "align": "left"},
            {"name": "last_seen", "label": t("last_seen", lang), "field": "last_seen", "align": "left"},
        ]
        table = ui.table(columns=columns, rows=[], row_key="device_id")

        def refresh() -> None:
            report = services.health()
            database.text = f"{t('database', lang)}: {t('ok', lang) if report.database == 'ok' else report.database}"
            broker.text = f"{t('broker', lang)}: {t('ok', lang) if report.mqtt in ('ok', 'n/a') else report.mqtt}"
            try:
                stats = services.ingest_stats()
                counters.text = " · ".join(f"{t(k, lang)}: {v:,}" for k, v in stats.items())
            except Exception as exc:  # shown, not raised: the page stays up while the database is down
                counters.text = str(exc).splitlines()[0]
                return
            table.rows = [
                {
                    "device_id": d.device_id,
                    "kind": d.kind,
                    "state": t("online" if d.online else "offline", lang),
                    "last_seen": d.last_seen.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M:%S") if d.last_seen else "—",
                }
                for d in services.devices()
            ]
            table.update()

        refresh()
        ui.timer(2.0, refresh)

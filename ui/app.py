"""Mount the UI on the hub's FastAPI app (same process, same port).

Every page module of the admin UI is listed once, in PAGE_MODULES; each exposes
`register(services)` and draws itself inside the shell (`ui.shell.module_page`).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fastapi import FastAPI
from nicegui import app as nicegui_app
from nicegui import ui
from nicegui.storage import Storage

from hub.services import HubServices
from ui import outage, shell
from ui.pages import (
    attendance,
    audit,
    dashboard,
    devices,
    enrollment,
    home,
    kiosk_links,
    offices,
    people,
    reports,
    sign_in,
    users,
)

PAGE_MODULES: tuple[ModuleType, ...] = (
    sign_in,
    home,
    people,
    enrollment,
    devices,
    kiosk_links,
    offices,
    users,
    audit,
    attendance,
    reports,
    dashboard,
)


def register_pages(services: HubServices) -> None:
    """Register every page of the admin UI (also used by the UI tests' simulated user)."""
    shell.install(services)
    outage.install()
    for module in PAGE_MODULES:
        module.register(services)
    register_kiosk_pages(services)


def register_kiosk_pages(services: HubServices) -> None:
    """Door and room screens: no sign-in, outside the shell, showing only what such a screen shows."""
    from ui.kiosk import room, terminal

    terminal.register_hub(services)
    room.register(services)


def use_storage_dir(folder: Path) -> None:
    """Keep NiceGUI's per-browser storage (it holds session tokens) in the hub's data dir, owner-only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    Storage.path = folder.resolve()
    nicegui_app.storage = Storage()
    nicegui_app.on_shutdown(nicegui_app.storage.on_shutdown)


def mount_ui(app: FastAPI, services: HubServices, storage_secret: str, storage_dir: Path | None = None) -> None:
    if storage_dir is not None:
        use_storage_dir(storage_dir)
    register_pages(services)
    ui.run_with(app, title="CCES", language="vi", storage_secret=storage_secret, show_welcome_message=False)

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

from hub.services import HubServices
from ui import outage, shell
from ui.browser_storage import expire_storage, session_cookie_settings, use_storage_dir
from ui.pages import (
    attendance,
    audit,
    backups,
    dashboard,
    devices,
    enrollment,
    home,
    jobs,
    kiosk_links,
    leave,
    notifications,
    offices,
    people,
    reports,
    sign_in,
    users,
)
from ui.pages import org as org_pages  # org: the organisation (issue 13 item 5)

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
    jobs,  # the job queue (issue 13 item 7)
    backups,  # backups (issue 19)
    org_pages,  # org: the organisation (issue 13 item 5)
    leave,  # leave requests, approvals, the team calendar (issue 14)
    notifications,  # notifications: the inbox, mail choices, the outbox (hub.notifications)
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


def mount_ui(
    app: FastAPI,
    services: HubServices,
    storage_secret: str,
    storage_dir: Path | None = None,
    upload_max_bytes: int | None = None,
) -> None:
    """The pages on `app`; NiceGUI's cookie like the API session's, its storage files expiring (ui.browser_storage).

    `upload_max_bytes` (CCES_HTTP_MAX_UPLOAD_BYTES): the body limit of the UI's own routes, among which the
    upload route each `ui.upload` registers (enrollment photos); None keeps the app's default limit."""
    if storage_dir is not None:
        use_storage_dir(storage_dir)
        expire_storage(storage_dir, services.accounts_policy)
    if upload_max_bytes is not None:  # routes NiceGUI adds from now on (an upload's route: per page visit)
        nicegui_app.router.max_body_size = upload_max_bytes
    register_pages(services)
    ui.run_with(
        app,
        title="CCES",
        language="vi",
        storage_secret=storage_secret,
        session_middleware_kwargs=session_cookie_settings(services.accounts_policy),
        show_welcome_message=False,
    )

"""Mount the UI on the hub's FastAPI app (same process, same port).

The frame's own pages (sign-in, home) are registered here; every domain's pages come from its
`Domain.pages` in hub.domains.DOMAINS, each a `register(services)` that draws inside the shell
(`ui.shell.module_page`).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from fastapi import FastAPI
from nicegui import app as nicegui_app
from nicegui import ui

from hub.domains import DOMAINS, load
from hub.services import HubServices
from ui import i18n, outage, shell
from ui.browser_storage import expire_storage, session_cookie_settings, use_storage_dir
from ui.pages import home, sign_in

#: the frame's own pages; the domains' pages are registered from hub.domains.DOMAINS
PAGE_MODULES: tuple[ModuleType, ...] = (sign_in, home)


def register_pages(services: HubServices) -> None:
    """Register every page of the admin UI (also used by the UI tests' simulated user)."""
    shell.install(services)
    outage.install()
    for module in PAGE_MODULES:
        module.register(services)
    for domain in DOMAINS:
        if domain.catalogue:  # a plug-in's texts (the UI's own are in ui/locale)
            i18n.add_catalogue(domain.name, load(domain.catalogue)())
        for registrar in domain.pages:
            load(registrar)(services)
    shell.add_nav_links(link for domain in DOMAINS for link in domain.nav)


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
        expire_storage(storage_dir, services.accounts.policy)
    if upload_max_bytes is not None:  # routes NiceGUI adds from now on (an upload's route: per page visit)
        nicegui_app.router.max_body_size = upload_max_bytes
    register_pages(services)
    ui.run_with(
        app,
        title="CCES",
        language="vi",
        storage_secret=storage_secret,
        session_middleware_kwargs=session_cookie_settings(services.accounts.policy),
        show_welcome_message=False,
    )

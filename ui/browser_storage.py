"""NiceGUI's per-browser storage for the hub: where it lives, its cookie, and how long its files stay.

NiceGUI keeps `app.storage.user` in one file per browser (`storage-user-<browser id>.json`, named by
its signed `session` cookie). The hub writes there only for browsers that signed in (the language
chosen, and the token between the form's sign-in and `/sign-in/done`), and a file nobody wrote to
for longer than a session lives (`CCES_SESSION_MAX_HOURS`) holds nothing live: it is deleted, by a
sweep every few minutes. The cookie follows the API session cookie's settings (Secure with
`CCES_SESSION_COOKIE_SECURE`, SameSite=Lax, HttpOnly) and lives no longer than a session.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from nicegui import app as nicegui_app
from nicegui.storage import Storage

from hub.accounts.models import AccountsPolicy

log = logging.getLogger(__name__)

#: how often the storage folder is swept for files older than a session
SWEEP_INTERVAL_S = 300.0
FILE_PATTERN = "storage-user-*.json"


def use_storage_dir(folder: Path) -> None:
    """Keep NiceGUI's per-browser storage (it may hold a session token) in the hub's data dir, owner-only."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    Storage.path = folder.resolve()
    nicegui_app.storage = Storage()
    nicegui_app.on_shutdown(nicegui_app.storage.on_shutdown)


def session_cookie_settings(policy: AccountsPolicy) -> dict[str, Any]:
    """Starlette SessionMiddleware arguments for NiceGUI's `session` cookie: like the API's cookie."""
    return {
        "https_only": policy.cookie_secure,
        "same_site": "lax",
        "max_age": max(60, int(policy.session_max.total_seconds())),
    }


def prune_storage(folder: Path, older_than: timedelta, now: float | None = None) -> int:
    """Delete the per-browser files not written for `older_than`; how many went. A file in use is
    written again by NiceGUI at its next change, so deleting an idle one loses nothing live."""
    limit = (time.time() if now is None else now) - older_than.total_seconds()
    removed = 0
    for path in folder.glob(FILE_PATTERN):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # written away or removed meanwhile
            continue
    return removed


def expire_storage(folder: Path, policy: AccountsPolicy) -> None:
    """Sweep `folder` at start and every SWEEP_INTERVAL_S (a NiceGUI app timer, off the event loop)."""

    async def sweep() -> None:
        try:
            removed = await asyncio.to_thread(prune_storage, folder, policy.session_max)
        except OSError:
            log.exception("sweeping the browser storage in %s failed; trying again later", folder)
            return
        if removed:
            log.info("removed %d browser storage file(s) older than a session (%s)", removed, policy.session_max)

    nicegui_app.timer(SWEEP_INTERVAL_S, sweep)

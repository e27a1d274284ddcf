"""Time to open every page of the web UI with 10,000 employees and a month of events in the database.

    python -m bench.ui_pages [--employees 10000] [--repeat 3] [--json] [--database-url postgresql://…]

Seeds the org tree, the employees and a month of FaceID events (the current local month, with
`bench.timesheet_db.load`), 500 door devices with a status history, a system admin and a manager
of one department (1/10 of the staff). Then starts the hub's running parts exactly as `cces hub
--role api` does (`HubRuntime`: pool, live feed, accounts) with every page module registered, signs
both users in through the sign-in page with NiceGUI's simulated user, and opens every page of the
shell's registry — all modules, not only attendance — as each of them.

What is timed is from `user.open(path)` — the HTTP GET of the page through the ASGI app, the page
function, the websocket handshake — until the page shows no loading spinner (marked "loading"):
heavy pages send their frame at once and load their figures after the browser connects, so the
time includes that first data load. Pages
with path parameters are opened with real values (a unit, an employee, today, this month); the
admin opens units at the top of the tree (all 10,000 people), the manager their department.
The first open of each page is a warm-up and is not counted; the figure is the median of the rest.
Goal: < 1 s per page.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import time as clock
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from nicegui.testing.user import User

GOAL_S = 1.0
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
DEVICES = 500
PASSWORD = "bench-Mật-khẩu-2026"
MANAGER_UNIT = "CHQ00"  # a department of bench.timesheet_db's tree (1/10 of the staff)
EXTRA_QUERIES = {  # pages whose query parameters choose what is computed: each variant is timed
    "/reports": ["?tab=timesheet", "?tab=lateness", "?tab=absence", "?tab=uptime"],
}


@dataclass(frozen=True)
class Timing:
    who: str
    path: str
    median_s: float
    best_s: float
    note: str = ""


def seed_devices(conn: psycopg.Connection, count: int) -> None:
    """Door terminals with a status history (a fifth of them offline now), as the registry keeps them,
    spread over one office per department ("Trụ sở CHQ03" serves CHQ03): a department's manager sees
    the devices of their office only (devices are scoped to units through `site_units`)."""
    from bench.timesheet_db import DEPARTMENTS
    from hub.devices.repository import register_device, set_status
    from hub.galleries.repository import replace_site_units, unit_ids
    from hub.passwords import hash_secret

    departments = sorted(unit_ids(conn, [f"CHQ{d:02d}" for d in range(DEPARTMENTS)]).items())
    for code, unit_id in departments:
        replace_site_units(conn, f"Trụ sở {code}", [unit_id], "bench")
    secret = hash_secret("bench-device-secret")
    for i in range(count):
        device_id = f"door-{i:03d}"
        site = f"Trụ sở {departments[i % len(departments)][0]}" if departments else None
        register_device(conn, device_id, f"dev-{device_id}", secret, site=site, rotate=True)
        set_status(conn, device_id, True, "1.0.0")
        if i % 5 == 0:
            set_status(conn, device_id, False, None)


def seed_users(services: object) -> int:
    """A manager of one department, created by the bootstrapped admin through the accounts service."""
    from hub.accounts.principal import Role
    from hub.accounts.service import GrantSpec

    admin = services.sign_in("admin", PASSWORD).principal  # type: ignore[attr-defined]
    manager = services.create_user(  # type: ignore[attr-defined]
        admin,
        username="lanhdao",
        password=PASSWORD,
        display_name="Lãnh đạo Cục",
        employee_code="NV00000",
        grants=[GrantSpec(Role.MANAGER, MANAGER_UNIT)],
    )
    return manager.id


def page_values(today_local: str, period: str, admin: bool, user_id: int) -> dict[str, str]:
    """A real value for each path parameter the registered pages use."""
    return {
        "unit_code": "TCHQ" if admin else MANAGER_UNIT,
        "unit": "TCHQ" if admin else MANAGER_UNIT,
        "employee_code": "NV00003",  # in team DOI003, under CHQ00: both users may open it
        "code": "NV00003",
        "day": today_local,
        "date": today_local,
        "period": period,
        "month": period,
        "device_id": "door-001",
        "year": period[:4],
        "user_id": str(user_id),  # the manager's account
    }


def fill(path: str, values: dict[str, str]) -> str | None:
    missing = [name for name in re.findall(r"{(\w+)}", path) if name not in values]
    if missing:
        return None
    return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)


def _shows(user: User, marker: str) -> bool:
    try:
        user.find(marker=marker)
    except AssertionError:
        return False
    return True


@asynccontextmanager
async def simulated_browser(services: object, storage: Path) -> AsyncIterator[User]:
    """Every page of the admin UI on the hub's services, and a simulated browser on them (as the UI tests do)."""
    import httpx
    from nicegui import app as nicegui_app
    from nicegui import core, ui
    from nicegui.storage import Storage
    from nicegui.testing.general import nicegui_reset_globals, prepare_simulation

    from ui.app import register_pages

    with nicegui_reset_globals():
        os.environ["NICEGUI_USER_SIMULATION"] = "true"
        Storage.path = storage  # session tokens go to the bench's temporary folder, not the working directory
        nicegui_app.storage = Storage()
        try:
            core.script_mode = False  # pages are registered below, as ui.run_with does for the hub
            register_pages(services)  # type: ignore[arg-type]
            prepare_simulation()
            ui.run(storage_secret="bench-storage-secret", show_welcome_message=False)
            async with core.app.router.lifespan_context(core.app):
                transport = httpx.ASGITransport(core.app)
                async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                    yield User(client)
        finally:
            os.environ.pop("NICEGUI_USER_SIMULATION", None)


async def time_pages(services: object, repeat: int, storage: Path, manager_id: int) -> list[Timing]:
    from ui import shell
    from ui.testing import open_page

    now = datetime.now(LOCAL)
    today_local, period = now.date().isoformat(), f"{now:%Y-%m}"
    timings: list[Timing] = []
    async with simulated_browser(services, storage) as user:
        for who, username in (("admin", "admin"), ("manager", "lanhdao")):
            await user.open(shell.SIGN_IN_PATH)
            user.find(marker="username").type(username)
            user.find(marker="password").type(PASSWORD)
            user.find(marker="sign-in").click()
            await user.should_see(marker="user-menu", retries=100)
            values = page_values(today_local, period, who == "admin", manager_id)
            for template in (entry.path for entry in shell.registered_pages()):
                filled = fill(template, values)
                if filled is None:
                    timings.append(Timing(who, template, float("nan"), float("nan"), "no value for a parameter"))
                    continue
                for query in EXTRA_QUERIES.get(template, [""]):
                    path = filled + query
                    runs = []
                    for _ in range(repeat + 1):
                        started = clock.perf_counter()
                        status = await open_page(user, path)
                        await user.should_not_see(marker="loading", retries=600)  # figures loaded after connect
                        runs.append(clock.perf_counter() - started)
                    note = "403" if status == 403 else "sent to sign-in" if _shows(user, "sign-in") else ""
                    counted = runs[1:]
                    timings.append(Timing(who, path, statistics.median(counted), min(counted), note))
            user.find(marker="sign-out").click()  # (GET /sign-out only asks: the button signs out)
            await user.should_see(marker="sign-in", retries=100)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed opens per page after the warm-up")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from bench.timesheet_db import bench_database, load
    from hub.runtime import HubRuntime
    from hub.settings import HubSettings
    from tests.services import free_port

    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-ui-") as tmp,
        bench_database(args.database_url, Path(tmp) / "pg") as url,
    ):
        workdir = Path(tmp)
        now = datetime.now(LOCAL)
        started = clock.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            counts = load(conn, args.employees, now.year, now.month)
            seed_devices(conn, DEVICES)
        load_s = clock.perf_counter() - started
        settings = HubSettings(
            database_url=url,
            data_dir=workdir / "data",
            role="api",
            embedded_mqtt_port=free_port(),
            admin_password=PASSWORD,
            storage_secret="bench-storage-secret",
        )
        runtime = HubRuntime(settings)
        try:
            runtime.start()
            assert runtime.services is not None
            manager_id = seed_users(runtime.services)
            timings = asyncio.run(time_pages(runtime.services, args.repeat, workdir / "nicegui", manager_id))
        finally:
            runtime.stop()

    if args.json:
        print(json.dumps({**counts, "load_seconds": round(load_s, 1), "goal_seconds": GOAL_S,
                          "pages": [t.__dict__ for t in timings]}))  # fmt: skip
        return 0
    print(
        f"{counts['employees']:,} employees, {counts['events']:,} events this month, {DEVICES} devices "
        f"(loaded in {load_s:.0f} s); median of {args.repeat} opens after a warm-up, goal < {GOAL_S:.0f} s"
    )
    width = max(len(t.path) for t in timings)
    print(f"{'user':8} {'page':{width}} {'ms':>8} {'best':>8}  ")
    for t in timings:
        if t.median_s != t.median_s:  # NaN: not opened
            print(f"{t.who:8} {t.path:{width}} {'—':>8} {'—':>8}  {t.note}")
            continue
        verdict = "ok" if t.median_s < GOAL_S else "SLOW"
        print(
            f"{t.who:8} {t.path:{width}} {t.median_s * 1000:8.0f} {t.best_s * 1000:8.0f}  {verdict} {t.note}".rstrip()
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time to open every page of the web UI with 10,000 employees and a month of events, at several hours.

    python -m bench.ui_pages [--employees 10000] [--repeat 3] [--day 2026-12-04]
                             [--at 04:30,07:00,08:00,12:00,21:50,23:30,first-of-month] [--json]
                             [--database-url postgresql://…]

Seeds the org tree, the employees and a month of FaceID events (the month of `--day`, default
today, with `bench.timesheet_db.load`: every working day of the month, ~480,000 events), 500
door devices with a status history, a system admin and a manager of one department (1/10 of the
staff). Then starts the hub's running parts exactly as `cces hub --role api` does (`HubRuntime`:
pool, live feed, accounts) with every page module registered, on a clock the bench sets
(`HubRuntime.clock`, which the services and the daily cache warm-up read), signs both users in
through the sign-in page with NiceGUI's simulated user, and opens every page of the shell's
registry — all modules, not only attendance — as each of them, at each hour of `--at`.

What a page computes depends on the hour: which days of the month are over (cached), which are
today's (read on every open) and which are still ahead, and on the 1st no day of the month is
over yet. `--at` takes local times on `--day` (HH:MM), `first-of-month` (09:00 on the 1st of that
month) or `first-of-month@HH:MM`, or an ISO date and time; they run in time order on one hub, as
its clock would move (the bench warms the cache when the day changes, as the hub does after
midnight).

What is timed is from `user.open(path)` — the HTTP GET of the page through the ASGI app, the page
function, the websocket handshake — until the page shows no loading spinner (marked "loading"):
heavy pages send their frame at once and load their figures after the browser connects, so the
time includes that first data load. Pages
with path parameters are opened with real values (a unit, an employee, today, this month); the
admin opens units at the top of the tree (all 10,000 people), the manager their department.
The first open of each page at each hour is a warm-up and is not counted; the figure is the
median of the rest. Goal: < 1 s per page at every hour.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
import time as clock
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from nicegui.testing.user import User

from hub.localtime import LOCAL_TZ as LOCAL

if TYPE_CHECKING:
    from hub.runtime import HubRuntime

GOAL_S = 1.0
DEVICES = 500
PASSWORD = "bench-Mật-khẩu-2026"
MANAGER_UNIT = "CHQ00"  # a department of bench.timesheet_db's tree (1/10 of the staff)
DEFAULT_AT = "04:30,07:00,08:00,12:00,21:50,23:30,first-of-month"
FIRST_OF_MONTH = "first-of-month"
EXTRA_QUERIES = {  # pages whose query parameters choose what is computed: each variant is timed
    "/reports": ["?tab=timesheet", "?tab=lateness", "?tab=absence", "?tab=uptime"],
}


@dataclass(frozen=True)
class Timing:
    at: str  # the hub's local time, ISO
    who: str
    path: str
    median_s: float
    best_s: float
    cpu_s: float = float("nan")  # the median open's CPU time in this process (the hub's part; not PostgreSQL's)
    note: str = ""


class BenchClock:
    """The hub's clock during the bench: a fixed moment the bench moves (`HubRuntime.clock`)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def parse_moments(text: str, day: date) -> list[datetime]:
    """`--at`: HH:MM on `day`, `first-of-month[@HH:MM]` (the 1st of `day`'s month, 09:00 by default) or an
    ISO date and time, all local; in time order, each once."""
    moments = set()
    for item in (part.strip() for part in text.split(",") if part.strip()):
        if item.startswith(FIRST_OF_MONTH):
            hour = item.partition("@")[2] or "09:00"
            moments.add(datetime.combine(day.replace(day=1), time.fromisoformat(hour), LOCAL))
        elif "T" in item or " " in item:
            moments.add(datetime.fromisoformat(item).replace(tzinfo=LOCAL))
        else:
            moments.add(datetime.combine(day, time.fromisoformat(item), LOCAL))
    if not moments:
        raise SystemExit("--at: give at least one hour")
    if any((m.year, m.month) != (day.year, day.month) for m in moments):
        raise SystemExit(f"--at: every hour must fall in the month of --day ({day:%Y-%m}), whose events are loaded")
    return sorted(moments)


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

    admin = services.accounts.sign_in("admin", PASSWORD).principal  # type: ignore[attr-defined]
    manager = services.accounts.create_user(  # type: ignore[attr-defined]
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


async def time_pages(
    runtime: HubRuntime, bench_clock: BenchClock, moments: list[datetime], repeat: int, storage: Path, manager_id: int
) -> list[Timing]:
    """Every page as each user, at each of `moments` (the hub's clock set to it)."""
    from ui import shell
    from ui.testing import open_page

    services = runtime.services
    assert services is not None
    timings: list[Timing] = []
    async with simulated_browser(services, storage) as user:
        for now in moments:
            bench_clock.moment = now
            if runtime.warmed_for != now.date():  # a new day: the cache is warmed, as the hub does after midnight
                await asyncio.to_thread(runtime.warm_reports, now.date())
            today_local, period = now.date().isoformat(), f"{now:%Y-%m}"
            at = f"{now:%Y-%m-%dT%H:%M}"  # local
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
                        timings.append(
                            Timing(at, who, template, float("nan"), float("nan"), "no value for a parameter")
                        )
                        continue
                    for query in EXTRA_QUERIES.get(template, [""]):
                        path = filled + query
                        runs = []
                        try:
                            for _ in range(repeat + 1):
                                started, cpu = clock.perf_counter(), clock.process_time()
                                status = await open_page(user, path)
                                await user.should_not_see(marker="loading", retries=600)  # figures after connect
                                runs.append((clock.perf_counter() - started, clock.process_time() - cpu))
                                leave_other_pages(user)
                        except (
                            AssertionError
                        ) as exc:  # e.g. NiceGUI's 3 s limit for building a page: reported, not fatal
                            failed = f"failed: {str(exc).splitlines()[0][:80]}"
                            timings.append(Timing(at, who, path, float("nan"), float("nan"), note=failed))
                            continue
                        note = "403" if status == 403 else "sent to sign-in" if _shows(user, "sign-in") else ""
                        counted = sorted(runs[1:])
                        median = counted[(len(counted) - 1) // 2]  # (a run that happened, with its CPU time)
                        timings.append(Timing(at, who, path, median[0], counted[0][0], median[1], note))
                user.find(marker="sign-out").click()  # (GET /sign-out only asks: the button signs out)
                await user.should_see(marker="sign-in", retries=100)
    return timings


def leave_other_pages(user: User) -> None:
    """Delete every page's client but the one `user` shows, as a browser leaving a page does: the simulated
    user keeps them, and their refresh timers (dashboard, start page) would go on loading in the background
    and be counted against the pages opened after them."""
    from nicegui import Client

    for client in list(Client.instances.values()):
        if client is not user.client:
            client.delete()


def wait_warmed(runtime: HubRuntime, day: date, timeout_s: float = 600) -> None:
    """Until the hub's own warm-up at start (its maintenance thread) is done, so that it is not timed."""
    deadline = clock.monotonic() + timeout_s
    while runtime.warmed_for != day:
        if clock.monotonic() > deadline:
            raise SystemExit("the hub did not warm its report cache in time (see its log)")
        clock.sleep(0.2)


def print_table(timings: list[Timing]) -> None:
    """One row per user and page, one column per hour: the median open's wall ms ("!" when over the goal)
    and, in brackets, its CPU ms in the hub's process (what other load on the machine does not inflate)."""
    hours = list(dict.fromkeys(t.at for t in timings))

    def page(t: Timing) -> str:  # the same page at each hour (a unit's day is today's)
        return t.path.replace(t.at[:10], "<today>")

    rows = list(dict.fromkeys((t.who, page(t)) for t in timings))
    by = {(t.who, page(t), t.at): t for t in timings}
    width = max(len(path) for _, path in rows)
    labels = [at.replace("T", " ")[5:] for at in hours]  # MM-DD HH:MM, local
    print(f"{'user':8} {'page':{width}} " + " ".join(f"{label:>16}" for label in labels))
    for who, path in rows:
        cells = []
        notes = set()
        for at in hours:
            t = by.get((who, path, at))
            if t is None or t.median_s != t.median_s:  # NaN: not opened
                cells.append(f"{'—':>16}")
                if t is not None:
                    notes.add(t.note)
                continue
            mark = "" if t.median_s < GOAL_S else "!"
            cells.append(f"{t.median_s * 1000:.0f}{mark} ({t.cpu_s * 1000:.0f})".rjust(16))
            if t.note:
                notes.add(t.note)
        print(f"{who:8} {path:{width}} " + " ".join(cells) + (f"  {', '.join(sorted(notes))}" if notes else ""))
    slow = [t for t in timings if t.median_s == t.median_s and t.median_s >= GOAL_S]
    worst = max((t for t in timings if t.median_s == t.median_s), key=lambda t: t.median_s)
    print(
        f"slowest: {worst.median_s * 1000:.0f} ms ({worst.who} {worst.path} at {worst.at}); "
        f"{len(slow)} page × hour over {GOAL_S * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed opens per page after the warm-up")
    parser.add_argument("--day", type=date.fromisoformat, help="the local day the hours are on (default: today)")
    parser.add_argument(
        "--at",
        default=DEFAULT_AT,
        help=f"the hub's local times: HH:MM, {FIRST_OF_MONTH}[@HH:MM], or ISO date and time (default: {DEFAULT_AT})",
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    day = args.day or datetime.now(LOCAL).date()
    moments = parse_moments(args.at, day)

    from bench.timesheet_db import bench_database, load
    from hub.runtime import HubRuntime
    from hub.settings import HubSettings
    from tests.services import free_port

    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-ui-") as tmp,
        bench_database(args.database_url, Path(tmp) / "pg") as url,
    ):
        workdir = Path(tmp)
        started = clock.perf_counter()
        with psycopg.connect(url, autocommit=True) as conn:
            counts = load(conn, args.employees, day.year, day.month)
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
        bench_clock = BenchClock(moments[0])
        runtime = HubRuntime(settings, clock=bench_clock)
        try:
            runtime.start()
            assert runtime.services is not None
            manager_id = seed_users(runtime.services)
            wait_warmed(runtime, moments[0].date())
            timings = asyncio.run(
                time_pages(runtime, bench_clock, moments, args.repeat, workdir / "nicegui", manager_id)
            )
        finally:
            runtime.stop()

    if args.json:
        print(json.dumps({**counts, "load_seconds": round(load_s, 1), "goal_seconds": GOAL_S,
                          "pages": [t.__dict__ for t in timings]}))  # fmt: skip
        return 0
    print(
        f"{counts['employees']:,} employees, {counts['events']:,} events in {day:%Y-%m}, {DEVICES} devices "
        f"(loaded in {load_s:.0f} s); median of {args.repeat} opens after a warm-up, in ms at each local time;"
        f" (CPU ms of the hub's process in brackets); goal < {GOAL_S * 1000:.0f} ms"
    )
    print_table(timings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

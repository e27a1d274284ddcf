"""`cces hub --role ingest`: an ingest worker stores events and never loads the face models.

The face models (OpenCV, insightface, onnxruntime) cost seconds of CPU to import and an ingest worker
never checks a photo nor builds a gallery; a worker restarted under load must be back in about a second.
The real command runs with Python's own import log (`PYTHONPROFILEIMPORTTIME`), which names every
module the process imported, through start-up and an event stored.
"""

from __future__ import annotations

import json
import shutil
import time

import httpx
import pytest

from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.hubprocess import hub_env, running_hub
from tests.hubstack import attendance_event, device_client, publish
from tests.services import new_workdir, stop_postgres

pytestmark = pytest.mark.timeout(180)

FACE_MODULES = {"cv2", "insightface", "onnxruntime"}


def imported_modules(log: str) -> set[str]:
    """Every module named by `-X importtime` lines ("import time: self | cumulative | name")."""
    return {line.rsplit("|", 1)[-1].strip() for line in log.splitlines() if line.startswith("import time:")}


def test_the_ingest_role_stores_events_without_importing_the_face_models() -> None:
    data_dir = new_workdir("cces-ingest-role-")
    env = hub_env(data_dir, CCES_ROLE="ingest", CCES_LOG_LEVEL="INFO", PYTHONPROFILEIMPORTTIME="1")
    try:
        with running_hub(env) as hub:
            assert httpx.get(f"{hub.base_url}/api/v1/health").json()["mqtt"] == "ok"
            result = hub.cces("provision", "device", "door-i-01", "--json")
            assert result.returncode == 0, result.stderr
            credentials = json.loads(result.stdout)
            client = device_client(
                BrokerAddress.parse(credentials["mqtt_url"]),
                DeviceCredentials(credentials["username"], credentials["password"]),
            )
            publish(client, Topics("door-i-01").events, attendance_event("door-i-01", seq=1))
            client.disconnect()
            password = (data_dir / "admin-password").read_text().strip()
            signed_in = httpx.post(
                f"{hub.base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": password}
            )
            headers = {"Authorization": f"Bearer {signed_in.json()['token']}"}
            deadline = time.monotonic() + 30
            while httpx.get(f"{hub.base_url}/api/v1/ingest/stats", headers=headers).json()["accepted"] < 1:
                assert time.monotonic() < deadline, f"the event was not stored\n{hub.log_tail()}"
                time.sleep(0.2)
            log = (data_dir / "hub.log").read_text(errors="replace")
    finally:
        if (data_dir / "postgres" / "postmaster.pid").exists():
            stop_postgres(data_dir / "postgres")
        shutil.rmtree(data_dir, ignore_errors=True)
    imported = imported_modules(log)
    assert {"psycopg", "hub.ingest.consumer", "hub.services"} <= imported, "the import log was not written"
    assert imported & FACE_MODULES == set(), f"the ingest role imported {sorted(imported & FACE_MODULES)}"

"""`/metrics` of a running `cces hub` (issue 13 item 8), scraped over real HTTP as Prometheus would.

Events go through the hub's own broker from a provisioned device, requests through its HTTP port;
each scrape is parsed with prometheus-client's own parser and the counters must have moved by exactly
what was done. The endpoint answers only a trusted address (here 127.0.0.2, a loopback address the
test binds its connection to) or the bearer token — never a user session.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import nicegui
import pytest
from prometheus_client.parser import text_string_to_metric_families

from protocol.broker_url import BrokerAddress
from protocol.topics import Topics
from provisioning.credentials import DeviceCredentials
from tests.conftest import drop_database, new_database
from tests.hubprocess import HubProcess, hub_env, running_hub
from tests.hubstack import attendance_event, device_client, publish
from tests.services import new_workdir

pytestmark = pytest.mark.timeout(240)

#: seconds an answer may take on a loaded machine (a sign-in hashes with argon2; httpx waits 5 s by default)
SLOW = 30.0

TOKEN = "metrics-token-" + "k" * 24
TRUSTED = "127.0.0.2"  # a loopback address of its own: a connection made from it is "trusted"
ADMIN_PASSWORD = "do-luong-thu-nghiem-2026"
DEVICE = "door-metrics-01"

Labels = tuple[tuple[str, str], ...]


@dataclass
class Scrape:
    """One scrape: every sample by name and labels (histogram series under their _bucket/_count/_sum names)."""

    samples: dict[tuple[str, Labels], float]

    @classmethod
    def parse(cls, text: str) -> Scrape:
        samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return cls(samples)

    def value(self, name: str, **labels: str) -> float:
        """The sample's value; 0 for a series not there yet (a labelled counter appears at its first count)."""
        return self.samples.get((name, tuple(sorted(labels.items()))), 0.0)

    def names(self) -> set[str]:
        return {name for name, _ in self.samples}

    def label_values(self) -> set[str]:
        return {value for _, labels in self.samples for _, value in labels}


@pytest.fixture(scope="module")
def hub(postgres_server: str) -> Iterator[HubProcess]:
    from hub.db import migrate

    url = new_database(postgres_server)
    migrate(url)
    data_dir = new_workdir("cces-hub-metrics-")
    try:
        env = hub_env(
            data_dir,
            CCES_DATABASE_URL=url,
            CCES_ADMIN_PASSWORD=ADMIN_PASSWORD,
            CCES_METRICS_TOKEN=TOKEN,
            CCES_METRICS_TRUSTED=f"{TRUSTED}/32, 10.99.0.0/16",
        )
        with running_hub(env) as process:
            yield process
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        drop_database(postgres_server, url)


def scrape(hub: HubProcess) -> Scrape:
    response = httpx.get(f"{hub.base_url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape.parse(response.text)


def test_the_counters_move_by_what_the_hub_did(hub: HubProcess) -> None:
    before = scrape(hub)
    assert before.value("cces_ingest_writer_up") == 1 and before.value("cces_ingest_writer_restarts_total") == 0
    assert before.value("cces_mqtt_connected", client="ingest") == 1
    assert before.value("cces_mqtt_connected", client="commands") == 1
    assert before.value("cces_database_up") == 1
    assert sum(v for (n, _), v in before.samples.items() if n == "cces_embedded_broker_up") == 1
    assert before.value("cces_db_pool_max_connections") == 10  # CCES_POOL_MAX_SIZE's default
    assert before.value("cces_db_pool_connections") >= 1

    # through the hub's broker: 5 events, one of them again, 2 that are not JSON, 1 of a version it does not speak
    result = hub.cces("provision", "device", DEVICE, "--json")
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)
    client = device_client(
        BrokerAddress.parse(credentials["mqtt_url"]),
        DeviceCredentials(credentials["username"], credentials["password"]),
    )
    topic = Topics(DEVICE).events
    events = [attendance_event(DEVICE, seq=seq) for seq in range(5)]
    for event in events:
        publish(client, topic, event)
    publish(client, topic, events[0])
    publish(client, topic, b"{not json")
    publish(client, topic, b"\xff\xfe")
    publish(client, topic, attendance_event(DEVICE, seq=9, v=2))
    client.disconnect()

    deadline = time.monotonic() + 60
    while True:
        now = scrape(hub)
        moved = {
            "accepted": now.value("cces_ingest_events_accepted_total")
            - before.value("cces_ingest_events_accepted_total"),
            "duplicate": now.value("cces_ingest_events_duplicate_total")
            - before.value("cces_ingest_events_duplicate_total"),
            "not_json": now.value("cces_ingest_messages_rejected_total", reason="not_json"),
            "unsupported_version": now.value("cces_ingest_messages_rejected_total", reason="unsupported_version"),
        }
        if moved == {"accepted": 5, "duplicate": 1, "not_json": 2, "unsupported_version": 1}:
            break
        assert time.monotonic() < deadline, f"ingest did not count what was sent: {moved}\n{hub.log_tail()}"
        time.sleep(0.3)
    received = now.value("cces_ingest_messages_received_total") - before.value("cces_ingest_messages_received_total")
    assert received == 9
    batches = now.value("cces_ingest_batches_total") - before.value("cces_ingest_batches_total")
    commits = now.value("cces_ingest_batch_commit_seconds_count") - before.value(
        "cces_ingest_batch_commit_seconds_count"
    )
    assert batches >= 1 and commits == batches
    assert now.value("cces_ingest_batch_commit_seconds_bucket", le="+Inf") == now.value(
        "cces_ingest_batch_commit_seconds_count"
    )
    assert now.value("cces_ingest_backlog_messages") == 0
    assert now.value("cces_db_pool_requests_total") > before.value("cces_db_pool_requests_total")

    # HTTP: counted by route template, never by the path sent
    stray = f"/nothing-here-{uuid.uuid4().hex}"
    static = f"/_nicegui/{nicegui.__version__}/static/{uuid.uuid4().hex}.js"
    for _ in range(3):
        assert httpx.get(f"{hub.base_url}/api/v1/health").status_code == 200
    for device_id in (DEVICE, DEVICE, "door-someone-else"):
        assert httpx.get(f"{hub.base_url}/api/v1/devices/{device_id}").status_code == 401
    assert httpx.get(f"{hub.base_url}{stray}").status_code == 404
    assert httpx.get(f"{hub.base_url}{static}").status_code == 404
    assert 400 <= httpx.request("BREW", f"{hub.base_url}/api/v1/health").status_code < 500  # (uvicorn refuses it)
    after = scrape(hub)

    def moved_by(name: str, **labels: str) -> float:
        return after.value(name, **labels) - now.value(name, **labels)

    health = {"method": "GET", "route": "/api/v1/health"}
    device = {"method": "GET", "route": "/api/v1/devices/{device_id}"}
    assert moved_by("cces_http_requests_total", **health, status="200") == 3
    assert moved_by("cces_http_request_duration_seconds_count", **health) == 3
    assert moved_by("cces_http_request_duration_seconds_bucket", **health, le="+Inf") == 3
    assert moved_by("cces_http_requests_total", **device, status="401") == 3
    assert moved_by("cces_http_requests_total", method="GET", route="unmatched", status="404") == 1
    static_route = f"/_nicegui/{nicegui.__version__}/static/{{path}}"
    assert moved_by("cces_http_requests_total", method="GET", route=static_route, status="404") == 1
    # the scrapes before this one are counted too (a scrape's own request is counted once it is answered)
    assert after.value("cces_http_requests_total", method="GET", route="/metrics", status="200") >= 2
    sent = {DEVICE, "door-someone-else", stray, static, "BREW"}
    assert not [value for value in after.label_values() if any(s in value for s in sent)]


def test_the_job_worker_of_the_process_and_the_queue_s_workers_are_reported(hub: HubProcess) -> None:
    deadline = time.monotonic() + 60
    while (now := scrape(hub)).value("cces_jobs_workers") < 1:  # the worker registers once its thread runs
        assert time.monotonic() < deadline, f"no job worker registered\n{hub.log_tail()}"
        time.sleep(0.3)
    assert now.value("cces_jobs_workers") == 1  # this hub's, the only one
    assert now.value("cces_jobs_worker_up") == 1 and now.value("cces_jobs_worker_restarts_total") == 0
    queues = {dict(labels)["queue"] for name, labels in now.samples if name == "cces_jobs_worker_queue"}
    assert {"maintenance", "commands", "galleries"} <= queues
    assert [q for q in queues if q.startswith("storage.")], queues  # this data dir's files


def test_only_a_trusted_address_or_the_token_may_read_them(hub: HubProcess) -> None:
    url = f"{hub.base_url}/metrics"
    refused = httpx.get(url, timeout=SLOW)
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "Không được đọc /metrics" in detail and "Not allowed to read /metrics" in detail
    assert "cces_" not in refused.text
    for authorization in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, "Bearer"):
        assert httpx.get(url, headers={"Authorization": authorization}, timeout=SLOW).status_code == 403, authorization

    # a user session, even the system admin's, is not what opens /metrics
    signed_in = httpx.post(
        f"{hub.base_url}/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=SLOW
    )
    assert signed_in.status_code == 200, signed_in.text
    session = signed_in.json()["token"]
    assert httpx.get(url, headers={"Authorization": f"Bearer {session}"}, timeout=SLOW).status_code == 403
    assert httpx.get(url, cookies={"cces_session": session}, timeout=SLOW).status_code == 403

    assert httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=SLOW).status_code == 200
    with httpx.Client(transport=httpx.HTTPTransport(local_address=TRUSTED), timeout=SLOW) as trusted:
        answer = trusted.get(url)
    assert answer.status_code == 200 and "cces_ingest_writer_up 1.0" in answer.text

    # not an API route: neither in the API's description nor behind its session guard
    # the description is built on its first asking: seconds on a loaded machine, past httpx's default 5 s
    openapi = httpx.get(f"{hub.base_url}/api/v1/openapi.json", timeout=SLOW).json()
    assert not [path for path in openapi["paths"] if "metrics" in path]

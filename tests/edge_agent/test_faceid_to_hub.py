"""A door device pointed at the test clip puts exactly the right attendance records into the hub.

Real everything: the agent runs as its own process (`cces agent`) with the `faceid` capability
reading the clip as its camera (as fast as it can), the real `yunet-sface` pack and a gallery
enrolled from `enroll/`; the broker is the embedded amqtt or a Mosquitto; the hub's ingest
commits to PostgreSQL. The people the clip must record come from truth.json, each once
(cooldown), each with its audit snapshot stored; nobody else gets an attendance record.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hub.snapshots.store import SnapshotEvent
from tests.edge_agent.helpers import wait_until
from tests.hubstack import IngestStack, provision

pytestmark = pytest.mark.timeout(120)

CLIP = "short_hamilton_clip.mp4"


def write_config(path: Path, stack: IngestStack, device_id: str, password: str, models: Path, faces: Path) -> Path:
    path.write_text(
        "\n".join(
            [
                f'device_id = "{device_id}"',
                f'mqtt_url = "{stack.broker.url}"',
                f'username = "{device_id}"',
                f'password = "{password}"',
                f'data_dir = "{path.parent}"',
                "telemetry_interval_s = 1.0",
                "reconnect_max_delay_s = 1",
                "[faceid]",
                "enabled = true",
                f'models_dir = "{models}"',
                f'gallery_dir = "{faces / "enroll"}"',
                'direction = "in"',
                "[faceid.camera]",
                f'file = "{faces / "video" / CLIP}"',
                "realtime = false",
            ]
        )
        + "\n"
    )
    return path


def latest_metrics(stack: IngestStack, device_id: str) -> dict[str, Any]:
    rows = stack.query("SELECT metrics FROM device_telemetry WHERE device_id = %s ORDER BY ts DESC LIMIT 1", device_id)
    return dict(rows[0][0]) if rows else {}


def test_agent_with_faceid_on_the_clip_records_exactly_the_people_in_it(
    ingest_stack: IngestStack, models_dir: Path, testdata_dir: Path, tmp_path: Path
) -> None:
    faces = testdata_dir / "faces"
    expected = json.loads((faces / "truth.json").read_text(encoding="utf-8"))["video"][CLIP]
    device = "door-faceid-01"
    credentials = provision(ingest_stack.database_url, device, ingest_stack.broker_handle)
    config = write_config(tmp_path / "agent.toml", ingest_stack, device, credentials.password, models_dir, faces)
    log_path = tmp_path / "agent.log"
    with open(log_path, "ab") as log:
        agent = subprocess.Popen(
            [sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=log, stderr=log
        )
    try:
        finished = wait_until(lambda: latest_metrics(ingest_stack, device).get("faceid.state") == "finished", 60, 0.2)
        metrics = latest_metrics(ingest_stack, device)
        assert finished, f"faceid did not finish the clip: {metrics}\n{log_path.read_text()[-3000:]}"
        present = sorted(expected["present"])
        ingest_stack.wait_for("SELECT count(*) FROM attendance_events WHERE device_id = %s", len(present), 20, device)
        time.sleep(1.0)  # a stray extra record would show up now
        rows = ingest_stack.query(
            "SELECT person_id, score, liveness, model, direction, snapshot_file, id, ts FROM attendance_events"
            " WHERE device_id = %s ORDER BY person_id",
            device,
        )
    finally:
        agent.terminate()
        agent.wait(20)

    assert [r[0] for r in rows] == present, "each person in the clip recorded once, nobody else"
    assert not {r[0] for r in rows} & set(expected["absent"])
    for person_id, score, liveness, model, direction, snapshot, event_id, ts in rows:
        assert score >= 0.363 and model == "yunet-sface" and direction == "in", person_id
        assert liveness is not None and 0.0 <= liveness <= 1.0
        assert snapshot is not None, f"{person_id}: attendance without its audit snapshot"
        jpeg = ingest_stack.snapshots.open(SnapshotEvent("attendance", event_id, ts), snapshot)
        assert jpeg[:2] == b"\xff\xd8", "snapshot stored as a JPEG (sealed)"
    unknown = ingest_stack.query("SELECT snapshot_file, score FROM unknown_faces WHERE device_id = %s", device)
    assert all(sha is not None and score < 0.363 for sha, score in unknown), "unknown faces come with snapshots"
    rejects = ingest_stack.scalar("SELECT count(*) FROM ingest_rejects WHERE device_id = %s", device)
    assert rejects == 0
    assert metrics["faceid.model"] == "yunet-sface" and metrics["faceid.provider"]
    assert metrics["faceid.frames"] == 275 and metrics["faceid.faces_seen"] > 0
    assert metrics["faceid.camera_state"] == "ended" and metrics["faceid.attendance"] == len(present)


def test_a_camera_that_drops_is_reported_and_reopened(models_dir: Path, testdata_dir: Path) -> None:
    """A live source that stops delivering frames (here: a file opened as a device URL, which ends)
    shows up in the capability's metrics as a drop and is reopened, frames flowing again."""
    from edge_agent.capabilities.faceid import FaceIdCapability
    from edge_agent.settings import FaceIdSettings

    faces = testdata_dir / "faces"
    settings = FaceIdSettings(
        enabled=True,
        models_dir=models_dir,
        gallery_dir=faces / "enroll",
        camera={"device": str(faces / "video" / CLIP), "reconnect_min_s": 0.1, "reconnect_max_s": 0.2},
    )
    capability = FaceIdCapability(settings)
    sink = _ListSink()
    capability.start(sink)
    try:
        assert wait_until(lambda: capability.metrics()["camera_drops"] >= 1, 60), capability.metrics()
        frames_at_drop = capability.metrics()["frames"]
        assert wait_until(lambda: capability.metrics()["frames"] > frames_at_drop, 30), "camera not reopened"
        metrics = capability.metrics()
        assert metrics["state"] == "running" and metrics["model"] == "yunet-sface"
    finally:
        capability.stop()
    assert capability.metrics()["camera_state"] == "stopped"
    people = [e.data.person_id for e in sink.events if e.type == "attendance.face"]
    assert len(people) == len(set(people)), "the cooldown holds across a reconnect (time keeps going forward)"


class _ListSink:
    """An in-memory EventSink."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    @property
    def device_id(self) -> str:
        return "door-drop-01"

    @property
    def last_seq(self) -> int:
        return len(self.events)

    def emit(self, build: Any) -> Any:
        event = build(len(self.events) + 1)
        self.events.append(event)
        return event


def test_faceid_config_errors_name_the_field(tmp_path: Path) -> None:
    """A [faceid] section a person must fix is a one-line error, not a capability failing later."""
    from edge_agent.settings import AgentSettings, ConfigError

    base = 'device_id = "door-cfg-01"\n[faceid]\nenabled = true\n'
    cases = {
        "": "camera and gallery_dir",
        'gallery_dir = "/g"\n[faceid.camera]\nfile = "/a.mp4"\ndevice = 0\n': "exactly one of camera.file",
        'gallery_dir = "/g"\ndirection = "sideways"\n[faceid.camera]\ndevice = 0\n': "faceid.direction",
    }
    for extra, message in cases.items():
        path = tmp_path / "agent.toml"
        path.write_text(base + extra)
        with pytest.raises(ConfigError, match=message):
            AgentSettings.load(path)
    path.write_text(base + 'gallery_dir = "/g"\n[faceid.camera]\ndevice = "rtsp://cam.local/stream"\n')
    faceid = AgentSettings.load(path).faceid
    assert faceid.camera is not None and faceid.camera.device == "rtsp://cam.local/stream"
    assert (faceid.pack, faceid.threshold, faceid.cooldown_s, faceid.snapshot) == ("yunet-sface", None, 60.0, True)

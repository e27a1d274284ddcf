"""The devices pages on a fleet fed through the real broker and ingest (amqtt), simulated user."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from nicegui import ui

from hub.accounts.principal import Role
from protocol.topics import Topics
from tests.hub.devices.sites import map_sites
from tests.hubstack import IngestStack, device_client, provision, publish
from tests.ui.conftest import SETUP_ADMIN, open_refused, table_rows

pytestmark = pytest.mark.parametrize("ingest_stack", ["amqtt"], indirect=True)


def _heartbeat(device_id: str, ts: datetime, fps: float, pending: int) -> dict:
    return {
        "v": 1,
        "device_id": device_id,
        "ts": ts.isoformat().replace("+00:00", "Z"),
        "uptime_s": 3600.0,
        "software_version": "0.1.0",
        "outbox_pending": pending,
        "outbox_bytes": pending * 300,
        "metrics": {"faceid.fps": fps, "faceid.model": "yunet-sface", "connected": True},
    }


@pytest.fixture
def fleet(ingest_stack: IngestStack, ui_database_url: str) -> IngestStack:
    """door-hq-01 online with three heartbeats (fps 7.5 last), door-hq-02 registered but never seen; both at
    'Trụ sở Cục', the office of Cục Hải quan Hà Nội (CHQHN), whose office admin the tests sign in as."""
    credentials = provision(ui_database_url, "door-hq-01")
    provision(ui_database_url, "door-hq-02")
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        conn.execute("UPDATE devices SET kind = 'faceid', site = 'Trụ sở Cục', room = 'Cổng chính'")
        map_sites(conn, {"Trụ sở Cục": ["CHQHN"], "Chi cục Nội Bài": ["CCHQNB"]})
    client = device_client(ingest_stack.broker, credentials)
    topics = Topics("door-hq-01")
    now = datetime.now(UTC)
    publish(client, topics.status, {"online": True, "ts": now.isoformat(), "software_version": "0.1.0"})
    for i, (fps, pending) in enumerate([(6.0, 3), (7.0, 1), (7.5, 0)]):
        publish(client, topics.telemetry, _heartbeat("door-hq-01", now - timedelta(minutes=2 - i), fps, pending))
    client.disconnect()
    ingest_stack.wait_for("SELECT count(*) FROM device_telemetry WHERE device_id = 'door-hq-01'", 3)
    ingest_stack.wait_for("SELECT online FROM devices WHERE device_id = 'door-hq-01'", True)
    return ingest_stack


async def test_fleet_table_shows_state_place_pack_version_and_fps(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices")
    rows = {r["device_id"]: r for r in await table_rows(user, "fleet")}
    assert set(rows) == {"door-hq-01", "door-hq-02"}
    one, two = rows["door-hq-01"], rows["door-hq-02"]
    assert one["online"] is True and one["state"] == "Trực tuyến"
    assert one["site"] == "Trụ sở Cục" and one["room"] == "Cổng chính"
    assert one["model_pack"] == "yunet-sface" and one["version"] == "0.1.0" and one["fps"] == "7.5"
    assert two["online"] is False and two["state"] == "Mất kết nối" and two["fps"] == "—" and two["last_seen"] == "—"

    await user.open("/devices?state=offline")
    assert [r["device_id"] for r in await table_rows(user, "fleet")] == ["door-hq-02"]


async def test_device_page_has_charts_metrics_and_saves_an_edit_with_audit(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/door-hq-01")
    await user.should_see("door-hq-01")
    await user.should_see("Khung hình/giây")  # the heartbeat's `faceid.fps`, said in words
    await user.should_not_see("faceid.fps")
    with user:
        charts = sorted(user.find(marker="telemetry-chart").elements, key=lambda e: e.id)
    assert len(charts) == 3 and all(isinstance(c, ui.echart) for c in charts)  # fps, backlog, uptime
    fps_series = charts[0].options["series"][0]["data"]
    assert [v for _ts, v in fps_series] == [6.0, 7.0, 7.5]  # oldest first along the time axis

    with user:
        user.find(marker="edit-site").elements.pop().value = "Chi cục Nội Bài"
        user.find(marker="edit-room").elements.pop().value = "Cửa số 2"
    user.find(marker="save-device").click()
    await user.should_see("Chi cục Nội Bài", retries=20)
    row = fleet.query(
        "SELECT a.actor = u.username, before->>'site', after->>'site' FROM audit_log a"
        " JOIN users u ON u.id = a.actor_user_id WHERE action = 'device.update' AND entity_id = 'door-hq-01'"
    )
    assert row == [(True, "Trụ sở Cục", "Chi cục Nội Bài")]  # by the signed-in account, before and after


async def test_unknown_device_is_said_plainly(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/door-nowhere")
    await user.should_see("Không có thiết bị mã door-nowhere.")


async def test_enrolling_a_device_shows_a_qr_code_and_keeps_only_the_hash(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/enroll")
    user.find(marker="enroll-device-id").type("Bad Id!")
    user.find(marker="create-token").click()
    await user.should_see("Mã thiết bị «Bad Id!» không hợp lệ")
    await user.should_not_see(marker="enroll-qr")

    with user:
        user.find(marker="enroll-device-id").elements.pop().value = "door-hq-03"
        site = user.find(marker="enroll-site").elements.pop()
        assert site.options == ["Chi cục Nội Bài", "Trụ sở Cục"]  # the offices of the admin's units only
        site.value = "Trụ sở Cục"
    user.find(marker="create-token").click()
    await user.should_see(marker="enroll-qr", retries=20)
    with user:
        qr = user.find(marker="enroll-qr").elements.pop()
        code = user.find(marker="enroll-token").elements.pop()
        assert isinstance(qr, ui.html) and qr.content.startswith("<svg")
        text = code.content
    assert text.startswith("cces-enroll:v1:door-hq-03:")
    token = text.rsplit(":", 1)[1]
    stored = fleet.query("SELECT token_sha256, kind, site FROM enrollment_tokens WHERE device_id = 'door-hq-03'")
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), "faceid", "Trụ sở Cục")]
    assert token not in str(fleet.query("SELECT after FROM audit_log WHERE action = 'device.enrollment_token'"))


async def test_commands_without_a_broker_channel_say_so_and_keep_nothing(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/door-hq-01")
    user.find(marker="send-command").click()  # ui_services has no command channel (an API-only node)
    await user.should_see(marker="command-history")
    assert user.notify.contains("Không gửi được lệnh: the hub is not connected to the broker")
    assert fleet.scalar("SELECT count(*) FROM device_commands") == 0


async def test_a_command_argument_out_of_its_limits_is_refused_on_the_form_and_nothing_is_sent(
    fleet: IngestStack, sign_in
) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"), language="en")
    await user.open("/devices/door-hq-01")
    await user.should_see(marker="command-name")
    with user:
        user.find(marker="command-name").elements.pop().value = "snapshot"
    await user.should_see(marker="command-arg-quality")
    await user.should_see("JPEG quality")  # the argument said in words, not `quality` in a JSON text
    with user:
        user.find(marker="command-arg-quality").elements.pop().value = 200
    user.find(marker="send-command").click()
    assert user.notify.contains("The arguments are not right: JPEG quality: must be at most 95")
    assert not user.notify.contains("not connected to the broker")  # refused before the hub was asked
    assert fleet.scalar("SELECT count(*) FROM device_commands") == 0


async def test_employees_and_hr_cannot_open_devices(fleet: IngestStack, sign_in) -> None:
    user = await sign_in((Role.HR, "CHQHN"))
    await open_refused(user, "/devices/door-hq-01")
    await user.should_not_see("faceid.fps")


async def test_device_config_desired_next_to_applied_and_changed_from_the_page(
    fleet: IngestStack, biometrics_on, sign_in
) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/door-hq-01")
    await user.should_see(marker="device-config")
    await user.should_see("Thiết bị chưa áp dụng cấu hình mới.")  # its heartbeats report no config version
    with user:
        user.find(marker="config-threshold").elements.pop().value = 0.42
        user.find(marker="config-cooldown").elements.pop().value = 45
    user.find(marker="save-config").click()
    await user.should_see("0.42", retries=20)
    state = biometrics_on.devices.config_state(SETUP_ADMIN, "door-hq-01")
    assert state.desired.threshold == 0.42 and state.desired.cooldown_s == 45
    assert fleet.scalar("SELECT count(*) FROM audit_log WHERE action = 'device.config'") == 1
    await user.should_not_see(marker="edit-rfid")  # a FaceID door has no reader settings

    # an RFID reader: its settings in words, and zone / power / RSSI floor changed from the page
    fleet.query_commit("UPDATE devices SET kind = 'rfid' WHERE device_id = 'door-hq-02'")
    await user.open("/devices/door-hq-02")
    await user.should_see("Đầu đọc RFID")
    with user:
        user.find(marker="rfid-zone").elements.pop().value = "phòng 301"  # spaces and diacritics: refused
    user.find(marker="save-rfid").click()
    await user.should_see("rfid.zone", retries=20)
    assert biometrics_on.devices.config_state(SETUP_ADMIN, "door-hq-02").desired.rfid is None
    with user:
        user.find(marker="rfid-zone").elements.pop().value = "p-301"
        user.find(marker="rfid-power").elements.pop().value = 26
        user.find(marker="rfid-rssi-floor").elements.pop().value = -70
    user.find(marker="save-rfid").click()
    await user.should_see("Vùng đọc p-301, Công suất phát (dBm) 26, Ngưỡng RSSI tối thiểu (dBm) -70", retries=20)
    rfid = biometrics_on.devices.config_state(SETUP_ADMIN, "door-hq-02").desired.rfid
    assert rfid is not None and (rfid["zone"], rfid["power_dbm"], rfid["rssi_floor_dbm"]) == ("p-301", 26, -70)

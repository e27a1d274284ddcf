"""The `rfid` capability with a real reader protocol (a YRM100 simulator on a pty) and a real outbox:
de-duplication and batching into rfid.read events, reconnect with backoff, live config."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from devices.rfid.simulator import SerialReaderSimulator, SimTag
from edge_agent.agent import OutboxSink
from edge_agent.capabilities.rfid import RfidCapability
from edge_agent.outbox import Outbox
from edge_agent.rfid_settings import AntennaSettings, RfidSettings
from protocol.envelope import parse_event

pytest.importorskip("serial")

GIAI = "3434257BF400000000BC6038"  # urn:epc:id:giai:0614141.12345400
OTHER = [f"3034257BF7194E40000{i:05X}" for i in range(20)]


def _wait(check: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _events(outbox: Outbox) -> list:
    return [parse_event(item.payload) for item in outbox.pending(10_000)]


def test_reads_become_few_events_with_zone_and_decoded_epc(tmp_path: Path) -> None:
    tags = [SimTag(GIAI, rssi=-48), SimTag(OTHER[0], rssi=-80), *(SimTag(e, rssi=-60) for e in OTHER[1:])]
    settings = RfidSettings(
        enabled=True,
        reader="yrm100",
        port=str(tmp_path / "ttyRFID"),
        name="cua-1",
        zone="p-301",
        antennas=(AntennaSettings(port=1, zone="p-301-trong"),),
        rssi_floor_dbm=-70,
        dedup_s=1.0,
        batch_s=0.1,
        power_dbm=20,
    )
    with SerialReaderSimulator("yrm100", tmp_path / "ttyRFID", tags, round_s=0.01) as sim:
        outbox = Outbox(tmp_path / "outbox.sqlite3")
        capability = RfidCapability(settings)
        capability.start(OutboxSink("portal-hq-01", outbox))
        started = time.monotonic()
        try:
            _wait(lambda: sim.rounds >= 150, 30)  # ~1.5 s of reads (more on a busy machine): 3,000 reads
        finally:
            capability.stop()
        elapsed = time.monotonic() - started
        metrics = capability.metrics()
    events = _events(outbox)
    assert sim.power_dbm == 20.0
    reads = sum(e.data.count for e in events)
    assert reads == metrics["reads"] - metrics["below_floor"]  # every read above the floor in one event
    assert reads > 1000 and metrics["below_floor"] > 50  # the -80 dBm tag
    assert {e.data.epc for e in events} == {GIAI, *OTHER[1:]}  # the weak tag is filtered out
    per_tag = [e for e in events if e.data.epc == GIAI]
    # de-duplicated: one at once, then one per 1 s window, one at stop
    assert 2 <= len(per_tag) <= 3 + elapsed / settings.dedup_s
    first = per_tag[0].data
    assert (first.zone, first.reader, first.antenna, first.rssi) == ("p-301-trong", "cua-1", 1, -48.0)
    assert (first.scheme, first.uri) == ("giai-96", "urn:epc:id:giai:0614141.12345400")
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert metrics["state"] == "stopped" and metrics["events"] == len(events) and metrics["connects"] == 1
    outbox.close()


def test_reconnects_with_backoff_and_reports_its_state(tmp_path: Path) -> None:
    link = tmp_path / "ttyRFID"
    settings = RfidSettings(
        enabled=True,
        reader="chafon",
        port=str(link),
        dedup_s=0.5,
        batch_s=0.1,
        reconnect_min_s=0.1,
        reconnect_max_s=0.4,
    )
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    capability = RfidCapability(settings)
    capability.start(OutboxSink("shelf-01", outbox))  # no reader yet: backoff, doubling
    try:
        _wait(lambda: capability.metrics()["backoff_s"] == 0.4)
        assert capability.metrics()["state"] in ("backoff", "connecting") and capability.last_error
        with SerialReaderSimulator("chafon", link, [SimTag(OTHER[0])], round_s=0.01) as sim:
            _wait(lambda: capability.metrics()["state"] == "connected")
            _wait(lambda: any(e.data.epc == OTHER[0] for e in _events(outbox)))
            sim.unplug()
            _wait(lambda: capability.metrics()["state"] in ("backoff", "connecting"))
            sim.tags = [SimTag(OTHER[1])]
            sim.replug()
            _wait(lambda: any(e.data.epc == OTHER[1] for e in _events(outbox)))
            m = capability.metrics()
            assert (m["state"], m["connects"], m["reconnects"]) == ("connected", 2, 1)
            # the hub's config: a new zone, live, without reopening the reader
            capability.configure(settings.model_copy(update={"zone": "kho-2"}))
            sim.tags = [SimTag(OTHER[2])]
            _wait(lambda: any(e.data.zone == "kho-2" for e in _events(outbox)))
            assert capability.metrics()["connects"] == 2
    finally:
        capability.stop()
    assert capability.metrics()["state"] == "stopped"
    assert json.loads(json.dumps(capability.metrics()))  # plain scalars for the heartbeat
    outbox.close()


def test_an_llrp_reader_portal_with_two_antennas(tmp_path: Path) -> None:
    pytest.importorskip("sllurp")
    pytest.importorskip("llrpkit")
    from llrpkit.emulator.core import EmulatedTag

    from tests.devices.rfid.llrp_emulator import EmulatorThread

    emulator = EmulatorThread([EmulatedTag(bytes.fromhex(GIAI), antennas=(1, 2), rssi_dbm=-50.0)]).start()
    settings = RfidSettings(
        enabled=True,
        reader="llrp",
        port=f"127.0.0.1:{emulator.port}",
        name="cong-chinh",
        antennas=(AntennaSettings(port=1, zone="trong"), AntennaSettings(port=2, zone="ngoai")),
        batch_s=0.1,
    )
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    capability = RfidCapability(settings)
    capability.start(OutboxSink("portal-llrp-01", outbox))
    try:
        _wait(lambda: {e.data.zone for e in _events(outbox)} == {"trong", "ngoai"}, 10)
    finally:
        capability.stop()
        emulator.stop()
    events = _events(outbox)
    assert {(e.data.antenna, e.data.zone, e.data.reader) for e in events} == {
        (1, "trong", "cong-chinh"),
        (2, "ngoai", "cong-chinh"),
    }
    outbox.close()

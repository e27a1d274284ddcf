"""The agent's read filter: RSSI floor, de-duplication per (EPC, antenna), zone stays, batching."""

from __future__ import annotations

from devices.rfid import TagRead
from edge_agent.rfid_filter import ReadAggregator

A, B = "3034257BF7194E4000001A85", "3034257BF7194E4000001A86"


def _agg(**kw: object) -> ReadAggregator:
    zones = {1: "p-301", 2: "hanh-lang"}
    options: dict[str, object] = {"dedup_s": 10.0, "zone_absent_s": 30.0, "zone_of": zones.get}
    options.update(kw)
    return ReadAggregator(**options)  # type: ignore[arg-type]


def test_first_read_is_reported_at_once_then_counted_until_the_window_ends() -> None:
    agg = _agg()
    for t in (0.0, 0.1, 0.2):
        agg.add(TagRead(A, 1, -50.0 - t, t))
    (first,) = agg.flush(0.5)
    assert (first.count, first.first_seen, first.last_seen, first.rssi, first.zone) == (3, 0.0, 0.2, -50.0, "p-301")
    for t in range(1, 10):  # 9 more reads within the window: nothing until it ends
        agg.add(TagRead(A, 1, -60.0, float(t)))
        assert agg.flush(t + 0.5) == []
    (second,) = agg.flush(10.0)
    assert (second.count, second.first_seen, second.last_seen, second.zone_first_seen) == (9, 1.0, 9.0, 0.0)
    # no read in the next window: the window closes silently, and a read after it is news again
    assert agg.flush(20.0) == [] and agg.open_windows == 0
    agg.add(TagRead(A, 1, -55.0, 21.0))
    (again,) = agg.flush(21.5)
    assert again.count == 1 and again.zone_first_seen == 0.0  # still the same stay in p-301 (absent < 30 s)


def test_counts_add_up_and_antennas_are_apart() -> None:
    agg = _agg(dedup_s=2.0)
    sent = 0
    out = []
    for i in range(300):  # 30 s, 10 reads/s alternating antennas
        t = i / 10
        agg.add(TagRead(A, 1 + i % 2, -50.0, t))
        sent += 1
        if i % 5 == 4:
            out += agg.flush(t)
    out += agg.drain()
    assert sum(s.count for s in out) == sent  # every read in exactly one sighting
    assert {s.antenna for s in out} == {1, 2} and {s.zone for s in out} == {"p-301", "hanh-lang"}
    per_antenna = [s for s in out if s.antenna == 1]
    assert 14 <= len(per_antenna) <= 17  # about one per 2 s window over 30 s, not 150


def test_rssi_floor_drops_weak_reads_and_passes_readers_without_rssi() -> None:
    agg = _agg(rssi_floor_dbm=-70.0)
    assert agg.add(TagRead(A, 1, -75.0, 0.0)) is False
    assert agg.add(TagRead(B, 1, -65.0, 0.0)) is True
    assert agg.add(TagRead(A, 1, None, 0.1)) is True
    assert sorted((s.epc, s.count) for s in agg.flush(1.0)) == [(A, 1), (B, 1)]
    assert (agg.reads, agg.below_floor) == (3, 1)


def test_zone_stay_ends_after_absence() -> None:
    agg = _agg(dedup_s=1.0, zone_absent_s=5.0)
    agg.add(TagRead(A, 1, None, 0.0))
    agg.flush(0.5)
    agg.flush(10.0)  # absent 10 s > 5 s: left the zone
    assert agg.tags_present == 0
    agg.add(TagRead(A, 1, None, 11.0))
    (s,) = agg.flush(11.5)
    assert s.zone_first_seen == 11.0


def test_the_hubs_reader_settings_lay_over_the_devices_own() -> None:
    import pytest
    from pydantic import ValidationError

    from edge_agent.rfid_settings import RfidSettings, with_hub_config
    from protocol.config import RfidConfig

    own = RfidSettings(enabled=True, reader="chafon", port="/dev/ttyUSB0", zone="kho-1", power_dbm=20, dedup_s=5)
    hub = RfidConfig(zone="p-301", power_dbm=26, antennas=[{"port": 2, "zone": "p-301-ngoai"}])
    merged = with_hub_config(own, hub)
    assert (merged.reader, merged.port, merged.zone, merged.power_dbm, merged.dedup_s) == (
        "chafon", "/dev/ttyUSB0", "p-301", 26, 5
    )  # fmt: skip
    assert (merged.zone_of(1), merged.zone_of(2)) == ("p-301", "p-301-ngoai")
    assert with_hub_config(own, None) == own == with_hub_config(own, RfidConfig())
    with pytest.raises(ValidationError):
        RfidConfig(antennas=[{"port": 1}, {"port": 1}])
    with pytest.raises(ValidationError):
        RfidConfig(zone="phòng 301")

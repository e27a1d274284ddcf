"""The LLRP reader (sllurp) against an LLRP reader emulator over TCP (llrpkit's, an independent
implementation): tags with antenna and RSSI, transmit power, a lost connection and the reconnect."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("sllurp")
pytest.importorskip("llrpkit")

from llrpkit.emulator.core import EmulatedTag  # noqa: E402

from devices.rfid import ReaderGone, TagRead  # noqa: E402
from devices.rfid.llrp import LlrpReader  # noqa: E402
from tests.devices.rfid.llrp_emulator import EmulatorThread  # noqa: E402

GIAI = "3434257BF400000000BC6038"
SGTIN = "3034257BF7194E4000001A85"


def _read(reader: LlrpReader, want: set[tuple[str, int]], seconds: float = 10.0) -> list[TagRead]:
    reads: list[TagRead] = []
    deadline = time.monotonic() + seconds
    while not want <= {(r.epc, r.antenna) for r in reads} and time.monotonic() < deadline:
        reads += reader.read(0.2)
    return reads


def test_tags_over_llrp_then_the_reader_goes_away_and_comes_back() -> None:
    tags = [
        EmulatedTag(bytes.fromhex(GIAI), antennas=(1, 2), rssi_dbm=-50.0),
        EmulatedTag(bytes.fromhex(SGTIN), antennas=(2,), rssi_dbm=-62.0),
    ]
    emulator = EmulatorThread(tags).start()
    port = emulator.port
    reader = LlrpReader("127.0.0.1", port=port, name="cua-llrp", antennas=(1, 2), power_dbm=20.0)
    try:
        reader.open()
        reads = _read(reader, {(GIAI, 1), (GIAI, 2), (SGTIN, 2)})
        assert {(r.epc, r.antenna) for r in reads} == {(GIAI, 1), (GIAI, 2), (SGTIN, 2)}
        assert all(r.rssi is not None and -75 <= r.rssi <= -35 for r in reads) and all(r.count >= 1 for r in reads)
        profile = emulator.emulator._scan_profile()  # what the reader was asked to do
        assert profile.antennas == {1, 2} and abs(profile.power_dbm - 20.0) <= 0.5, profile

        emulator.stop()
        with pytest.raises(ReaderGone):
            for _ in range(50):
                reader.read(0.1)
        reader.close()
        with pytest.raises(ReaderGone):
            reader.open()  # nobody listens on the port

        emulator = EmulatorThread(tags[:1], port=port).start()
        reader.open()
        assert {r.epc for r in _read(reader, {(GIAI, 1)})} == {GIAI}
    finally:
        reader.close()
        emulator.stop()

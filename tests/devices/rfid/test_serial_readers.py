"""The serial UHF readers through their simulators over a pseudo-terminal pair: the real parsers and
pyserial on one end, the real wire protocol on the other."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from devices.rfid import ReaderGone, TagRead, chafon, yrm100
from devices.rfid.chafon import ChafonReader
from devices.rfid.simulator import SerialReaderSimulator, SimTag
from devices.rfid.yrm100 import Yrm100Reader

pytest.importorskip("serial")

EPCS = [f"3034257BF7194E40000{i:05X}" for i in range(40)]


def test_chafon_crc_matches_a_frame_a_real_reader_sent() -> None:
    # a UHFReader288 inventory answer captured from a reader (ant 1, one tag, RSSI 0x48), CRC 25 7E
    frame = bytes.fromhex("1500010301010CE28068940000500A9D2298C648257E")
    parsed = chafon.FrameParser().feed(frame)
    assert [(f.cmd, f.status) for f in parsed] == [(0x01, 0x03)]
    assert chafon.command(chafon.CMD_INVENTORY) == bytes.fromhex("04FF011BB4")


def test_chafon_parser_resynchronises_after_noise_and_a_bad_crc() -> None:
    good = chafon.response(0x01, chafon.STATUS_DONE, chafon.inventory_data(EPCS[:2]))
    bad = bytearray(good)
    bad[-1] ^= 0xFF
    parser = chafon.FrameParser()
    frames = []
    for byte in b"\x00\x02" + bytes(bad) + good:  # one byte at a time: every split there is
        frames += parser.feed(bytes((byte,)))
    assert [chafon.inventory_epcs(f.data) for f in frames] == [EPCS[:2]]
    assert parser.stats.bad_checksum >= 1 and parser.stats.frames == 1
    with pytest.raises(ValueError):
        chafon.inventory_epcs(b"\x02\x0c" + bytes(12))  # says two tags, holds one


def test_yrm100_frames_and_checksum() -> None:
    assert yrm100.frame(yrm100.TYPE_COMMAND, yrm100.CMD_SINGLE_POLL) == bytes.fromhex("BB00220000227E")
    assert yrm100.frame(yrm100.TYPE_COMMAND, yrm100.CMD_SET_POWER, b"\x07\xd0") == bytes.fromhex("BB00B60002 07D08F7E")
    note = yrm100.notice(EPCS[0], -55)
    (frame,) = yrm100.FrameParser().feed(b"\x7e\x00" + note)
    assert yrm100.tag_of(frame.parameter) == (EPCS[0], -55)
    spoilt = note[:-2] + bytes((note[-2] ^ 1,)) + note[-1:]
    parser = yrm100.FrameParser()
    assert parser.feed(spoilt + note) != [] and parser.stats.bad_checksum == 1


def _read_until(reader: ChafonReader | Yrm100Reader, want: int, seconds: float = 5.0) -> list[TagRead]:
    reads: list[TagRead] = []
    deadline = time.monotonic() + seconds
    while len({r.epc for r in reads}) < want and time.monotonic() < deadline:
        reads += reader.read(0.2)
    return reads


@pytest.mark.parametrize("protocol", ["chafon", "yrm100"])
def test_reads_split_frames_bad_checksums_power_and_reconnect(tmp_path: Path, protocol: str) -> None:
    link = tmp_path / "ttyRFID0"
    tags = [SimTag(epc, rssi=-40 - i) for i, epc in enumerate(EPCS)]
    # 40 tags: 3 Chafon frames (40 YRM100 notices) per round, in pieces of 5 bytes; one frame in N spoilt,
    # N chosen so that a different frame is spoilt in the next round
    every = 4 if protocol == "chafon" else 7
    with SerialReaderSimulator(protocol, link, tags, round_s=0.02, chunk=5, corrupt_every=every) as sim:
        reader = (
            ChafonReader(str(link), power_dbm=26) if protocol == "chafon" else Yrm100Reader(str(link), power_dbm=26.5)
        )
        reader.open()
        assert sim.power_dbm == (26 if protocol == "chafon" else 26.5)
        reads = _read_until(reader, len(EPCS))
        assert {r.epc for r in reads} == set(EPCS)  # every tag, though frames came in pieces and some spoilt
        assert reader.parser.stats.bad_checksum > 0
        if protocol == "yrm100":
            assert {r.rssi for r in reads if r.epc == EPCS[3]} == {-43.0}
        else:
            assert {r.rssi for r in reads} == {None} and {r.antenna for r in reads} == {1}

        sim.unplug()
        with pytest.raises(ReaderGone):
            for _ in range(20):
                reader.read(0.1)
        reader.close()
        with pytest.raises(ReaderGone):
            reader.open()  # nothing behind the link yet: the link points at a closed pty
        sim.replug()
        sim.tags, sim.corrupt_every = [SimTag(EPCS[0])], 0
        reader.open()
        assert {r.epc for r in _read_until(reader, 1)} == {EPCS[0]}
        reader.close()


def test_chafon_without_tags_answers_no_tag(tmp_path: Path) -> None:
    with SerialReaderSimulator("chafon", tmp_path / "tty", [], round_s=0) as sim:
        reader = ChafonReader(str(sim.link_path))
        reader.open()
        assert reader.read(0.5) == [] and sim.rounds == 1
        reader.close()

"""Keyboard-wedge readers: key events to EPCs; the device part through a uinput virtual keyboard."""

from __future__ import annotations

import os
import time

import pytest

evdev = pytest.importorskip("evdev")
from evdev import InputEvent, ecodes  # noqa: E402

from devices.rfid.wedge import KeyDecoder  # noqa: E402

EPC = "3034257BF7194E4000001A85"


def _keys(text: str) -> list[InputEvent]:
    events = []
    for char in text:
        code = ecodes.KEY_ENTER if char == "\n" else ecodes.ecodes[f"KEY_{char.upper()}"]
        events += [InputEvent(0, 0, ecodes.EV_KEY, code, 1), InputEvent(0, 0, ecodes.EV_KEY, code, 0)]
    return events


def test_key_events_become_epcs_and_junk_lines_are_dropped() -> None:
    decoder = KeyDecoder()
    lines = [decoder.feed(e.code, e.value) for e in _keys(f"{EPC.lower()}\nHELLO\n\n123\n{EPC}\n")]
    assert [line for line in lines if line] == [EPC, EPC]
    assert decoder.rejected == 2  # "HELLO" (not hex) and "123" (not whole bytes); an empty line is no line
    # a key held down (value 2, auto-repeat) types nothing more
    assert decoder.feed(ecodes.KEY_A, 2) is None


@pytest.mark.skipif(
    not os.access("/dev/uinput", os.W_OK),
    reason="no writable /dev/uinput here (a container without the uinput module): the virtual keyboard"
    " cannot be made, so the device part is not exercised; the key decoding above is",
)
def test_a_virtual_wedge_reader_through_evdev() -> None:
    from devices.rfid.wedge import WedgeReader, WedgeSimulator

    sim = WedgeSimulator()
    try:
        time.sleep(0.2)  # udev makes the event node
        reader = WedgeReader(sim.device_path)
        reader.open()
        sim.type_line(EPC)
        reads = []
        deadline = time.monotonic() + 3
        while not reads and time.monotonic() < deadline:
            reads += reader.read(0.2)
        assert [r.epc for r in reads] == [EPC]
        reader.close()
    finally:
        sim.close()

"""USB keyboard-wedge readers through evdev: the reader "types" each EPC as hex digits and Enter.

Read from its own input device (`/dev/input/by-id/usb-…-event-kbd`), grabbed, so the keystrokes go to
us and not into whatever window has the focus. `KeyDecoder` turns key events into lines; a line that
is not an EPC (hex, whole bytes, 2–62 of them) is counted and dropped. Such readers have one antenna
and say nothing of RSSI. `WedgeSimulator` is a virtual keyboard (uinput) typing EPCs like a reader.
"""

from __future__ import annotations

import re
import select
import time
from typing import Any

from devices.rfid.base import ReaderGone, TagRead

EPC_LINE = re.compile(r"^(?:[0-9A-F]{2}){2,62}$")
KEY_DOWN = 1


def _keymap() -> tuple[dict[int, str], frozenset[int]]:
    from evdev import ecodes

    keys: dict[int, str] = {}
    for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        keys[ecodes.ecodes[f"KEY_{char}"]] = char
    for digit in "0123456789":
        keys[ecodes.ecodes[f"KEY_KP{digit}"]] = digit
    return keys, frozenset({ecodes.KEY_ENTER, ecodes.KEY_KPENTER})


class KeyDecoder:
    """Key-down events in, complete lines out (upper case; shift and caps lock do not matter for hex)."""

    def __init__(self) -> None:
        self._keys, self._enter = _keymap()
        self._line: list[str] = []
        self.rejected = 0

    def feed(self, code: int, value: int) -> str | None:
        """One EV_KEY event; the EPC when it completes a valid line, else None."""
        if value != KEY_DOWN:
            return None
        if code in self._enter:
            line, self._line = "".join(self._line), []
            if EPC_LINE.match(line):
                return line
            if line:
                self.rejected += 1
            return None
        char = self._keys.get(code)
        if char is not None and len(self._line) < 200:
            self._line.append(char)
        return None


class WedgeReader:
    def __init__(self, path: str, *, name: str = "wedge", grab: bool = True) -> None:
        self._path = path
        self._name = name
        self._grab = grab
        self._device: Any = None
        self.decoder = KeyDecoder()

    @property
    def name(self) -> str:
        return self._name

    def open(self) -> None:
        import evdev

        self.close()
        try:
            self._device = evdev.InputDevice(self._path)
            if self._grab:
                self._device.grab()
        except OSError as exc:
            self.close()
            raise ReaderGone(f"cannot open {self._path}: {exc}") from exc

    def close(self) -> None:
        if self._device is not None:
            try:
                self._device.close()
            except OSError:
                pass
            self._device = None

    def read(self, timeout: float) -> list[TagRead]:
        from evdev import ecodes

        if self._device is None:
            raise ReaderGone(f"{self._path} is not open")
        reads: list[TagRead] = []
        try:
            ready, _, _ = select.select([self._device.fd], [], [], timeout)
            if not ready:
                return reads
            for event in self._device.read():
                if event.type == ecodes.EV_KEY and (epc := self.decoder.feed(event.code, event.value)):
                    reads.append(TagRead(epc, 1, None, time.time()))
        except BlockingIOError:
            return reads
        except OSError as exc:  # ENODEV: unplugged
            raise ReaderGone(f"{self._path}: {exc}") from exc
        return reads


class WedgeSimulator:
    """A virtual keyboard typing EPCs like a wedge reader (needs /dev/uinput, i.e. root or the uinput group)."""

    def __init__(self, name: str = "CCES simulated RFID wedge") -> None:
        from evdev import UInput, ecodes

        # the main keyboard's keys, as a wedge reader types them (not the keypad's)
        self._codes = {char: ecodes.ecodes[f"KEY_{char}"] for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
        self._enter = ecodes.KEY_ENTER
        self._ui = UInput({ecodes.EV_KEY: [*self._codes.values(), self._enter]}, name=name)

    @property
    def device_path(self) -> str:
        return str(self._ui.device.path)

    def type_line(self, text: str) -> None:
        from evdev import ecodes

        for code in [self._codes[c] for c in text.upper()] + [self._enter]:
            self._ui.write(ecodes.EV_KEY, code, 1)
            self._ui.write(ecodes.EV_KEY, code, 0)
            self._ui.syn()

    def close(self) -> None:
        self._ui.close()

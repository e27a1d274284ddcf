"""Serial UHF readers simulated at the far end of a pseudo-terminal, speaking the real wire protocol.

The host side opens `link_path` (a symlink to the pty's slave, as udev's `/dev/serial/by-id/…` links
are) with pyserial exactly as it would open a USB adapter, so tests and `cces rfid simulate` run the
real parser. The simulator can split its output into small pieces (frames split across reads), spoil
one frame in N (a bad CRC/checksum), and be unplugged and plugged in again (a new pty behind the same
link: the host's port fails, the reader reconnects).
"""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from devices.rfid import chafon, yrm100

Protocol = Literal["chafon", "yrm100"]
#: tags per Chafon inventory frame: Len is one byte, so a frame holds at most ~18 tags of 96 bits
CHAFON_TAGS_PER_FRAME = 15


@dataclass(frozen=True)
class SimTag:
    epc: str
    rssi: int = -55


class SerialReaderSimulator:
    """A reader of `protocol` holding `tags` in its field; `start()` makes the pty and the link."""

    def __init__(
        self,
        protocol: Protocol,
        link_path: Path,
        tags: Sequence[SimTag] = (),
        *,
        round_s: float = 0.05,
        chunk: int | None = None,
        corrupt_every: int = 0,
    ) -> None:
        if protocol not in ("chafon", "yrm100"):
            raise ValueError(f"unknown reader protocol {protocol!r}")
        self.protocol = protocol
        self.link_path = link_path
        self.tags: list[SimTag] = list(tags)
        self.round_s = round_s
        self.chunk = chunk
        self.corrupt_every = corrupt_every
        self.power_dbm: float | None = None
        self.rounds = 0
        self.tags_sent = 0
        self.frames_sent = 0
        self.commands: list[int] = []
        self._master: int | None = None
        self._slave: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._polling = threading.Event()
        self._poll_left = 0
        self._write_lock = threading.Lock()

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SerialReaderSimulator:
        self._plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name=f"sim-{self.protocol}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.unplug()
        self.link_path.unlink(missing_ok=True)

    def __enter__(self) -> SerialReaderSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def unplug(self) -> None:
        """Close the pty: the host's next read or write on its port fails."""
        self._polling.clear()
        with self._write_lock:
            for fd in (self._master, self._slave):
                if fd is not None:
                    os.close(fd)
            self._master = self._slave = None

    def replug(self) -> None:
        """A new pty behind the same link (the reader plugged in again)."""
        self.unplug()
        self._plug()

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        tmp = self.link_path.with_name(self.link_path.name + ".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(os.ttyname(slave))
        tmp.replace(self.link_path)
        with self._write_lock:
            self._master, self._slave = master, slave

    # -- the wire ------------------------------------------------------------------------------

    def _send(self, frame: bytes) -> None:
        self.frames_sent += 1
        if self.corrupt_every and self.frames_sent % self.corrupt_every == 0:
            frame = frame[:-2] + bytes((frame[-2] ^ 0x5A,)) + frame[-1:]  # a CRC (or checksum) byte spoilt
        pieces = [frame] if not self.chunk else [frame[i : i + self.chunk] for i in range(0, len(frame), self.chunk)]
        for piece in pieces:
            with self._write_lock:
                if self._master is None:
                    return
                try:
                    os.write(self._master, piece)
                except OSError:
                    return
            if self.chunk:
                time.sleep(0.002)  # the host reads the pieces separately

    def _serve(self) -> None:
        parser: chafon.FrameParser | yrm100.FrameParser = (
            chafon.FrameParser(responses=False) if self.protocol == "chafon" else yrm100.FrameParser()
        )
        handle: Callable[[object], None] = self._chafon if self.protocol == "chafon" else self._yrm100  # type: ignore[assignment]
        next_round = 0.0
        while not self._stop.is_set():
            master = self._master
            if master is None:
                time.sleep(0.01)
                continue
            try:
                ready, _, _ = select.select([master], [], [], 0.005 if self._polling.is_set() else 0.05)
                data = os.read(master, 4096) if ready else b""
            except (OSError, ValueError):
                time.sleep(0.01)  # unplugged meanwhile
                continue
            for frame in parser.feed(data):
                handle(frame)
            if self._polling.is_set() and time.monotonic() >= next_round:
                next_round = time.monotonic() + self.round_s
                self._yrm100_round()

    def _wait_round(self) -> None:
        if self.round_s:
            time.sleep(self.round_s)

    def _chafon(self, frame: chafon.Frame) -> None:
        self.commands.append(frame.cmd)
        if frame.cmd == chafon.CMD_SET_POWER:
            self.power_dbm = float(frame.data[0]) if frame.data else None
            self._send(chafon.response(frame.cmd, chafon.STATUS_OK))
        elif frame.cmd == chafon.CMD_INVENTORY:
            self._wait_round()
            self.rounds += 1
            tags = [t.epc for t in self.tags]
            if not tags:
                self._send(chafon.response(frame.cmd, chafon.STATUS_NO_TAG))
                return
            for start in range(0, len(tags), CHAFON_TAGS_PER_FRAME):
                part = tags[start : start + CHAFON_TAGS_PER_FRAME]
                last = start + CHAFON_TAGS_PER_FRAME >= len(tags)
                status = chafon.STATUS_DONE if last else chafon.STATUS_MORE
                self._send(chafon.response(frame.cmd, status, chafon.inventory_data(part)))
                self.tags_sent += len(part)
        else:
            self._send(chafon.response(frame.cmd, 0xFE))  # unknown command

    def _yrm100(self, frame: yrm100.Frame) -> None:
        self.commands.append(frame.cmd)
        if frame.cmd == yrm100.CMD_SET_POWER and len(frame.parameter) == 2:
            self.power_dbm = (frame.parameter[0] << 8 | frame.parameter[1]) / 100
            self._send(yrm100.frame(yrm100.TYPE_RESPONSE, frame.cmd, b"\x00"))
        elif frame.cmd == yrm100.CMD_MULTI_POLL and len(frame.parameter) == 3:
            self._poll_left = frame.parameter[1] << 8 | frame.parameter[2]
            self._polling.set()
        elif frame.cmd == yrm100.CMD_STOP:
            self._polling.clear()
            self._send(yrm100.frame(yrm100.TYPE_RESPONSE, frame.cmd, b"\x00"))
        else:
            self._send(yrm100.frame(yrm100.TYPE_RESPONSE, yrm100.CMD_ERROR, b"\x17"))  # command error

    def _yrm100_round(self) -> None:
        self.rounds += 1
        self._poll_left -= 1
        if self._poll_left <= 0:
            self._polling.clear()
        if not self.tags:
            self._send(yrm100.frame(yrm100.TYPE_RESPONSE, yrm100.CMD_ERROR, bytes((yrm100.ERROR_NO_TAG,))))
            return
        for tag in list(self.tags):
            self._send(yrm100.notice(tag.epc, tag.rssi))
            self.tags_sent += 1

"""Chafon / UHFReader18 serial protocol (CF-RU5102 and the many desktop and fixed readers built on it).

Frames:

    command:  Len | Adr | Cmd | Data… | LSB-CRC16 | MSB-CRC16
    response: Len | Adr | reCmd | Status | Data… | LSB-CRC16 | MSB-CRC16

`Len` counts the bytes after itself (a frame is `Len + 1` bytes). The CRC-16 covers `Len` through the
last data byte: preset 0xFFFF, polynomial 0x8408 (reflected CCITT), no final XOR, sent low byte first.

Inventory (Cmd 0x01, no data) answers with Status 0x01 (done), 0x02 (round timed out), 0x03 (more frames
follow), 0x04 (the reader's memory is full) or 0xFB (no tag), and data `Num | (EPCLen | EPC)…`. This
protocol has one antenna and no RSSI: reads carry antenna 1 and `rssi=None`, so an RSSI floor lets them
through. Set power (Cmd 0x2F) takes one byte of dBm (0–30) and answers Status 0x00.

The parser only trusts a frame whose CRC matches; anything else is skipped a byte at a time until a
frame does (a serial line can start mid-frame or lose bytes), and counted in `FrameStats`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from devices.rfid.base import FrameStats, ReaderError, ReaderGone, TagRead
from devices.rfid.serial_port import SerialLink

CMD_INVENTORY = 0x01
CMD_SET_POWER = 0x2F
STATUS_OK = 0x00
STATUS_DONE = 0x01
STATUS_ROUND_TIMEOUT = 0x02
STATUS_MORE = 0x03
STATUS_MEMORY_FULL = 0x04
STATUS_NO_TAG = 0xFB
INVENTORY_STATUSES = frozenset({STATUS_DONE, STATUS_ROUND_TIMEOUT, STATUS_MORE, STATUS_MEMORY_FULL, STATUS_NO_TAG})
CMD_READER_INFO = 0x21
KNOWN_COMMANDS = frozenset({CMD_INVENTORY, CMD_SET_POWER, CMD_READER_INFO})
BROADCAST = 0xFF
MAX_EPC_BYTES = 62  # 496 bits, the largest EPC a Gen2 tag holds


def _table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC_TABLE = _table()


def crc16(data: bytes) -> int:
    """The frame CRC: preset 0xFFFF, polynomial 0x8408, bytes in order, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def _with_crc(body: bytes) -> bytes:
    crc = crc16(body)
    return body + bytes((crc & 0xFF, crc >> 8))


def command(cmd: int, data: bytes = b"", adr: int = BROADCAST) -> bytes:
    """A host → reader frame."""
    return _with_crc(bytes((4 + len(data), adr, cmd)) + data)


def response(cmd: int, status: int, data: bytes = b"", adr: int = 0x00) -> bytes:
    """A reader → host frame (the simulator's side)."""
    return _with_crc(bytes((5 + len(data), adr, cmd, status)) + data)


@dataclass(frozen=True, slots=True)
class Frame:
    """One checked frame. For a response `status` is its Status byte; for a command it is None."""

    adr: int
    cmd: int
    status: int | None
    data: bytes


class FrameParser:
    """Bytes in (any chunking), checked frames out."""

    def __init__(self, responses: bool = True, commands: frozenset[int] = KNOWN_COMMANDS) -> None:
        self._buffer = bytearray()
        self._responses = responses  # a reader parses commands (the simulator), the host responses
        # a length byte is only believed when the command byte after it is one we speak: otherwise a
        # byte inside a spoilt frame could make the parser wait for up to 255 bytes that never come
        self._commands = commands
        self.stats = FrameStats()

    def feed(self, chunk: bytes) -> list[Frame]:
        buffer = self._buffer
        buffer += chunk
        frames: list[Frame] = []
        minimum = 5 if self._responses else 4
        while buffer:
            length = buffer[0]
            if length < minimum or (len(buffer) > 2 and buffer[2] not in self._commands):
                del buffer[0]
                self.stats.junk_bytes += 1
                continue
            if len(buffer) < length + 1:
                break
            body, crc = bytes(buffer[: length - 1]), buffer[length - 1] | buffer[length] << 8
            if crc16(body) != crc:
                del buffer[0]  # resynchronise: the next byte may start a frame
                self.stats.bad_checksum += 1
                continue
            del buffer[: length + 1]
            self.stats.frames += 1
            if self._responses:
                frames.append(Frame(body[1], body[2], body[3], body[4:]))
            else:
                frames.append(Frame(body[1], body[2], None, body[3:]))
        return frames


def inventory_epcs(data: bytes) -> list[str]:
    """The EPCs of an inventory response's data (`Num | (EPCLen | EPC)…`); raises ValueError if malformed."""
    if not data:
        return []
    count, pos, epcs = data[0], 1, []
    for _ in range(count):
        if pos >= len(data):
            raise ValueError(f"inventory data ends after {len(epcs)} of {count} tags")
        size = data[pos]
        if size == 0 or size > MAX_EPC_BYTES or pos + 1 + size > len(data):
            raise ValueError(f"inventory tag {len(epcs) + 1}: EPC length {size} does not fit")
        epcs.append(data[pos + 1 : pos + 1 + size].hex().upper())
        pos += 1 + size
    if pos != len(data):
        raise ValueError(f"inventory data has {len(data) - pos} bytes after its {count} tags")
    return epcs


def inventory_data(epcs: list[str]) -> bytes:
    """`Num | (EPCLen | EPC)…` (the simulator's side)."""
    out = bytearray((len(epcs),))
    for epc in epcs:
        raw = bytes.fromhex(epc)
        out += bytes((len(raw),)) + raw
    return bytes(out)


class ChafonReader:
    """A UHFReader18 reader on a serial port, polled with inventory commands (answer mode)."""

    def __init__(
        self,
        port: str,
        *,
        name: str = "chafon",
        baudrate: int = 57600,
        address: int = BROADCAST,
        power_dbm: float | None = None,
        answer_timeout_s: float = 2.0,
    ) -> None:
        self._link = SerialLink(port, baudrate)
        self._name = name
        self._address = address
        self._power = power_dbm
        self._answer_timeout_s = answer_timeout_s
        self.parser = FrameParser()
        self.malformed = 0

    @property
    def name(self) -> str:
        return self._name

    def open(self) -> None:
        self._link.open()
        self.parser = FrameParser()
        if self._power is not None:
            level = round(self._power)
            if not 0 <= level <= 30:
                raise ReaderError(f"{self._name}: power {self._power} dBm is outside 0–30")
            answer = self._exchange(command(CMD_SET_POWER, bytes((level,)), self._address), CMD_SET_POWER)
            if not answer:
                raise ReaderGone(f"{self._name}: no answer to set power on {self._link.port}")
            if answer[0].status != STATUS_OK:
                raise ReaderError(
                    f"{self._name}: the reader refused power {level} dBm (status {answer[0].status:#04x})"
                )

    def close(self) -> None:
        self._link.close()

    def read(self, timeout: float) -> list[TagRead]:
        """One inventory round (all its frames); `timeout` bounds the wait for each frame."""
        reads: list[TagRead] = []
        for frame in self._exchange(command(CMD_INVENTORY, adr=self._address), CMD_INVENTORY, max(timeout, 0.05)):
            if frame.status == STATUS_NO_TAG:
                continue
            try:
                epcs = inventory_epcs(frame.data)
            except ValueError:
                self.malformed += 1
                continue
            now = time.time()
            reads.extend(TagRead(epc, 1, None, now) for epc in epcs)
        return reads

    def _exchange(self, request: bytes, cmd: int, timeout: float | None = None) -> list[Frame]:
        """Send one command; the frames answering it, up to the last (Status other than 0x03)."""
        self._link.write(request)
        deadline = time.monotonic() + (timeout if timeout is not None else self._answer_timeout_s)
        answers: list[Frame] = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return answers  # a lost last frame: the reads so far count, the next round asks again
            for frame in self.parser.feed(self._link.read(remaining)):
                if frame.cmd != cmd:
                    continue
                answers.append(frame)
                if frame.status != STATUS_MORE:
                    return answers

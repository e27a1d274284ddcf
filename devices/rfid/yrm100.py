"""YRM100 / JRD-100 (Magic RF M100 chip) serial protocol: `BB … 7E` frames with a checksum byte.

    BB | Type | Command | PL(MSB) | PL(LSB) | Parameter… | Checksum | 7E

Type 0x00 is a command, 0x01 a response, 0x02 a notice. The checksum is the low byte of the sum of
Type through the last parameter byte. Multiple polling (Command 0x27, parameters `0x22, CNT(MSB),
CNT(LSB)`) makes the reader send one notice per tag read (Type 0x02, Command 0x22, parameters
`RSSI | PC(2) | EPC | CRC(2)`: RSSI a signed byte in dBm, the PC word's top 5 bits the EPC length in
16-bit words) and an error response (Command 0xFF, parameter 0x15) for a round without a tag; Command
0x28 stops it. Set transmit power is Command 0xB6 with the power in 0.01 dBm (two bytes), answered by
a response whose parameter is 0x00.

The parser only trusts frames with the header, end byte and checksum right; anything else is skipped
a byte at a time until a frame is, and counted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from devices.rfid.base import FrameStats, ReaderError, ReaderGone, TagRead
from devices.rfid.serial_port import SerialLink

HEADER = 0xBB
END = 0x7E
TYPE_COMMAND = 0x00
TYPE_RESPONSE = 0x01
TYPE_NOTICE = 0x02
CMD_SINGLE_POLL = 0x22
CMD_MULTI_POLL = 0x27
CMD_STOP = 0x28
CMD_SET_POWER = 0xB6
CMD_ERROR = 0xFF
ERROR_NO_TAG = 0x15
MAX_PARAMETER = 512
#: a multiple polling lasts CNT rounds at most; the reader is asked again after this much of it
POLL_COUNT = 0xFFFF


def checksum(body: bytes) -> int:
    return sum(body) & 0xFF


def frame(kind: int, cmd: int, parameter: bytes = b"") -> bytes:
    body = bytes((kind, cmd, len(parameter) >> 8, len(parameter) & 0xFF)) + parameter
    return bytes((HEADER,)) + body + bytes((checksum(body), END))


def multi_poll(count: int = POLL_COUNT) -> bytes:
    return frame(TYPE_COMMAND, CMD_MULTI_POLL, bytes((0x22, count >> 8, count & 0xFF)))


def notice(epc: str, rssi: int) -> bytes:
    """A tag notice (the simulator's side): RSSI, PC with the EPC's length, EPC, the tag's CRC-16."""
    raw = bytes.fromhex(epc)
    pc = (len(raw) // 2) << 11
    return frame(TYPE_NOTICE, CMD_SINGLE_POLL, bytes((rssi & 0xFF, pc >> 8, pc & 0xFF)) + raw + b"\x00\x00")


@dataclass(frozen=True, slots=True)
class Frame:
    kind: int
    cmd: int
    parameter: bytes


class FrameParser:
    def __init__(self) -> None:
        self._buffer = bytearray()
        self.stats = FrameStats()

    def feed(self, chunk: bytes) -> list[Frame]:
        buffer = self._buffer
        buffer += chunk
        frames: list[Frame] = []
        while buffer:
            if buffer[0] != HEADER:
                start = buffer.find(HEADER)
                skipped = len(buffer) if start < 0 else start
                del buffer[:skipped]
                self.stats.junk_bytes += skipped
                continue
            if len(buffer) < 7:
                break
            size = buffer[3] << 8 | buffer[4]
            if size > MAX_PARAMETER or buffer[1] > TYPE_NOTICE:
                del buffer[0]
                self.stats.junk_bytes += 1
                continue
            if len(buffer) < size + 7:
                break
            body = bytes(buffer[1 : 5 + size])
            if buffer[5 + size] != checksum(body) or buffer[6 + size] != END:
                del buffer[0]
                self.stats.bad_checksum += 1
                continue
            del buffer[: size + 7]
            self.stats.frames += 1
            frames.append(Frame(body[0], body[1], body[4:]))
        return frames


def tag_of(parameter: bytes) -> tuple[str, int]:
    """(EPC hex, RSSI dBm) of a tag notice's parameters; raises ValueError if they do not fit."""
    if len(parameter) < 5:
        raise ValueError("tag notice too short")
    rssi = parameter[0] - 256 if parameter[0] >= 128 else parameter[0]
    words = parameter[1] >> 3
    epc = parameter[3 : 3 + 2 * words]
    if words == 0 or len(parameter) != 3 + 2 * words + 2:
        raise ValueError(f"tag notice: PC says {words} words, parameters hold {len(parameter) - 5} bytes")
    return epc.hex().upper(), rssi


class Yrm100Reader:
    """A YRM100 module on a serial port in multiple-polling mode: tags arrive as notices."""

    def __init__(
        self,
        port: str,
        *,
        name: str = "yrm100",
        baudrate: int = 115200,
        power_dbm: float | None = None,
        repoll_s: float = 60.0,
        answer_timeout_s: float = 2.0,
    ) -> None:
        self._link = SerialLink(port, baudrate)
        self._name = name
        self._power = power_dbm
        self._repoll_s = repoll_s
        self._answer_timeout_s = answer_timeout_s
        self._polled_at = 0.0
        self.parser = FrameParser()
        self.malformed = 0

    @property
    def name(self) -> str:
        return self._name

    def open(self) -> None:
        self._link.open()
        self.parser = FrameParser()
        if self._power is not None:
            centi = round(self._power * 100)
            if not 0 <= centi <= 3300:
                raise ReaderError(f"{self._name}: power {self._power} dBm is outside 0–33")
            self._link.write(frame(TYPE_COMMAND, CMD_SET_POWER, bytes((centi >> 8, centi & 0xFF))))
            answer = self._wait_response(CMD_SET_POWER)
            if answer is None:
                raise ReaderGone(f"{self._name}: no answer to set power on {self._link.port}")
            if answer.cmd == CMD_ERROR or answer.parameter[:1] != b"\x00":
                raise ReaderError(f"{self._name}: the reader refused power {self._power} dBm")
        self._start_polling()

    def close(self) -> None:
        try:
            self._link.write(frame(TYPE_COMMAND, CMD_STOP))
        except ReaderError:
            pass
        self._link.close()

    def read(self, timeout: float) -> list[TagRead]:
        if time.monotonic() - self._polled_at > self._repoll_s:
            self._start_polling()
        reads: list[TagRead] = []
        for item in self.parser.feed(self._link.read(timeout)):
            if item.kind != TYPE_NOTICE or item.cmd != CMD_SINGLE_POLL:
                continue
            try:
                epc, rssi = tag_of(item.parameter)
            except ValueError:
                self.malformed += 1
                continue
            reads.append(TagRead(epc, 1, float(rssi), time.time()))
        return reads

    def _start_polling(self) -> None:
        self._link.write(frame(TYPE_COMMAND, CMD_STOP))
        self._link.write(multi_poll())
        self._polled_at = time.monotonic()

    def _wait_response(self, cmd: int) -> Frame | None:
        deadline = time.monotonic() + self._answer_timeout_s
        while (remaining := deadline - time.monotonic()) > 0:
            for item in self.parser.feed(self._link.read(remaining)):
                if item.kind == TYPE_RESPONSE and item.cmd in (cmd, CMD_ERROR):
                    return item
        return None

"""A serial port for the readers, through pyserial: reads that wait at most a given time, and every
OS-level failure turned into `ReaderGone` (an unplugged USB adapter, a closed pseudo-terminal)."""

from __future__ import annotations

from devices.rfid.base import ReaderGone


class SerialLink:
    def __init__(self, port: str, baudrate: int) -> None:
        self.port = port
        self.baudrate = baudrate
        self._serial = None

    def open(self) -> None:
        import serial  # pyserial: the `rfid` extra

        self.close()
        try:
            self._serial = serial.Serial(self.port, self.baudrate, timeout=0.05, write_timeout=2.0, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise ReaderGone(f"cannot open {self.port}: {exc}") from exc

    def close(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except OSError:
                pass
            self._serial = None

    def write(self, data: bytes) -> None:
        import serial

        if self._serial is None:
            raise ReaderGone(f"{self.port} is not open")
        try:
            self._serial.write(data)
        except (serial.SerialException, OSError) as exc:
            raise ReaderGone(f"{self.port}: {exc}") from exc

    def read(self, timeout: float) -> bytes:
        """What arrives within `timeout` (at least one byte, or b"" on timeout)."""
        import serial

        if self._serial is None:
            raise ReaderGone(f"{self.port} is not open")
        try:
            self._serial.timeout = max(0.001, timeout)
            first = self._serial.read(1)
            if not first:
                return b""
            waiting = self._serial.in_waiting
            return first + (self._serial.read(waiting) if waiting else b"")
        except (serial.SerialException, OSError) as exc:
            raise ReaderGone(f"{self.port}: {exc}") from exc

"""LLRP network readers (Impinj, Zebra and the other EPCglobal LLRP readers) through sllurp.

sllurp (GPL-3.0, the `llrp` extra) speaks LLRP over TCP (port 5084): the connection handshake, reader
capabilities, a ROSpec with an Immediate start trigger over the configured antennas and transmit power,
and RO_ACCESS_REPORTs, which its socket thread hands to `_on_tags`. `read` drains what arrived. The
reader reports the antenna, the peak RSSI and how many times it saw the tag (`TagSeenCount`), kept as
the read's `count`. A closed connection (the reader rebooted, the cable pulled) raises `ReaderGone`.

Tested against llrpkit's LLRP reader emulator (MIT, a test dependency), an independent implementation.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from typing import Any

from devices.rfid.base import ReaderError, ReaderGone, TagRead

LLRP_PORT = 5084
log = logging.getLogger(__name__)


def _epc_of(tag: dict[str, Any]) -> str | None:
    raw = tag.get("EPC") or tag.get("EPC-96") or tag.get("EPCData")
    if isinstance(raw, dict):
        raw = raw.get("EPC")
    if isinstance(raw, bytes | bytearray):
        text = raw.decode("ascii", "replace")  # sllurp gives the EPC as hex text in bytes
    elif isinstance(raw, str):
        text = raw
    else:
        return None
    text = text.upper()
    return text if text and len(text) % 2 == 0 and all(c in "0123456789ABCDEF" for c in text) else None


class LlrpReader:
    def __init__(
        self,
        host: str,
        *,
        port: int = LLRP_PORT,
        name: str = "llrp",
        antennas: tuple[int, ...] = (1,),
        power_dbm: float | None = None,
        connect_timeout_s: float = 5.0,
    ) -> None:
        self._host = host
        self._port = port
        self._name = name
        self._antennas = antennas or (1,)
        self._power = power_dbm
        self._timeout = connect_timeout_s
        self._client: Any = None
        self._queue: queue.SimpleQueue[TagRead] = queue.SimpleQueue()
        self._lost = threading.Event()
        self.malformed = 0

    @property
    def name(self) -> str:
        return self._name

    def open(self) -> None:
        try:
            from sllurp.llrp import LLRPReaderClient, LLRPReaderConfig
        except ImportError as exc:
            raise ReaderError("LLRP readers need the llrp extra: pip install 'cces[llrp]' (sllurp, GPL-3.0)") from exc

        self.close()
        config: dict[str, Any] = {
            "antennas": list(self._antennas),
            "report_every_n_tags": 1,
            "tag_content_selector": {
                "EnableAntennaID": True,
                "EnablePeakRSSI": True,
                "EnableFirstSeenTimestamp": True,
                "EnableLastSeenTimestamp": True,
                "EnableTagSeenCount": True,
            },
        }
        if self._power is not None:
            config["tx_power_dbm"] = float(self._power)
        self._lost.clear()
        client = LLRPReaderClient(self._host, self._port, LLRPReaderConfig(config), timeout=self._timeout)
        client.add_tag_report_callback(self._on_tags)
        client.add_disconnected_callback(lambda *_: self._lost.set())
        try:
            client.connect()
        except Exception as exc:  # socket errors, sllurp's LLRPError / ReaderConfigurationError
            raise ReaderGone(f"cannot connect to LLRP reader {self._host}:{self._port}: {exc}") from exc
        self._client = client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.disconnect(timeout=2)
        except Exception:  # noqa: BLE001 - already gone: nothing to release but the socket
            try:
                client.hard_disconnect()
            except Exception:  # noqa: BLE001
                log.debug("LLRP reader %s: hard disconnect failed", self._name, exc_info=True)

    def read(self, timeout: float) -> list[TagRead]:
        if self._client is None:
            raise ReaderGone(f"LLRP reader {self._host}:{self._port} is not connected")
        reads: list[TagRead] = []
        try:
            reads.append(self._queue.get(timeout=max(timeout, 0.001)))
            while True:
                reads.append(self._queue.get_nowait())
        except queue.Empty:
            pass
        if not reads and (self._lost.is_set() or not self._client.is_alive()):
            raise ReaderGone(f"LLRP reader {self._host}:{self._port}: connection lost")
        return reads

    def _on_tags(self, _reader: object, tags: list[dict[str, Any]]) -> None:
        """sllurp's socket thread: one RO_ACCESS_REPORT's tags, queued for `read`."""
        now = time.time()
        for tag in tags:
            epc = _epc_of(tag)
            if epc is None:
                self.malformed += 1
                continue
            rssi = tag.get("PeakRSSI")
            count = tag.get("TagSeenCount")
            self._queue.put(
                TagRead(
                    epc,
                    int(tag.get("AntennaID") or 1),
                    float(rssi) if isinstance(rssi, int | float) else None,
                    now,
                    int(count) if isinstance(count, int) and count > 0 else 1,
                )
            )

"""llrpkit's LLRP reader emulator (MIT, a test dependency) on its own event-loop thread, with three LLRP
behaviours it lacks (llrpkit 0.3.0) and that sllurp's client relies on, per LLRP 1.0.1:

- ENABLE_EVENTS_AND_REPORTS has no response message (the emulator answered ERROR_MESSAGE, which sllurp
  took as a failed configuration);
- DELETE_ROSPEC with ROSpecID 0 deletes every ROSpec (the emulator refused "no ROSpec 0");
- a ROSpec whose start trigger is Immediate (1) becomes active when it is enabled (the emulator waited
  for START_ROSPEC).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from llrpkit.emulator.core import EmulatedTag, LLRPEmulator
from llrpkit.protocol import messages

IMMEDIATE = 1


class ConformingEmulator(LLRPEmulator):
    async def _handle_message(self, msg: Any) -> None:
        if isinstance(msg, messages.ENABLE_EVENTS_AND_REPORTS):
            return
        if isinstance(msg, messages.DELETE_ROSPEC) and msg.ro_spec_id == 0:
            self._rospecs.clear()
            self._sync_reporting()
            await self._send(messages.DELETE_ROSPEC_RESPONSE(llrp_status=self._status_ok()), message_id=msg.message_id)
            return
        await super()._handle_message(msg)
        if isinstance(msg, messages.ENABLE_ROSPEC):
            for rid, (spec, state) in list(self._rospecs.items()):
                trigger = spec.ro_boundary_spec.ro_spec_start_trigger.ro_spec_start_trigger_type
                if state == "Enabled" and trigger == IMMEDIATE:
                    self._rospecs[rid] = (spec, "Active")
            self._sync_reporting()


class EmulatorThread:
    """Runs a `ConformingEmulator` on 127.0.0.1:`port` (0: any) until `stop`."""

    def __init__(self, tags: Sequence[EmulatedTag], port: int = 0, reads_per_sec: float = 200.0) -> None:
        self.loop = asyncio.new_event_loop()
        self.emulator = ConformingEmulator(tags=tags, port=port, reads_per_sec=reads_per_sec, antenna_count=2)
        self._thread = threading.Thread(target=self.loop.run_forever, name="llrp-emulator", daemon=True)

    def _call(self, coro: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(10)

    def start(self) -> EmulatorThread:
        self._thread.start()
        self._call(self.emulator.start())
        return self

    @property
    def port(self) -> int:
        return self.emulator.port

    def stop(self) -> None:
        self._call(self.emulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()

"""The agent's `rfid` capability under a steady stream of reads, on one core.

A YRM100 simulator in another process (so its CPU is not counted) sends tag notices over a pty at the
asked rate; this process runs the real capability (the real YRM100 parser through pyserial, the RSSI
floor, de-duplication, zone stays, EPC decoding, events stored in the real SQLite outbox with
synchronous=FULL) pinned to one core. Prints reads/s taken, events stored, and the process's CPU time
per read (user + system, all threads). The MQTT link is not running: it works per event, and events are
a few per tag per window, not per read.

    python -m bench.rfid_agent --rate 1000 --tags 200 --seconds 20
    python -m bench.rfid_agent --rate 1000 --tags 1000 --dedup 1     # every tag an event each second
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class RfidFigures:
    target_reads_per_s: float
    tags: int
    dedup_s: float
    seconds: float
    reads_sent: int
    reads_taken: int
    reads_per_s: float
    below_floor: int
    events: int
    events_per_s: float
    cpu_seconds: float
    cpu_us_per_read: float
    core_share: float  # CPU seconds / wall seconds of the agent process (1.0 = one core busy)


def _simulate(link: str, tags: int, round_s: float, ready: object, stop: object, sent: object) -> None:
    from devices.rfid.simulator import SerialReaderSimulator, SimTag

    epcs = [SimTag(f"3034257BF7194E40{i:08X}", rssi=-50 - i % 30) for i in range(tags)]
    with SerialReaderSimulator("yrm100", Path(link), epcs, round_s=round_s) as sim:
        ready.set()  # type: ignore[attr-defined]
        stop.wait()  # type: ignore[attr-defined]
        sent.value = sim.tags_sent  # type: ignore[attr-defined]


def run(rate: float, tags: int, seconds: float, dedup_s: float, rssi_floor: float | None) -> RfidFigures:
    from edge_agent.agent import OutboxSink
    from edge_agent.capabilities.rfid import RfidCapability
    from edge_agent.outbox import Outbox
    from edge_agent.rfid_settings import RfidSettings

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core for the agent
    work = Path(tempfile.mkdtemp(prefix="cces-bench-rfid-"))
    link = work / "ttyRFID"
    ctx = mp.get_context("spawn")
    ready, stop, sent = ctx.Event(), ctx.Event(), ctx.Value("q", 0)
    child = ctx.Process(target=_simulate, args=(str(link), tags, tags / rate, ready, stop, sent), daemon=True)
    child.start()
    if not ready.wait(30):
        raise RuntimeError("the simulator did not start")
    if hasattr(os, "sched_setaffinity") and child.pid is not None:
        cores = os.sched_getaffinity(child.pid)
        if len(os.sched_getaffinity(0) ^ cores) or len(cores) > 1:
            other = sorted(cores - os.sched_getaffinity(0)) or sorted(cores)
            os.sched_setaffinity(child.pid, {other[-1]})  # the reader is not ours: another core if there is one
    settings = RfidSettings(
        enabled=True, reader="yrm100", port=str(link), zone="bench", dedup_s=dedup_s, rssi_floor_dbm=rssi_floor
    )
    outbox = Outbox(work / "outbox.sqlite3", max_bytes=1 << 30)
    capability = RfidCapability(settings)
    capability.start(OutboxSink("bench-rfid-01", outbox))
    while capability.metrics()["state"] != "connected":
        time.sleep(0.05)
    start_cpu, start = os.times(), time.monotonic()
    start_reads, start_events = capability.metrics()["reads"], capability.events
    time.sleep(seconds)
    end_cpu, wall = os.times(), time.monotonic() - start
    metrics = capability.metrics()
    reads = int(metrics["reads"]) - int(start_reads)  # type: ignore[arg-type]
    events = capability.events - start_events
    capability.stop()
    outbox.close()
    stop.set()
    child.join(10)
    cpu = (end_cpu.user - start_cpu.user) + (end_cpu.system - start_cpu.system)
    return RfidFigures(
        target_reads_per_s=rate,
        tags=tags,
        dedup_s=dedup_s,
        seconds=round(wall, 2),
        reads_sent=int(sent.value),
        reads_taken=reads,
        reads_per_s=round(reads / wall, 1),
        below_floor=int(metrics["below_floor"]),  # type: ignore[arg-type]
        events=events,
        events_per_s=round(events / wall, 1),
        cpu_seconds=round(cpu, 3),
        cpu_us_per_read=round(cpu / max(reads, 1) * 1e6, 1),
        core_share=round(cpu / wall, 3),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cces bench rfid_agent", description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=1000.0, help="reads per second the reader sends")
    parser.add_argument("--tags", type=int, default=200, help="tags in the reader's field")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--dedup", type=float, default=10.0, help="the de-duplication window, seconds")
    parser.add_argument("--rssi-floor", type=float, default=None, help="dBm (the tags read at -50…-79)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    figures = run(args.rate, args.tags, args.seconds, args.dedup, args.rssi_floor)
    if args.json:
        print(json.dumps(asdict(figures)))
    else:
        for key, value in asdict(figures).items():
            print(f"{key:>20}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

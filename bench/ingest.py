"""Ingest benchmark: simulated devices → a real broker → `cces hub --role ingest` → PostgreSQL.

Prints sustained events/s, publish→commit latency (p50/p99, from the event's own `ts` to the
transaction that stored it), and how many events were lost or stored twice (both must be 0).
Everything runs on this machine: Mosquitto (or the embedded amqtt), the embedded PostgreSQL,
the ingest workers as their own processes, the publishers in a separate process.

    python -m bench.ingest --devices 50 --events 200 --workers 1
    python -m bench.ingest --devices 50 --events 100 --rate 1000      # latency at a fixed rate
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import secrets
import sys
import time
from dataclasses import asdict, dataclass

import psutil
import psycopg

from hub.db import migrate
from hub.devices.repository import register_device
from hub.embedded.postgres import EmbeddedPostgres
from hub.passwords import hash_secret
from tests.hubstack import IngestWorker, attendance_event
from tests.services import MosquittoBroker, new_workdir

DEVICE_PASSWORD = "bench-device-secret"


@dataclass
class IngestFigures:
    broker: str
    devices: int
    events: int
    workers: int
    target_rate: float
    publish_seconds: float
    seconds_to_last_commit: float
    events_per_s: float
    p50_ms: float
    p99_ms: float
    lost: int
    duplicated_rows: int
    redelivered_duplicates: int
    receipts: bool
    hub_cpu_seconds: float  # user + system time of the ingest processes while they took these events
    hub_cpu_us_per_event: float


def _publisher(host: str, port: int, device_ids: list[str], events: int, rate: float, start_at: float) -> int:
    """One process publishing for several devices; returns how many PUBACKs it received."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    clients = []
    for device_id in device_ids:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=device_id, protocol=mqtt.MQTTv311)
        client.username_pw_set(device_id, DEVICE_PASSWORD)
        client.max_inflight_messages_set(1000)
        client.max_queued_messages_set(0)
        client.connect(host, port, keepalive=60)
        client.loop_start()
        clients.append(client)
    time.sleep(max(0.0, start_at - time.time()))
    infos = []
    total = events * len(device_ids)
    interval = len(device_ids) / rate if rate > 0 else 0.0  # this process's share of the rate
    began = time.monotonic()
    for n in range(events):
        for client, device_id in zip(clients, device_ids, strict=True):
            payload = attendance_event(device_id, seq=n + 1, person_id=f"nv-{n % 5000:05d}")
            infos.append(client.publish(f"cces/v1/devices/{device_id}/events", json.dumps(payload), qos=1))
        if interval:
            delay = began + (n + 1) * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    acked = 0
    for info in infos:
        info.wait_for_publish(120)
        acked += int(info.is_published())
    for client in clients:
        client.disconnect()
        client.loop_stop()
    assert len(infos) == total
    return acked


def run(
    devices: int,
    events: int,
    workers: int,
    rate: float,
    publishers: int,
    receipts: bool = True,
    mqtt_version: str = "3.1.1",
) -> IngestFigures:
    workdir = new_workdir("cces-bench-ingest-")
    postgres = EmbeddedPostgres(workdir)
    admin_url = postgres.start()
    broker = MosquittoBroker(workdir=new_workdir("cces-bench-mosquitto-"), hub_password=secrets.token_urlsafe(16))
    ingest: list[IngestWorker] = []
    try:
        database_url = admin_url  # the embedded server's `cces` database
        migrate(database_url)
        device_ids = [f"bench-{i:04d}" for i in range(devices)]
        password_hash = hash_secret(DEVICE_PASSWORD)
        with psycopg.connect(database_url) as conn:
            conn.execute("TRUNCATE attendance_events, ingest_counters, ingest_rejects")
            for device_id in device_ids:
                register_device(conn, device_id, device_id, password_hash, rotate=True)
        broker.start()
        broker.add_users(dict.fromkeys(device_ids, DEVICE_PASSWORD))
        for index in range(workers):
            worker = IngestWorker(
                database_url, broker.url, broker.hub_password, index, workers > 1, workdir, receipts, mqtt_version
            )
            ingest.append(worker.start())

        processes = [psutil.Process(worker.process.pid) for worker in ingest]
        cpu_before = sum(sum(p.cpu_times()[:2]) for p in processes)
        total = devices * events
        groups = [device_ids[i::publishers] for i in range(publishers)]
        start_at = time.time() + 2.0
        ctx = mp.get_context("spawn")
        with ctx.Pool(publishers) as pool:
            share = rate / publishers  # each process offers its share of the total rate
            results = [
                pool.apply_async(_publisher, (broker.host, broker.port, g, events, share, start_at)) for g in groups
            ]
            acked = sum(r.get(timeout=900) for r in results)
        publish_seconds = time.time() - start_at
        assert acked == total, f"only {acked} of {total} publishes were acknowledged by the broker"

        deadline = time.monotonic() + 300
        with psycopg.connect(database_url, autocommit=True) as conn:
            while time.monotonic() < deadline:
                stored = conn.execute("SELECT COALESCE(sum(accepted), 0) FROM ingest_counters").fetchone()[0]
                if stored >= total:
                    break
                time.sleep(0.2)
            time.sleep(1.0)
            rows, distinct, first_ts, last_commit, p50, p99 = conn.execute(
                "SELECT count(*), count(DISTINCT id), min(ts), max(received_at),"
                " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - ts)),"
                " percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM received_at - ts))"
                " FROM attendance_events"
            ).fetchone()
            redelivered = conn.execute("SELECT COALESCE(sum(duplicates), 0) FROM ingest_counters").fetchone()[0]
        cpu = sum(sum(p.cpu_times()[:2]) for p in processes) - cpu_before
        seconds = (last_commit - first_ts).total_seconds()
        return IngestFigures(
            broker="mosquitto",
            devices=devices,
            events=total,
            workers=workers,
            target_rate=rate,
            publish_seconds=round(publish_seconds, 2),
            seconds_to_last_commit=round(seconds, 2),
            events_per_s=round(rows / seconds, 1) if seconds > 0 else 0.0,
            p50_ms=round(p50 * 1000, 1),
            p99_ms=round(p99 * 1000, 1),
            lost=total - distinct,
            duplicated_rows=rows - distinct,
            redelivered_duplicates=int(redelivered),
            receipts=receipts,
            hub_cpu_seconds=round(cpu, 2),
            hub_cpu_us_per_event=round(cpu / total * 1e6, 1),
        )
    finally:
        for worker in ingest:
            worker.stop()
        broker.stop()
        postgres.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cces bench ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--events", type=int, default=200, help="events per device")
    parser.add_argument("--workers", type=int, default=1, help="`cces hub --role ingest` processes")
    parser.add_argument("--rate", type=float, default=0.0, help="total events/s to offer (0 = as fast as possible)")
    parser.add_argument("--publishers", type=int, default=2, help="publisher processes")
    parser.add_argument("--no-receipts", action="store_true", help="ingest sends no commit receipts to devices")
    parser.add_argument("--mqtt-version", choices=["3.1.1", "5"], default="3.1.1", help="the ingest workers' MQTT")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    publishers = max(1, min(args.publishers, args.devices))
    figures = run(
        args.devices,
        args.events,
        args.workers,
        args.rate,
        publishers,
        receipts=not args.no_receipts,
        mqtt_version=args.mqtt_version,
    )
    if args.json:
        print(json.dumps(asdict(figures)))
    else:
        for key, value in asdict(figures).items():
            print(f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

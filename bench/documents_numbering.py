"""Registering documents with 50 clerks at once: registrations per second, latency, and the check that
every register holds 1..n with no gap and no duplicate.

    python -m bench.documents_numbering [--clerks 50] [--per-clerk 40] [--units 1,10] [--incoming 400]
                                         [--json] [--database-url postgresql://…]   # default: an embedded pgserver

Each clerk is a thread with its own connection, registering outgoing công văn through
`DocumentsService.register_outgoing` (the counter row locked in the registering transaction, the
document inserted and audited, committed). `--units 1` is the worst case: every clerk numbers in the
same register, so they queue on one row; `--units 10` spreads them over ten units' registers.

`--incoming N`: then 8 clerks register N incoming documents, each with a 200 KB PDF, through
`DocumentsService.register_incoming` (the file's type sniffed, stored in the content-addressed store on
disk with fsync, its row written, the registration deadline computed with the working calendar): p95.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import threading
import time as clock
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.files import FileRules, Upload
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.services import utc_now


def load(conn: psycopg.Connection, units: int) -> list[str]:
    create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
    codes = [f"CHQ{i:02d}" for i in range(units)]
    for code in codes:
        create_unit(conn, code, f"Cục Hải quan {code}", UnitKind.DEPARTMENT, "TCHQ")
    return codes


def run(url: str, units: list[str], clerks: int, per_clerk: int) -> dict[str, float | int]:
    admin = Principal.tool("bench", "Bench")
    pool = open_pool(url, max_size=clerks, name="cces-bench-documents", wait_s=60)
    service = DocumentsService(pool, utc_now)
    for code in units:
        service.set_issuer(admin, code, code, "Hà Nội")
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(clerks + 1)

    def clerk(i: int) -> None:
        mine: list[float] = []
        start.wait()
        try:
            for j in range(per_clerk):
                unit = units[(i + j) % len(units)]
                began = clock.perf_counter()
                service.register_outgoing(admin, unit, type_key="cong_van", subject=f"Công văn {i}-{j}", drafter="VP")
                mine.append(clock.perf_counter() - began)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(clerks)]
    for t in threads:
        t.start()
    start.wait()
    began = clock.perf_counter()
    for t in threads:
        t.join()
    seconds = clock.perf_counter() - began
    try:
        if errors:
            raise errors[0]
        year = service.today().year
        for code in units:
            page = service.register_page(admin, code, year, "di", limit=500)
            numbers = [d.number for d in page.entries]
            while len(numbers) < page.total:
                numbers += [
                    d.number
                    for d in service.register_page(admin, code, year, "di", limit=500, offset=len(numbers)).entries
                ]
            assert numbers == list(range(1, page.total + 1)), f"{code}: gap or duplicate"
        total = clerks * per_clerk
        latencies.sort()
        return {
            "units": len(units),
            "clerks": clerks,
            "registrations": total,
            "seconds": round(seconds, 2),
            "per_second": round(total / seconds, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1),
            "gap_free": 1,
        }
    finally:
        pool.close()


def pdf_file(size: int) -> bytes:
    """A PDF-shaped file of `size` bytes (the content is not parsed when registering; the text job reads it)."""
    head = b"%PDF-1.4\n"
    return head + os.urandom(size - len(head))


def run_incoming(url: str, units: list[str], count: int, files_dir: Path, clerks: int = 8) -> dict[str, float | int]:
    admin = Principal.tool("bench", "Bench")
    pool = open_pool(url, max_size=clerks, name="cces-bench-documents-in", wait_s=60)
    service = DocumentsService(pool, utc_now, file_rules=FileRules(), store=ContentStore(files_dir))
    latencies: list[float] = []
    lock = threading.Lock()
    issued = service.today()

    def clerk(i: int) -> None:
        mine = []
        for j in range(i, count, clerks):
            data = pdf_file(200_000)
            began = clock.perf_counter()
            service.register_incoming(
                admin, units[j % len(units)], type_key="cong_van", code_number=str(j + 1), code_notation="BTC-TCHQ",
                organ_name="Bộ Tài chính", issued_date=issued, subject=f"Công văn đến {j}",
                files=[Upload(f"cv-{j}.pdf", data)],
            )  # fmt: skip
            mine.append(clock.perf_counter() - began)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(clerks)]
    began = clock.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = clock.perf_counter() - began
    pool.close()
    latencies.sort()
    return {
        "incoming_with_file": len(latencies),
        "clerks": clerks,
        "per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--per-clerk", type=int, default=40)
    parser.add_argument("--units", default="1,10", help="comma-separated: how many units' registers to spread over")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--incoming", type=int, default=400, help="incoming documents with a file (0: none)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results: list[dict[str, float | int]] = []
    for units in (int(u) for u in args.units.split(",")):
        with (
            tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
            bench_database(args.database_url, Path(workdir)) as url,
        ):
            with psycopg.connect(url, autocommit=True) as conn:
                codes = load(conn, units)
            results.append(run(url, codes, args.clerks, args.per_clerk))
            if args.incoming and units == 1:
                results.append(run_incoming(url, codes, args.incoming, Path(workdir) / "files"))
    if args.json:
        print(json.dumps(results))
    else:
        for r in results:
            if "incoming_with_file" in r:
                print(
                    f"{r['clerks']} clerks, {r['incoming_with_file']} incoming documents with a 200 KB PDF:"
                    f" {r['per_second']}/s, latency p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms"
                )
                continue
            print(
                f"{r['clerks']} clerks, {r['registrations']} registrations over {r['units']} unit register(s):"
                f" {r['per_second']} registrations/s ({r['seconds']} s), latency p50 {r['p50_ms']} ms,"
                f" p95 {r['p95_ms']} ms, max {r['max_ms']} ms; every register 1..n, no gap, no duplicate"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

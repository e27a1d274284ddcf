"""Importing edXML files into the incoming registers: documents per second.

    python -m bench.documents_edxml_import [--files 10000] [--workers 4] [--units 4] [--json]
                                            [--database-url postgresql://…]   # default: an embedded pgserver

`--files` messages are written first (hub.documents.edxml_write: a Quyết định or Công văn from the
Ministry, one zipped PDF of about 20 KB each, the gateway's form), then read alone (`parse`: XML,
base64, unzip, the QCVN 102 checks), then imported through `EdxmlExchange.import_message` by
`--workers` threads, spread over `--units` units' incoming registers: each import parses the file,
takes the next số đến (the counter row locked), inserts and audits the document, indexes it for
search, stores the message and its attachment in the content store and records the edXML trail.
At the end every register must hold 1..n with no gap.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time as clock
from datetime import date, timedelta
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.documents.edxml import Organ, parse
from hub.documents.edxml_exchange import EdxmlExchange
from hub.documents.edxml_write import OutgoingEdoc, OutgoingFile, write_edoc
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.services import utc_now

SUBJECTS = ("Quyết định nghỉ phép năm", "Về việc báo cáo quyết toán ngân sách", "Kế hoạch kiểm tra sau thông quan",
            "Về việc tăng cường phòng chống buôn lậu", "Hướng dẫn chuyển đổi số văn thư lưu trữ")  # fmt: skip


def write_files(folder: Path, count: int) -> float:
    began = clock.perf_counter()
    pdf_base = b"%PDF-1.4\n" + os.urandom(10_000).hex().encode()[:20_000]
    for i in range(count):
        doc = OutgoingEdoc(
            sender=Organ("000.00.00.G12", "Bộ Tài chính"), recipients=[Organ("000.00.15.H51", "Cục Hải quan")],
            code_number=str(i % 9000 + 1), code_notation="BTC-TCHQ" if i % 2 else "QĐ-BTC",
            promulgation_date=date(2025, 1, 1) + timedelta(days=i % 300),
            type_name="Công văn" if i % 2 else "Quyết định", subject=f"{SUBJECTS[i % len(SUBJECTS)]} số {i}",
            place="Hà Nội",
            attachments=[OutgoingFile(f"van-ban-{i}.pdf", "application/pdf", pdf_base + str(i).encode())],
        )  # fmt: skip
        (folder / f"{i:05d}.xml").write_bytes(write_edoc(doc))
    return clock.perf_counter() - began


def run(url: str, folder: Path, store: Path, workers: int, units: int) -> dict[str, float | int]:
    files = sorted(folder.glob("*.xml"))
    began = clock.perf_counter()
    for path in files:
        parse(path.read_bytes())
    parse_s = clock.perf_counter() - began
    with psycopg.connect(url, autocommit=True) as conn:
        create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
        codes = [f"CHQ{i:02d}" for i in range(units)]
        for code in codes:
            create_unit(conn, code, f"Cục Hải quan {code}", UnitKind.DEPARTMENT, "TCHQ")
    pool = open_pool(url, max_size=workers, name="cces-bench-edxml", wait_s=60)
    documents = DocumentsService(pool, utc_now)
    exchange = EdxmlExchange(pool, documents, ContentStore(store), utc_now)
    admin = Principal.tool("bench", "Bench")
    errors: list[BaseException] = []
    start = threading.Barrier(workers + 1)

    def worker(k: int) -> None:
        start.wait()
        try:
            for i in range(k, len(files), workers):
                exchange.import_message(admin, codes[i % units], files[i].read_bytes())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    start.wait()
    began = clock.perf_counter()
    for t in threads:
        t.join()
    import_s = clock.perf_counter() - began
    try:
        if errors:
            raise errors[0]
        with pool.connection() as conn:
            rows = conn.execute(
                "SELECT r.unit_id, count(*), min(d.number), max(d.number), count(DISTINCT d.number)"
                " FROM documents d JOIN document_registers r ON r.id = d.register_id GROUP BY r.unit_id"
            ).fetchall()
            trails = conn.execute("SELECT count(*) FROM document_edxml").fetchone()
            indexed = conn.execute("SELECT count(*) FROM search_entries").fetchone()
        assert all(n == high == distinct and low == 1 for _, n, low, high, distinct in rows), "gap or duplicate"
        assert sum(r[1] for r in rows) == len(files) == trails[0] == indexed[0]  # type: ignore[index]
    finally:
        pool.close()
    return {
        "files": len(files), "workers": workers, "units": units, "parse_per_second": round(len(files) / parse_s, 1),
        "import_s": round(import_s, 1), "import_per_second": round(len(files) / import_s, 1),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--units", type=int, default=4)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-edxml-") as workdir,
        bench_database(args.database_url, Path(workdir) / "pg") as url,
    ):
        folder = Path(workdir) / "in"
        folder.mkdir()
        write_s = write_files(folder, args.files)
        result = run(url, folder, Path(workdir) / "files", args.workers, args.units)
    result["write_per_second"] = round(args.files / write_s, 1)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['files']:,} edXML files: written {result['write_per_second']}/s, parsed"
            f" {result['parse_per_second']}/s; imported by {result['workers']} workers into {result['units']}"
            f" registers: {result['import_per_second']} documents/s ({result['import_s']} s), every register"
            " 1..n with no gap, each document indexed and its trail kept"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

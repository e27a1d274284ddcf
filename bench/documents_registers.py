"""Registering a document and opening a register when the database already holds many documents: latency
(p50, p95, max) of one registration, of the clerk's register page and of a register's printed book.

    python -m bench.documents_registers [--documents 2000000] [--registrations 200] [--pages 50] [--json]
                                        [--database-url postgresql://…]   # default: an embedded pgserver

Set-up (timed, not measured): 20 Cục with a seal under the Tổng cục, and `--documents` registered documents
spread over their yearly registers of the last eight years (this one included, up to yesterday): the incoming
register (`den`, 60 %) and the outgoing one (`di`, 40 %); the busiest unit (CHQ00) registers 20 times what the
quietest does (weights 20…1), so its registers are the biggest. Generated in SQL, in batches, in the order they
were registered (a slice of every register of a year at a time, interleaved by the moment in the year), so the
table lies on disk as the hub's does; every register holds 1..n and its counter row says n, so the next
registration continues at n + 1. 1 % of the incoming ones are mật. Their search entries are not generated:
registering writes its own entry and reads none.

Measured, through `DocumentsService` as the văn thư of CHQ00 (a real account with the clerk's grant, as the
clerk's page calls it, ui/pages/documents/incoming.py), one call after another:
- `register_incoming` of a công văn from Bộ Tài chính with a 200 KB PDF, then the same without a file
  (number under the locked counter, the document and its file, the duplicate check over the unit's
  incoming documents, audit, search entry; committed);
- the register page as the clerk's page draws it: the total first (`limit=1`), then the newest 40
  (`offset=total-40`), in this year's incoming register of CHQ00 (the biggest);
- of a registration, the duplicate check alone (`repository.incoming_duplicates`: the unit's earlier incoming
  documents with the same number, symbol and organ), to see its share;
- that register's book (`printouts.book_pdf`, every entry of the year) once.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time as clock
from datetime import date
from pathlib import Path

import psycopg

from bench.documents_numbering import pdf_file
from bench.timesheet_db import bench_database
from hub.accounts.admin import create_user
from hub.accounts.checks import GrantSpec
from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Principal, Role
from hub.accounts.sessions import load_principal
from hub.db import open_pool
from hub.documents import repository as repo
from hub.documents.files import FileRules, Upload
from hub.documents.service import DocumentsService
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.services import utc_now

UNITS = 20
YEARS = 8
SERIES = (("den", 0.6), ("di", 0.4))
SHOWN = 40  # rows of the register on the clerk's page (ui/pages/documents/incoming.py)
PASSWORD = "mat-khau-dai-du-12"

# senders of incoming documents: (organ, notation of their documents)
ORGANS = (
    ("Bộ Tài chính", "BTC-TCHQ"),
    ("Tổng cục Hải quan", "TCHQ-GSQL"),
    ("Tổng cục Hải quan", "TCHQ-TXNK"),
    ("Cục Kiểm tra sau thông quan", "KTSTQ-P1"),
    ("Ủy ban nhân dân tỉnh", "UBND-KT"),
    ("Cục Thuế tỉnh", "CT-TTHT"),
    ("Bộ đội Biên phòng tỉnh", "BĐBP-PCMT"),
    ("Công an tỉnh", "CAT-PC03"),
    ("Ngân hàng Nhà nước chi nhánh", "NHNN-TT"),
    ("Sở Công Thương", "SCT-QLTM"),
)
TYPES = ("cong_van", "cong_van", "cong_van", "quyet_dinh", "thong_bao", "ke_hoach", "bao_cao", "giay_moi")
PHRASES = (
    "triển khai thực hiện kế hoạch kiểm tra giám sát hàng hóa xuất nhập khẩu",
    "quyết toán ngân sách năm và mua sắm trang thiết bị",
    "phòng chống buôn lậu gian lận thương mại và vận chuyển trái phép ma túy",
    "cải cách hành chính và chuyển đổi số trong lĩnh vực hải quan",
    "đào tạo bồi dưỡng cán bộ công chức viên chức",
    "hoàn thuế miễn thuế hàng hóa của doanh nghiệp ưu tiên",
    "tổ chức họp giao ban lãnh đạo quý",
    "bổ nhiệm luân chuyển điều động cán bộ",
    "sửa đổi bổ sung quy chế làm việc và nội quy cơ quan",
    "kiểm tra xuất xứ phân loại trị giá hải quan",
    "công tác văn thư lưu trữ hồ sơ tài liệu",
    "thi đua khen thưởng và kỷ luật",
)


def sizes(documents: int, years: list[int], today: date) -> list[tuple[int, int, str, int]]:
    """(unit index, year, series, documents) of every register: unit weights 20…1, this year's share as
    much of the year as has gone by, 60 % incoming; the total is exactly `documents`."""
    year_weight = {y: 1.0 if y < today.year else max(1, (today - date(y, 1, 1)).days) / 365 for y in years}
    total_weight = sum(UNITS - u for u in range(UNITS)) * sum(year_weight.values())
    out = []
    for y in years:
        for u in range(UNITS):
            for code, share in SERIES:
                out.append((u, y, code, int(documents * (UNITS - u) * year_weight[y] * share / total_weight)))
    short = documents - sum(n for *_, n in out)
    for i in range(short):  # the rounding, to the biggest registers first
        u, y, code, n = out[i % len(out)]
        out[i % len(out)] = (u, y, code, n + 1)
    return out


def load(url: str, documents: int, batch: int = 100_000) -> dict[str, object]:
    """The units, the registers and `documents` documents; what was made and how long it took."""
    began = clock.perf_counter()
    today = utc_now().astimezone(LOCAL_TZ).date()
    years = list(range(today.year - YEARS + 1, today.year + 1))
    codes = [f"CHQ{u:02d}" for u in range(UNITS)]
    with psycopg.connect(url, autocommit=True) as conn:
        create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
        for code in codes:
            create_unit(conn, code, f"Cục Hải quan {code}", UnitKind.DEPARTMENT, "TCHQ")
        conn.execute(
            "INSERT INTO document_issuers (unit_id, notation, place)"
            " SELECT id, replace(code, 'CHQ', 'HQ'), 'Hà Nội' FROM org_units WHERE code LIKE 'CHQ%'"
        )
        conn.execute("ALTER TABLE documents SET (autovacuum_enabled = false)")
        conn.execute(
            "CREATE TEMP TABLE bench_registers (id bigint PRIMARY KEY, u int, year int, series text, n int,"
            " span int, unit_name text, notation text)"
        )
        registers = sizes(documents, years, today)
        for u, y, code, n in registers:
            span = 365 if y < today.year else max(1, (today - date(y, 1, 1)).days)
            conn.execute(
                "WITH r AS (INSERT INTO document_registers (unit_id, year, series_code, last_number, opened_at)"
                " SELECT id, %(y)s, %(code)s, %(n)s, make_timestamptz(%(y)s, 1, 2, 1, 0, 0, 'UTC')"
                " FROM org_units WHERE code = %(unit)s RETURNING id, unit_id)"
                " INSERT INTO bench_registers SELECT r.id, %(u)s, %(y)s, %(code)s, %(n)s, %(span)s, o.name,"
                " replace(o.code, 'CHQ', 'HQ') FROM r JOIN org_units o ON o.id = r.unit_id",
                {"y": y, "code": code, "n": n, "unit": codes[u], "u": u, "span": span},
            )
        organs = [o for o, _ in ORGANS]
        notations = [n for _, n in ORGANS]
        done = 0
        for y in years:
            in_year = sum(n for _, yy, _, n in registers if yy == y)
            slices = max(1, -(-in_year // batch))
            for s in range(slices):
                # a slice of every register of the year, in the order of the moment in the year they came in
                conn.execute(
                    """
                    WITH rows AS (
                        SELECT r.*, num, (num - 0.5) / r.n AS f,
                               (num * 7919 + r.u * 104729 + r.year)::bigint AS h
                        FROM bench_registers r
                        CROSS JOIN LATERAL generate_series(r.n * %(s)s / %(slices)s + 1,
                                                           r.n * (%(s)s + 1) / %(slices)s) num
                        WHERE r.year = %(year)s),
                    timed AS (
                        SELECT rows.*, date(make_date(year, 1, 1) + floor(f * span)::int) AS day,
                               (make_date(year, 1, 1) + floor(f * span)::int)::timestamp + interval '1 hour'
                               + (f * span - floor(f * span)) * interval '9 hours' AS at_utc,
                               %(types)s::text[] AS types
                        FROM rows)
                    INSERT INTO documents (register_id, number, direction, type_key, code_number, code_notation,
                                           issued_date, organ_name, subject, place, drafter, secrecy, urgency,
                                           arrival_date, registered_at, registered_by, register_by)
                    SELECT t.id, t.num,
                           CASE WHEN t.series = 'den' THEN 'incoming' ELSE 'outgoing' END,
                           t.types[1 + t.h %% array_length(t.types, 1)],
                           CASE WHEN t.series = 'den' THEN ((t.h / 13) %% 3000 + 1)::text
                                WHEN t.num < 10 THEN '0' || t.num ELSE t.num::text END,
                           CASE WHEN t.series = 'den' THEN (%(notations)s::text[])[1 + (t.h / 7) %% 10]
                                WHEN ty.abbreviation IS NULL THEN t.notation || '-VP'
                                ELSE ty.abbreviation || '-' || t.notation END,
                           t.day - CASE WHEN t.series = 'den' THEN (t.h %% 6)::int ELSE 0 END,
                           CASE WHEN t.series = 'den' THEN (%(organs)s::text[])[1 + (t.h / 7) %% 10]
                                ELSE t.unit_name END,
                           'Về việc ' || (%(phrases)s::text[])[1 + (t.h / 3) %% 12]
                           || ' (' || t.num || '/' || t.year || ')',
                           CASE WHEN t.series = 'di' THEN 'Hà Nội' END,
                           CASE WHEN t.series = 'di' THEN 'VP' END,
                           CASE WHEN t.series = 'den' AND t.h %% 100 = 42 THEN 1 ELSE 0 END,
                           CASE WHEN t.h %% 17 = 0 THEN 1 ELSE 0 END,
                           CASE WHEN t.series = 'den' THEN t.day - (t.h %% 10 = 3)::int END,
                           t.at_utc AT TIME ZONE 'UTC', 'van-thu-' || t.u,
                           CASE WHEN t.series = 'den' THEN t.day - (t.h %% 10 = 3)::int + 1 END
                    FROM timed t LEFT JOIN document_types ty ON ty.key = t.types[1 + t.h %% array_length(t.types, 1)]
                    ORDER BY t.f, t.id
                    """,
                    {
                        "s": s, "slices": slices, "year": y, "types": list(TYPES), "organs": organs,
                        "notations": notations, "phrases": list(PHRASES),
                    },
                )  # fmt: skip
                done += sum(n * (s + 1) // slices - n * s // slices for _, yy, _, n in registers if yy == y)
                print(f"  {done:,} documents, {clock.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
        conn.execute("ALTER TABLE documents SET (autovacuum_enabled = true)")
        conn.execute("VACUUM ANALYZE documents")
        conn.execute("VACUUM ANALYZE document_registers")
        count, gaps = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE r.last_number <> c.n OR c.n <> c.top)"
            " FROM document_registers r LEFT JOIN LATERAL (SELECT count(*) AS n, coalesce(max(number), 0) AS top"
            " FROM documents d WHERE d.register_id = r.id) c ON true"
        ).fetchone()  # type: ignore[misc]
        assert gaps == 0, f"{gaps} registers whose counter is not their 1..n"
        backwards = conn.execute(
            "SELECT count(*) FROM (SELECT registered_at < lag(registered_at) OVER (PARTITION BY register_id"
            " ORDER BY number) AS back FROM documents) x WHERE back"
        ).fetchone()[0]  # type: ignore[index]
        assert backwards == 0, f"{backwards} documents registered before the one numbered before them"
        total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]  # type: ignore[index]
        assert total == documents, f"{total} documents generated, {documents} asked"
        biggest = conn.execute(
            "SELECT r.last_number FROM document_registers r JOIN org_units o ON o.id = r.unit_id"
            " WHERE o.code = 'CHQ00' AND r.year = %s AND r.series_code = 'den'",
            (today.year,),
        ).fetchone()[0]  # type: ignore[index]
    return {
        "registers": count,
        "years": f"{years[0]}–{years[-1]}",
        "biggest_register": {"unit": codes[0], "year": today.year, "series": "den", "entries": biggest},
        "load_s": round(clock.perf_counter() - began, 1),
    }


def stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
        "max_ms": round(times[-1] * 1000, 1),
    }


def measure(url: str, files_dir: Path, registrations: int, pages: int) -> dict[str, object]:
    unit = "CHQ00"
    with psycopg.connect(url, autocommit=True) as conn:
        user = create_user(
            conn, AccountsPolicy(), Principal.tool("bench", "Bench"), username="van-thu", password=PASSWORD,
            display_name="Văn thư Cục", grants=[GrantSpec(Role.CLERK, unit)],
        )  # fmt: skip
        clerk = load_principal(conn, user.id)
    assert clerk is not None
    pool = open_pool(url, max_size=2, name="cces-bench-registers")
    service = DocumentsService(pool, utc_now, file_rules=FileRules(), store=ContentStore(files_dir))
    year = service.today().year
    results: dict[str, object] = {}
    try:
        first = service.next_number(clerk, unit)

        def register(j: int, with_file: bool) -> int:
            organ, symbol = ORGANS[0]
            saved = service.register_incoming(
                clerk, unit, type_key="cong_van", code_number=str(j % 3000 + 1), code_notation=symbol,
                organ_name=organ, issued_date=service.today(), subject=f"Về việc {PHRASES[j % len(PHRASES)]} ({j})",
                files=[Upload(f"cv-{j}.pdf", pdf_file(200_000))] if with_file else [],
            )  # fmt: skip
            return len(saved.duplicates)

        register(-1, True)  # warm the pool's connections and the caches once
        for with_file in (True, False):
            times: list[float] = []
            duplicates: list[int] = []
            for j in range(registrations):
                began = clock.perf_counter()
                duplicates.append(register(j + (0 if with_file else registrations), with_file))
                times.append(clock.perf_counter() - began)
            results["register_incoming_with_pdf" if with_file else "register_incoming_no_file"] = stats(times) | {
                "median_duplicates_found": statistics.median(duplicates)
            }
        last = service.next_number(clerk, unit) - 1
        assert last == first + 2 * registrations, f"numbers {first}..{last} after {2 * registrations + 1} registrations"

        times = []
        for _ in range(pages):
            began = clock.perf_counter()
            total = service.register_page(clerk, unit, year, "den", limit=1).total
            page = service.register_page(clerk, unit, year, "den", limit=SHOWN, offset=max(0, total - SHOWN))
            times.append(clock.perf_counter() - began)
        assert page.entries and page.entries[-1].number == last, "the newest page does not end at the last number"
        results["register_page"] = stats(times) | {"register_total": total, "rows_shown": len(page.entries)}

        # the part of a registration that reads the unit's earlier incoming documents (Appendix VI duplicates)
        times = []
        with pool.connection() as conn:
            unit_id = conn.execute("SELECT id FROM org_units WHERE code = %s", (unit,)).fetchone()[0]  # type: ignore[index]
            for j in range(pages):
                organ, symbol = ORGANS[0]
                began = clock.perf_counter()
                repo.incoming_duplicates(conn, unit_id, str(j + 1), symbol, organ, before=2**62)
                times.append(clock.perf_counter() - began)
        results["duplicate_check_alone"] = stats(times)

        began = clock.perf_counter()
        name, data = service.printouts.book_pdf(clerk, unit, year, "den")
        results["book_pdf"] = {
            "entries": total,
            "seconds": round(clock.perf_counter() - began, 1),
            "bytes": len(data),
            "file": name,
        }
    finally:
        pool.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2_000_000)
    parser.add_argument("--registrations", type=int, default=200, help="registrations timed, with and without a file")
    parser.add_argument("--pages", type=int, default=50, help="register pages timed")
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        made = load(url, args.documents)
        results = measure(url, Path(workdir) / "files", args.registrations, args.pages)
    report = {"documents": args.documents} | made | results
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    big = made["biggest_register"]
    print(f"{args.documents:,} documents in {made['registers']} registers ({made['years']}) made in {made['load_s']} s")
    print(f"  biggest: {big['unit']} {big['year']} {big['series']}, {big['entries']:,} entries")  # type: ignore[index]
    for key, label in (
        ("register_incoming_with_pdf", "register one incoming document with a 200 KB PDF"),
        ("register_incoming_no_file", "register one incoming document without a file"),
        ("register_page", f"register page (total, then the newest {SHOWN})"),
        ("duplicate_check_alone", "of a registration, the duplicate check alone"),
    ):
        r = results[key]
        print(f"  {label}: n {r['n']}, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, max {r['max_ms']} ms")  # type: ignore[index]
    book = results["book_pdf"]
    print(f"  register book PDF of {book['entries']:,} entries: {book['seconds']} s, {book['bytes']:,} bytes")  # type: ignore[index]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Search over many documents: query latency (p50, p95, max) with the rule book applied, and how long the
index took to fill.

    python -m bench.documents_search [--documents 2000000] [--rounds 5] [--json]
                                     [--database-url postgresql://…]   # default: an embedded pgserver

The documents' search entries (`search_entries`, what a registration writes through hub.search.index)
are generated in SQL, in batches: subjects of 6–14 words (two random phrases of an administrative
Vietnamese vocabulary, about 400 million combinations), 20 units, 5 % of them secret, dated 2019–2026 in the
order they are written (a document is indexed when it is registered, the same or the next working day, so the
table fills in date order, as the hub's does); the tsvector made as the migrations index existing documents
(`cces_fold`, the words' beginnings of `cces_search_prefixes`). The registers themselves are not generated: a
search reads only `search_entries`. Then each query of the list runs `--rounds` times through
`SearchService.search` (SQL, ranking, count, snippets) as three people: a system admin (everything),
the văn thư of one unit (its documents, secret ones included) and a lãnh đạo of one unit (no secret).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time as clock
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal, Role, RoleGrant
from hub.db import open_pool
from hub.people.models import UnitKind
from hub.people.service import create_unit
from hub.search.models import Query
from hub.search.service import SearchService

WORDS = (
    "quyết định công văn báo cáo kế hoạch thông báo tờ trình hướng dẫn chương trình về việc triển khai thực hiện"
    " nghỉ phép năm cán bộ công chức viên chức hải quan khu vực cửa khẩu kiểm tra giám sát hàng hóa xuất nhập"
    " khẩu thuế phí lệ phí quyết toán ngân sách tài sản công mua sắm trang thiết bị đào tạo bồi dưỡng tuyển dụng"
    " bổ nhiệm luân chuyển điều động khen thưởng kỷ luật thi đua phòng chống buôn lậu gian lận thương mại ma túy"
    " cải cách hành chính chuyển đổi số dữ liệu hệ thống thông tin an toàn bảo mật văn thư lưu trữ hồ sơ tài liệu"
    " quý tháng tuần đợt một hai ba bốn sửa đổi bổ sung quy chế quy định nội quy làm việc họp giao ban lãnh đạo"
    " chi cục đội kiểm soát phúc tập trị giá xuất xứ phân loại miễn giảm hoàn thuế doanh nghiệp ưu tiên đại lý"
).split()

QUERIES = (
    "quyet dinh nghi phep",
    "Quyết định nghỉ phép",
    "bao cao quyet toan ngan sach",
    "phòng chống buôn lậu",
    "chuyen doi so",
    "kiểm tra giám sát hàng hóa",
    "thue",
    "can bo cong chuc vien chuc",
    "tuyen dung",
    "hoan thue doanh nghiep uu tien",
    "ma tuy",
    "van thu luu tru ho so",
    "bổ nhiệm luân chuyển",
    "giao ban",
    "xuat xu",
    "đ",
    "nghi ph",
)


def load(url: str, documents: int, batch: int = 100_000) -> tuple[list[str], float]:
    """The units and `documents` search entries; (unit codes, seconds it took)."""
    began = clock.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        create_unit(conn, "TCHQ", "Tổng cục Hải quan", UnitKind.GENERAL_DEPARTMENT)
        codes = [f"CHQ{i:02d}" for i in range(20)]
        for code in codes:
            create_unit(conn, code, f"Cục Hải quan {code}", UnitKind.DEPARTMENT, "TCHQ")
        conn.execute("ALTER TABLE search_entries SET (autovacuum_enabled = false)")
        # two lists of random phrases (3–7 words), each row joins one of each: many distinct subjects,
        # and the folding of each phrase is done once
        for name, count in (("bench_a", 20011), ("bench_b", 19997)):
            conn.execute(
                f"CREATE TEMP TABLE {name} AS SELECT i, p AS phrase,"
                " regexp_replace(cces_fold(p), '[^0-9a-z]+', ' ', 'g') AS folded"
                " FROM (SELECT i, (SELECT string_agg(w[1 + floor(random() * array_length(w, 1))::int], ' ')"
                "  FROM (SELECT %(words)s::text[] AS w) words, generate_series(1, 3 + (i %% 5))) AS p"
                " FROM generate_series(0, %(n)s - 1) i) x",
                {"words": list(WORDS), "n": count},
            )
            conn.execute(f"CREATE UNIQUE INDEX ON {name} (i)")
        done = 0
        while done < documents:
            size = min(batch, documents - done)
            conn.execute(
                """
                WITH units AS (SELECT array_agg(id ORDER BY code) AS ids, array_agg(path ORDER BY code) AS paths
                               FROM org_units WHERE code LIKE 'CHQ%%'),
                     rows AS (
                         SELECT g, (g %% 20) + 1 AS u, extract(year FROM d)::int AS y, d,
                                a.phrase || ' ' || b.phrase AS subject, a.folded || ' ' || b.folded AS folded
                         FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
                         CROSS JOIN LATERAL (SELECT date '2019-01-01' + ((g - 1) * 2922 / %(total)s)::int AS d) day
                         JOIN bench_a a ON a.i = g %% 20011 JOIN bench_b b ON b.i = (g / 7) %% 19997)
                INSERT INTO search_entries (kind, ref_id, unit_id, unit_path, secrecy, register, year, type_key,
                                            status, day, title, body, folded)
                SELECT 'document', r.g, units.ids[r.u], units.paths[r.u], CASE WHEN r.g %% 20 = 7 THEN 1 ELSE 0 END,
                       CASE WHEN r.g %% 2 = 0 THEN 'den' ELSE 'di' END, r.y, 'cong_van',
                       CASE WHEN r.g %% 2 = 0 THEN 'incoming' ELSE 'outgoing' END,
                       r.d,
                       (r.g %% 9000 + 1) || '/HQ' || r.u || '-VP — ' || r.subject, 'Cục Hải quan ' || r.u,
                       v.words || array_to_tsvector(cces_search_prefixes(v.words))
                       || array_to_tsvector(cces_search_tags('document', units.paths[r.u],
                              CASE WHEN r.g %% 20 = 7 THEN 1 ELSE 0 END::smallint,
                              CASE WHEN r.g %% 2 = 0 THEN 'den' ELSE 'di' END, r.y::smallint, 'cong_van',
                              CASE WHEN r.g %% 2 = 0 THEN 'incoming' ELSE 'outgoing' END))
                FROM rows r, units, LATERAL (SELECT
                    setweight(to_tsvector('simple', r.folded || ' ' || (r.g %% 9000 + 1) || ' hq' || r.u || ' vp'), 'A')
                    || setweight(to_tsvector('simple', 'cuc hai quan ' || r.u), 'B') AS words) v
                """,
                {"first": done + 1, "last": done + size, "total": documents},
            )
            done += size
            print(f"  {done:,} entries, {clock.perf_counter() - began:.0f} s", flush=True)
        conn.execute("ALTER TABLE search_entries SET (autovacuum_enabled = true)")
        conn.execute("VACUUM ANALYZE search_entries")
    return codes, clock.perf_counter() - began


def measure(url: str, codes: list[str], rounds: int) -> dict[str, dict[str, float]]:
    with psycopg.connect(url) as conn:
        path = conn.execute("SELECT path FROM org_units WHERE code = %s", (codes[3],)).fetchone()[0]  # type: ignore[index]
    people = {
        "admin": Principal.tool("bench", "Bench"),
        "clerk": Principal(1, "van-thu", "Văn thư", None, None, (RoleGrant(Role.CLERK, path),)),
        "manager": Principal(2, "lanh-dao", "Lãnh đạo", None, None, (RoleGrant(Role.MANAGER, path),)),
    }
    pool = open_pool(url, max_size=2, name="cces-bench-search")
    service = SearchService(pool)
    results: dict[str, dict[str, float]] = {}
    try:
        for name, principal in people.items():
            service.search(principal, Query(QUERIES[0]))  # warm the connection and the cache once
            times: list[float] = []
            totals: list[int] = []
            for _ in range(rounds):
                for i, text in enumerate(QUERIES):
                    query = Query(text, year=2024) if i % 4 == 3 else Query(text)
                    began = clock.perf_counter()
                    page = service.search(principal, query)
                    times.append(clock.perf_counter() - began)
                    totals.append(page.total)
            times.sort()
            results[name] = {
                "queries": len(times),
                "p50_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 1),
                "max_ms": round(times[-1] * 1000, 1),
                "median_hits": statistics.median(totals),
            }
    finally:
        pool.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        codes, seconds = load(url, args.documents)
        results = measure(url, codes, args.rounds)
    report = {"documents": args.documents, "load_s": round(seconds, 1), "search": results}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{args.documents:,} documents indexed in {seconds:.0f} s")
        for name, r in results.items():
            print(
                f"  as {name}: {r['queries']} searches, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms,"
                f" max {r['max_ms']} ms (median hits {r['median_hits']:,})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Notifications at scale: one notification to every account, the inbox of one account, mail per second.

    python -m bench.notifications [--accounts 10000] [--broadcasts 5] [--mails 2000] [--json]
                                  [--database-url postgresql://…]   # default: an embedded pgserver

Loads `--accounts` accounts (COPY), each with an e-mail address. Times `notify` to all of them in one
transaction (inbox rows, outbox rows, the bell's pg_notify), `--broadcasts` times; then one account's
first inbox page and its unread count (p50/p95 over 200 accounts); then the mail sender delivering
`--mails` of the outbox to a local SMTP server (aiosmtpd, test extra) with one sender and with two
racing (each mail delivered once: checked). Loading is not timed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time as clock
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench.timesheet_db import bench_database
from hub.accounts.principal import Principal
from hub.db import open_pool
from hub.notifications import repository as repo
from hub.notifications.mail import MailSender, SmtpConfig
from hub.notifications.models import Category, Message
from hub.notifications.service import NotificationsService, notify

CATEGORY = Category("bench.notice", "Thông báo thử tải", "Bench notice")


def load(conn: psycopg.Connection, accounts: int) -> list[int]:
    with conn.transaction():
        with conn.cursor().copy("COPY users (username, display_name, password_hash, created_by) FROM STDIN") as copy:
            for i in range(accounts):
                copy.write_row((f"nv{i:05d}", f"Cán bộ {i:05d}", "not-a-hash", "bench"))
        conn.execute(
            "INSERT INTO notification_settings (user_id, email) SELECT id, username || '@example.gov.vn' FROM users"
        )
        repo.ensure_categories(conn, [CATEGORY])
    return [r[0] for r in conn.execute("SELECT id FROM users ORDER BY id").fetchall()]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def send_all(pool, smtp, senders: int, expected: int) -> tuple[float, int]:  # noqa: ANN001
    """Seconds for `senders` racing MailSenders to empty the outbox, and the messages the server got."""
    before = len(smtp.messages)
    config = SmtpConfig(host=smtp.host, port=smtp.port, sender="CCES <cces@bench.example>", batch=100_000)
    threads = [
        threading.Thread(target=MailSender(pool, config, "https://cces.bench.example", None, f"s{i}").run)
        for i in range(senders)
    ]
    started = clock.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = clock.perf_counter() - started
    got = len(smtp.messages) - before
    assert got == expected, (got, expected)
    assert len({m.message_id for m in smtp.messages}) == len(smtp.messages)  # none twice
    return seconds, got


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--broadcasts", type=int, default=5)
    parser.add_argument("--mails", type=int, default=2_000)
    parser.add_argument("--database-url", help="a PostgreSQL server to create the bench database on")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from tests.smtp import SmtpServer  # aiosmtpd: the test extra

    with (
        tempfile.TemporaryDirectory(prefix="cces-bench-pg-") as workdir,
        bench_database(args.database_url, Path(workdir)) as url,
    ):
        with psycopg.connect(url, autocommit=True) as conn:
            ids = load(conn, args.accounts)
        pool = open_pool(url, max_size=4, name="cces-bench-notify")
        smtp = SmtpServer().start()
        try:
            broadcast_runs = []
            for i in range(args.broadcasts):
                with pool.connection() as conn:
                    started = clock.perf_counter()
                    with conn.transaction():
                        notify(conn, ids, CATEGORY.code, Message.text(f"Thông báo {i}", f"Notice {i}", "Nội dung"),
                               "/notifications")  # fmt: skip
                    broadcast_runs.append(clock.perf_counter() - started)
            with pool.connection() as conn:  # the bench times the inbox, not the outbox: keep --mails of it
                conn.execute(
                    "DELETE FROM notification_mail WHERE id NOT IN (SELECT id FROM notification_mail ORDER BY id"
                    " LIMIT %s)",
                    (args.mails,),
                )
            service = NotificationsService(pool, None, lambda: datetime.now(UTC))
            page_runs, count_runs = [], []
            for user_id in random.Random(15).sample(ids, min(200, len(ids))):
                who = Principal(user_id, "x", "x", None, None)
                started = clock.perf_counter()
                page = service.inbox(who, limit=20)
                page_runs.append(clock.perf_counter() - started)
                started = clock.perf_counter()
                service.unread_count(who)
                count_runs.append(clock.perf_counter() - started)
                assert page.total == args.broadcasts
            half = args.mails // 2
            with pool.connection() as conn:
                conn.execute(
                    "UPDATE notification_mail SET next_attempt_at = 'infinity' WHERE id IN (SELECT id FROM"
                    " notification_mail ORDER BY id DESC LIMIT %s)",
                    (args.mails - half,),
                )
            one_s, one_n = send_all(pool, smtp, 1, half)
            with pool.connection() as conn:
                conn.execute("UPDATE notification_mail SET next_attempt_at = now() WHERE status = 'pending'")
            two_s, two_n = send_all(pool, smtp, 2, args.mails - half)
        finally:
            smtp.stop()
            pool.close()
    figures = {
        "accounts": args.accounts,
        "notify_all_seconds": round(statistics.median(broadcast_runs), 3),
        "notify_all_first_seconds": round(broadcast_runs[0], 3),
        "inbox_page_p50_ms": round(percentile(page_runs, 0.5) * 1000, 2),
        "inbox_page_p95_ms": round(percentile(page_runs, 0.95) * 1000, 2),
        "unread_count_p95_ms": round(percentile(count_runs, 0.95) * 1000, 2),
        "mail_one_sender_per_s": round(one_n / one_s, 1),
        "mail_two_senders_per_s": round(two_n / two_s, 1),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"notify to all {args.accounts} accounts (inbox + outbox rows + bell notice, one transaction):"
            f" {figures['notify_all_seconds']:.3f} s (median of {args.broadcasts}; first"
            f" {figures['notify_all_first_seconds']:.3f} s); one inbox page p50 {figures['inbox_page_p50_ms']} ms,"
            f" p95 {figures['inbox_page_p95_ms']} ms; unread count p95 {figures['unread_count_p95_ms']} ms;"
            f" mail to a local SMTP server: {figures['mail_one_sender_per_s']}/s with one sender,"
            f" {figures['mail_two_senders_per_s']}/s with two racing (each delivered once)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Mail through a real SMTP server (aiosmtpd): delivered once while two senders race (as two hub processes
would), and through the job queue's periodic job on two workers; retried with backoff after the server
was down; a permanent refusal and the last attempt leave the mail 'failed' with its error, sent again on
the system admin's retry; the message is Vietnamese first with English below, and links to the hub."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

import psycopg
import pytest

from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.jobs.models import RetryPolicy
from hub.jobs.queue import JobQueue
from hub.notifications.jobs import SEND_MAIL, notification_jobs
from hub.notifications.models import MailNotRetryable, Message, SendReport
from hub.notifications.service import notify
from hub.services import HubServices
from tests.hub.notifications.conftest import NOTIFY, PUBLIC_URL, People, make_sender
from tests.smtp import SmtpServer

pytestmark = pytest.mark.timeout(180)


def queue_mails(services: HubServices, people: People, n: int) -> None:
    with services.pool.connection() as conn:
        for i in range(n):
            notify(conn, [people.ids["an"], people.ids["binh"]], "trial.request",
                   Message.text(f"Đơn số {i} chờ duyệt", f"Request {i} awaits approval", "Nội dung", "Body"),
                   f"/trial/{i}")  # fmt: skip


def statuses(database_url: str) -> Counter[str]:
    with psycopg.connect(database_url) as conn:
        return Counter(r[0] for r in conn.execute("SELECT status FROM notification_mail").fetchall())


def test_two_senders_racing_deliver_every_mail_exactly_once(
    services: HubServices, people: People, smtp_server: SmtpServer, database_url: str
) -> None:
    queue_mails(services, people, 20)  # 40 mails
    smtp_server.delay_s = 0.02  # both senders are mid-conversation at the same time
    reports: dict[str, SendReport] = {}
    start = threading.Barrier(2)

    def run(name: str) -> None:
        start.wait()
        reports[name] = make_sender(services, smtp_server, name).run()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("hub-a", "hub-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    ids = Counter(m.message_id for m in smtp_server.messages)
    assert len(smtp_server.messages) == 40 and set(ids.values()) == {1}
    assert reports["hub-a"].sent + reports["hub-b"].sent == 40
    assert reports["hub-a"].sent > 0 and reports["hub-b"].sent > 0, reports  # they really raced
    assert statuses(database_url) == Counter({"sent": 40})
    assert make_sender(services, smtp_server, "hub-c").run().sent == 0  # nothing left, nothing twice
    assert Counter(tuple(m.rcpt_tos) for m in smtp_server.messages) == {
        ("an@example.gov.vn",): 20,
        ("binh@example.gov.vn",): 20,
    }
    with psycopg.connect(database_url) as conn:
        by = dict(conn.execute("SELECT sent_by, count(*) FROM notification_mail GROUP BY 1").fetchall())
    assert by == {"hub-a": reports["hub-a"].sent, "hub-b": reports["hub-b"].sent}


@pytest.fixture
def workers(services: HubServices, database_url: str) -> Iterator[Callable[..., JobQueue]]:
    made: list[JobQueue] = []

    def make(name: str, smtp: SmtpServer) -> JobQueue:
        queue = JobQueue(database_url, services.pool, worker_name=name, retry=RetryPolicy(attempts=1), poll_s=0.5)
        queue.add(*notification_jobs(services.notifications, make_sender(services, smtp, name), send_every_s=1,
                                     keep_days=180))  # fmt: skip
        queue.start()
        made.append(queue)
        return queue

    yield make
    for queue in made:
        queue.stop()


def test_the_periodic_job_on_two_hub_workers_sends_each_mail_once(
    services: HubServices, people: People, smtp_server: SmtpServer, database_url: str, workers
) -> None:
    workers("proc-a", smtp_server)
    workers("proc-b", smtp_server)
    queue_mails(services, people, 5)
    assert len(smtp_server.wait_for(10)) >= 10
    time.sleep(3)  # a few more periods of both workers: nothing is sent again
    assert len(smtp_server.messages) == 10
    assert len({m.message_id for m in smtp_server.messages}) == 10
    with psycopg.connect(database_url) as conn:
        runs = conn.execute("SELECT count(*), count(DISTINCT period_at) FROM job_runs WHERE task = %s",
                            (SEND_MAIL,)).fetchone()  # fmt: skip
    assert runs is not None and runs[0] >= 3 and runs[0] - runs[1] <= 2  # once per period (and the at-start runs)


def test_mail_waits_with_backoff_while_the_server_is_down_then_goes_once(
    services: HubServices, people: People, smtp_server: SmtpServer, database_url: str
) -> None:
    smtp_server.stop()
    queue_mails(services, people, 1)
    sender = make_sender(services, smtp_server, "hub-a", backoff_s=1.0, max_attempts=5)
    first = sender.run()
    assert (first.sent, first.retried) == (0, 1)  # a run stops at the first connection failure
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT status, attempts, last_error, next_attempt_at > now() FROM notification_mail ORDER BY id"
        ).fetchall()
    assert rows[0][0] == "pending" and rows[0][1] == 1 and rows[0][3] is True
    assert "ConnectionRefusedError" in rows[0][2]
    assert rows[1][1] == 0  # the other one kept its turn
    smtp_server.start()
    assert sender.run().sent == 1  # the untried one; the failed one waits for its backoff
    time.sleep(1.2)
    assert sender.run().sent == 1
    assert len(smtp_server.messages) == 2 and len({m.message_id for m in smtp_server.messages}) == 2
    assert statuses(database_url) == Counter({"sent": 2})
    with psycopg.connect(database_url) as conn:
        attempts = sorted(r[0] for r in conn.execute("SELECT attempts FROM notification_mail").fetchall())
    assert attempts == [1, 2]


def test_temporary_refusals_are_retried_until_the_last_attempt_then_the_admin_sends_it_again(
    services: HubServices, people: People, smtp_server: SmtpServer, database_url: str, admin: Principal
) -> None:
    with services.pool.connection() as conn:
        notify(conn, [people.ids["an"]], "trial.request", Message.text("Một", "One"))
    sender = make_sender(services, smtp_server, "hub-a", backoff_s=0.3, max_attempts=3, max_backoff_s=0.6)
    smtp_server.refuse(10, "451 4.3.0 Mailbox busy")
    waits = []
    for _ in range(3):
        report = sender.run()
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT next_attempt_at - now() FROM notification_mail").fetchone()
        waits.append(row[0].total_seconds() if row else None)
        time.sleep(0.7)
    assert report.failed == 1 and smtp_server.messages == []
    assert waits[0] is not None and waits[1] is not None and waits[1] > waits[0]  # 0.3 s, then 0.6 s
    total, mails = services.notifications.mail(admin, ["failed"])
    assert total == 1 and mails[0].attempts == 3 and "451" in (mails[0].last_error or "")
    assert "Mailbox busy" in (mails[0].last_error or "")
    smtp_server.refuse(0)
    retried = services.notifications.retry_mail(admin, mails[0].id, Actor("admin"))
    assert retried.status == "pending"
    with pytest.raises(MailNotRetryable):
        services.notifications.retry_mail(admin, mails[0].id, Actor("admin"))
    assert sender.run().sent == 1 and len(smtp_server.messages) == 1


def test_a_permanent_refusal_fails_at_once(
    services: HubServices, people: People, smtp_server: SmtpServer, admin: Principal
) -> None:
    with services.pool.connection() as conn:
        notify(conn, [people.ids["an"]], "trial.request", Message.text("Một", "One"))
        notify(conn, [people.ids["binh"]], "trial.request", Message.text("Hai", "Two"))
    smtp_server.refuse(1, "550 5.1.1 No such user")
    report = make_sender(services, smtp_server, "hub-a").run()
    assert (report.failed, report.sent) == (1, 1)  # the run goes on after a permanent refusal
    counts = services.notifications.mail_counts(admin)
    assert (counts.failed, counts.sent, counts.pending) == (1, 1, 0)


def test_the_mail_is_vietnamese_first_with_english_below_and_links_into_the_hub(
    services: HubServices, people: People, smtp_server: SmtpServer, database_url: str
) -> None:
    with services.pool.connection() as conn:
        notify(conn, [people.ids["an"]], "trial.request",
               Message.of_key("trial.waiting", number=12, name="Trần Thị Bình", start="01/12", end="03/12"),
               "/trial/12", config=NOTIFY)  # fmt: skip
        # who chose no mail for a category gets none; a category off by default goes to who chose it
        conn.execute(
            "INSERT INTO notification_mail_choices (user_id, category, by_mail) VALUES (%s, 'trial.request', false),"
            " (%s, 'trial.digest', true)",
            (people.ids["binh"], people.ids["an"]),
        )
        assert notify(conn, [people.ids["binh"]], "trial.request", Message.text("a", "b")).mails == 0
        assert notify(conn, [people.ids["an"]], "trial.digest", Message.text("c", "d")).mails == 1
        assert notify(conn, [people.ids["binh"]], "trial.digest", Message.text("e", "f")).mails == 0
    make_sender(services, smtp_server, "hub-a").run()
    mail = next(m for m in smtp_server.messages if "12" in str(m.message["Subject"]))
    assert mail.message["Subject"] == "[CCES] Đơn 12 của Trần Thị Bình chờ duyệt"
    assert mail.message["From"] == "CCES <cces@test.example>"
    assert str(mail.message["Message-ID"]).endswith("@cces.test.example>")
    text = mail.text
    vi, en = text.index("Đơn 12 của Trần Thị Bình chờ duyệt"), text.index("Request 12 of Trần Thị Bình awaits")
    assert vi < text.index("— English —") < en
    assert f"Xem trong CCES: {PUBLIC_URL}/trial/12" in text and f"Open in CCES: {PUBLIC_URL}/trial/12" in text
    assert "Từ ngày 01/12 đến ngày 03/12." in text and "Loại: Đơn thử nghiệm" in text


def test_metrics_report_the_outbox_by_state_and_the_oldest_waiting_mail(
    services: HubServices, people: People, smtp_server: SmtpServer
) -> None:
    from prometheus_client import CollectorRegistry

    from hub.notifications.metrics import MailCollector

    registry = CollectorRegistry()
    registry.register(MailCollector(lambda: services.pool))
    smtp_server.stop()
    queue_mails(services, people, 1)
    make_sender(services, smtp_server, "hub-a").run()
    assert registry.get_sample_value("cces_notification_mail", {"status": "pending"}) == 2
    assert (registry.get_sample_value("cces_notification_mail_oldest_pending_age_seconds") or 0) > 0
    smtp_server.start()
    smtp_server.refuse(1, "550 5.1.1 No such user")
    with services.pool.connection() as conn:
        conn.execute("UPDATE notification_mail SET next_attempt_at = now()")
    make_sender(services, smtp_server, "hub-a").run()
    assert registry.get_sample_value("cces_notification_mail", {"status": "failed"}) == 1
    assert registry.get_sample_value("cces_notification_mail", {"status": "sent"}) == 1
    assert registry.get_sample_value("cces_notification_mail_oldest_pending_age_seconds") == 0
    empty = CollectorRegistry()
    empty.register(MailCollector(lambda: None))
    assert list(empty.collect()) == []


def test_the_sender_signs_in_to_a_server_that_demands_it(
    services: HubServices, people: People, database_url: str
) -> None:
    server = SmtpServer(login=("cces-mail", "mat-khau-thu-2026")).start()
    try:
        queue_mails(services, people, 1)
        wrong = make_sender(services, server, "hub-a", username="cces-mail", password="sai")
        report = wrong.run()
        assert report.retried == 1 and server.messages == []  # refused: tried again later, the rest waits
        with psycopg.connect(database_url) as conn:
            errors = [r[0] for r in conn.execute("SELECT last_error FROM notification_mail WHERE attempts > 0")]
        assert len(errors) == 1 and errors[0]  # (aiosmtpd answers a wrong login with 535, or lets it time out)
        with psycopg.connect(database_url) as conn:
            conn.execute("UPDATE notification_mail SET next_attempt_at = now()")
        right = make_sender(services, server, "hub-a", username="cces-mail", password="mat-khau-thu-2026")
        assert right.run().sent == 2 and len(server.messages) == 2
    finally:
        server.stop()


def test_an_smtp_login_smtplib_cannot_send_is_refused_by_the_settings() -> None:
    from pydantic import ValidationError

    from hub.settings import HubSettings

    with pytest.raises(ValidationError, match="ASCII"):
        HubSettings(smtp_host="mail.example", smtp_username="cces", smtp_password="mật-khẩu")
    assert HubSettings(smtp_host="mail.example", smtp_password="mat-khau").mail.password is not None

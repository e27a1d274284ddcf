"""`cces mail test` against a real SMTP server (and one that is not there), `cces mail outbox` listing and
retrying a failed mail, on a real PostgreSQL."""

from __future__ import annotations

import json

import psycopg
import pytest

from cces.cli import main
from hub.notifications.models import Message
from hub.notifications.service import notify
from tests.services import free_port
from tests.smtp import SmtpServer


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str, tmp_path):
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    monkeypatch.setenv("CCES_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCES_SMTP_FROM", "CCES <cces@haiquan.example>")

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_mail_test_sends_one_through_the_configured_server_and_says_why_when_it_cannot(
    cli, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = cli("mail", "test", "ai@haiquan.example")
    assert code == 2 and "CCES_SMTP_HOST" in err
    monkeypatch.setenv("CCES_SMTP_HOST", smtp_server.host)
    monkeypatch.setenv("CCES_SMTP_PORT", str(smtp_server.port))
    code, out, err = cli("mail", "test", "ai@haiquan.example")
    assert code == 0, err
    assert "sent to ai@haiquan.example" in out
    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ("ai@haiquan.example",) and "Thư thử của CCES" in mail.text and "English" in mail.text
    monkeypatch.setenv("CCES_SMTP_PORT", str(free_port()))  # nobody listens there
    code, _out, err = cli("mail", "test", "ai@haiquan.example")
    assert code == 2 and "did not take the mail" in err


def test_mail_outbox_lists_failed_mail_and_retries_it(cli, database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO users (username, display_name, password_hash, created_by) VALUES ('an', 'An', 'x', 't')"
        )
        user = conn.execute("SELECT id FROM users WHERE username = 'an'").fetchone()[0]  # type: ignore[index]
        conn.execute("INSERT INTO notification_settings (user_id, email) VALUES (%s, 'an@haiquan.example')", (user,))
        notify(conn, [user], "system.notice", Message.text("Một", "One"))
        conn.execute("UPDATE notification_mail SET status = 'failed', attempts = 8, last_error = '550 No such user'")
        mail_id = conn.execute("SELECT id FROM notification_mail").fetchone()[0]  # type: ignore[index]
    code, out, _ = cli("mail", "outbox", "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed["failed"] == 1 and listed["items"][0]["last_error"] == "550 No such user"
    code, out, _ = cli("mail", "outbox", "--retry", str(mail_id))
    assert code == 0 and "sent again" in out
    code, _out, err = cli("mail", "outbox", "--retry", str(mail_id))
    assert code == 2 and "pending" in err
    code, out, _ = cli("mail", "outbox")
    assert code == 0 and out.startswith("1 waiting · 0 sent · 0 failed")
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT actor FROM audit_log WHERE action = 'notification_mail.retry'").fetchall() == [
            ("cli",)
        ]

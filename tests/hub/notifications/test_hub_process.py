"""`cces hub` as it runs in production, with CCES_SMTP_* pointing at a real SMTP server: the settings
reach the sender, the periodic job on the hub's job queue delivers a notification stored by another
process (the test's own connection) once, with the links on CCES_PUBLIC_URL, and the API reports it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx
import psycopg
import pytest

from hub.notifications.models import ActionRequest, Message
from hub.notifications.service import notify
from tests.hubprocess import hub_env, running_hub
from tests.smtp import SmtpServer

pytestmark = [pytest.mark.timeout(240), pytest.mark.slow]
ADMIN_PASSWORD = "quan-tri-he-thong-1"


def test_the_hub_sends_the_outbox_through_its_job_with_the_configured_smtp_server(
    database_url: str, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    env = hub_env(
        tmp_path / "hub",
        CCES_DATABASE_URL=database_url,
        CCES_ADMIN_PASSWORD=ADMIN_PASSWORD,
        CCES_SMTP_HOST=smtp_server.host,
        CCES_SMTP_PORT=str(smtp_server.port),
        CCES_SMTP_FROM="CCES Hải quan <cces@haiquan.example>",
        CCES_MAIL_SEND_INTERVAL_S="1",
        CCES_PUBLIC_URL="https://cces.haiquan.example",
        CCES_LOG_LEVEL="WARNING",
    )
    (tmp_path / "hub").mkdir()
    with running_hub(env) as hub:
        client = httpx.Client(base_url=hub.base_url, timeout=10)
        signed = client.post("/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert signed.status_code == 200, signed.text
        prefs = client.put("/api/v1/notifications/preferences", json={"email": "admin@haiquan.example"})
        assert prefs.status_code == 200, prefs.text
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT id FROM users WHERE username = 'admin'").fetchone()
            assert row is not None
            notify(conn, [row[0]], "system.notice", Message.text("Bảo trì lúc 22 giờ", "Maintenance at 22:00"),
                   "/jobs")  # fmt: skip
        assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp_server.messages:
            time.sleep(0.2)
        assert len(smtp_server.messages) == 1, hub.log_tail()
        mail = smtp_server.messages[0]
        assert mail.rcpt_tos == ("admin@haiquan.example",)
        assert str(mail.message["Subject"]) == "[CCES] Bảo trì lúc 22 giờ"
        assert "https://cces.haiquan.example/jobs" in mail.text
        time.sleep(3)  # more periods of the job: nothing again
        assert len(smtp_server.messages) == 1
        outbox = client.get("/api/v1/notifications/mail").json()
        assert outbox["sent"] == 1 and outbox["items"][0]["sent_by"]
        assert outbox["items"][0]["message_id"] == str(mail.message["Message-ID"])
        assert (tmp_path / "hub" / "secrets" / "notify-action-secret").exists()
        # an action link from the hub's own signer: an unknown action is refused before it is stored
        with pytest.raises(Exception, match="No action"), psycopg.connect(database_url) as conn:
            notify(conn, [row[0]], "system.notice", Message.text("x", "y"), action=ActionRequest("nobody.acts"))
        assert re.search(r"Xem trong CCES: https://cces\.haiquan\.example/jobs", mail.text)

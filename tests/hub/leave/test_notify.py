"""Leave through the shared notifications: the approver gets an e-mail (real SMTP server) whose signed
link approves the request once and is refused the second time; the employee hears of the decision."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.principal import Role
from hub.notifications import repository as notify_repo
from hub.notifications.actions import ActionSigner
from hub.notifications.mail import MailSender, SmtpConfig
from tests.hub.api.conftest import Api, make_api
from tests.smtp import SmtpServer

PUBLIC_URL = "https://cces.test.example"


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(database_url, tmp_path)


def user_id(conn: psycopg.Connection, username: str) -> int:
    row = conn.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
    assert row is not None
    return int(row[0])


def test_the_approvers_mail_link_approves_once_and_is_refused_the_second_time(
    api: Api, smtp_server: SmtpServer, org: psycopg.Connection
) -> None:
    signer = ActionSigner("a-leave-test-secret-long-enough")
    api.services.notifications.signer = signer
    duc = api.client_as("duc", employee="NV001")
    api.client_as("doi-truong", (Role.MANAGER, "DOI1"))
    notify_repo.set_email(org, user_id(org, "doi-truong"), "doi-truong@example.gov.vn")
    body = {"employee_code": "NV001", "leave_type": "annual", "start": "2027-01-11", "end": "2027-01-12"}
    created = duc.post("/api/v1/leave/requests", json=body)
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    config = SmtpConfig(host=smtp_server.host, port=smtp_server.port, sender="CCES <cces@test.example>",
                        timeout_s=5, max_attempts=3, backoff_s=1.0, max_backoff_s=4.0)  # fmt: skip
    MailSender(api.services.pool, config, PUBLIC_URL, signer, "hub-a").run()
    (mail,) = smtp_server.messages
    assert mail.rcpt_tos == ("doi-truong@example.gov.vn",) and "Nguyễn Văn Đức xin nghỉ" in mail.text
    links = re.findall(re.escape(PUBLIC_URL) + r"(/api/v1/actions/[A-Za-z0-9_.\-]+)", mail.text)
    assert links
    browser = TestClient(api.app)
    shown = browser.get(links[0])
    assert shown.status_code == 200 and "Duyệt đơn nghỉ của Nguyễn Văn Đức" in shown.text
    done = browser.post(links[0])
    assert done.status_code == 200 and f"Đã duyệt đơn nghỉ số {request_id}" in done.text
    assert duc.get(f"/api/v1/leave/requests/{request_id}").json()["status"] == "approved"
    again = browser.post(links[0])
    assert again.status_code == 409 and "đã được sử dụng" in again.text
    inbox = duc.get("/api/v1/notifications").json()
    assert any("được duyệt" in (n.get("title_vi") or n.get("title") or str(n)) for n in inbox["items"]), inbox
    audit = org.execute("SELECT actor FROM audit_log WHERE action = 'leave.approve'").fetchall()
    assert audit == [("doi-truong",)]


def test_reject_return_and_cancel_reach_the_right_people_by_mail(
    api: Api, smtp_server: SmtpServer, org: psycopg.Connection
) -> None:
    """Through a real SMTP server: the employee gets the rejection and the return with the approver's
    comment; the approver hears that a request waiting for them was cancelled; the approve link of a
    request rejected meanwhile is refused and changes nothing."""
    signer = ActionSigner("a-leave-test-secret-long-enough")
    api.services.notifications.signer = signer
    duc = api.client_as("duc", employee="NV001")
    boss = api.client_as("doi-truong", (Role.MANAGER, "DOI1"))
    notify_repo.set_email(org, user_id(org, "doi-truong"), "doi-truong@example.gov.vn")
    notify_repo.set_email(org, user_id(org, "duc"), "duc@example.gov.vn")
    ids = []
    for monday in ("2027-01-11", "2027-01-18", "2027-01-25"):
        body = {"employee_code": "NV001", "leave_type": "annual", "start": monday, "end": monday}
        made = duc.post("/api/v1/leave/requests", json=body)
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    rejected, returned, cancelled = ids
    answer = boss.post(f"/api/v1/leave/requests/{rejected}/reject", json={"comment": "Thiếu người thay thế"})
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    answer = boss.post(f"/api/v1/leave/requests/{returned}/return", json={"comment": "Ghi rõ lý do nghỉ"})
    assert answer.status_code == 200 and answer.json()["status"] == "returned"
    answer = duc.post(f"/api/v1/leave/requests/{cancelled}/cancel", json={"reason": "Không đi nữa"})
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    config = SmtpConfig(host=smtp_server.host, port=smtp_server.port, sender="CCES <cces@test.example>",
                        timeout_s=5, max_attempts=3, backoff_s=1.0, max_backoff_s=4.0)  # fmt: skip
    MailSender(api.services.pool, config, PUBLIC_URL, signer, "hub-a").run()
    to_duc = [m for m in smtp_server.messages if m.rcpt_tos == ("duc@example.gov.vn",)]
    to_boss = [m for m in smtp_server.messages if m.rcpt_tos == ("doi-truong@example.gov.vn",)]
    assert len(smtp_server.messages) == len(to_duc) + len(to_boss) == 6
    duc_mail = {str(m.message["Subject"]): m.text for m in to_duc}
    assert len(to_duc) == 2 and any("từ chối" in s for s in duc_mail) and any("trả lại" in s for s in duc_mail)
    assert "Thiếu người thay thế" in next(text for s, text in duc_mail.items() if "từ chối" in s)
    assert "Ghi rõ lý do nghỉ" in next(text for s, text in duc_mail.items() if "trả lại" in s)
    withdrawn = [m for m in to_boss if f"số {cancelled}" in m.text and "hủy" in m.text]
    assert len(to_boss) == 4 and len(withdrawn) == 1 and "Không đi nữa" in withdrawn[0].text
    first_link = next(
        re.findall(re.escape(PUBLIC_URL) + r"(/api/v1/actions/[A-Za-z0-9_.\-]+)", m.text)[0]
        for m in to_boss
        if f"số {rejected})" in m.text
    )
    refused = TestClient(api.app).post(first_link)
    assert refused.status_code == 409 and "not waiting for approval" in refused.text
    assert duc.get(f"/api/v1/leave/requests/{rejected}").json()["status"] == "rejected"

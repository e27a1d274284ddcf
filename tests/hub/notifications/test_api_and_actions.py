"""The HTTP side on a real database: one's own inbox under /api/v1/notifications (list, unread count, mark
read, preferences), the outbox for the system admin only, and the action links of a mail delivered by a
real SMTP server: GET shows and changes nothing, POST acts once, a second use, an expired or a tampered
link is refused with nothing changed."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.notifications import repository as repo
from hub.notifications.actions import ActionSigner
from hub.notifications.models import ActionRequest, Message
from hub.notifications.service import notify
from tests.hub.api.conftest import Api, make_api
from tests.hub.notifications.conftest import DIGEST, PUBLIC_URL, SECRET, TRIAL, make_sender
from tests.smtp import SmtpServer


@pytest.fixture
def api(database_url: str, org: psycopg.Connection, tmp_path: Path) -> Iterator[Api]:
    for api in make_api(database_url, tmp_path):
        api.services.notifications.signer = ActionSigner(SECRET)
        repo.ensure_categories(org, [TRIAL, DIGEST])
        org.execute("CREATE TABLE IF NOT EXISTS trial_requests (id int PRIMARY KEY, state text, approved_by text)")
        yield api


def user_id(api: Api, username: str) -> int:
    with api.services.pool.connection() as conn:
        row = conn.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
    assert row is not None
    return int(row[0])


def send(api: Api, user_ids: list[int], title: str, **kwargs: object) -> None:
    with api.services.pool.connection() as conn:
        notify(conn, user_ids, "trial.request", Message.text(title, title + " (en)"), "/trial/1", **kwargs)  # type: ignore[arg-type]


def test_the_inbox_api_lists_counts_and_marks_ones_own(api: Api) -> None:
    an = api.client_as("an")
    binh = api.client_as("binh")
    an_id, binh_id = user_id(api, "an"), user_id(api, "binh")
    for i in range(3):
        send(api, [an_id], f"Tin {i}")
    send(api, [binh_id], "Của Bình")
    assert an.get("/api/v1/notifications/unread-count").json() == {"unread": 3}
    page = an.get("/api/v1/notifications", params={"limit": 2}).json()
    assert page["total"] == 3 and page["unread"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["title_vi"] == "Tin 2" and page["items"][0]["category_label_en"] == "Trial request"
    assert page["items"][0]["link"] == "/trial/1" and page["items"][0]["read"] is False
    first = page["items"][0]["id"]
    marked = an.post("/api/v1/notifications/read", json={"ids": [first]})
    assert marked.status_code == 200 and marked.json() == {"changed": 1, "unread": 2}
    theirs = binh.get("/api/v1/notifications").json()["items"][0]["id"]
    refused = an.post("/api/v1/notifications/read", json={"ids": [theirs]})
    assert refused.status_code == 404 and " / " in refused.json()["detail"]
    assert binh.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    assert an.post("/api/v1/notifications/read-all").json() == {"changed": 2, "unread": 0}
    assert an.get("/api/v1/notifications", params={"unread_only": True}).json()["total"] == 0
    assert an.post("/api/v1/notifications/read", json={"ids": []}).status_code == 422
    assert an.get("/api/v1/notifications", params={"limit": 1000}).status_code == 422
    assert TestClient(api.app).get("/api/v1/notifications").status_code == 401


def test_preferences_and_the_outbox(api: Api) -> None:
    an = api.client_as("an")
    wanted = {"email": "an@example.gov.vn", "by_mail": {"trial.request": False, "trial.digest": True}}
    prefs = an.put("/api/v1/notifications/preferences", json=wanted)
    assert prefs.status_code == 200, prefs.text
    body = prefs.json()
    assert body["email"] == "an@example.gov.vn"
    choice = {c["code"]: (c["by_mail"], c["chosen"]) for c in body["categories"]}
    assert choice["trial.request"] == (False, True) and choice["trial.digest"] == (True, True)
    assert choice["system.notice"] == (True, False)
    bad = an.put("/api/v1/notifications/preferences", json={"email": "not an address"})
    assert bad.status_code == 422 and "Địa chỉ thư không hợp lệ" in bad.json()["detail"]
    unknown = an.put("/api/v1/notifications/preferences", json={"by_mail": {"trial.nothing": True}})
    assert unknown.status_code == 422
    assert an.get("/api/v1/notifications/preferences").json()["email"] == "an@example.gov.vn"  # unchanged
    assert an.get("/api/v1/notifications/mail").status_code == 403
    admin = api.sign_in("admin", "quan-tri-he-thong-1")
    assert admin.get("/api/v1/notifications/mail").json()["total"] == 0


def test_an_action_link_in_a_mail_is_shown_by_get_used_once_by_post_and_refused_after(
    api: Api, smtp_server: SmtpServer, database_url: str
) -> None:
    api.client_as("an")
    an_id = user_id(api, "an")
    with psycopg.connect(database_url, autocommit=True) as conn:
        repo.set_email(conn, an_id, "an@example.gov.vn")
        conn.execute("INSERT INTO trial_requests VALUES (7, 'waiting', NULL), (8, 'waiting', NULL)")
    send(api, [an_id], "Đơn 7 chờ duyệt", action=ActionRequest("trial.approve", {"request": 7}))
    signer = api.services.notifications.signer
    make_sender(api.services, smtp_server, "hub-a", signer=signer).run()
    text = smtp_server.messages[0].text
    links = re.findall(re.escape(PUBLIC_URL) + r"(/api/v1/actions/[A-Za-z0-9_.\-]+)", text)
    assert len(links) == 2 and links[0] == links[1]  # once in Vietnamese, once in English
    assert "Duyệt đơn: " in text and "Approve the request: " in text
    page = smtp_server.messages[0].message.get_body(("html",))  # the HTML alternative: the action as a button
    assert page is not None
    markup = str(page.get_content())
    assert f'href="{PUBLIC_URL}{links[0]}"' in markup
    assert ">Duyệt đơn</a>" in markup and ">Approve the request</a>" in markup
    assert markup.index("Duyệt đơn") < markup.index("Approve the request")
    path = links[0]
    browser = TestClient(api.app)  # the token is the authority: no session needed

    def state(request: int) -> str:
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT state FROM trial_requests WHERE id = %s", (request,)).fetchone()
            return str(row[0]) if row else "?"

    for _ in range(2):  # a mail scanner fetching the link acts on nothing
        shown = browser.get(path)
        assert shown.status_code == 200 and 'method="post"' in shown.text
        assert "Duyệt đơn số 7 (đang: waiting)" in shown.text and "Approve request 7" in shown.text
    assert state(7) == "waiting"
    done = browser.post(path)
    assert done.status_code == 200 and "Đã duyệt đơn số 7" in done.text and "Request 7 approved" in done.text
    assert state(7) == "approved"
    again = browser.post(path)
    assert again.status_code == 409 and 'data-reason="used"' in again.text and "đã được sử dụng" in again.text
    assert browser.get(path).status_code == 409
    with psycopg.connect(database_url) as conn:
        audited = conn.execute(
            "SELECT actor, actor_user_id FROM audit_log WHERE action = 'notification.act'"
        ).fetchall()
    assert audited == [("an", an_id)]

    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert browser.post(tampered).status_code == 404
    foreign = ActionSigner("another-secret-entirely").token(uuid.uuid4())
    assert browser.get("/api/v1/actions/" + foreign).status_code == 404

    # expiry: a link past its time is refused, nothing done
    send(api, [an_id], "Đơn 8 chờ duyệt", action=ActionRequest("trial.approve", {"request": 8}))
    with psycopg.connect(database_url) as conn:
        action_id = conn.execute("SELECT id FROM notification_actions WHERE params->>'request' = '8'").fetchone()[0]  # type: ignore[index]
        conn.execute("UPDATE notification_actions SET expires_at = now() - interval '1 second' WHERE id = %s",
                     (action_id,))  # fmt: skip
    expired = browser.post(signer.path(action_id))  # type: ignore[union-attr]
    assert expired.status_code == 410 and "hết hạn" in expired.text and "expired" in expired.text
    assert state(8) == "waiting"


def test_a_refused_action_changes_nothing_and_leaves_the_link_unused(api: Api, database_url: str) -> None:
    api.client_as("an")
    an_id = user_id(api, "an")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("INSERT INTO trial_requests VALUES (9, 'withdrawn', NULL)")
    send(api, [an_id], "Đơn 9", action=ActionRequest("trial.approve", {"request": 9}))
    signer = api.services.notifications.signer
    assert signer is not None
    with psycopg.connect(database_url) as conn:
        action_id = conn.execute("SELECT id FROM notification_actions").fetchone()[0]  # type: ignore[index]
    answer = TestClient(api.app).post(signer.path(action_id))
    assert answer.status_code == 409 and "không còn chờ duyệt" in answer.text
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT used_at FROM notification_actions").fetchone() == (None,)

"""The bell and the notifications page, on real HubServices over a real PostgreSQL with the hub's live feed,
driven by NiceGUI's simulated user: the bell's unread count follows notifications stored and read
elsewhere (live, no reload), the page lists, opens and marks them, saves the mail choices, and shows a
system admin the failed mail with its error and a button to send it again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import psycopg
from nicegui import ElementFilter, ui
from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.live.feed import LiveFeed
from hub.notifications import repository as repo
from hub.notifications.models import Category, Message
from hub.notifications.service import notify
from hub.services import HubServices
from tests.ui.conftest import sign_out

TRIAL = Category("trial.request", "Đơn thử nghiệm", "Trial request")


def account_id(database_url: str, username: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
    assert row is not None
    return int(row[0])


def newest_user(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT max(id) FROM users").fetchone()
    assert row is not None
    return int(row[0])


def send(database_url: str, user_id: int, title: str, link: str | None = "/attendance") -> None:
    with psycopg.connect(database_url) as conn:
        repo.ensure_categories(conn, [TRIAL])
        notify(conn, [user_id], "trial.request", Message.text(title, title + " (en)", "Nội dung", "Body"), link)


async def bell(user: User) -> tuple[bool, str]:
    await user.should_see(marker="bell")
    with user:
        badges = list(ElementFilter(kind=ui.badge, marker="bell-count"))  # hidden ones too
    assert len(badges) == 1
    return badges[0].visible, badges[0].text


async def bell_when(user: User, expected: tuple[bool, str], timeout: float = 15.0) -> None:
    for _ in range(int(timeout / 0.2)):
        if await bell(user) == expected:
            return
        await asyncio.sleep(0.2)
    assert await bell(user) == expected


async def test_the_bell_counts_unread_notifications_live(
    sign_in: Callable, live_feed: LiveFeed, ui_database_url: str, ui_services: HubServices
) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    me = newest_user(ui_database_url)
    await user.open("/")
    assert await bell(user) == (False, "0")
    send(ui_database_url, me, "Đơn số 1 chờ duyệt")
    await bell_when(user, (True, "1"))  # no reload: the live feed told the page
    send(ui_database_url, me, "Đơn số 2 chờ duyệt")
    send(ui_database_url, me - 1, "Của người khác")  # another account's: this bell does not move
    await bell_when(user, (True, "2"))
    with psycopg.connect(ui_database_url) as conn:
        conn.execute("UPDATE notifications SET read_at = now() WHERE user_id = %s", (me,))
        repo.notify_inbox(conn, [me])  # read on another page or device
    await bell_when(user, (False, "0"))


async def test_the_page_lists_opens_and_marks_notifications(
    sign_in: Callable, live_feed: LiveFeed, ui_database_url: str
) -> None:
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    me = newest_user(ui_database_url)
    for i in range(3):
        send(ui_database_url, me, f"Thông báo số {i}", link=None if i == 2 else "/attendance")
    await user.open("/notifications")
    await user.should_see("3 thông báo chưa đọc")
    await user.should_see("Thông báo số 2")
    await user.should_see("Đơn thử nghiệm", retries=5)
    with user:
        marks = list(user.find(marker="ntf-mark-read").elements)
    assert len(marks) == 3  # one per unread notification
    with psycopg.connect(ui_database_url) as conn:
        oldest = conn.execute("SELECT min(id) FROM notifications WHERE user_id = %s", (me,)).fetchone()
    assert oldest is not None
    user.find(marker=f"ntf-read-{oldest[0]}").click()
    await user.should_see("2 thông báo chưa đọc", retries=20)
    user.find(marker="ntf-mark-all").click()
    await user.should_see("0 thông báo chưa đọc", retries=20)
    await bell_when(user, (False, "0"))  # the bell follows (live)


async def test_mail_choices_are_saved(sign_in: Callable, ui_database_url: str, ui_services: HubServices) -> None:
    with psycopg.connect(ui_database_url) as conn:
        repo.ensure_categories(conn, [TRIAL])
    user = await sign_in((Role.EMPLOYEE, None), employee_code="NV001")
    me = newest_user(ui_database_url)
    await user.open("/notifications")
    user.find(marker="ntf-email").type("khong-phai-dia-chi")
    user.find(marker="ntf-save").click()
    await user.should_see("Địa chỉ thư không hợp lệ", retries=20)
    user.find(marker="ntf-email").clear().type("nv001@example.gov.vn")
    user.find(marker="ntf-mail-trial.request").click()  # off
    user.find(marker="ntf-save").click()
    await user.should_see("Đã lưu cách nhận thông báo.", retries=20)
    with psycopg.connect(ui_database_url) as conn:
        assert repo.email_of(conn, me) == "nv001@example.gov.vn"
        chosen = repo.mail_choices(conn, me)  # every category's box is saved as shown
        assert chosen["trial.request"] is False and chosen["system.notice"] is True


async def test_a_system_admin_sees_failed_mail_and_sends_it_again(sign_in: Callable, ui_database_url: str) -> None:
    user = await sign_in((Role.SYSTEM_ADMIN, None))
    me = newest_user(ui_database_url)
    with psycopg.connect(ui_database_url) as conn:
        repo.set_email(conn, me, "admin@example.gov.vn")
    send(ui_database_url, me, "Thư sẽ lỗi")
    with psycopg.connect(ui_database_url) as conn:
        conn.execute("UPDATE notification_mail SET status = 'failed', attempts = 8,"
                     " last_error = 'SMTPRecipientsRefused: 550 No such user'")  # fmt: skip
    await user.open("/notifications")
    await user.should_see("0 đang chờ gửi · 0 đã gửi · 1 thất bại")
    await user.should_see("550 No such user", retries=5)
    user.find(marker="ntf-retry").click()
    await user.should_see("1 đang chờ gửi · 0 đã gửi · 0 thất bại", retries=20)
    await sign_out(user)
    employee = await sign_in((Role.EMPLOYEE, None), employee_code="NV002")
    await employee.open("/notifications")
    await employee.should_not_see(marker="ntf-outbox-counts")

"""The inbox on a real PostgreSQL: `notify` inside the caller's transaction (nothing on rollback), texts in
both languages or from a message key, refusals that store nothing, read/unread, paging, retention, and the
live feed's notice to the bell sent on COMMIT only."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg
import pytest

from hub.live.feed import LiveFeed
from hub.live.models import FeedGap, InboxChanged
from hub.notifications.models import BadNotification, Message, UnknownCategory, UnknownNotification
from hub.notifications.service import UsernameNotifier, notify
from hub.services import HubServices
from tests.hub.notifications.conftest import People


def count(conn: psycopg.Connection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def test_notify_stores_one_row_per_recipient_in_the_callers_transaction(
    services: HubServices, people: People, database_url: str
) -> None:
    an, binh, chi = (people.ids[n] for n in ("an", "binh", "chi"))
    with psycopg.connect(database_url) as conn:
        with conn.transaction() as tx:  # the transaction object does as well as its connection
            sent = notify(tx, [an, binh, chi, an], "trial.request",
                          Message.of_key("trial.waiting", number=7, name="Nguyễn Văn An", start="01/12", end="03/12"),
                          "/trial/7")  # fmt: skip
        assert set(sent.notifications) == {an, binh, chi}
        assert sent.mails == 2  # chi has no address
        # a rolled-back change leaves no notification, mail or action behind
        with pytest.raises(RuntimeError), conn.transaction():
            notify(conn, [an], "trial.request", Message.text("Không lưu", "Not kept"), "/trial/8")
            raise RuntimeError("the caller's change failed")
        assert count(conn, "SELECT count(*) FROM notifications") == 3
        assert count(conn, "SELECT count(*) FROM notification_mail") == 2

    page = services.notifications.inbox(people.principals["an"])
    assert page.total == 1 and page.unread == 1
    note = page.items[0]
    assert note.title_vi == "Đơn 7 của Nguyễn Văn An chờ duyệt"
    assert note.title_en == "Request 7 of Nguyễn Văn An awaits approval"
    assert note.body_vi == "Từ ngày 01/12 đến ngày 03/12." and note.body_en == "From 01/12 to 03/12."
    assert note.message_key == "trial.waiting" and note.params["number"] == 7
    assert note.link == "/trial/7" and note.category_vi == "Đơn thử nghiệm" and note.category_en == "Trial request"


@pytest.mark.parametrize(
    ("category", "message", "link", "error"),
    [
        ("trial.nothing", Message.text("a", "b"), None, UnknownCategory),
        ("trial.request", Message.of_key("trial.unknown"), None, BadNotification),
        ("trial.request", Message.of_key("trial.waiting", number=1), None, BadNotification),  # a parameter missing
        ("trial.request", Message.text("", "only English"), None, BadNotification),
        ("trial.request", Message.text("x" * 301, "x"), None, BadNotification),
        ("trial.request", Message.text("a", "b"), "https://elsewhere.example/", BadNotification),
        ("trial.request", Message.text("a", "b"), "//elsewhere.example/", BadNotification),
    ],
)
def test_a_bad_notification_is_refused_in_both_languages_and_nothing_is_stored(
    people: People, database_url: str, category: str, message: Message, link: str | None, error: type
) -> None:
    with psycopg.connect(database_url) as conn:
        with pytest.raises(error) as caught, conn.transaction():
            notify(conn, [people.ids["an"]], category, message, link)
        assert " / " in str(caught.value)
        assert count(conn, "SELECT count(*) FROM notifications") == 0


def test_mark_read_mark_all_read_paging_and_only_ones_own(services: HubServices, people: People) -> None:
    an, binh = people.principals["an"], people.principals["binh"]
    with services.pool.connection() as conn:
        for i in range(25):
            notify(conn, [an.user_id], "trial.digest" if i % 5 == 0 else "trial.request",
                   Message.text(f"Tin {i}", f"Item {i}"), f"/trial/{i}")  # fmt: skip
        theirs = notify(conn, [binh.user_id], "trial.request", Message.text("Của Bình", "Binh's"))
    inbox = services.notifications
    first = inbox.inbox(an, limit=10)
    assert (first.total, first.unread, len(first.items)) == (25, 25, 10)
    assert first.items[0].title_en == "Item 24"  # newest first
    third = inbox.inbox(an, limit=10, offset=20)
    assert [n.title_en for n in third.items] == [f"Item {i}" for i in range(4, -1, -1)]
    assert inbox.inbox(an, category="trial.digest").total == 5

    assert inbox.mark_read(an, [first.items[0].id, first.items[1].id]) == 2
    assert inbox.mark_read(an, [first.items[0].id]) == 0  # already read
    assert inbox.unread_count(an) == 23
    assert inbox.inbox(an, unread_only=True).total == 23
    with pytest.raises(UnknownNotification):  # another's notification: refused, nothing changed
        inbox.mark_read(an, [first.items[2].id, theirs.notifications[binh.user_id]])
    assert inbox.unread_count(an) == 23 and inbox.unread_count(binh) == 1
    assert inbox.mark_all_read(an) == 23
    assert inbox.unread_count(an) == 0 and inbox.unread_count(binh) == 1


def test_retention_deletes_old_notifications_and_delivered_mail_but_keeps_pending_mail(
    services: HubServices, people: People
) -> None:
    an = people.ids["an"]
    with services.pool.connection() as conn:
        notify(conn, [an], "trial.request", Message.text("Cũ", "Old"))
        conn.execute("UPDATE notifications SET created_at = now() - interval '200 days'")
        conn.execute("UPDATE notification_mail SET created_at = now() - interval '200 days'")
        notify(conn, [an], "trial.request", Message.text("Mới", "New"))
    deleted = services.notifications.apply_retention(timedelta(days=180))
    assert deleted[0] == 1
    assert deleted[1] == 0  # the old mail was never sent: it stays until it is
    with services.pool.connection() as conn:
        conn.execute("UPDATE notification_mail SET status = 'sent'")
    assert services.notifications.apply_retention(timedelta(days=180))[1] == 1
    assert [n.title_en for n in services.notifications.inbox(people.principals["an"]).items] == ["New"]


def test_the_live_feed_tells_the_bell_after_commit_only(
    services: HubServices, people: People, database_url: str
) -> None:
    feed = LiveFeed(database_url, poll_interval_s=0.1)
    feed.start()
    try:
        assert feed.wait_connected(10)
        bell = feed.subscribe(kinds={InboxChanged, FeedGap})
        everything_else = feed.subscribe()  # a page that did not ask for the bell's items gets none
        an, binh = people.ids["an"], people.ids["binh"]
        with psycopg.connect(database_url) as conn:
            with conn.transaction():
                notify(conn, [an, binh], "trial.request", Message.text("Một", "One"))
                time.sleep(0.5)
                assert bell.drain() == []  # not before COMMIT
            item = bell.get(timeout=10)
            assert isinstance(item, InboxChanged) and item.concerns(an) and item.concerns(binh)
            assert not item.concerns(people.ids["chi"])
            with pytest.raises(RuntimeError), conn.transaction():
                notify(conn, [an], "trial.request", Message.text("Hai", "Two"))
                raise RuntimeError("rolled back")
        services.notifications.mark_all_read(people.principals["an"])  # reading changes the count too
        item = bell.get(timeout=10)
        assert isinstance(item, InboxChanged) and item.user_ids == frozenset({an})
        assert bell.get(timeout=0.5) is None  # the rolled-back one never came
        assert everything_else.drain() == []
    finally:
        feed.stop()


def test_a_domain_naming_people_by_username_notifies_through_the_adapter(services: HubServices, people: People) -> None:
    notifier = UsernameNotifier("trial.request")
    with services.pool.connection() as conn:
        sent = notifier(conn, "binh", "Đơn nghỉ chờ duyệt / Leave request to approve", "An xin nghỉ / An asks", "/x")
        assert notifier(conn, "nobody", "a / b", "c").notifications == {}
    assert list(sent.notifications) == [people.ids["binh"]]
    note = services.notifications.inbox(people.principals["binh"]).items[0]
    assert (note.title_vi, note.title_en, note.body_vi, note.body_en) == (
        "Đơn nghỉ chờ duyệt",
        "Leave request to approve",
        "An xin nghỉ",
        "An asks",
    )

"""Notifications (thông báo): `notify` for other domains, and what the API and the pages ask.

`notify(conn, recipients, category, message, link, action=None)` runs inside the caller's own transaction:
the inbox rows, the outbox rows of those who want this category by mail, the action link rows and the
live bell's pg_notify all commit or roll back with the caller's change. A domain never sends mail itself.

`NotificationsService` is the inbox of the signed-in account (nobody reads another's inbox; the system
admin sees the mail outbox to find failures), the account's preferences, the action links' two steps
(look, then act), and retention.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg_pool import ConnectionPool

from hub.accounts import access, audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.notifications import repository as repo
from hub.notifications.actions import ActionSigner, action_spec
from hub.notifications.models import (
    DEFAULT_NOTIFY,
    MAX_RECIPIENTS,
    ActionContext,
    ActionLink,
    ActionLinkError,
    ActionRefused,
    ActionRequest,
    BadNotification,
    Category,
    InboxPage,
    MailChoice,
    MailCounts,
    MailNotRetryable,
    MailRecord,
    Message,
    NotifyConfig,
    Outcome,
    Preferences,
    UnknownCategory,
    UnknownMail,
    UnknownNotification,
    check_link,
)

log = logging.getLogger(__name__)

EMAIL_FORM = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_PAGE = 200


@dataclass(frozen=True)
class Sent:
    """What `notify` stored: notification ids by recipient, mails queued, action link ids by recipient."""

    notifications: dict[int, int]
    mails: int
    actions: dict[int, uuid.UUID]


def notify(
    conn_or_tx: psycopg.Connection | psycopg.Transaction,
    recipients: Iterable[int],
    category: str,
    message: Message,
    link: str | None = None,
    action: ActionRequest | None = None,
    *,
    config: NotifyConfig = DEFAULT_NOTIFY,
) -> Sent:
    """Notify accounts (user ids) in the caller's transaction. Disabled or unknown accounts are left out.

    Raises UnknownCategory or BadNotification (an unknown message key or action, a link outside the hub,
    too many recipients) before anything is written; the caller's transaction decides the rest.
    `conn_or_tx`: the caller's connection, or the psycopg Transaction it opened on it. `config`: the hub's
    (whether mail is sent, the default life of action links, the Message-ID domain), handed to the caller's
    service when the hub was built; the defaults serve tools and tests."""
    conn: psycopg.Connection = getattr(conn_or_tx, "connection", conn_or_tx)
    ids = sorted({int(r) for r in recipients})
    if len(ids) > MAX_RECIPIENTS:
        raise BadNotification(
            f"Tối đa {MAX_RECIPIENTS} người nhận một thông báo", f"At most {MAX_RECIPIENTS} recipients"
        )
    text = message.render()
    link = check_link(link)
    spec = None
    if action is not None:
        spec = action_spec(action.name)
        if spec is None:
            raise BadNotification(f"Không có thao tác '{action.name}'", f"No action '{action.name}' is declared")
    if not repo.category_exists(conn, category):
        raise UnknownCategory(category)
    users = repo.existing_users(conn, ids)
    if not users:
        return Sent({}, 0, {})
    stored = dict(repo.insert_notifications(conn, users, category, text, link))
    actions: dict[int, uuid.UUID] = {}
    if action is not None and spec is not None:
        ttl = action.ttl or spec.ttl or config.action_ttl
        actions = {user_id: uuid.uuid4() for user_id in stored}
        repo.insert_actions(conn, [(actions[u], u, n) for u, n in stored.items()], spec.name, dict(action.params),
                            ttl.total_seconds())  # fmt: skip
    mails = 0
    if config.mail_enabled:
        subject = f"[CCES] {text.title_vi}"
        rows = [
            (
                stored[user_id],
                user_id,
                actions.get(user_id),
                address,
                subject,
                f"<{uuid.uuid4().hex}@{config.mail_domain}>",
            )  # fmt: skip
            for user_id, address in repo.mail_recipients(conn, users, category).items()
        ]
        repo.insert_mails(conn, rows)
        mails = len(rows)
    repo.notify_inbox(conn, users)
    return Sent(stored, mails, actions)


class NotificationsService:
    def __init__(
        self,
        pool: ConnectionPool,
        signer: ActionSigner | None,
        clock: Callable[[], datetime],
        config: NotifyConfig = DEFAULT_NOTIFY,
    ) -> None:
        self.pool = pool
        self.signer = signer  # None (tools, some tests): no action links
        self.clock = clock
        self.config = config

    # --- the inbox (one's own) ---------------------------------------------------------------------

    def inbox(
        self,
        principal: Principal,
        *,
        unread_only: bool = False,
        category: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> InboxPage:
        limit = max(1, min(limit, MAX_PAGE))
        with self.pool.connection() as conn:
            total, items = repo.inbox(conn, principal.user_id, unread_only=unread_only, category=category,
                                      limit=limit, offset=max(0, offset))  # fmt: skip
            return InboxPage(total, repo.unread_count(conn, principal.user_id), items)

    def unread_count(self, principal: Principal) -> int:
        if principal.user_id <= 0:
            return 0
        with self.pool.connection() as conn:
            return repo.unread_count(conn, principal.user_id)

    def mark_read(self, principal: Principal, ids: Sequence[int]) -> int:
        """Mark these of one's own notifications read; UnknownNotification (nothing changed) if one is not."""
        with self.pool.connection() as conn, conn.transaction():
            mine, changed = repo.mark_read(conn, principal.user_id, ids)
            missing = sorted(set(ids) - set(mine))
            if missing:
                raise UnknownNotification(missing[0])
            if changed:
                repo.notify_inbox(conn, [principal.user_id])
            return changed

    def mark_all_read(self, principal: Principal) -> int:
        with self.pool.connection() as conn, conn.transaction():
            changed = repo.mark_all_read(conn, principal.user_id)
            if changed:
                repo.notify_inbox(conn, [principal.user_id])
            return changed

    def categories(self) -> list[Category]:
        with self.pool.connection() as conn:
            return repo.categories(conn)

    # --- preferences ------------------------------------------------------------------------------

    def preferences(self, principal: Principal) -> Preferences:
        with self.pool.connection() as conn:
            chosen = repo.mail_choices(conn, principal.user_id)
            return Preferences(
                repo.email_of(conn, principal.user_id),
                [MailChoice(c, chosen.get(c.code, c.mail_default), c.code in chosen) for c in repo.categories(conn)],
            )

    def set_preferences(
        self,
        principal: Principal,
        actor: Actor,
        *,
        email: str | None = None,
        clear_email: bool = False,
        by_mail: dict[str, bool | None] | None = None,
    ) -> Preferences:
        """One's e-mail address (`clear_email` removes it) and mail per category (None: the default);
        BadNotification / UnknownCategory and nothing changed. Audited."""
        if principal.user_id <= 0:
            raise BadNotification("Tài khoản công cụ không có hộp thư", "A tool account has no inbox")
        if email is not None:
            email = email.strip()
            if len(email) > 254 or not EMAIL_FORM.match(email):
                raise BadNotification("Địa chỉ thư không hợp lệ", "Not an e-mail address")  # never echoes the input
        with self.pool.connection() as conn, conn.transaction():
            before = self._prefs_audit(conn, principal.user_id)
            known = {c.code for c in repo.categories(conn)}
            for code in by_mail or {}:
                if code not in known:
                    raise UnknownCategory(code)
            if email is not None or clear_email:
                repo.set_email(conn, principal.user_id, None if clear_email else email)
            for code, choice in (by_mail or {}).items():
                repo.set_mail_choice(conn, principal.user_id, code, choice)
            audit.record(conn, actor, "notification_prefs.update", "user", principal.user_id, before=before,
                         after=self._prefs_audit(conn, principal.user_id))  # fmt: skip
        return self.preferences(principal)

    @staticmethod
    def _prefs_audit(conn: psycopg.Connection, user_id: int) -> dict[str, object]:
        return {"email": repo.email_of(conn, user_id), "by_mail": repo.mail_choices(conn, user_id)}

    # --- the outbox (system admin) -----------------------------------------------------------------

    def mail(
        self, principal: Principal, statuses: Sequence[str] | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[MailRecord]]:
        access.require_system_admin(principal, "xem thư đi / see outgoing mail")
        with self.pool.connection() as conn:
            return repo.list_mail(conn, statuses, max(1, min(limit, MAX_PAGE)), max(0, offset))

    def mail_counts(self, principal: Principal) -> MailCounts:
        access.require_system_admin(principal, "xem thư đi / see outgoing mail")
        with self.pool.connection() as conn:
            return repo.mail_counts(conn)

    def retry_mail(self, principal: Principal, mail_id: int, actor: Actor) -> MailRecord:
        """A given-up mail due again now (audited); UnknownMail, MailNotRetryable."""
        access.require_system_admin(principal, "gửi lại thư / send mail again")
        with self.pool.connection() as conn, conn.transaction():
            found = repo.get_mail(conn, mail_id, for_update=True)
            if found is None:
                raise UnknownMail(mail_id)
            if found.status != "failed":
                raise MailNotRetryable(mail_id, found.status)
            repo.retry_mail(conn, mail_id)
            before = {"status": found.status, "error": found.last_error}
            audit.record(conn, actor, "notification_mail.retry", "notification_mail", mail_id, before=before,
                         after={"status": "pending"})  # fmt: skip
            after = repo.get_mail(conn, mail_id)
        assert after is not None
        return after

    # --- action links ------------------------------------------------------------------------------

    def _signer(self) -> ActionSigner:
        if self.signer is None:
            raise ActionLinkError("invalid", "Hệ thống chưa bật liên kết thao tác", "Action links are not set up")
        return self.signer

    def look_at_action(self, token: str) -> tuple[ActionLink, Outcome | None]:
        """The link and what it will do (for the confirmation page, changing nothing); ActionLinkError."""
        action_id = self._signer().action_id(token)
        with self.pool.connection() as conn, conn.transaction():
            link = self._usable(conn, action_id, for_update=False)
            spec = action_spec(link.action)
            assert spec is not None
            if spec.describe is None:
                return link, None
            ctx = ActionContext(conn, link.id, link.user_id, link.username, link.params, None, self.config)
            try:
                return link, spec.describe(ctx)
            except ActionRefused as exc:
                raise ActionLinkError("refused", exc.vi, exc.en) from exc

    def use_action(self, token: str, client_ip: str | None) -> tuple[ActionLink, Outcome]:
        """Do the action once: in one transaction the row is locked, checked (unused, not expired), the
        action performed and the row marked used, audited. ActionLinkError (nothing changed)."""
        action_id = self._signer().action_id(token)
        with self.pool.connection() as conn, conn.transaction():
            link = self._usable(conn, action_id, for_update=True)
            spec = action_spec(link.action)
            assert spec is not None
            ctx = ActionContext(conn, link.id, link.user_id, link.username, link.params, client_ip, self.config)
            try:
                with conn.transaction():  # a refusal undoes whatever perform wrote
                    outcome = spec.perform(ctx)
            except ActionRefused as exc:
                raise ActionLinkError("refused", exc.vi, exc.en) from exc
            repo.mark_action_used(conn, link.id, client_ip, outcome.vi, outcome.en)
            audit.record(conn, Actor(link.username, link.user_id, client_ip), "notification.act",
                         "notification_action", str(link.id), after={"action": link.action, "params": link.params,
                                                                     "outcome": outcome.en})  # fmt: skip
        return link, outcome

    @staticmethod
    def _usable(conn: psycopg.Connection, action_id: uuid.UUID, *, for_update: bool) -> ActionLink:
        link = repo.action_link(conn, action_id, for_update=for_update)
        if link is None:
            raise ActionLinkError("invalid", "Liên kết không còn tồn tại", "This link no longer exists")
        if link.used_at is not None:
            raise ActionLinkError(
                "used", "Liên kết này đã được sử dụng", "This link has already been used", used_at=link.used_at
            )
        if repo.database_now(conn) >= link.expires_at:
            raise ActionLinkError("expired", "Liên kết này đã hết hạn", "This link has expired")
        if action_spec(link.action) is None:
            raise ActionLinkError(
                "unknown_action", "Thao tác này không còn được hỗ trợ", "This action is no longer available"
            )
        return link

    # --- retention -----------------------------------------------------------------------------------

    def apply_retention(self, keep: timedelta) -> tuple[int, int, int]:
        """(notifications, mails, action links) older than `keep` deleted; pending mail stays."""
        before = self.clock() - keep
        with self.pool.connection() as conn, conn.transaction():
            return (
                repo.delete_before(conn, before),
                repo.delete_mail_before(conn, before),
                repo.delete_actions_expired_before(conn, before),
            )


def user_ids_of(conn: psycopg.Connection, usernames: Iterable[str]) -> list[int]:
    """The account ids of these usernames (unknown ones left out): for domains that keep usernames."""
    return repo.user_ids_by_username(conn, sorted(set(usernames)))


@dataclass(frozen=True)
class UsernameNotifier:
    """`notifier(conn, username, subject, body, link)` for a domain that names people by username and writes
    its texts as "Vietnamese / English" (hub.leave's Notifier): split at the first " / " into both languages
    (a text without one is used for both), sent under `category` in the caller's transaction."""

    category: str
    config: NotifyConfig = DEFAULT_NOTIFY

    def __call__(
        self, conn: psycopg.Connection, username: str, subject: str, body: str, link: str | None = None
    ) -> Sent:
        title_vi, _, title_en = subject.partition(" / ")
        body_vi, _, body_en = body.partition(" / ")
        message = Message.text(title_vi, title_en or title_vi, body_vi, body_en or body_vi)
        return notify(conn, user_ids_of(conn, [username]), self.category, message, link, config=self.config)

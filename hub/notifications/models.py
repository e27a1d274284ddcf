"""Records and errors of notifications (thông báo): messages, categories, the inbox, mail, action links.

A domain sends a notification with `hub.notifications.service.notify(conn, recipients, category, message,
link, action=None)` inside its own transaction. The message is either texts in both languages
(`Message.text(...)`) or a key of a catalogue the domain registered (`register_messages`) with its
parameters (`Message.key(...)`); it is rendered when sent and stored rendered, so the inbox reads the same
whatever the catalogue later becomes. An action (`ActionRequest`) names an action some domain declared
with `ActionSpec` (hub.notifications.actions): the mail then carries a signed single-use link to it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

import psycopg

from hub.domain import DomainError

CODE_FORM = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
MAX_TITLE = 300
MAX_BODY = 4000
MAX_LINK = 1000
MAX_RECIPIENTS = 50_000

MailStatus = Literal["pending", "sent", "failed"]


class NotificationError(DomainError):
    """Base of the refusals of notifications; the message is Vietnamese / English."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(f"{vi} / {en}")
        self.vi = vi
        self.en = en


class UnknownCategory(NotificationError):
    status = 422

    def __init__(self, code: str) -> None:
        super().__init__(f"Không có loại thông báo '{code}'", f"No notification category '{code}'")
        self.code = code


class BadNotification(NotificationError):
    status = 422
    """A message, link or recipient list the inbox cannot hold (nothing was stored)."""


class UnknownNotification(NotificationError):
    status = 404

    def __init__(self, notification_id: int) -> None:
        super().__init__(
            f"Không có thông báo số {notification_id} trong hộp thư của bạn",
            f"No notification {notification_id} in your inbox",
        )


class UnknownMail(NotificationError):
    status = 404

    def __init__(self, mail_id: int) -> None:
        super().__init__(f"Không có thư số {mail_id}", f"No mail {mail_id}")


class MailNotRetryable(NotificationError):
    status = 422

    def __init__(self, mail_id: int, status: str) -> None:
        super().__init__(
            f"Thư số {mail_id} đang ở trạng thái '{status}', chỉ gửi lại được thư đã thất bại",
            f"Mail {mail_id} is '{status}': only a failed mail can be sent again",
        )


class ActionLinkError(NotificationError):
    """An action link that cannot be used: `reason` is invalid | used | expired | unknown_action | refused."""

    def __init__(self, reason: str, vi: str, en: str, used_at: datetime | None = None) -> None:
        super().__init__(vi, en)
        self.reason = reason
        self.used_at = used_at


class ActionRefused(NotificationError):
    """Raised by an action's `perform` when its domain refuses (already decided, no longer the approver):
    nothing is changed and the link stays unused."""


# --- what a notification says --------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One entry of a message catalogue: title and body in both languages, with `{name}` placeholders."""

    title_vi: str
    title_en: str
    body_vi: str = ""
    body_en: str = ""


_CATALOGUE: dict[str, Template] = {}


def register_messages(templates: Mapping[str, Template]) -> None:
    """A domain's message catalogue (at import). A key may be registered again only with the same texts."""
    for key, template in templates.items():
        if not CODE_FORM.match(key):
            raise ValueError(f"message key {key!r} must look like 'domain.what'")
        known = _CATALOGUE.get(key)
        if known is not None and known != template:
            raise ValueError(f"message key {key!r} is registered twice with different texts")
        _CATALOGUE[key] = template


def message_template(key: str) -> Template | None:
    return _CATALOGUE.get(key)


@dataclass(frozen=True)
class Rendered:
    title_vi: str
    title_en: str
    body_vi: str
    body_en: str
    key: str | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Message:
    """What a notification says: texts in both languages, or a catalogue key and its parameters."""

    title_vi: str = ""
    title_en: str = ""
    body_vi: str = ""
    body_en: str = ""
    key: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def text(cls, title_vi: str, title_en: str, body_vi: str = "", body_en: str = "") -> Message:
        return cls(title_vi, title_en, body_vi, body_en)

    @classmethod
    def of_key(cls, key: str, **params: Any) -> Message:
        return cls(key=key, params=params)

    def render(self) -> Rendered:
        """The texts to store; BadNotification when a key is unknown, a parameter missing or a text too long."""
        params = {k: _json_safe(v) for k, v in self.params.items()}
        if self.key is not None:
            template = _CATALOGUE.get(self.key)
            if template is None:
                raise BadNotification(f"Không có mẫu thông báo '{self.key}'", f"No message template '{self.key}'")
            try:
                texts = [_fill(t, params) for t in (template.title_vi, template.title_en,
                                                    template.body_vi, template.body_en)]  # fmt: skip
            except KeyError as exc:
                raise BadNotification(
                    f"Mẫu thông báo '{self.key}' thiếu tham số {exc}", f"Message '{self.key}' lacks parameter {exc}"
                ) from exc
        else:
            texts = [self.title_vi, self.title_en, self.body_vi, self.body_en]
        title_vi, title_en, body_vi, body_en = (t.replace("\x00", "").strip() for t in texts)
        if not title_vi or not title_en:
            raise BadNotification("Thông báo cần tiêu đề tiếng Việt và tiếng Anh", "A notification needs both titles")
        if max(len(title_vi), len(title_en)) > MAX_TITLE or max(len(body_vi), len(body_en)) > MAX_BODY:
            raise BadNotification(
                f"Tiêu đề tối đa {MAX_TITLE} ký tự, nội dung tối đa {MAX_BODY} ký tự",
                f"A title holds at most {MAX_TITLE} characters, a body {MAX_BODY}",
            )
        return Rendered(title_vi, title_en, body_vi, body_en, self.key, params)


def _fill(text: str, params: Mapping[str, Any]) -> str:
    return string.Formatter().vformat(text, (), params)


def _json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return str(value)  # dates, UUIDs, decimals: as they print


def check_link(link: str | None) -> str | None:
    """A path in the hub ("/leave/requests/12"), never another site; BadNotification otherwise."""
    if link is None:
        return None
    if (
        not link.startswith("/")
        or link.startswith("//")
        or "\\" in link
        or len(link) > MAX_LINK
        or any(ord(c) < 32 or c == "\x7f" for c in link)
    ):
        raise BadNotification(
            "Liên kết của thông báo phải là một đường dẫn trong hệ thống (bắt đầu bằng '/')",
            "A notification's link must be a path in the hub (starting with '/')",
        )
    return link


# --- categories, the inbox, preferences --------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    code: str
    label_vi: str
    label_en: str
    mail_default: bool = True

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Notification:
    id: int
    user_id: int
    category: str
    category_vi: str
    category_en: str
    title_vi: str
    title_en: str
    body_vi: str
    body_en: str
    message_key: str | None
    params: dict[str, Any]
    link: str | None
    created_at: datetime
    read_at: datetime | None

    @property
    def read(self) -> bool:
        return self.read_at is not None

    def title(self, lang: str) -> str:
        return self.title_vi if lang == "vi" else self.title_en

    def body(self, lang: str) -> str:
        return self.body_vi if lang == "vi" else self.body_en

    def category_label(self, lang: str) -> str:
        return self.category_vi if lang == "vi" else self.category_en


@dataclass(frozen=True)
class InboxPage:
    total: int  # matching the filter
    unread: int  # unread in the whole inbox
    items: list[Notification]


@dataclass(frozen=True)
class MailChoice:
    category: Category
    by_mail: bool
    chosen: bool  # False: the category's default


@dataclass(frozen=True)
class Preferences:
    email: str | None
    choices: list[MailChoice]


# --- mail --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailRecord:
    id: int
    notification_id: int | None
    user_id: int | None
    to_address: str
    subject: str
    message_id: str
    status: MailStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    sent_by: str | None


@dataclass(frozen=True)
class MailCounts:
    pending: int
    sent: int
    failed: int


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0  # failed attempts that will be tried again
    failed: int = 0  # given up (status 'failed')
    skipped: int = 0  # due rows another sender held


# --- action links ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRequest:
    """Attach an action link to a notification: `name` of a declared ActionSpec, its `params` (JSON)."""

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)
    ttl: timedelta | None = None  # None: the action's own, else CCES_NOTIFY_ACTION_TTL_HOURS


@dataclass(frozen=True)
class NotifyConfig:
    """What `notify` needs of the settings: built once by hub.runtime from [mail] and [notifications] and handed
    to every service that notifies (the defaults: tools and tests)."""

    mail_enabled: bool = True  # False: no SMTP host, so no outbox rows (the inbox only)
    action_ttl: timedelta = timedelta(hours=72)  # CCES_NOTIFY_ACTION_TTL_HOURS
    mail_domain: str = "cces.local"  # the right side of Message-IDs

    @classmethod
    def from_settings(cls, mail: Any, notifications: Any) -> NotifyConfig:
        """From the settings' [mail] and [notifications] sections (typed loosely: no settings import here)."""
        return cls(bool(mail.host), timedelta(hours=notifications.action_ttl_hours), mail.domain)


DEFAULT_NOTIFY = NotifyConfig()


@dataclass(frozen=True)
class ActionContext:
    """What an action's `describe`/`perform` get: the link's recipient and parameters, in the link's transaction."""

    conn: psycopg.Connection
    action_id: UUID
    user_id: int
    username: str
    params: dict[str, Any]
    client_ip: str | None
    notify_config: NotifyConfig = DEFAULT_NOTIFY  # what an action that notifies in turn passes to `notify`


@dataclass(frozen=True)
class Outcome:
    """What the page says after an action ran (Vietnamese, English)."""

    vi: str
    en: str


@dataclass(frozen=True)
class ActionSpec:
    """An action other domains declare once (leave: `leave.approve`), usable through a mail's link.

    `describe(ctx)` says on the confirmation page what will happen (a GET changes nothing); `perform(ctx)`
    does it in the transaction that marks the link used, and raises ActionRefused to change nothing.
    The domain's own rules still apply inside `perform` (is this user still the approver?)."""

    name: str
    label_vi: str  # the button: "Duyệt đơn"
    label_en: str
    perform: Callable[[ActionContext], Outcome]
    describe: Callable[[ActionContext], Outcome] | None = None
    ttl: timedelta | None = None


@dataclass(frozen=True)
class ActionLink:
    """An action link as the confirmation page shows it."""

    id: UUID
    user_id: int
    username: str
    action: str
    params: dict[str, Any]
    expires_at: datetime
    used_at: datetime | None
    outcome_vi: str | None
    outcome_en: str | None

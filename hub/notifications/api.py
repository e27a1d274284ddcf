"""Notifications over HTTP: one's own inbox under /api/v1/notifications, the outbox for the system admin,
and the action links' two pages (/api/v1/actions/{token}: GET shows and asks, POST acts).

| route | who |
|---|---|
| GET /notifications, /notifications/unread-count, /notifications/categories | anyone signed in: their own inbox |
| POST /notifications/read, /notifications/read-all | anyone signed in: their own notifications |
| GET, PUT /notifications/preferences | anyone signed in: their own address and mail choices |
| GET /notifications/mail; POST /notifications/mail/{id}/retry | system admin |
| GET, POST /actions/{token} | anyone holding the link (the signed single-use token is the authority) |

The action pages are plain HTML (no script, readable on a phone), Vietnamese first, English below.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal, request_actor
from hub.inputs import Code, Id, Offset, ShortText
from hub.localtime import LOCAL_TZ
from hub.notifications import access as notifications_access
from hub.notifications.actions import ACTION_PATH, action_spec
from hub.notifications.models import (
    ActionLinkError,
    MailRecord,
    Notification,
)
from hub.notifications.service import NotificationsService

PREFIX = "/api/v1/notifications"


class NotificationOut(BaseModel):
    id: int
    category: str
    category_label_vi: str
    category_label_en: str
    title_vi: str
    title_en: str
    body_vi: str
    body_en: str
    message_key: str | None
    params: dict[str, Any]
    link: str | None
    created_at: datetime
    read: bool
    read_at: datetime | None

    @classmethod
    def of(cls, n: Notification) -> NotificationOut:
        return cls(
            id=n.id, category=n.category, category_label_vi=n.category_vi, category_label_en=n.category_en,
            title_vi=n.title_vi, title_en=n.title_en, body_vi=n.body_vi, body_en=n.body_en,
            message_key=n.message_key, params=n.params, link=n.link, created_at=n.created_at, read=n.read,
            read_at=n.read_at,
        )  # fmt: skip


class InboxOut(BaseModel):
    total: int
    unread: int
    limit: int
    offset: int
    items: list[NotificationOut]


class UnreadOut(BaseModel):
    unread: int


class MarkRead(BaseModel):
    ids: list[Id] = Field(min_length=1, max_length=500)


class Marked(BaseModel):
    changed: int
    unread: int


class CategoryOut(BaseModel):
    code: str
    label_vi: str
    label_en: str
    mail_default: bool


class ChoiceOut(CategoryOut):
    by_mail: bool
    chosen: bool  # False: the category's default


class PreferencesOut(BaseModel):
    email: str | None
    categories: list[ChoiceOut]


class PreferencesIn(BaseModel):
    email: ShortText | None = Field(None, max_length=254)
    clear_email: bool = False
    by_mail: dict[Code, bool | None] = Field(default_factory=dict, max_length=200)


class MailOut(BaseModel):
    id: int
    notification_id: int | None
    user_id: int | None
    to_address: str
    subject: str
    message_id: str
    status: str  # pending | sent | failed
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    sent_by: str | None

    @classmethod
    def of(cls, m: MailRecord) -> MailOut:
        return cls(**{name: getattr(m, name) for name in cls.model_fields})


class MailPage(BaseModel):
    total: int
    pending: int
    sent: int
    failed: int
    items: list[MailOut]


Caller = Annotated[Principal, Depends(current_principal)]


def _service(request: Request) -> NotificationsService:
    return request.app.state.services.notifications  # type: ignore[no-any-return]


def _preferences(service: NotificationsService, principal: Principal) -> PreferencesOut:
    prefs = service.preferences(principal)
    return PreferencesOut(
        email=prefs.email,
        categories=[
            ChoiceOut(
                code=c.category.code,
                label_vi=c.category.label_vi,
                label_en=c.category.label_en,
                mail_default=c.category.mail_default,
                by_mail=c.by_mail,
                chosen=c.chosen,
            )  # fmt: skip
            for c in prefs.choices
        ],
    )


def notifications_router() -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["notifications"])

    @router.get("", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=InboxOut)
    def inbox(
        request: Request,
        principal: Caller,
        unread_only: bool = False,
        category: Code | None = None,
        limit: int = Query(20, ge=1, le=200),
        offset: Offset = 0,
    ) -> InboxOut:
        """One's own notifications, newest first, one page; `unread` counts the whole inbox."""
        page = _service(request).inbox(principal, unread_only=unread_only, category=category, limit=limit,
                                       offset=offset)  # fmt: skip
        return InboxOut(total=page.total, unread=page.unread, limit=limit, offset=offset,
                        items=[NotificationOut.of(n) for n in page.items])  # fmt: skip

    @router.get("/unread-count", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=UnreadOut)
    def unread_count(request: Request, principal: Caller) -> UnreadOut:
        return UnreadOut(unread=_service(request).unread_count(principal))

    @router.get("/categories", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=list[CategoryOut])
    def categories(request: Request) -> list[CategoryOut]:
        return [
            CategoryOut(code=c.code, label_vi=c.label_vi, label_en=c.label_en, mail_default=c.mail_default)
            for c in _service(request).categories()
        ]

    @router.post("/read", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=Marked)
    def mark_read(body: MarkRead, request: Request, principal: Caller) -> Marked:
        """Mark these of one's notifications read; 404 (nothing changed) when one is not one's own."""
        service = _service(request)
        changed = service.mark_read(principal, body.ids)
        return Marked(changed=changed, unread=service.unread_count(principal))

    @router.post("/read-all", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=Marked)
    def mark_all_read(request: Request, principal: Caller) -> Marked:
        service = _service(request)
        changed = service.mark_all_read(principal)
        return Marked(changed=changed, unread=service.unread_count(principal))

    @router.get("/preferences", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=PreferencesOut)
    def preferences(request: Request, principal: Caller) -> PreferencesOut:
        """One's e-mail address and, per category, whether it comes by mail."""
        return _preferences(_service(request), principal)

    @router.put("/preferences", openapi_extra=notifications_access.OWN_INBOX.route(), response_model=PreferencesOut)
    def set_preferences(body: PreferencesIn, request: Request, principal: Caller) -> PreferencesOut:
        """Change one's address (`clear_email` removes it) and mail per category (null: the default); audited."""
        service = _service(request)
        service.set_preferences(principal, request_actor(request, principal), email=body.email,
                                clear_email=body.clear_email, by_mail=dict(body.by_mail))  # fmt: skip
        return _preferences(service, principal)

    @router.get("/mail", openapi_extra=notifications_access.MAIL.route(), response_model=MailPage)
    def mail(
        request: Request,
        principal: Caller,
        status: Annotated[list[Literal["pending", "sent", "failed"]] | None, Query(max_length=3)] = None,
        limit: int = Query(50, ge=1, le=200),
        offset: Offset = 0,
    ) -> MailPage:
        """The outbox, newest first, with each mail's attempts and last error (system admin)."""
        service = _service(request)
        total, items = service.mail(principal, status, limit, offset)
        counts = service.mail_counts(principal)
        return MailPage(total=total, pending=counts.pending, sent=counts.sent, failed=counts.failed,
                        items=[MailOut.of(m) for m in items])  # fmt: skip

    @router.post("/mail/{mail_id}/retry", openapi_extra=notifications_access.MAIL.route(), response_model=MailOut)
    def retry_mail(mail_id: Id, request: Request, principal: Caller) -> MailOut:
        """Send a failed mail again (audited)."""
        return MailOut.of(_service(request).retry_mail(principal, mail_id, request_actor(request, principal)))

    return router


# --- the action links' pages ------------------------------------------------------------------------

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
    "h1{font-size:1.3rem;color:#0b4f8a}.en{color:#555;border-top:1px solid #ddd;margin-top:1.5rem;padding-top:1rem}"
    "button{font-size:1.1rem;padding:.7rem 1.4rem;background:#0b4f8a;color:#fff;border:0;border-radius:.4rem}"
    ".bad{color:#b00020}"
)


def _page(title: str, parts: list[str], status: int = 200) -> HTMLResponse:
    body = "".join(parts)
    return HTMLResponse(
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport"'
        f' content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">'
        f"<title>{html.escape(title)} · CCES</title><style>{_STYLE}</style></head><body>{body}</body></html>",
        status_code=status,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _refusal(exc: ActionLinkError) -> HTMLResponse:
    when = ""
    if exc.used_at is not None:
        when = exc.used_at.astimezone(LOCAL_TZ).strftime(" (%d/%m/%Y %H:%M)")
    status = {"invalid": 404, "used": 409, "expired": 410, "unknown_action": 410, "refused": 409}.get(exc.reason, 400)
    return _page(
        "Không thực hiện được / Not done",
        [
            f'<h1 class="bad" data-reason="{html.escape(exc.reason)}">{html.escape(exc.vi)}{when}</h1>',
            f'<p class="en">{html.escape(exc.en)}{when}</p>',
            '<p><a href="/notifications">Hộp thông báo / Notifications</a></p>',
        ],
        status,
    )


def action_pages() -> APIRouter:
    router = APIRouter(prefix=ACTION_PATH, include_in_schema=False)

    @router.get("/{token}", openapi_extra=notifications_access.ACTION_LINK.route())
    def look(token: str, request: Request) -> HTMLResponse:
        """What the link will do, and a button (a GET never acts: mail scanners and previews fetch links)."""
        try:
            link, described = _service(request).look_at_action(token)
        except ActionLinkError as exc:
            return _refusal(exc)
        spec = action_spec(link.action)
        assert spec is not None
        expires = link.expires_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
        vi_text = described.vi if described else spec.label_vi
        en_text = described.en if described else spec.label_en
        return _page(
            f"{spec.label_vi} / {spec.label_en}",
            [
                f"<h1>{html.escape(spec.label_vi)}</h1><p>{html.escape(vi_text)}</p>",
                f"<p>Tài khoản: <b>{html.escape(link.username)}</b> · hiệu lực đến {expires}</p>",
                f'<form method="post" action="{ACTION_PATH}/{html.escape(token)}">'
                f'<button type="submit" name="confirm" value="1">'
                f"{html.escape(spec.label_vi)} / {html.escape(spec.label_en)}</button></form>",
                f'<div class="en"><h1>{html.escape(spec.label_en)}</h1><p>{html.escape(en_text)}</p>'
                f"<p>Account: <b>{html.escape(link.username)}</b> · valid until {expires}</p></div>",
            ],
        )

    @router.post("/{token}", openapi_extra=notifications_access.ACTION_LINK.route())
    def act(token: str, request: Request) -> HTMLResponse:
        """Do it, once."""
        try:
            _link, outcome = _service(request).use_action(token, client_ip(request))
        except ActionLinkError as exc:
            return _refusal(exc)
        return _page(
            "Đã thực hiện / Done",
            [
                f'<h1 data-reason="done">{html.escape(outcome.vi)}</h1>',
                f'<p class="en">{html.escape(outcome.en)}</p>',
                '<p><a href="/notifications">Hộp thông báo / Notifications</a></p>',
            ],
        )

    return router

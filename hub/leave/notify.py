"""Leave notifications through the shared notification service (hub.notifications): the approver's
inbox, bell and e-mail, with a signed single-use link that approves the request (`leave.approve`);
the employee hears of the decision. Sent in the transaction of the change itself."""

from __future__ import annotations

from functools import partial

import psycopg

from hub.accounts.sessions import load_principal
from hub.leave import repository as repo
from hub.leave.models import LeaveError
from hub.notifications.actions import register_action
from hub.notifications.models import (
    DEFAULT_NOTIFY,
    ActionContext,
    ActionRefused,
    ActionRequest,
    ActionSpec,
    Message,
    NotifyConfig,
    Outcome,
)
from hub.notifications.service import notify

TO_DECIDE = "leave.to_decide"  # migration 0302
DECIDED = "leave.decided"


def _halves(text: str) -> tuple[str, str]:
    vi, sep, en = text.partition(" / ")
    return (vi, en) if sep else (text, text)


def leave_notifier(
    conn: psycopg.Connection,
    username: str,
    subject: str,
    body: str,
    link: str | None = None,
    *,
    approve: int | None = None,
    config: NotifyConfig = DEFAULT_NOTIFY,
) -> None:
    """hub.leave.service.Notifier over hub.notifications.notify (texts are "Vietnamese / English")."""
    user = repo.active_user_id(conn, username)
    if user is None:
        return
    (title_vi, title_en), (body_vi, body_en) = _halves(subject), _halves(body)
    action = ActionRequest("leave.approve", {"request": approve}) if approve is not None else None
    notify(
        conn, [user], TO_DECIDE if approve is not None else DECIDED,
        Message.text(title_vi, title_en, body_vi, body_en), link, action, config=config,
    )  # fmt: skip


def _service(config: NotifyConfig):  # type: ignore[no-untyped-def]
    from hub.leave.service import LeaveService

    return LeaveService(pool=None, notifier=partial(leave_notifier, config=config))  # type: ignore[arg-type]


def _describe(ctx: ActionContext) -> Outcome:
    row = repo.request_brief(ctx.conn, int(ctx.params.get("request") or 0))
    if row is None:
        raise ActionRefused("Không còn đơn nghỉ này", "This leave request no longer exists")
    name, first, last, days, status = row
    if status != "pending":
        raise ActionRefused("Đơn nghỉ này không còn chờ duyệt", "This leave request no longer awaits a decision")
    return Outcome(
        f"Duyệt đơn nghỉ của {name}: {first:%d/%m/%Y}–{last:%d/%m/%Y} ({float(days or 0):g} ngày làm việc)",
        f"Approve the leave of {name}: {first:%d/%m/%Y}–{last:%d/%m/%Y} ({float(days or 0):g} working days)",
    )


def _approve(ctx: ActionContext) -> Outcome:
    principal = load_principal(ctx.conn, ctx.user_id)
    if principal is None:
        raise ActionRefused("Tài khoản không còn hoạt động", "The account is no longer active")
    request_id = int(ctx.params["request"])
    try:
        _service(ctx.notify_config).decide_in(ctx.conn, principal, request_id, "approve", None, False, ctx.client_ip)
    except LeaveError as exc:  # no longer this approver's turn, already decided …
        vi, en = _halves(str(exc))
        raise ActionRefused(vi, en) from exc
    return Outcome(f"Đã duyệt đơn nghỉ số {request_id}", f"Leave request {request_id} approved")


APPROVE = ActionSpec("leave.approve", "Duyệt đơn nghỉ", "Approve the leave", perform=_approve, describe=_describe)
register_action(APPROVE)

"""`cces mail test ADDRESS` and `cces mail outbox`: check the SMTP settings, see what waits or failed.

`test` sends one message straight to ADDRESS with the hub's CCES_SMTP_* settings (not through the outbox),
Vietnamese first and English below, and says what the server answered: the way to check a mail setup
before the first notification needs it. `outbox` prints the outbox's counts and the newest mails of a
state (`--status failed` by default) with their errors; `outbox --retry ID` sends a failed one again.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import json
import smtplib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from cces.errors import UserError


def cmd_mail_test(args: argparse.Namespace) -> int:
    from email.message import EmailMessage
    from email.utils import format_datetime, make_msgid

    from cces.context import hub_settings
    from hub.notifications.mail import SmtpConfig, connect

    s = hub_settings(args)
    if not s.mail.host:
        raise UserError("CCES_SMTP_HOST is not set: the hub sends no mail (only the in-app inbox)")
    config = SmtpConfig(
        host=s.mail.host, port=s.mail.port, username=s.mail.username,
        password=s.mail.password.get_secret_value() if s.mail.password else None, starttls=s.mail.starttls,
        ssl=s.mail.ssl, sender=s.mail.sender, timeout_s=s.mail.timeout_s,
    )  # fmt: skip
    message = EmailMessage()
    message["From"], message["To"] = s.mail.sender, args.address
    message["Subject"] = "[CCES] Thư thử / Test mail"
    message["Message-ID"], message["Date"] = make_msgid(), format_datetime(datetime.now(UTC))
    public = s.http.public_url or f"http://{s.http.host}:{s.http.port}"
    message.set_content(
        f"Thư thử của CCES: máy chủ thư {s.mail.host}:{s.mail.port} đã nhận thư này.\nĐịa chỉ của hệ thống: {public}\n"
        f"\n— English —\n\nA CCES test mail: the mail server {s.mail.host}:{s.mail.port} accepted it.\n"
        f"The hub's address: {public}\n"
    )
    try:
        smtp = connect(config)
        try:
            refused = smtp.send_message(message)
        finally:
            smtp.quit()
    except (smtplib.SMTPException, OSError) as exc:
        raise UserError(f"the mail server {s.mail.host}:{s.mail.port} did not take the mail: {exc}") from exc
    if refused:
        raise UserError(f"the mail server refused {args.address}: {refused}")
    print(f"sent to {args.address} through {s.mail.host}:{s.mail.port} ({message['Message-ID']})")
    return 0


def cmd_mail_outbox(args: argparse.Namespace) -> int:
    import psycopg

    from cces.context import migrated_database
    from hub.notifications import repository as repo

    with migrated_database(args) as url, psycopg.connect(url, autocommit=True) as conn:
        if args.retry is not None:
            with conn.transaction():
                found = repo.get_mail(conn, args.retry, for_update=True)
                if found is None or found.status != "failed":
                    raise UserError(f"mail {args.retry} is {'unknown' if found is None else found.status}: only a"
                                    " failed mail can be sent again")  # fmt: skip
                repo.retry_mail(conn, args.retry)
                from hub.accounts import audit

                before = {"status": found.status, "error": found.last_error}
                audit.record(conn, audit.CLI_ACTOR, "notification_mail.retry", "notification_mail", args.retry,
                             before=before, after={"status": "pending"})  # fmt: skip
            print(f"mail {args.retry} will be sent again")
            return 0
        counts = repo.mail_counts(conn)
        total, mails = repo.list_mail(conn, [args.status], args.limit, 0)
    if args.json:
        print(json.dumps({
            "pending": counts.pending, "sent": counts.sent, "failed": counts.failed, "total": total,
            "items": [_mail_json(m) for m in mails],
        }))  # fmt: skip
        return 0
    print(f"{counts.pending} waiting · {counts.sent} sent · {counts.failed} failed")
    for m in mails:
        print(f"{m.id}\t{m.status}\t{m.attempts}\t{m.to_address}\t{m.subject}\t{m.last_error or ''}")
    return 0


def _mail_json(m: Any) -> dict[str, Any]:
    return {
        "id": m.id, "status": m.status, "attempts": m.attempts, "to": m.to_address, "subject": m.subject,
        "last_error": m.last_error, "created_at": m.created_at.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
    }  # fmt: skip


def add_mail_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces mail test|outbox` with cli.build_parser's helpers."""
    mail = add("mail", None, "notification mail: check the SMTP settings, the outbox (thư thông báo)", sub)
    mail_sub = mail.add_subparsers(dest="mail_command", required=True, metavar="ACTION")
    p = add("test", cmd_mail_test, "send a test mail with the CCES_SMTP_* settings", mail_sub)
    hub_config(p)
    p.add_argument("address", help="where to send it")
    p = add("outbox", cmd_mail_outbox, "the outbox's counts and its newest failed (or other) mails", mail_sub)
    hub_config(p)
    p.add_argument("--status", choices=("pending", "sent", "failed"), default="failed")
    p.add_argument("--limit", type=int, default=20, choices=range(1, 501), metavar="N", help="mails listed (≤ 500)")
    p.add_argument("--retry", type=int, metavar="ID", help="send this failed mail again (audited as 'cli')")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

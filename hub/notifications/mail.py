"""The mail sender: delivers the outbox over SMTP (smtplib), once per message across hub processes.

It runs as the periodic job `notifications.send_mail` on the job queue. Each message is sent in its own
transaction: the oldest due row is claimed with `FOR UPDATE SKIP LOCKED` and stays locked while the SMTP
server takes it, then is marked sent and committed. A second sender (another process, or a second run)
skips a locked row and never sees a sent one, so a message is delivered once. The one window left is a
crash after the SMTP server accepted and before the commit: the row is then sent again later under the
same Message-ID, which receiving servers use to drop the copy.

A failed attempt (server down, a 4xx answer, a timeout) is due again after a backoff that doubles up to
CCES_SMTP_MAX_BACKOFF_S; after CCES_SMTP_MAX_ATTEMPTS, or at once on a permanent refusal (5xx), the row
stays 'failed' with its error for the system admin (GET /api/v1/notifications/mail, the /notifications
page) to see and send again. A run stops at the first connection failure (the server is down: the other
messages keep their turn).

The mail is in Vietnamese with the English below it, a link to the thing in the hub (CCES_PUBLIC_URL +
the notification's link), and the action link when there is one.
"""

from __future__ import annotations

import html
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from psycopg_pool import ConnectionPool

from hub.localtime import LOCAL_TZ
from hub.notifications import repository as repo
from hub.notifications.actions import ActionSigner, action_spec
from hub.notifications.models import ActionSpec, MailRecord, Notification, SendReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False  # implicit TLS (port 465)
    sender: str = "CCES <cces@localhost>"
    timeout_s: float = 30.0
    max_attempts: int = 8
    backoff_s: float = 60.0
    max_backoff_s: float = 6 * 3600.0
    batch: int = 200  # messages per run at most

    def delay_after(self, attempts: int) -> float | None:
        """Seconds before the next try after `attempts` failed ones; None: give up."""
        if attempts >= self.max_attempts:
            return None
        return min(self.backoff_s * 2 ** (attempts - 1), self.max_backoff_s)


def render(
    mail: MailRecord,
    note: Notification | None,
    action_path: str | None,
    action_name: str | None,
    public_url: str,
    sender: str,
    now: datetime,
) -> EmailMessage:
    """The message: Vietnamese first, English below; plain text with an HTML alternative, UTF-8."""
    base = public_url.rstrip("/")
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to_address
    msg["Subject"] = mail.subject
    msg["Message-ID"] = mail.message_id or make_msgid()
    msg["Date"] = format_datetime(now)
    msg["Auto-Submitted"] = "auto-generated"
    if note is None:  # its notification went with retention: the subject is all there is
        msg.set_content(f"{mail.subject}\n")
        return msg
    spec = action_spec(action_name) if action_name else None
    when = note.created_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")

    def part(lang: str) -> list[str]:
        vi = lang == "vi"
        lines = [note.title(lang), ""]
        if note.body(lang):
            lines += [note.body(lang), ""]
        lines.append(f"{'Loại' if vi else 'Category'}: {note.category_label(lang)} · {when}")
        if note.link:
            lines.append(f"{'Xem trong CCES' if vi else 'Open in CCES'}: {base}{note.link}")
        if action_path and spec is not None:
            label = spec.label_vi if vi else spec.label_en
            lines += [
                "",
                f"{label}: {base}{action_path}",
                "(Liên kết dùng một lần, có thời hạn; trang mở ra sẽ hỏi xác nhận trước khi thực hiện.)"
                if vi
                else "(A single-use link that expires; the page it opens asks to confirm before acting.)",
            ]
        return lines

    text = part("vi") + ["", "— English —", ""] + part("en")
    text += ["", "-- ", "CCES — Hệ thống điều hành tập trung / Central Executive System",
             "Đổi loại thông báo nhận qua thư / Choose what comes by mail: " + f"{base}/notifications"]  # fmt: skip
    msg.set_content("\n".join(text) + "\n")
    msg.add_alternative(_html(note, base, action_path, spec, when), subtype="html")
    return msg


def _html(note: Notification, base: str, action_path: str | None, spec: ActionSpec | None, when: str) -> str:
    """The same message for mail programs that show HTML: the action as a button (a phone's thumb)."""
    e = html.escape

    def part(lang: str, style: str) -> str:
        vi = lang == "vi"
        title = f'<h2 style="font-size:18px;color:#0b4f8a">{e(note.title(lang))}</h2>'
        out = [f'<div lang="{lang}" style="{style}">{title}']
        if note.body(lang):
            out.append(f"<p>{e(note.body(lang)).replace(chr(10), '<br>')}</p>")
        out.append(f'<p style="color:#555">{"Loại" if vi else "Category"}: {e(note.category_label(lang))} · {when}</p>')
        if note.link:
            label = "Xem trong CCES" if vi else "Open in CCES"
            out.append(f'<p><a href="{e(base + note.link)}">{label}</a></p>')
        if action_path and spec is not None:
            label = spec.label_vi if vi else spec.label_en
            out.append(
                f'<p><a href="{e(base + action_path)}" style="display:inline-block;padding:10px 18px;'
                f'background:#0b4f8a;color:#fff;text-decoration:none;border-radius:6px">{e(label)}</a></p>'
                f'<p style="color:#555;font-size:13px">'
                + ("Liên kết dùng một lần, có thời hạn; trang mở ra sẽ hỏi xác nhận trước khi thực hiện."
                   if vi else "A single-use link that expires; the page it opens asks to confirm before acting.")
                + "</p>"
            )  # fmt: skip
        return "".join(out) + "</div>"

    return (
        '<!doctype html><html lang="vi"><body style="font-family:Arial,sans-serif;max-width:600px">'
        + part("vi", "")
        + part("en", "border-top:1px solid #ddd;margin-top:16px;padding-top:8px;color:#333")
        + f'<p style="color:#777;font-size:12px">CCES — <a href="{e(base)}/notifications">'
        "Đổi loại thông báo nhận qua thư / Choose what comes by mail</a></p></body></html>"
    )


class MailSender:
    """Sends what is due; `run()` is the periodic job's body (safe to run in several processes at once)."""

    def __init__(
        self,
        pool: ConnectionPool,
        config: SmtpConfig,
        public_url: str,
        signer: ActionSigner | None,
        worker: str,
    ) -> None:
        self.pool = pool
        self.config = config
        self.public_url = public_url
        self.signer = signer
        self.worker = worker

    def run(self) -> SendReport:
        report = SendReport()
        smtp: smtplib.SMTP | None = None
        tried: list[int] = []
        try:
            while len(tried) < self.config.batch:
                with self.pool.connection() as conn, conn.transaction():
                    mail = repo.claim_due_mail(conn, tried)
                    if mail is None:
                        break
                    tried.append(mail.id)
                    note, action_id, action_name = repo.mail_content(conn, mail.id)
                    action_path = self.signer.path(action_id) if (self.signer and action_id) else None
                    message = render(mail, note, action_path, action_name, self.public_url, self.config.sender,
                                     repo.database_now(conn))  # fmt: skip
                    try:
                        if smtp is None:
                            smtp = self._connect()
                        smtp.send_message(message)
                    except Exception as exc:  # any failure is this attempt's, recorded with the row
                        permanent = _permanent(exc)
                        delay = None if permanent else self.config.delay_after(mail.attempts + 1)
                        repo.mark_attempt_failed(conn, mail.id, _describe(exc), delay)
                        if delay is None:
                            report.failed += 1
                            log.warning("mail %d to %s given up: %s", mail.id, mail.to_address, _describe(exc))
                        else:
                            report.retried += 1
                            log.info("mail %d: %s; again in %.0f s", mail.id, _describe(exc), delay)
                        if not permanent:  # the server is down or in trouble: leave the rest for later
                            smtp = _quit(smtp)
                            break
                        continue
                    repo.mark_sent(conn, mail.id, self.worker)
                    report.sent += 1
        finally:
            _quit(smtp)
        if report.sent or report.retried or report.failed:
            log.info("mail: %d sent, %d to retry, %d given up", report.sent, report.retried, report.failed)
        return report

    def _connect(self) -> smtplib.SMTP:
        return connect(self.config)


def connect(c: SmtpConfig) -> smtplib.SMTP:
    """An SMTP session as configured: TLS (implicit or STARTTLS) and the login done; the caller quits it."""
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if c.ssl:
        smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout_s, context=context)
    else:
        smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout_s)
    try:
        smtp.ehlo()
        if c.starttls and not c.ssl:
            smtp.starttls(context=context)
            smtp.ehlo()
        if c.username:
            smtp.login(c.username, c.password or "")
    except BaseException:
        _quit(smtp)
        raise
    return smtp


def _permanent(exc: BaseException) -> bool:
    """A 5xx answer about this message (a refused recipient or sender, a refused message)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _describe(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}".rstrip(": ")


def _quit(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return None
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()
    return None

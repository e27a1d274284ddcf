"""Fixtures of the notification tests: accounts on the seeded database, stand-in `trial.*` categories and
a `trial.approve` action (leave is not built yet: these play its part), a real SMTP server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import psycopg
import pytest

from hub.accounts.principal import Principal
from hub.notifications import repository as repo
from hub.notifications.actions import ActionSigner, register_action
from hub.notifications.mail import MailSender, SmtpConfig
from hub.notifications.models import ActionContext, ActionRefused, ActionSpec, Category, NotifyConfig, Outcome, Template
from hub.notifications.models import register_messages as _register
from hub.services import HubServices
from tests.hub.conftest import PASSWORD

TRIAL = Category("trial.request", "Đơn thử nghiệm", "Trial request", mail_default=True)
DIGEST = Category("trial.digest", "Tin tổng hợp thử nghiệm", "Trial digest", mail_default=False)
PUBLIC_URL = "https://cces.test.example"
SECRET = "a-test-secret-of-enough-length"

_register(
    {
        "trial.waiting": Template(
            "Đơn {number} của {name} chờ duyệt",
            "Request {number} of {name} awaits approval",
            "Từ ngày {start} đến ngày {end}.",
            "From {start} to {end}.",
        )
    }
)


def _describe(ctx: ActionContext) -> Outcome:
    row = ctx.conn.execute("SELECT state FROM trial_requests WHERE id = %s", (ctx.params["request"],)).fetchone()
    state = row[0] if row else "?"
    return Outcome(f"Duyệt đơn số {ctx.params['request']} (đang: {state})",
                   f"Approve request {ctx.params['request']} (now: {state})")  # fmt: skip


def _approve(ctx: ActionContext) -> Outcome:
    changed = ctx.conn.execute(
        "UPDATE trial_requests SET state = 'approved', approved_by = %s WHERE id = %s AND state = 'waiting'",
        (ctx.username, ctx.params["request"]),
    ).rowcount
    if not changed:
        raise ActionRefused("Đơn này không còn chờ duyệt", "This request no longer awaits approval")
    return Outcome(f"Đã duyệt đơn số {ctx.params['request']}", f"Request {ctx.params['request']} approved")


APPROVE = ActionSpec("trial.approve", "Duyệt đơn", "Approve the request", perform=_approve, describe=_describe)
register_action(APPROVE)


@dataclass
class People:
    ids: dict[str, int]
    principals: dict[str, Principal]


@pytest.fixture
def people(services: HubServices, admin: Principal, org: psycopg.Connection) -> People:
    """Three accounts (an, binh, chi) with the trial categories; an and binh have e-mail addresses."""
    ids: dict[str, int] = {}
    principals: dict[str, Principal] = {}
    for name in ("an", "binh", "chi"):
        ids[name] = services.accounts.create_user(admin, username=name, password=PASSWORD, display_name=name.title()).id
        principals[name] = services.accounts.sign_in(name, PASSWORD).principal
    org.execute("CREATE TABLE IF NOT EXISTS trial_requests (id int PRIMARY KEY, state text, approved_by text)")
    repo.ensure_categories(org, [TRIAL, DIGEST])
    for name in ("an", "binh"):
        repo.set_email(org, ids[name], f"{name}@example.gov.vn")
    return People(ids, principals)


@pytest.fixture
def signer(services: HubServices) -> ActionSigner:
    signer = ActionSigner(SECRET)
    services.notifications.signer = signer
    return signer


#: what the hub would hand the services with an SMTP host whose sender is cces@…cces.test.example
NOTIFY = NotifyConfig(mail_enabled=True, action_ttl=timedelta(hours=72), mail_domain="cces.test.example")


def smtp_config(server, **overrides: object) -> SmtpConfig:  # server: tests.smtp.SmtpServer
    values: dict[str, object] = dict(host=server.host, port=server.port, sender="CCES <cces@test.example>",
                                     timeout_s=5, max_attempts=3, backoff_s=1.0, max_backoff_s=4.0)  # fmt: skip
    values.update(overrides)
    return SmtpConfig(**values)  # type: ignore[arg-type]


def make_sender(services: HubServices, server, name: str, signer: ActionSigner | None = None, **overrides: object):
    return MailSender(services.pool, smtp_config(server, **overrides), PUBLIC_URL, signer, name)

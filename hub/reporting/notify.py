"""Who hears of a report, through the shared notification service (hub.notifications: inbox, bell, mail),
in the transaction of the change itself.

- submitted: the managers of the receiving unit (category `reporting.submitted`);
- returned (with the comments) or accepted: the managers and clerks of the reporting unit (`reporting.decided`);
- late: the reporting unit's managers and clerks, once a day; from the third reminder on also the receiving
  unit's managers (escalation) (`reporting.due`).
Accounts granted on exactly the unit are told; when the unit has none, those granted on a unit above it.
"""

from __future__ import annotations

from datetime import date

import psycopg

from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify
from hub.reporting import repository as repo
from hub.reporting.models import Report

FILLERS = ("manager", "clerk")
MANAGERS = ("manager",)


def _unit_id(path: str) -> int:
    return int(path.strip("/").split("/")[-1])


def _people(conn: psycopg.Connection, path: str, roles: tuple[str, ...]) -> list[int]:
    return repo.users_on(conn, _unit_id(path), roles) or repo.users_over(conn, path, roles)


def _link(report: Report) -> str:
    return f"/reporting?report={report.id}"


def tell(
    conn: psycopg.Connection, report: Report, kind: str, comment: str | None = None, *, config: NotifyConfig
) -> None:
    what_vi = f"báo cáo {report.regime_code} kỳ {report.period_key} của {report.unit_name}"
    what_en = f"the {report.regime_code} report {report.period_key} of {report.unit_name}"
    if kind == "submitted":
        notify(conn, _people(conn, report.recipient_path, MANAGERS), "reporting.submitted",
               Message.text(f"Đã nhận {what_vi}", f"Received {what_en}",
                            "Báo cáo chờ tiếp nhận.", "The report awaits review."), _link(report),
               config=config)  # fmt: skip
        return
    if kind == "returned":
        title = (f"Trả lại {what_vi}", f"Returned: {what_en}")
        body = (f"Ý kiến: {comment}", f"Comments: {comment}")
    else:
        title = (f"Đã tiếp nhận {what_vi}", f"Accepted: {what_en}")
        body = (comment or "", comment or "")
    notify(conn, _people(conn, report.unit_path, FILLERS), "reporting.decided",
           Message.text(title[0], title[1], body[0], body[1]), _link(report), config=config)  # fmt: skip


def remind(conn: psycopg.Connection, report: Report, *, escalate: bool, today: date, config: NotifyConfig) -> None:
    days = (today - report.deadline).days
    message = Message.text(
        f"Quá hạn gửi báo cáo {report.regime_code} kỳ {report.period_key}",
        f"The {report.regime_code} report {report.period_key} is late",
        f"{report.unit_name}: hạn gửi {report.deadline:%d/%m/%Y}, đã quá {days} ngày.",
        f"{report.unit_name}: due {report.deadline:%d/%m/%Y}, {days} days late.",
    )
    recipients = set(_people(conn, report.unit_path, FILLERS))
    if escalate:
        recipients |= set(_people(conn, report.recipient_path, MANAGERS))
    notify(conn, recipients, "reporting.due", message, _link(report), config=config)

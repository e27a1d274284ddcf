"""The shared part of the reporting service (hub.reporting.service composes it with its parts): the pool and
clock, unit and reporter look-ups, the lock on a report, the official heading, and the small checks every part
uses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts.principal import Principal
from hub.documents.files import FileRules
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ as LOCAL
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig
from hub.reporting import access
from hub.reporting import repository as repo
from hub.reporting.export import heading
from hub.reporting.models import (
    Report,
    ReportingError,
    ReportStatus,
    UnknownReport,
    UnknownUnit,
    both,
)
from hub.reporting.render import Format
from hub.reporting.template import Template, compute
from hub.reports.documents import OfficialHeading

log = logging.getLogger(__name__)
MAX_REPORTERS = 2000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # a file sent with a report
MAX_ATTACHMENTS = 10  # files a report holds
ESCALATE_FROM = 3  # the reminder from which the receiving unit's managers are told too
_OPEN = (ReportStatus.DRAFT, ReportStatus.RETURNED)


@dataclass(frozen=True, slots=True)
class Filled:
    """A report with its values computed: formulas and table totals (what the page and the API show)."""

    report: Report
    template: Template
    values: dict[str, Any]  # code → value, formulas computed
    totals: dict[str, float | None]  # "table.column" → total


def _text(value: str | None, vi: str, en: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ReportingError(both(f"thiếu {vi}", f"{en} is required"))
    if len(text) > limit:
        raise ReportingError(both(f"{vi} quá dài (tối đa {limit} ký tự)", f"{en} is longer than {limit} characters"))
    return text


class ReportingCore:
    """What every part of the reporting service shares: the pool, the clock, where attachments are kept, and
    looking up units, reporters and reports under their locks."""

    def __init__(
        self, pool: ConnectionPool, clock: Callable[[], datetime], notify_config: NotifyConfig = DEFAULT_NOTIFY
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.notify_config = notify_config  # how submissions, decisions and reminders are told (hub.notifications)
        # where attachments are kept, and how they are checked: given by hub.reporting.jobs.domain_jobs (the
        # hub's content store and the documents' file rules); without a store attachments are refused
        self.store: ContentStore | None = None
        self.file_rules = FileRules(max_bytes=MAX_ATTACHMENT_BYTES)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    def _unit(self, conn: psycopg.Connection, code: str) -> tuple[int, str, str, str]:
        found = repo.unit(conn, code)
        if found is None:
            raise UnknownUnit(code)
        return found

    def _reporters(
        self, conn: psycopg.Connection, owner: tuple[int, str, str, str], reporters: Sequence[tuple[str, str]]
    ) -> list[tuple[int, int]]:
        """(unit id, recipient id) pairs: each recipient above its reporter, both in the owner's subtree."""
        pairs, seen = [], set()
        for unit_code, recipient_code in reporters:
            u, r = self._unit(conn, unit_code), self._unit(conn, recipient_code)
            if u[0] in seen:
                raise ReportingError(both(f"đơn vị {u[1]} có tên hai lần", f"unit {u[1]} is named twice"))
            seen.add(u[0])
            if not (u[3].startswith(r[3]) and u[0] != r[0] and r[3].startswith(owner[3])):
                raise ReportingError(
                    both(f"{u[1]} chỉ báo cáo lên một đơn vị cấp trên của mình thuộc {owner[1]} (không phải {r[1]})",
                         f"{u[1]} reports to a unit above it within {owner[1]} (not {r[1]})")
                )  # fmt: skip
            pairs.append((u[0], r[0]))
        return pairs

    def _may(self, principal: Principal, action: Any, report: Report) -> bool:
        return gate.allows_on(principal, action, Target.unit(report.unit_path)) or gate.allows_on(
            principal, action, Target.unit(report.recipient_path)
        )

    def _locked(
        self, conn: psycopg.Connection, principal: Principal, report_id: int, action: Any, side: str
    ) -> tuple[Report, Template]:
        found = repo.report(conn, report_id, lock=True)
        if found is None or not self._may(principal, access.VIEW, found) and not self._may(principal, action, found):
            raise UnknownReport(report_id)
        gate.check(principal, action, Target.unit(found.unit_path if side == "unit" else found.recipient_path))
        version = repo.version_by_id(conn, found.version_id)
        assert version is not None
        return found, version.template

    def _heading(self, conn: psycopg.Connection, unit_code: str, unit_path: str) -> OfficialHeading:
        notation, place = repo.issuer(conn, unit_code)
        return heading(repo.unit_names(conn, unit_path), notation, place, self.today())


def export_format(value: str) -> Format:
    try:
        return Format(value)
    except ValueError:
        raise ReportingError(
            both(
                f"định dạng {value!r} không hỗ trợ (docx, xlsx, pdf)",
                f"format {value!r} is not offered (docx, xlsx, pdf)",
            )  # fmt: skip
        ) from None


def _filled(report: Report, template: Template) -> Filled:
    raw = {code: v.value for code, v in report.values.items()}
    computed = compute(template, raw)
    totals = computed.pop("__totals__")
    return Filled(report, template, computed, totals)


def _check_code(code: str) -> None:
    import re

    if not re.match(r"^[a-z][a-z0-9_-]{0,39}$", code or ""):
        raise ReportingError(
            both(f"mã chế độ báo cáo không hợp lệ: {code!r} (a-z, 0-9, _ -)", f"invalid regime code: {code!r}")
        )

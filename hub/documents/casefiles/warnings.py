"""The hand-over warning (issue 15 item 7; DOMAIN.md §3, NĐ 30/2020 PL VI §III.5.b), the daily job
`documents.case_files_due`: for each closed case file not yet handed over, its keeper (người lập hồ sơ) and the
văn thư of its unit — the unit's lãnh đạo when it has no văn thư (those the rule book lets hand files over,
hub.documents.casefiles.access.SUBMIT) — are told through the notification inbox (category
`documents.case_file_due`, e-mail by default) that its hand-over is due within the warning days
(`case_file_rules.warn_days`, data, read at each run) or overdue. Once per file, state and due day
(`case_file_warnings`): a second run, or the next day, sends nothing again; a new due day (kept with approval
until a later day, the rules' periods changed) warns again. A file handed over, kept with approval (until the
day it is kept to), or not to be handed over (retention below the minimum) is not warned of.
"""

from __future__ import annotations

from datetime import date, datetime

import psycopg

from hub.accounts.principal import Role
from hub.documents.casefiles.base import CaseFilesBase
from hub.documents.casefiles.models import CaseFile, Due, Rules, due_date, due_status
from hub.documents.casefiles.repository import lists as lists_repo
from hub.documents.casefiles.repository import warnings as repo
from hub.jobs.models import JobSpec
from hub.notifications.models import DEFAULT_NOTIFY, Message, NotifyConfig
from hub.notifications.service import notify

CATEGORY = "documents.case_file_due"
JOB = "documents.case_files_due"
EVERY_S = 86_400.0  # once a day
OFFSET_S = 3_600  # at 01:00 UTC, 08:00 in Hà Nội: the start of the working day
PAGE = 500


class HandoverWarnings(CaseFilesBase):
    """A part of CaseFilesService: the job's work."""

    notify_config: NotifyConfig = DEFAULT_NOTIFY  # the hub's (DocumentsService passes it on)

    def warn_due(self) -> tuple[int, int]:
        """Internal (the job): warn of the files due soon and overdue not warned of yet; (soon, overdue) sent."""
        today = self.today()
        with self.pool.connection() as conn:
            rules = lists_repo.rules(conn)
        sent = {Due.SOON: 0, Due.OVERDUE: 0}
        after = 0
        while True:
            with self.pool.connection() as conn:
                page = repo.closed_files(conn, after, PAGE)
            for f in page:
                status = due_status(f, rules, today)
                if status in sent and self._warn(f, status, rules, today):
                    sent[status] += 1
            if len(page) < PAGE:
                return sent[Due.SOON], sent[Due.OVERDUE]
            after = page[-1].id

    def _warn(self, f: CaseFile, status: Due, rules: Rules, today: date) -> bool:
        due = due_date(f, rules)
        assert due is not None
        if status is Due.OVERDUE and f.keep_until is not None:
            due = max(due, f.keep_until)
        with self.pool.connection() as conn, conn.transaction():
            people = self._recipients(conn, f)
            if not repo.record_warning(conn, f.id, status.value, due, self.clock(), len(people)):
                return False  # sent already (by an earlier run or another worker)
            if people:
                notify(conn, people, CATEGORY, _message(f, status, due, today), f"/documents/case-file?id={f.id}",
                       config=self.notify_config)  # fmt: skip
        return True

    def _recipients(self, conn: psycopg.Connection, f: CaseFile) -> list[int]:
        found = repo.role_holders(conn, f.unit_path, Role.CLERK.value)
        if not found:
            found = repo.role_holders(conn, f.unit_path, Role.MANAGER.value)
        if f.owner_id is not None and repo.active_user(conn, f.owner_id):
            found = [f.owner_id, *found]
        return sorted(set(found))

    def case_file_warnings(self, file_id: int) -> list[tuple[str, date, datetime]]:
        """The warnings sent for a file (kind, due day, when): for its page and the tests."""
        with self.pool.connection() as conn:
            return repo.warnings(conn, file_id)


def warning_jobs(service: HandoverWarnings) -> list[JobSpec]:
    """The daily job (hub.documents.jobs registers it with the documents domain's others)."""
    return [JobSpec(JOB, service.warn_due, every_s=EVERY_S, offset_s=OFFSET_S)]


def _message(f: CaseFile, status: Due, due: date, today: date) -> Message:
    days = abs((due - today).days)
    where = f"{f.title} — {f.unit_name} ({f.unit_code})"
    if status is Due.SOON:
        return Message.text(
            f"Hồ sơ {f.code} sắp đến hạn nộp lưu ({due:%d/%m/%Y})"[:200],
            f"Case file {f.code} is due for hand-over on {due:%d/%m/%Y}"[:200],
            f"{where}: còn {days} ngày để nộp lưu vào lưu trữ cơ quan."[:1000],
            f"{where}: {days} days left to hand it over to the agency archive."[:1000],
        )
    return Message.text(
        f"Hồ sơ {f.code} quá hạn nộp lưu ({due:%d/%m/%Y})"[:200],
        f"Case file {f.code} is overdue for hand-over (due {due:%d/%m/%Y})"[:200],
        f"{where}: đã quá hạn {days} ngày, cần nộp lưu vào lưu trữ cơ quan hoặc có văn bản đồng ý giữ lại."[:1000],
        f"{where}: {days} days overdue; hand it over to the agency archive or keep it with written approval."[:1000],
    )

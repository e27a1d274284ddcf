"""Leave permits (Giấy nghỉ phép, GNP): an approved request of a type that issues one is registered,
once, as a numbered outgoing document of the unit with a seal that the employee's unit belongs to
(hub.documents.permits), and printed as a PDF in the Decree 30 layout (hub.leave.permit_pdf).

- In the approving transaction: the request is marked `permit_due`, then the permit is registered in a
  savepoint. When the documents side refuses (no unit with a seal above, no place for the date line,
  no administrative series in force), the approval still stands; the reason is kept on the request
  (`permit_problem`) and the job `leave.issue_permits` tries again until it is issued.
- Once: the request row is locked and the permit taken only while `permit_document_id` is empty (a
  UNIQUE column); the number comes from the register's locked counter, so a rollback gives it back.
- Cancelling an approved leave later leaves its permit in the register (numbers are never reused).
"""

from __future__ import annotations

import psycopg

from hub.accounts import audit
from hub.accounts.access import require_employee
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.models import DocumentError, date_text
from hub.documents.permits import issue_permit, permit_document
from hub.domain import Conflict
from hub.leave import access
from hub.leave import repository as repo
from hub.leave.core import LeaveCore, _both
from hub.leave.days import Part
from hub.leave.hours import LOCAL
from hub.leave.models import LeaveError, LeaveRequest, Status, StepState
from hub.leave.permit_pdf import PermitSheet, render_permit
from hub.reports.documents import ExportFile


class PermitNotIssued(Conflict, LeaveError):
    """The request has no permit (not approved, a type without one, or not issued yet)."""


class LeavePermits(LeaveCore):
    def _issue_permit(self, conn: psycopg.Connection, found: LeaveRequest, by: str) -> None:
        """On approval (in its transaction): mark the permit due and try to issue it now."""
        kind = next((t for t in repo.leave_types(conn) if t.code == found.leave_type), None)
        if kind is None or not kind.issues_permit:
            return
        repo.mark_permit_due(conn, found.id)
        self._try_permit(conn, found.id, Actor(by))

    def _try_permit(self, conn: psycopg.Connection, request_id: int, actor: Actor) -> bool:
        """Issue the due permit of an approved request unless it has one; False (reason kept) if refused."""
        found = self._get(conn, request_id, lock=True)
        if found.permit_document_id is not None or found.status is not Status.APPROVED:
            return False
        subject = (
            f"Giấy nghỉ phép: {found.full_name} ({found.employee_code}),"
            f" {found.first_day:%d/%m/%Y}–{found.last_day:%d/%m/%Y}"
        )
        try:
            with conn.transaction():  # a savepoint: a refusal takes no number and keeps the approval
                sealed = repo.sealed_unit(conn, found.unit_path)
                if sealed is None:
                    raise DocumentError(
                        _both(
                            "không có đơn vị có con dấu nào trên đơn vị của người nghỉ",
                            "no unit with a seal above the employee's unit",
                        )
                    )
                issued = issue_permit(
                    conn, sealed, subject=subject, today=self.today(), registered_at=self.clock(),
                    registered_by=actor.username,
                )  # fmt: skip
                repo.set_permit(conn, request_id, issued.document.id)
                audit.record(
                    conn, actor, "leave.permit_issue", "leave_request", request_id,
                    after={"document_id": issued.document.id, "number": issued.number_and_symbol,
                           "unit": issued.issuer.unit_code},
                    unit_path=found.unit_path,
                )  # fmt: skip
        except DocumentError as exc:
            repo.set_permit_problem(conn, request_id, str(exc))
            return False
        return True

    def issue_due_permits(self) -> int:
        """The job `leave.issue_permits`: issue the permits a refusal held back (e.g. a place was missing
        then). Each request in its own transaction; returns how many were issued."""
        issued = 0
        with self.pool.connection() as conn:
            for request_id in repo.permits_waiting(conn):
                with conn.transaction():
                    issued += self._try_permit(conn, request_id, audit.SYSTEM_ACTOR)
        return issued

    def permit_pdf(self, principal: Principal, request_id: int) -> ExportFile:
        """The request's Giấy nghỉ phép as a PDF (whoever may see the request)."""
        with self.pool.connection() as conn:
            found = self._get(conn, request_id)
            if not any(s.approver == principal.username for s in found.steps):
                require_employee(principal, found.employee_id, found.unit_path, access.VIEWERS, "xem đơn / see leave")
            if found.permit_document_id is None:
                problem = f" ({found.permit_problem})" if found.permit_problem else ""
                raise PermitNotIssued(
                    _both(f"đơn số {request_id} chưa có Giấy nghỉ phép", f"request {request_id} has no permit yet")
                    + problem
                )
            permit = permit_document(conn, found.permit_document_id)
            assert permit is not None
            sealed_names = repo.unit_names(conn, permit.issuer.unit_path)
            own_names = repo.unit_names(conn, found.unit_path)
            kind = next((t for t in repo.leave_types(conn) if t.code == found.leave_type), None)
            step = next((s for s in reversed(found.steps) if s.state is StepState.APPROVED), None)
            signer = found.decided_by or (step.approver if step else "")
            signer_name = repo.display_name(conn, signer) or signer
            signer_unit = None
            if step is not None and step.level is not None and step.level < len(own_names):
                signer_unit = own_names[len(own_names) - 1 - step.level]
        document = permit.document
        sheet = permit_sheet(
            found, kind.name_vi if kind else found.leave_type, sealed_names, own_names[-1] if own_names else "",
            document.number_line, document.date_line or "", signer_name, signer_unit,
            signed_by_head=signer_unit == permit.issuer.unit_name,
        )  # fmt: skip
        filename = f"giay-nghi-phep-{document.year}-{document.number:03d}-{found.employee_code}.pdf"
        return ExportFile(filename, "application/pdf", render_permit(sheet))


def _part(part: Part) -> str:
    return {Part.MORNING: " (buổi sáng)", Part.AFTERNOON: " (buổi chiều)"}.get(part, "")


def permit_sheet(
    r: LeaveRequest, kind_name: str, sealed_names: list[str], own_unit: str, number_line: str, date_line: str,
    signer_name: str, signer_unit: str | None, *, signed_by_head: bool,
) -> PermitSheet:  # fmt: skip
    """The words of Mẫu 1.10 for one request. The signer's authority: the head of the issuing unit signs
    as its head; a head of a unit below it signs "TL." (by order) — [U]: the agency's rules decide."""
    issuer = sealed_names[-1] if sealed_names else own_unit
    governing = sealed_names[-2] if len(sealed_names) > 1 else None
    asked = r.requested_at.astimezone(LOCAL).date()
    body = [
        f"Xét Đơn đề nghị nghỉ phép {date_text(asked)} của ông (bà) {r.full_name},",
        f"{issuer} cấp cho:",
        f"Ông (bà): {r.full_name}          Mã cán bộ: {r.employee_code}",
        f"Đơn vị công tác: {own_unit}",
        f"Được nghỉ: {kind_name.lower()}, {r.working_days:g} ngày làm việc, kể từ {date_text(r.first_day)}"
        f"{_part(r.first_day_part)} đến hết {date_text(r.last_day)}{_part(r.last_day_part)}.",
    ]
    if r.substitute_name:
        body.append(f"Người thay thế trong thời gian nghỉ: {r.substitute_name}.")
    if r.reason:
        body.append(f"Lý do: {r.reason}")
    recipients = (f"- Ông (bà) {r.full_name};", f"- {own_unit};", "- Lưu: VT, TCCB.")
    authority = ("THỦ TRƯỞNG",) if signed_by_head else ("TL. THỦ TRƯỞNG",)
    if signer_unit and not signed_by_head:
        authority += (f"LÃNH ĐẠO {signer_unit.upper()}",)
    decided = r.decided_at.astimezone(LOCAL) if r.decided_at else None
    note = "(Đã duyệt trên CCES" + (f" lúc {decided:%H:%M ngày %d/%m/%Y}" if decided else "") + ")"
    return PermitSheet(governing, issuer, number_line, date_line, tuple(body), recipients, authority, note, signer_name)

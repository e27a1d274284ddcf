"""The leader's instruction on an incoming document and its follow-up (issue 15 item 2; Decree 30 Art. 24).

- **Assign** (lãnh đạo over the registering unit): one lead unit or person and any supporting ones, each
  with a deadline, and a comment. One instruction per document (a second is refused: 409).
- **Handle** (the person named, or anyone belonging to the unit named — their own unit or a unit they
  hold a role on, with its sub-units): report progress, ask for an extension (one waiting at a time; a
  later day than the one in force), finish with a reply document (an outgoing one) or a note.
- **Decide an extension** (lãnh đạo over the registering unit): approved moves the deadline in force,
  refused leaves it.
- **Deadlines** (the periodic job `documents.deadlines`): a reminder to the handlers
  CCES_DOCUMENTS_REMIND_DAYS working days before the deadline in force, an escalation to the leader who
  assigned it and to the handlers after it; each once per deadline (an approved extension starts again).
  Through hub.notifications: the inbox, and e-mail for those who take the category by mail.
  A unit as handler is reached through its managers (the manager role on that very unit).

Statuses are derived (hub.documents.handling.models.status_of), never stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access
from hub.documents.handling import repository as repo
from hub.documents.handling.models import (
    Assignment,
    Extension,
    Handler,
    HandlerSpec,
    HandlingConflict,
    HandlingError,
    MyItem,
    UnknownHandling,
)
from hub.documents.intake import load_calendar
from hub.documents.models import LOCAL, both, frozen_error
from hub.notifications.models import DEFAULT_NOTIFY, Message, NotifyConfig
from hub.notifications.service import notify

ASSIGNED = "documents.assigned"  # notification categories (migration 0504)
DEADLINE = "documents.deadline"
EXTENSION = "documents.extension"
MAX_SUPPORTING = 20
MAX_DAYS_AHEAD = 366
MAX_MINE = 500


def _note(value: str | None, field_vi: str, field_en: str, *, required: bool, limit: int = 2000) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise HandlingError(both(f"thiếu {field_vi}", f"{field_en} is required"))
        return None
    if len(text) > limit or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise HandlingError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


def member_paths(principal: Principal) -> list[str]:
    """The units the account belongs to for handling: its employee's unit and the units of its grants."""
    paths = {g.unit_path for g in principal.grants if g.unit_path is not None}
    if principal.employee_unit_path:
        paths.add(principal.employee_unit_path)
    return sorted(paths)


class HandlingService:
    def __init__(
        self,
        pool: ConnectionPool,
        clock: Callable[[], datetime],
        remind_days: int = 1,
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.notify_config = notify_config  # how handlers are told (hub.notifications), the hub's
        self.remind_days = remind_days  # working days before the deadline (CCES_DOCUMENTS_REMIND_DAYS)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    # --- the leader -------------------------------------------------------------------------------------

    def assign(
        self, principal: Principal, document_id: int, lead: HandlerSpec, supporting: Sequence[HandlerSpec] = (),
        comment: str | None = None, *, client_ip: str | None = None,
    ) -> Assignment:  # fmt: skip
        """The leader's instruction: the lead and supporting handlers with their deadlines, and a comment."""
        text = _note(comment, "ý kiến chỉ đạo", "comment", required=False)
        if len(supporting) > MAX_SUPPORTING:
            raise HandlingError(
                both(f"tối đa {MAX_SUPPORTING} đơn vị phối hợp", f"at most {MAX_SUPPORTING} supporting")
            )
        today = self.today()
        for spec in (lead, *supporting):
            if spec.deadline < today or spec.deadline > today + timedelta(days=MAX_DAYS_AHEAD):
                raise HandlingError(
                    both(
                        f"hạn xử lý {spec.deadline:%d/%m/%Y} phải từ hôm nay đến một năm tới",
                        f"the deadline {spec.deadline} must lie between today and a year ahead",
                    )
                )
            if (spec.unit_code is None) == (spec.username is None):
                raise HandlingError(
                    both("mỗi người xử lý là một đơn vị hoặc một người", "each handler is a unit or a person")
                )
        with self.pool.connection() as conn, conn.transaction():
            doc = self._document(conn, principal, document_id, access.ASSIGN)
            if doc["frozen_kind"]:  # revoked, replaced or updated by its sender (hub.documents.outgoing)
                raise frozen_error(document_id, doc["frozen_kind"])
            if doc["direction"] != "incoming":
                raise HandlingError(both("chỉ giao xử lý văn bản đến", "only incoming documents are assigned"))
            resolved = [self._resolve(conn, spec) for spec in (lead, *supporting)]
            if len({(u, p) for u, p, _ in resolved}) != len(resolved):
                raise HandlingError(both("một người, đơn vị được giao hai lần", "a handler is named twice"))
            assignment_id = repo.insert_assignment(
                conn, document_id, principal.username, principal.user_id, self.clock(), text
            )
            if assignment_id is None:
                raise HandlingConflict(
                    both(f"văn bản {document_id} đã được giao xử lý", f"document {document_id} is already assigned")
                )
            for index, ((unit_id, user_id, _), spec) in enumerate(zip(resolved, (lead, *supporting), strict=True)):
                repo.insert_handler(conn, assignment_id, index == 0, unit_id, user_id, spec.deadline)
            found = repo.assignment_of(conn, document_id)
            assert found is not None
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.assign", "document_assignment", assignment_id,
                after={"document": document_id, "handlers": [(h.who, str(h.deadline), h.lead) for h in found.handlers],
                       "comment": text},
                unit_path=doc["unit_path"],
            )  # fmt: skip
            for h in found.handlers:
                self._tell(
                    conn, self._recipients(conn, h), ASSIGNED,
                    (f"Văn bản đến số {doc['number']:02d} giao {'chủ trì' if h.lead else 'phối hợp'} xử lý",
                     f"Incoming document {doc['number']:02d} assigned to you ({'lead' if h.lead else 'support'})"),
                    (f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}. Hạn {h.deadline:%d/%m/%Y}."
                     f"{' Ý kiến: ' + text if text else ''}",
                     f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}. Due {h.deadline:%d/%m/%Y}."),
                    document_id,
                )  # fmt: skip
            return found

    def decide_extension(
        self, principal: Principal, extension_id: int, approve: bool, note: str | None = None, *,
        client_ip: str | None = None,
    ) -> Extension:  # fmt: skip
        """Approve (the deadline in force moves) or refuse a waiting extension request."""
        text = _note(note, "ý kiến", "note", required=False)
        with self.pool.connection() as conn, conn.transaction():
            found = repo.extension(conn, extension_id, lock=True)
            if found is None:
                raise UnknownHandling(both(f"không có đề nghị gia hạn {extension_id}", f"no extension {extension_id}"))
            handler = repo.handler(conn, found.handler_id)
            assert handler is not None
            doc = self._document(conn, principal, handler.document_id, access.ASSIGN)
            if found.decision is not None:
                raise HandlingConflict(both("đề nghị gia hạn đã được quyết định", "the extension is already decided"))
            decision = "approved" if approve else "refused"
            repo.decide_extension(conn, extension_id, decision, self.clock(), principal.username, text)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.extension_decide", "document_extension",
                extension_id, after={"decision": decision, "new_deadline": str(found.new_deadline), "note": text},
                unit_path=doc["unit_path"],
            )  # fmt: skip
            said = ("đồng ý", "approved") if approve else ("không đồng ý", "refused")
            self._tell(
                conn, self._recipients(conn, handler), EXTENSION,
                (f"Lãnh đạo {said[0]} gia hạn văn bản đến số {doc['number']:02d}",
                 f"Extension for incoming document {doc['number']:02d} {said[1]}"),
                (f"Hạn đề nghị {found.new_deadline:%d/%m/%Y}.{' ' + text if text else ''}",
                 f"Requested deadline {found.new_deadline:%d/%m/%Y}."),
                handler.document_id,
            )  # fmt: skip
            decided = repo.extension(conn, extension_id)
            assert decided is not None
            return decided

    # --- the handlers -----------------------------------------------------------------------------------

    def report_progress(
        self, principal: Principal, handler_id: int, note: str, *, client_ip: str | None = None
    ) -> Handler:
        text = _note(note, "nội dung tiến độ", "progress note", required=True)
        assert text is not None
        with self.pool.connection() as conn, conn.transaction():
            handler, doc = self._handler(conn, principal, handler_id, open_only=True)
            repo.add_progress(conn, handler_id, self.clock(), principal.username, text)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.progress", "document_handler", handler_id,
                after={"note": text}, unit_path=doc["unit_path"],
            )  # fmt: skip
            return self._reload(conn, handler_id)

    def ask_extension(
        self, principal: Principal, handler_id: int, new_deadline: date, reason: str, *, client_ip: str | None = None
    ) -> Extension:
        """Ask the leader for a later deadline (one request waiting at a time)."""
        text = _note(reason, "lý do gia hạn", "reason", required=True)
        assert text is not None
        with self.pool.connection() as conn, conn.transaction():
            handler, doc = self._handler(conn, principal, handler_id, open_only=True)
            if new_deadline <= handler.deadline or new_deadline > self.today() + timedelta(days=MAX_DAYS_AHEAD):
                raise HandlingError(
                    both(
                        f"hạn mới phải sau hạn hiện tại {handler.deadline:%d/%m/%Y} và trong vòng một năm",
                        f"the new deadline must be after the current {handler.deadline} and within a year",
                    )
                )
            extension_id = repo.add_extension(conn, handler_id, self.clock(), principal.username, new_deadline, text)
            if extension_id is None:
                raise HandlingConflict(both("đã có đề nghị gia hạn đang chờ", "an extension request already waits"))
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.extension_ask", "document_extension", extension_id,
                after={"handler": handler_id, "new_deadline": str(new_deadline), "reason": text},
                unit_path=doc["unit_path"],
            )  # fmt: skip
            assigner = self._assigner(conn, handler.document_id)
            self._tell(
                conn, assigner, EXTENSION,
                (f"Đề nghị gia hạn văn bản đến số {doc['number']:02d}",
                 f"Extension asked: document {doc['number']:02d}"),
                (f"{handler.who}: đến {new_deadline:%d/%m/%Y}. Lý do: {text}",
                 f"{handler.who}: until {new_deadline:%d/%m/%Y}. Reason: {text}"),
                handler.document_id,
            )  # fmt: skip
            found = repo.extension(conn, extension_id)
            assert found is not None
            return found

    def finish(
        self, principal: Principal, handler_id: int, *, note: str | None = None, reply_document_id: int | None = None,
        client_ip: str | None = None,
    ) -> Handler:  # fmt: skip
        """Finish one's part with a reply document (an outgoing document) or a note."""
        text = _note(note, "kết quả xử lý", "result note", required=reply_document_id is None)
        with self.pool.connection() as conn, conn.transaction():
            handler, doc = self._handler(conn, principal, handler_id, open_only=True)
            if reply_document_id is not None:
                reply = repo.document_brief(conn, reply_document_id)
                if reply is None or reply["direction"] != "outgoing":
                    raise HandlingError(
                        both(f"không có văn bản đi số {reply_document_id} để trả lời",
                             f"no outgoing document {reply_document_id} to reply with")
                    )  # fmt: skip
            repo.finish(conn, handler_id, self.clock(), principal.username, text, reply_document_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.finish", "document_handler", handler_id,
                after={"note": text, "reply": reply_document_id}, unit_path=doc["unit_path"],
            )  # fmt: skip
            return self._reload(conn, handler_id)

    # --- reading ----------------------------------------------------------------------------------------

    def assignment(self, principal: Principal, document_id: int) -> Assignment | None:
        """The instruction on a document (readers of its unit's registers, and its handlers)."""
        with self.pool.connection() as conn:
            doc = repo.document_brief(conn, document_id)
            if doc is None or not (
                self.handles(conn, principal, document_id)
                or gate.allows_on(principal, access.READ, Target.unit(doc["unit_path"]))
            ):
                raise UnknownHandling(both(f"không có văn bản số {document_id}", f"no document {document_id}"))
            return repo.assignment_of(conn, document_id)

    def mine(self, principal: Principal, *, open_only: bool = True, limit: int = 200) -> list[MyItem]:
        """What the account handles (itself or through its units), nearest deadline first."""
        gate.check(principal, access.MINE)
        limit = max(1, min(limit, MAX_MINE))
        with self.pool.connection() as conn:
            return repo.my_items(conn, principal.user_id, member_paths(principal), open_only=open_only, limit=limit)

    def handles(self, conn: psycopg.Connection, principal: Principal, document_id: int) -> bool:
        """Whether the account handles the document (DocumentsService.handler_check: handlers may read it)."""
        return repo.is_handler(conn, document_id, principal.user_id, member_paths(principal))

    # --- deadlines (the periodic job) --------------------------------------------------------------------

    def check_deadlines(self) -> tuple[int, int]:
        """Reminders before the deadline in force and escalations after it, once per deadline: (reminded,
        escalated). Handlers are locked with SKIP LOCKED, so two workers never send the same one twice."""
        today = self.today()
        reminded = escalated = 0
        with self.pool.connection() as conn, conn.transaction():
            calendar = load_calendar(conn)
            until, left = today, self.remind_days
            while left > 0:  # `remind_days` working days ahead
                until += timedelta(days=1)
                left -= calendar.is_working_day(until)
            for handler, kind, assigner in repo.due_handlers(conn, until, today):
                doc = repo.document_brief(conn, handler.document_id)
                assert doc is not None
                number = f"{doc['number']:02d}"
                if kind == "remind":
                    self._tell(
                        conn, self._recipients(conn, handler), DEADLINE,
                        (f"Văn bản đến số {number} sắp đến hạn xử lý {handler.deadline:%d/%m/%Y}",
                         f"Incoming document {number} is due on {handler.deadline:%d/%m/%Y}"),
                        (f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}",
                         f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}"),
                        handler.document_id,
                    )  # fmt: skip
                    reminded += 1
                else:
                    people = self._recipients(conn, handler) + ([assigner] if assigner else [])
                    self._tell(
                        conn, people, DEADLINE,
                        (f"Văn bản đến số {number} quá hạn xử lý ({handler.deadline:%d/%m/%Y}): {handler.who}",
                         f"Incoming document {number} past its deadline ({handler.deadline:%d/%m/%Y}): {handler.who}"),
                        (f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}",
                         f"{doc['code_number']}/{doc['code_notation']}: {doc['subject']}"),
                        handler.document_id,
                    )  # fmt: skip
                    escalated += 1
                repo.mark_sent(conn, handler.id, kind, handler.deadline)
        return reminded, escalated

    # --- helpers ----------------------------------------------------------------------------------------

    def _document(self, conn: psycopg.Connection, principal: Principal, document_id: int, action: object) -> dict:  # type: ignore[type-arg]
        doc = repo.document_brief(conn, document_id)
        if doc is None:
            raise UnknownHandling(both(f"không có văn bản số {document_id}", f"no document {document_id}"))
        gate.check(principal, action, Target.unit(doc["unit_path"]))  # type: ignore[arg-type]
        return doc

    def _handler(
        self, conn: psycopg.Connection, principal: Principal, handler_id: int, *, open_only: bool
    ) -> tuple[Handler, dict]:  # type: ignore[type-arg]
        gate.check(principal, access.HANDLE)
        handler = repo.handler(conn, handler_id, lock=True)
        if handler is None or not self._is_this_handler(principal, handler):
            raise UnknownHandling(
                both(f"không có phần việc xử lý {handler_id} của bạn", f"no handler {handler_id} of yours")
            )
        if open_only and handler.finished_at is not None:
            raise HandlingConflict(both("phần việc này đã hoàn thành", "this part is already finished"))
        doc = repo.document_brief(conn, handler.document_id)
        assert doc is not None
        return handler, doc

    @staticmethod
    def _is_this_handler(principal: Principal, handler: Handler) -> bool:
        if handler.user_id is not None:
            return handler.user_id == principal.user_id
        return any(p.startswith(handler.unit_path or "\0") for p in member_paths(principal))

    def _reload(self, conn: psycopg.Connection, handler_id: int) -> Handler:
        found = repo.handler(conn, handler_id)
        assert found is not None
        return found

    def _resolve(self, conn: psycopg.Connection, spec: HandlerSpec) -> tuple[int | None, int | None, str]:
        if spec.unit_code is not None:
            unit = repo.unit_of_code(conn, spec.unit_code)
            if unit is None:
                raise UnknownHandling(both(f"không có đơn vị {spec.unit_code!r}", f"no unit {spec.unit_code!r}"))
            return unit[0], None, unit[1]
        user = repo.active_user(conn, spec.username or "")
        if user is None:
            raise UnknownHandling(both(f"không có tài khoản {spec.username!r}", f"no account {spec.username!r}"))
        return None, user, spec.username or ""

    def _recipients(self, conn: psycopg.Connection, handler: Handler) -> list[int]:
        if handler.user_id is not None:
            return [handler.user_id]
        return repo.unit_leaders(conn, handler.unit_path or "")

    def _assigner(self, conn: psycopg.Connection, document_id: int) -> list[int]:
        found = repo.assigner_id(conn, document_id)
        return [found] if found else []

    def _tell(
        self, conn: psycopg.Connection, users: Sequence[int], category: str, title: tuple[str, str],
        body: tuple[str, str], document_id: int,
    ) -> None:  # fmt: skip
        people = [u for u in users if u]
        if people:
            notify(conn, people, category, Message.text(title[0][:200], title[1][:200], body[0][:1000], body[1][:1000]),
                   f"/documents/entry?id={document_id}", config=self.notify_config)  # fmt: skip

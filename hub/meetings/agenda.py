"""A meeting's agenda and its papers (issue 17 item 2): its organisers set the agenda and add papers (uploaded, in
the content store; a restricted one read only by its named readers, the chair and the secretary), and whoever may
read a paper opens it (a restricted PDF stamped with the viewer's name, hub.meetings.secret_papers).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool, clock and content store).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.domain import Unavailable
from hub.files import ContentStore
from hub.meetings import repository
from hub.meetings.models import (
    AgendaItem,
    ItemInput,
    Meeting,
    MeetingConflict,
    MeetingError,
    MeetingNotFound,
    Paper,
    Participant,
    bilingual,
)
from hub.meetings.secret_papers import handed_out

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

MAX_PAPER_BYTES = 50 * 1024 * 1024
MAX_ITEMS = 100
PAPER_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
#: what a file of each kind starts with (a `.pdf` that is something else is refused)
MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".pptx": b"PK\x03\x04",
         ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}  # fmt: skip


def _text(value: str | None, limit: int, vi: str, en: str) -> str:
    text = " ".join((value or "").split())
    if not text or len(text) > limit:
        raise MeetingError(bilingual(f"{vi}: 1–{limit} ký tự", f"{en}: 1–{limit} characters"))
    return text


class MeetingAgenda:
    """The agenda and the papers (mixed into MeetingsService)."""

    pool: ConnectionPool
    now: Callable[[], datetime]
    store: ContentStore | None
    _changed: Callable[..., None]
    _meeting: Callable[..., Meeting]
    _require_organiser: Callable[..., list[Participant]]
    _require_attendee: Callable[..., Any]

    # --- agenda and papers --------------------------------------------------------------------------------------

    def set_agenda(
        self, principal: Principal, actor: Actor, meeting_id: int, items: Sequence[ItemInput]
    ) -> list[AgendaItem]:
        """Replace the agenda (before the meeting closes); a presenter must be one of its participants."""
        if len(items) > MAX_ITEMS:
            raise MeetingError(bilingual(f"tối đa {MAX_ITEMS} nội dung", f"at most {MAX_ITEMS} items"))
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_organiser(conn, principal, meeting)
            if meeting.status in ("closed", "cancelled"):
                raise MeetingConflict(bilingual("cuộc họp đã kết thúc", "the meeting is over"))
            by_code = {p.employee_code: p.id for p in people if p.employee_code}
            rows = []
            for item in items:
                title = _text(item.title, 500, "nội dung", "agenda item")
                presenter = None
                if item.presenter_code:
                    presenter = by_code.get(item.presenter_code)
                    if presenter is None:
                        raise MeetingError(bilingual(f"{item.presenter_code} không có trong thành phần họp",
                                                     f"{item.presenter_code} is not a participant"))  # fmt: skip
                if item.duration_minutes is not None and not 1 <= item.duration_minutes <= 600:
                    raise MeetingError(bilingual("thời lượng 1–600 phút", "duration 1-600 minutes"))
                rows.append((title, presenter, item.duration_minutes))
            repository.replace_items(conn, meeting_id, rows)
            audit.record(conn, actor, "meeting.agenda", "meeting", meeting_id,
                         after=[r[0] for r in rows], unit_path=meeting.unit_path)  # fmt: skip
            made = repository.items(conn, meeting_id)
            if meeting.room_id:
                repository.announce(conn, meeting.room_id)
        if meeting.room_id:
            self._changed(meeting.room_id)
        return made

    def add_paper(
        self, principal: Principal, actor: Actor, meeting_id: int, *, title: str, filename: str, data: bytes,
        item_id: int | None = None, restricted: bool = False, reader_codes: Sequence[str] = (),
    ) -> Paper:  # fmt: skip
        """A paper for the meeting (or one agenda item), kept in the content store; `restricted`: only the listed
        participants (and the chair and secretary) read it."""
        title = _text(title, 300, "tên tài liệu", "paper title")
        filename = _text(filename.replace("/", "_").replace("\\", "_"), 255, "tên tệp", "file name")
        ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext not in PAPER_TYPES:
            raise MeetingError(bilingual(f"chỉ nhận tệp {', '.join(PAPER_TYPES)}", f"only {', '.join(PAPER_TYPES)}"))
        if not data or len(data) > MAX_PAPER_BYTES:
            raise MeetingError(bilingual("tệp rỗng hoặc lớn hơn 50 MB", "the file is empty or over 50 MB"))
        if not data.startswith(MAGIC[ext]):
            raise MeetingError(bilingual(f"nội dung tệp không phải {ext}", f"the file's content is not {ext}"))
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_organiser(conn, principal, meeting)
            if item_id is not None and all(i.id != item_id for i in repository.items(conn, meeting_id)):
                raise MeetingNotFound(
                    bilingual(f"cuộc họp không có nội dung số {item_id}", f"no agenda item {item_id}")
                )
            by_code = {p.employee_code: p.id for p in people if p.employee_code}
            missing = [c for c in reader_codes if c not in by_code]
            if missing:
                raise MeetingError(bilingual(f"{', '.join(missing[:10])} không có trong thành phần họp",
                                             f"{', '.join(missing[:10])} are not participants"))  # fmt: skip
            if self.store is None:
                raise Unavailable(vi="máy chủ này không lưu tệp", en="this hub process keeps no files")
            digest = self.store.put(data)
            paper_id = repository.insert_paper(conn, {
                "meeting_id": meeting_id, "item_id": item_id, "title": title, "filename": filename,
                "media_type": PAPER_TYPES[ext], "size_bytes": len(data), "sha256": digest, "restricted": restricted,
                "uploaded_by": principal.username,
            }, [by_code[c] for c in reader_codes])  # fmt: skip
            audit.record(conn, actor, "meeting_paper.add", "meeting_paper", paper_id,
                         after={"meeting_id": meeting_id, "title": title, "sha256": digest, "restricted": restricted,
                                "readers": list(reader_codes)}, unit_path=meeting.unit_path)  # fmt: skip
            return next(p for p, _ in repository.papers(conn, meeting_id) if p.id == paper_id)

    def _readable_paper(self, principal: Principal, meeting_id: int, paper_id: int) -> tuple[Paper, Participant | None]:
        """The paper and the viewer's participation, when they may open it: meetings.attend, and a restricted
        paper only its readers, the chair and the secretary (403 for anyone else, 404 for no such paper)."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            _, me, _ = self._require_attendee(conn, principal, meeting)
            found = next(((p, r) for p, r in repository.papers(conn, meeting_id) if p.id == paper_id), None)
        if found is None:
            raise MeetingNotFound(bilingual(f"không có tài liệu số {paper_id}", f"no paper {paper_id}"))
        if not _may_read(found[0], found[1], me, principal):
            raise AccessDenied(bilingual("tài liệu mật: bạn không có trong danh sách được đọc",
                                         "a restricted paper: you are not among its readers"))  # fmt: skip
        return found[0], me

    def open_paper(self, principal: Principal, meeting_id: int, paper_id: int) -> tuple[Paper, bytes]:
        """A paper's file for a participant allowed to read it (403 for a restricted one they are not listed on); a
        restricted PDF comes stamped with the viewer's name and the time (hub.meetings.secret_papers; 409 when it
        cannot be stamped)."""
        paper, me = self._readable_paper(principal, meeting_id, paper_id)
        if self.store is None:
            raise Unavailable(vi="máy chủ này không lưu tệp", en="this hub process keeps no files")
        viewer = me.name if me is not None else principal.display_name  # a restricted PDF: stamped with the viewer
        return paper, handed_out(paper, self.store.get(paper.sha256), viewer, principal.username, self.now())


def _may_read(paper: Paper, readers: frozenset[int], me: Participant | None, principal: Principal) -> bool:
    if not paper.restricted:
        return True
    if principal.is_system_admin:
        return False  # a restricted paper is for its readers, not for the hub's administrators
    return me is not None and (me.role in ("chair", "secretary") or me.id in readers)

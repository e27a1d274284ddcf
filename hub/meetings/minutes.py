"""The minutes of a meeting (biên bản, issue 17 item 6): written, submitted, signed off, frozen, printed.

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool and clock). The course of the minutes:

- while nothing is saved, the meeting's participants see the automatic draft (`minutes_draft`: agenda,
  attendance, votes) split into the sections of `MINUTES_SECTIONS`;
- the secretary — or anyone who may organise the meeting (meetings.minutes_write) — saves the text per section
  (all sections together at most `MAX_MINUTES` characters); each save is a new version (who, when), the old ones
  are kept; `base_version` guards against overwriting someone else's save (409);
- they submit them to the chair (notified in the inbox); while submitted nobody edits them;
- the chair (meetings.minutes_sign: the meeting's chair only) signs them off, or returns them with a comment of at
  most 1,000 characters (the secretary is notified and edits again);
- signed-off minutes are frozen: a save, a submission, a return answer 409 in Vietnamese and English, and
  migration 0810's trigger refuses any write to them whoever tries; their PDF (`minutes_pdf`, Decree 30 layout,
  hub.meetings.minutes_pdf) names the chair and the secretary.

Every change is audited (`meeting.minutes_save`, `…_submit`, `…_sign`, `…_return`) on the meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg

from hub.access import gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal
from hub.localtime import LOCAL_TZ
from hub.meetings import access
from hub.meetings import repository as meetings_repo
from hub.meetings.minutes_pdf import MinutesSheet, render_minutes
from hub.meetings.models import (
    MINUTES_SECTIONS,
    Meeting,
    MeetingConflict,
    MeetingError,
    Minutes,
    Participant,
    bilingual,
)
from hub.meetings.repository import minutes as repo
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

MAX_MINUTES = 50_000
MAX_COMMENT = 1_000
SECTION_KEYS = tuple(key for key, _, _ in MINUTES_SECTIONS)
_SIGNATURE_START = "THƯ KÝ"


class MinutesFrozen(MeetingConflict):
    """The minutes are signed off: nothing changes them any more (409)."""


def frozen_error() -> MinutesFrozen:
    return MinutesFrozen(
        bilingual(
            "biên bản đã được chủ trì ký duyệt, không sửa được nữa",
            "the minutes are signed off by the chair and can no longer be changed",
        )  # fmt: skip
    )


def draft_sections(draft: str) -> dict[str, str]:
    """The automatic draft (MeetingChairing.minutes_draft) cut into the sections: what comes before its "NỘI DUNG"
    line (time, place, attendance) and after it (the items and votes); the signature lines are the PDF's own."""
    lines = draft.split("\n")[2:]  # the title lines are printed by the PDF
    if "NỘI DUNG" in lines:
        cut = lines.index("NỘI DUNG")
        head, body = lines[:cut], lines[cut + 1 :]
    else:
        head, body = lines, []
    signature = next((i for i, line in enumerate(body) if line.startswith(_SIGNATURE_START)), None)
    if signature is not None:
        body = body[:signature]
    return {"opening": "\n".join(head).strip(), "content": "\n".join(body).strip(), "conclusion": ""}


def clean_sections(texts: Mapping[str, str]) -> dict[str, str]:
    """The sections as stored: known keys only, each line's trailing spaces and control characters gone, at most
    MAX_MINUTES characters in all, not all empty."""
    unknown = sorted(set(texts) - set(SECTION_KEYS))
    if unknown:
        raise MeetingError(bilingual(f"biên bản không có mục {', '.join(unknown)[:100]}",
                                     f"the minutes have no section {', '.join(unknown)[:100]}"))  # fmt: skip
    cleaned: dict[str, str] = {}
    for key in SECTION_KEYS:
        value = texts.get(key) or ""
        if not isinstance(value, str):
            raise MeetingError(bilingual("nội dung biên bản phải là văn bản", "the minutes' text must be text"))
        value = "".join(c for c in value.replace("\r\n", "\n") if c in "\n\t" or c.isprintable())
        cleaned[key] = "\n".join(line.rstrip() for line in value.split("\n")).strip("\n")
    total = sum(len(v) for v in cleaned.values())
    if total > MAX_MINUTES:
        vi = f"biên bản dài tối đa {MAX_MINUTES:,} ký tự (đang có {total:,})".replace(",", ".")
        raise MeetingError(bilingual(vi, f"the minutes hold at most {MAX_MINUTES:,} characters (these have {total:,})"))
    if not any(v.strip() for v in cleaned.values()):
        raise MeetingError(bilingual("biên bản chưa có nội dung", "the minutes are empty"))
    return cleaned


class MeetingMinutes:
    """The minutes: read, saved, submitted, signed off or returned, printed (mixed into MeetingsService)."""

    pool: ConnectionPool
    now: Callable[[], datetime]
    notify_config: NotifyConfig
    _meeting: Callable[..., Meeting]
    _me: Callable[..., Participant | None]
    _organiser: Callable[..., bool]
    _require_attendee: Callable[..., Any]
    minutes_draft: Callable[..., str]
    _notice_of: Callable[..., Any]  # hub.meetings.conclusion: the linked notice's draft
    _notice: Callable[..., Any]

    # --- reading --------------------------------------------------------------------------------------------

    def minutes(self, principal: Principal, meeting_id: int) -> Minutes:
        """The minutes as the viewer sees them (its participants and organisers, meetings.attend)."""
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            people, me, organiser = self._require_attendee(conn, principal, meeting)
            row = repo.minutes_row(conn, meeting_id)
            saved = repo.sections(conn, meeting_id, row["version"]) if row and row["version"] else None
            versions = repo.versions(conn, meeting_id)
            link = self._notice_of(conn, meeting_id)
        if saved is None:
            saved = draft_sections(self.minutes_draft(principal, meeting_id))
        status = row["status"] if row and row["version"] else "draft"
        extra = {k: row[k] for k in ("submitted_by", "submitted_at", "signed_by", "signed_at", "returned_by",
                                     "returned_at", "return_comment")} if row else {}  # fmt: skip
        writer = organiser and gate.allows(principal, access.MINUTES_WRITE)
        notice = self._notice(principal, link)
        return Minutes(
            meeting=meeting, status=status, version=row["version"] if row else 0,
            sections={k: saved.get(k, "") for k in SECTION_KEYS}, versions=tuple(versions),
            chair_name=_name(people, "chair"), secretary_name=_name(people, "secretary"),
            can_write=writer and status in ("draft", "editing") and meeting.status != "cancelled",
            can_sign=me is not None and me.role == "chair" and status == "submitted", notice=notice,
            can_notice=writer and status == "signed" and link is None, **extra,
        )  # fmt: skip

    # --- writing --------------------------------------------------------------------------------------------

    def _require_writer(self, conn: psycopg.Connection, principal: Principal, meeting: Meeting) -> list[Participant]:
        gate.check(principal, access.MINUTES_WRITE)
        people = meetings_repo.participants(conn, meeting.id)
        if not self._organiser(principal, meeting, self._me(principal, people)):
            raise AccessDenied(
                bilingual("chỉ thư ký, chủ trì hoặc người tổ chức cuộc họp soạn biên bản",
                          "only the meeting's secretary, chair or organisers write its minutes")
            )  # fmt: skip
        return people

    def _require_signer(self, conn: psycopg.Connection, principal: Principal, meeting: Meeting) -> list[Participant]:
        gate.check(principal, access.MINUTES_SIGN)
        people = meetings_repo.participants(conn, meeting.id)
        me = self._me(principal, people)
        if me is None or me.role != "chair":
            raise AccessDenied(bilingual("chỉ chủ trì cuộc họp ký duyệt biên bản",
                                         "only the meeting's chair signs its minutes off"))  # fmt: skip
        return people

    def save_minutes(
        self, principal: Principal, actor: Actor, meeting_id: int, texts: Mapping[str, str],
        base_version: int | None = None,
    ) -> Minutes:  # fmt: skip
        """Save the text per section as a new version (the secretary or another organiser); `base_version`: the
        version the editor started from (409 when someone saved since). 409 while submitted and once signed."""
        cleaned = clean_sections(texts)
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            self._require_writer(conn, principal, meeting)
            if meeting.status == "cancelled":
                raise MeetingConflict(bilingual("cuộc họp đã hủy", "the meeting is cancelled"))
            repo.ensure_minutes(conn, meeting_id)
            row = repo.minutes_row(conn, meeting_id, lock=True)
            assert row is not None
            _writable(row)
            if base_version is not None and base_version != row["version"]:
                raise MeetingConflict(
                    bilingual(f"biên bản đã được lưu thành phiên bản {row['version']} sau khi bạn mở; hãy tải lại",
                              f"the minutes were saved as version {row['version']} since you opened them; reload")
                )  # fmt: skip
            version = row["version"] + 1
            repo.add_version(conn, meeting_id, version, cleaned, principal.username, self.now())
            audit.record(conn, actor, "meeting.minutes_save", "meeting", meeting_id,
                         after={"version": version, "characters": sum(len(v) for v in cleaned.values())},
                         unit_path=meeting.unit_path)  # fmt: skip
        return self.minutes(principal, meeting_id)

    def submit_minutes(self, principal: Principal, actor: Actor, meeting_id: int) -> Minutes:
        """Submit the saved minutes to the chair (who is told in the inbox)."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_writer(conn, principal, meeting)
            row = repo.minutes_row(conn, meeting_id, lock=True)
            if row is None or row["version"] == 0:
                raise MeetingConflict(bilingual("hãy lưu biên bản trước khi trình ký", "save the minutes first"))
            _writable(row)
            repo.set_state(conn, meeting_id, "submitted", submitted_by=principal.username, submitted_at=self.now())
            audit.record(conn, actor, "meeting.minutes_submit", "meeting", meeting_id,
                         after={"version": row["version"]}, unit_path=meeting.unit_path)  # fmt: skip
            self._tell(conn, people, "chair", meeting, "Biên bản chờ ký duyệt", "Minutes to sign off")
        return self.minutes(principal, meeting_id)

    def sign_minutes(self, principal: Principal, actor: Actor, meeting_id: int) -> Minutes:
        """The chair signs the submitted minutes off: from now on they are frozen."""
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_signer(conn, principal, meeting)
            row = self._submitted(conn, meeting_id)
            repo.set_state(conn, meeting_id, "signed", signed_by=principal.username, signed_at=self.now())
            audit.record(conn, actor, "meeting.minutes_sign", "meeting", meeting_id,
                         after={"version": row["version"]}, unit_path=meeting.unit_path)  # fmt: skip
            self._tell(conn, people, "secretary", meeting, "Biên bản đã được ký duyệt", "Minutes signed off")
        return self.minutes(principal, meeting_id)

    def return_minutes(self, principal: Principal, actor: Actor, meeting_id: int, comment: str) -> Minutes:
        """The chair returns the submitted minutes to be edited again, saying why (1–1,000 characters)."""
        comment = (comment or "").strip()
        if not comment or len(comment) > MAX_COMMENT:
            raise MeetingError(bilingual(f"ý kiến khi trả lại: 1–{MAX_COMMENT:,} ký tự".replace(",", "."),
                                         f"the comment when returning: 1-{MAX_COMMENT:,} characters"))  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            meeting = self._meeting(conn, meeting_id, lock=True)
            people = self._require_signer(conn, principal, meeting)
            row = self._submitted(conn, meeting_id)
            repo.set_state(conn, meeting_id, "editing", returned_by=principal.username, returned_at=self.now(),
                           return_comment=comment)  # fmt: skip
            audit.record(conn, actor, "meeting.minutes_return", "meeting", meeting_id,
                         after={"version": row["version"], "comment": comment},
                         unit_path=meeting.unit_path)  # fmt: skip
            self._tell(conn, people, "secretary", meeting, "Biên bản bị trả lại", "Minutes returned", comment)
        return self.minutes(principal, meeting_id)

    def _submitted(self, conn: psycopg.Connection, meeting_id: int) -> dict[str, Any]:
        row = repo.minutes_row(conn, meeting_id, lock=True)
        if row is not None and row["status"] == "signed":
            raise frozen_error()
        if row is None or row["status"] != "submitted":
            raise MeetingConflict(bilingual("biên bản chưa được trình ký", "the minutes have not been submitted"))
        return row

    def _tell(self, conn: psycopg.Connection, people: list[Participant], role: str, meeting: Meeting, vi: str,
              en: str, detail: str = "") -> None:  # fmt: skip
        users = [p.user_id for p in people if p.role == role and p.user_id]
        if users:
            notify(conn, users, "meetings.minutes", Message.text(
                f"{vi}: {meeting.title}", f"{en}: {meeting.title}", detail or meeting.title, detail or meeting.title,
            ), f"/meetings/minutes?id={meeting.id}", config=self.notify_config)  # fmt: skip

    # --- the PDF --------------------------------------------------------------------------------------------

    def minutes_pdf(self, principal: Principal, meeting_id: int) -> tuple[str, bytes]:
        """(file name, PDF) of the signed-off minutes, in the Decree 30 layout (409 before the sign-off)."""
        found = self.minutes(principal, meeting_id)
        if found.status != "signed" or found.signed_at is None:
            raise MeetingConflict(bilingual("biên bản chưa được chủ trì ký duyệt", "the minutes are not signed off"))
        with self.pool.connection() as conn:
            names = repo.unit_names(conn, found.meeting.unit_path)
        day = found.meeting.starts_at.astimezone(LOCAL_TZ).date()
        month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
        signed = found.signed_at.astimezone(LOCAL_TZ)
        sheet = MinutesSheet(
            governing=names[-2] if len(names) > 1 else None, agency=names[-1] if names else found.meeting.unit_code,
            date_line=f"Ngày {day.day:02d} tháng {month} năm {day.year}", title=found.meeting.title,
            sections=tuple((title, found.sections.get(key, "")) for key, title, _ in MINUTES_SECTIONS),
            secretary_name=found.secretary_name, chair_name=found.chair_name,
            signed_note=f"(Đã ký duyệt trên CCES lúc {signed:%H:%M} ngày {signed:%d/%m/%Y})",
        )  # fmt: skip
        return f"bien-ban-cuoc-hop-{meeting_id}.pdf", render_minutes(sheet)


def _writable(row: dict[str, Any]) -> None:
    if row["status"] == "signed":
        raise frozen_error()
    if row["status"] == "submitted":
        raise MeetingConflict(
            bilingual("biên bản đang chờ chủ trì ký duyệt; chỉ sửa được khi chủ trì trả lại",
                      "the minutes await the chair's sign-off; they are edited only if returned")
        )  # fmt: skip


def _name(people: list[Participant], role: str) -> str:
    return next((p.name for p in people if p.role == role), "")

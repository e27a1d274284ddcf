"""The conclusion notice of a meeting (thông báo kết luận, issue 17 item 6; DOMAIN §5: type TB, a numbered document
under §1, so the meetings module hands it to the documents module and keeps no number of its own).

A part of `hub.meetings.service.MeetingsService` (a mixin). Once the chair has signed the minutes off, the secretary
(meetings.minutes_write: whoever may organise the meeting) drafts the notice — once per meeting — through the
documents module's outgoing service (`hub.documents.outgoing.service.OutgoingService.create`, which checks its own
rules: the drafter belongs to the drafting unit, the signer is a manager over the issuing unit):

- type "TB" (Thông báo), issued by the meeting's unit — or, when that unit keeps no seal, the nearest unit above it
  that does — drafted in the secretary's own unit when it lies inside the issuing unit (else the issuing unit);
- subject "Kết luận của <chair> tại cuộc họp <title>"; its version 1 a PDF in the Decree 30 layout whose text is
  the minutes' conclusion section (hub.meetings.minutes_pdf.render_notice);
- signer the chair (their account, their position); recipients the participants' units (each one's sealed unit,
  the issuing unit left out) and the guests' organisations by name.

The draft then follows the documents chain (submit, review, sign, release with its number). The link is kept in
`meeting_conclusion_notices`; the minutes show the draft's state as the documents module reports it to the viewer,
and the meeting's tasks (migration 0804) are listed with it. Audited as `meeting.conclusion_notice`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import psycopg

from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.domain import DomainError, Unavailable
from hub.localtime import LOCAL_TZ
from hub.meetings import repository as meetings_repo
from hub.meetings.minutes_pdf import NoticeSheet, render_notice
from hub.meetings.models import ConclusionNotice, Meeting, MeetingConflict, Minutes, bilingual
from hub.meetings.repository import minutes as repo

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool

    from hub.documents.outgoing.service import OutgoingService

NOTICE_TYPE = "TB"


class MeetingConclusion:
    pool: ConnectionPool
    now: Callable[[], datetime]
    outgoing: OutgoingService | None = None  # the documents module's outgoing service (hub.services attaches it)
    _meeting: Callable[..., Meeting]
    _require_writer: Callable[..., Any]
    minutes: Callable[..., Minutes]

    def _notice_of(self, conn: psycopg.Connection, meeting_id: int) -> tuple[int, str, datetime] | None:
        return repo.notice_link(conn, meeting_id)

    def _notice(self, principal: Principal, link: tuple[int, str, datetime] | None) -> ConclusionNotice | None:
        """The linked draft as the documents module shows it to the viewer (its state unknown to one who may not
        read the draft there)."""
        if link is None:
            return None
        draft_id, by, at = link
        if self.outgoing is not None:
            from hub.documents.outgoing.service import STATE_VI

            try:
                d = self.outgoing.draft(principal, draft_id)
            except DomainError:
                pass
            else:
                return ConclusionNotice(draft_id, d.state.value, STATE_VI.get(d.state, d.state.value), d.subject, by,
                                        at, d.document_id)  # fmt: skip
        return ConclusionNotice(draft_id, "unknown", "không xem được trạng thái", "", by, at, None)

    def create_conclusion_notice(self, principal: Principal, actor: Actor, meeting_id: int) -> ConclusionNotice:
        """Draft the meeting's conclusion notice in the documents module from its signed-off minutes (once).

        The check "no notice yet", the draft (the documents module's own transaction) and the link run under the
        meeting's advisory lock, held on a connection of its own: two calls at once make one draft, the other is
        refused (409) before it drafts anything."""
        if self.outgoing is None:
            raise Unavailable(vi="máy chủ này chưa nối với phân hệ văn bản", en="this hub process has no documents")
        found = self.minutes(principal, meeting_id)
        with self.pool.connection() as conn:  # one who may not draft it learns nothing of a draft under way
            self._require_writer(conn, principal, self._meeting(conn, meeting_id))
        with self.pool.connection() as guard:
            with guard.transaction():
                locked = repo.try_lock_notice(guard, meeting_id)
            if not locked:
                raise MeetingConflict(bilingual("thông báo kết luận của cuộc họp đang được soạn",
                                                "the meeting's conclusion notice is being drafted now"))  # fmt: skip
            try:
                return self._create_conclusion_notice(principal, actor, meeting_id, found)
            finally:
                with guard.transaction():
                    repo.unlock_notice(guard, meeting_id)

    def _create_conclusion_notice(
        self, principal: Principal, actor: Actor, meeting_id: int, found: Minutes
    ) -> ConclusionNotice:
        assert self.outgoing is not None
        with self.pool.connection() as conn:
            meeting = self._meeting(conn, meeting_id)
            self._require_writer(conn, principal, meeting)
            if found.status != "signed":
                raise MeetingConflict(bilingual("biên bản chưa được chủ trì ký duyệt",
                                                "the minutes are not signed off yet"))  # fmt: skip
            if repo.notice_link(conn, meeting_id) is not None:
                raise MeetingConflict(bilingual("cuộc họp đã có thông báo kết luận",
                                                "the meeting has its conclusion notice already"))  # fmt: skip
            conclusion = found.sections.get("conclusion", "").strip()
            if not conclusion:
                raise MeetingConflict(bilingual("biên bản chưa có phần kết luận", "the minutes have no conclusion"))
            issuer = repo.sealed_unit(conn, meeting.unit_path)
            if issuer is None:
                raise MeetingConflict(
                    bilingual("đơn vị họp và các đơn vị cấp trên không có con dấu",
                              "neither the meeting's unit nor any above it keeps a seal")
                )  # fmt: skip
            issuer_path = meetings_repo.unit_row(conn, issuer)[1]  # type: ignore[index]
            mine = principal.employee_unit_path
            drafting = repo.unit_code_of(conn, mine) if mine and mine.startswith(issuer_path) else None
            signer, chair_name, position = repo.signer_of(conn, meeting_id)
            inside = [(c, n) for c, n in repo.participant_units(conn, meeting_id) if c != issuer]
            outside = repo.guest_organisations(conn, meeting_id)
            names = repo.unit_names(conn, issuer_path)
        if signer is None:
            raise MeetingConflict(bilingual("chủ trì chưa có tài khoản để ký thông báo",
                                            "the chair has no account to sign the notice"))  # fmt: skip
        from hub.documents.files import Upload
        from hub.documents.outgoing.models import Recipient

        subject = f"Kết luận của {chair_name} tại cuộc họp {meeting.title}"[:500]
        today = self.now().astimezone(LOCAL_TZ).date()
        month = f"{today.month:02d}" if today.month <= 2 else str(today.month)
        sheet = NoticeSheet(
            governing=names[-2] if len(names) > 1 else None, agency=names[-1] if names else issuer,
            number_line=f"Số:      /{NOTICE_TYPE}", date_line=f"Ngày {today.day:02d} tháng {month} năm {today.year}",
            subject=subject, conclusion=conclusion,
            recipients=(*(f"- {n};" for _, n in inside), *(f"- {o};" for o in outside), "- Lưu: VT."),
            signer_position=(position or "Chủ trì cuộc họp")[:100], signer_name=chair_name[:50],
        )  # fmt: skip
        draft = self.outgoing.create(
            principal, issuer, type_key=NOTICE_TYPE, subject=subject, signer=signer,
            signer_position=(position or "Chủ trì cuộc họp")[:100], signer_name=chair_name[:50],
            drafting_unit_code=drafting,
            recipients=[Recipient(unit_code=c) for c, _ in inside] + [Recipient(organ_name=o[:200]) for o in outside],
            file=Upload(f"thong-bao-ket-luan-hop-{meeting_id}.pdf", render_notice(sheet)),
            note=f"Từ biên bản cuộc họp số {meeting_id}", client_ip=actor.client_ip,
        )  # fmt: skip
        with self.pool.connection() as conn, conn.transaction():
            if not repo.link_notice(conn, meeting_id, draft.id, principal.username, self.now()):
                raise MeetingConflict(bilingual("cuộc họp đã có thông báo kết luận",
                                                "the meeting has its conclusion notice already"))  # fmt: skip
            audit.record(conn, actor, "meeting.conclusion_notice", "meeting", meeting_id,
                         after={"draft_id": draft.id, "issuer": issuer, "recipients": [c for c, _ in inside] + outside},
                         unit_path=meeting.unit_path)  # fmt: skip
            link = repo.notice_link(conn, meeting_id)
        notice = self._notice(principal, link)
        assert notice is not None
        return notice

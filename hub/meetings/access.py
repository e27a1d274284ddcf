"""Who may do what with meeting rooms and meetings (phòng họp), declared once (hub.access); hub.meetings.service
checks the room's unit, the booking's owner and the meeting's participants.

| action | who (besides system admin) |
|---|---|
| meetings.rooms_view: the rooms, their bookings and what is on now | anyone signed in |
| meetings.rooms_manage: add and change rooms | office admin over the room's unit |
| meetings.book: book a room (a room needing approval: pending), cancel one's own booking | anyone signed in |
| meetings.approve_booking: decide a pending booking, cancel anyone's | office admin, manager over the room's unit |
| meetings.create: call a meeting (in a booked room or online) | manager, office admin, clerk over its unit |
| meetings.organise: participants, agenda, papers, attendance | chair, secretary, its caller; organisers over its unit |
| meetings.attend: see it, its papers (restricted: their readers), check in by QR, vote | its participants, organisers |
| meetings.chair: open and close votes | its chair or secretary |
| meetings.opine: write, edit, withdraw one's own opinion on a draft (góp ý) | its participants |
| meetings.minutes_write: edit the minutes, submit them to the chair, draft the conclusion notice | its organisers |
| meetings.minutes_sign: sign the minutes off, or return them with a comment | its chair |
| meetings.replace_lead: replace its chair or secretary until it ends | its chair, caller, organisers over its unit |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

ROOM_MANAGERS = (Role.OFFICE_ADMIN,)
ROOM_DECIDERS = (Role.OFFICE_ADMIN, Role.MANAGER)

ROOMS_VIEW = Action(
    "meetings.rooms_view", "xem phòng họp và lịch đặt phòng", "see meeting rooms and their bookings", roles=None,
    scope=Scope.UNIT,
)  # fmt: skip
ROOMS_MANAGE = Action(
    "meetings.rooms_manage", "sửa phòng họp", "change meeting rooms", roles=ROOM_MANAGERS, scope=Scope.UNIT,
    note="over the room's managing unit",
)  # fmt: skip
BOOK = Action(
    "meetings.book", "đặt phòng họp", "book a meeting room", roles=None, scope=Scope.UNIT,
    note="anyone signed in; cancelling: one's own booking (others': meetings.approve_booking)",
)  # fmt: skip
APPROVE_BOOKING = Action(
    "meetings.approve_booking", "duyệt đặt phòng họp", "decide meeting room bookings", roles=ROOM_DECIDERS,
    scope=Scope.UNIT, note="over the room's managing unit; never one's own booking",
)  # fmt: skip

ORGANISERS = (Role.MANAGER, Role.OFFICE_ADMIN, Role.CLERK)
CREATE = Action(
    "meetings.create", "tổ chức cuộc họp", "call a meeting", roles=ORGANISERS, scope=Scope.UNIT,
    note="over the organising unit",
)  # fmt: skip
ORGANISE = Action(
    "meetings.organise", "chuẩn bị cuộc họp", "prepare a meeting", roles=None, scope=Scope.UNIT,
    note="the meeting's chair or secretary, who called it, or manager/office admin/clerk over its unit",
)  # fmt: skip
ATTEND = Action(
    "meetings.attend", "dự họp", "take part in a meeting", roles=None, scope=Scope.UNIT,
    note="its participants and organisers; a restricted paper: its readers, the chair and the secretary",
)  # fmt: skip

CHAIR = Action(
    "meetings.chair", "điều hành cuộc họp", "chair a meeting", roles=None, scope=Scope.UNIT,
    note="its chair or secretary: open and close votes (later: the current item, the speakers' queue)",
)  # fmt: skip

OPINE = Action(
    "meetings.opine", "góp ý dự thảo tại cuộc họp", "give an opinion on a draft in a meeting", roles=None,
    scope=Scope.UNIT, note="its participants, their own opinions, until the meeting ends; the chair and the secretary"
    " read all of them (meetings.attend)",
)  # fmt: skip

MINUTES_WRITE = Action(
    "meetings.minutes_write", "soạn biên bản cuộc họp", "write a meeting's minutes", roles=None, scope=Scope.UNIT,
    note="the meeting's secretary, chair, who called it, or manager/office admin/clerk over its unit: edit the minutes,"
    " submit them to the chair, and (once signed off) draft the conclusion notice in the documents module",
)  # fmt: skip
MINUTES_SIGN = Action(
    "meetings.minutes_sign", "ký duyệt biên bản cuộc họp", "sign off a meeting's minutes", roles=None,
    scope=Scope.UNIT, note="the meeting's chair only: sign the submitted minutes off, or return them with a comment",
)  # fmt: skip

REPLACE_LEAD = Action(
    "meetings.replace_lead", "thay chủ trì, thư ký cuộc họp", "replace a meeting's chair or secretary", roles=None,
    scope=Scope.UNIT, note="its chair, who called it, or manager/office admin/clerk over its unit, until the meeting"
    " ends; the new one is told in their inbox",
)  # fmt: skip

ACTIONS = (
    ROOMS_VIEW,
    ROOMS_MANAGE,
    BOOK,
    APPROVE_BOOKING,
    CREATE,
    ORGANISE,
    ATTEND,
    CHAIR,
    OPINE,
    MINUTES_WRITE,
    MINUTES_SIGN,
    REPLACE_LEAD,
)

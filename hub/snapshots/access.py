"""Who may open the face snapshot of a door event (ảnh chụp khi chấm công), declared once (hub.access).

Every opening is written to the audit log (hub.snapshots.service)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import DEVICE_ADMINS
from hub.accounts.principal import Role

OPEN_ATTENDANCE = Action(
    "snapshots.open_attendance", "xem ảnh chụp khi chấm công", "open an attendance snapshot",
    roles=(Role.MANAGER, Role.HR, Role.OFFICE_ADMIN), scope=Scope.OWN,
    note="the person themself, or over the person's unit; audited",
)  # fmt: skip
OPEN_UNKNOWN = Action(
    "snapshots.open_unknown", "xem ảnh người lạ", "open an unknown face's snapshot", roles=DEVICE_ADMINS,
    scope=Scope.OFFICE, note="the door's office among theirs; audited",
)  # fmt: skip

ACTIONS = (OPEN_ATTENDANCE, OPEN_UNKNOWN)

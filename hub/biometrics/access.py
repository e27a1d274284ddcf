"""Who may take, see and erase a person's face photos (sinh trắc học), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

ENROLLERS = (Role.HR, Role.OFFICE_ADMIN)

ENROLL = Action(
    "biometrics.enroll", "lấy ảnh khuôn mặt", "enroll face photos", roles=ENROLLERS, scope=Scope.UNIT,
    note="consent recorded first; on the person's unit",
)  # fmt: skip
ERASE = Action(
    "biometrics.erase", "xóa dữ liệu sinh trắc học", "erase biometric data", roles=ENROLLERS, scope=Scope.UNIT
)

ACTIONS = (ENROLL, ERASE)

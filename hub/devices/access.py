"""Who may do what with the device registry (thiết bị), declared once (hub.access).

A device is reached through its office (site): `site_units` maps offices to org units, and an office
admin reaches the devices of the offices inside their units (hub.devices.service.device_scope)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import DEVICE_ADMINS

VIEW = Action("devices.view", "xem thiết bị", "see the device", roles=DEVICE_ADMINS, scope=Scope.OFFICE)
CHANGE = Action("devices.change", "sửa thiết bị", "change the device", roles=DEVICE_ADMINS, scope=Scope.OFFICE)
COMMAND = Action(
    "devices.command", "gửi lệnh tới thiết bị", "send commands to the device", roles=DEVICE_ADMINS, scope=Scope.OFFICE
)
ENROLLMENT_TOKEN = Action(
    "devices.enrollment_token", "tạo mã đăng ký thiết bị", "make a device enrollment token", roles=DEVICE_ADMINS,
    scope=Scope.OFFICE,
)  # fmt: skip
ENROLL = Action(
    "devices.enroll", "thiết bị tự đăng ký", "a device enrolls itself", public=True,
    note="authorised by its one-time enrollment token",
)  # fmt: skip

ACTIONS = (VIEW, CHANGE, COMMAND, ENROLLMENT_TOKEN, ENROLL)

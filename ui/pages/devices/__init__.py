"""Devices (thiết bị): the fleet, one device's page (telemetry, config, commands), enrolling a new
one — one module each in this package.

Office admins run the fleet of their own offices (a device's office is mapped to org units, and an
admin reaches the offices of their units; a system admin every device). A device outside them is
refused like a page they may not open; a site can only be set, and a device only enrolled, at one
of their offices. Config and commands appear when the hub process has them (desired config and the
command channel are separate parts of the hub).
"""

from __future__ import annotations

from hub.accounts.principal import Role
from hub.devices import access as devices_access
from hub.services import HubServices
from ui.i18n import N_, pgettext
from ui.pages.devices.device import render_device
from ui.pages.devices.enroll import render_enroll
from ui.pages.devices.fleet import render_fleet
from ui.shell import PageContext, any_role, module_page

device_admin = any_role(Role.OFFICE_ADMIN)


def register(services: HubServices) -> None:
    @module_page("/devices", text_key=pgettext("menu", "Thiết bị"), icon="router", action=devices_access.VIEW, order=50)
    def fleet(ctx: PageContext, kind: str = "", site: str = "", state: str = "", page: int = 1) -> None:
        render_fleet(ctx, kind, site, state, max(1, page))

    @module_page("/devices/enroll", text_key=N_("Đăng ký thiết bị mới"), icon="qr_code_2",
                 action=devices_access.ENROLLMENT_TOKEN, order=51, in_nav=False)  # fmt: skip
    def enroll(ctx: PageContext) -> None:
        render_enroll(ctx)

    @module_page("/devices/{device_id}", text_key=N_("Thiết bị"), icon="router", action=devices_access.VIEW, order=52,
                 in_nav=False)  # fmt: skip
    def device(ctx: PageContext, device_id: str) -> None:
        render_device(ctx, device_id)

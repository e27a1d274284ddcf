"""Who may read which reports (báo cáo), declared once (hub.access)."""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.access import DEVICE_REPORT_VIEWERS
from hub.accounts.principal import Role

#: the unit reports (and their exports), checked on the unit by hub.reports.service.ReportsService
VIEW_UNIT = Action(
    "reports.view_unit", "xem báo cáo của đơn vị", "see a unit's reports",
    roles=(Role.MANAGER, Role.HR, Role.OFFICE_ADMIN), scope=Scope.UNIT,
    note="dashboard, presence, lateness, absences, sheet export",
)  # fmt: skip
VIEW_DEVICES = Action(
    "reports.view_devices", "xem báo cáo thiết bị", "see device reports", roles=DEVICE_REPORT_VIEWERS,
    scope=Scope.OFFICE,
)  # fmt: skip

ACTIONS = (VIEW_UNIT, VIEW_DEVICES)

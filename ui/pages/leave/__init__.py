"""Nghỉ phép (/leave), phone first: my balance with its explanation, the request form showing the
working days before sending, my requests, the requests waiting for my decision (approve, reject,
return with a comment), and the team calendar of my unit by month (exportable as CSV).

Everything goes through `HubServices.leave` (hub.leave.service): the same rules and refusals as the
API, said in Vietnamese and English. The page (`page`: balance and form) draws its lists of requests
(`requests`) and the team calendar and the backup approver (`team`).
"""

from __future__ import annotations

from hub.leave import access as leave_access
from hub.services import HubServices
from ui.pages.leave.common import TITLE
from ui.pages.leave.page import LeavePage
from ui.shell import PageContext, module_page


def register(services: HubServices) -> None:
    @module_page("/leave", text_key=TITLE, icon="beach_access", action=leave_access.REQUEST, order=30)
    def leave_page(ctx: PageContext, request: int | None = None) -> None:
        LeavePage(ctx).draw()

"""Who may do what with summary reports (tổng hợp – báo cáo), declared once (the rule book, hub.access);
hub.reporting.service checks the unit, the route guard and the page read the same declarations.

| action | who (besides system admin) |
|---|---|
| see the reporting regimes, compute a period's cut-off | anyone signed in |
| define a regime (new version), open its reports now | office admin over the regime's receiving unit |
| see a report | manager, clerk or office admin over the reporting or the receiving unit |
| fill and correct a report's indicators | manager or clerk (văn thư) over the reporting unit |
| submit a report | manager (lãnh đạo) over the reporting unit |
| return a report with comments, accept it | manager over the receiving unit |
| the list of who has not submitted | manager or office admin over the receiving unit |
"""

from __future__ import annotations

from hub.access import Action, Scope
from hub.accounts.principal import Role

DEFINERS = (Role.OFFICE_ADMIN,)
READERS = (Role.MANAGER, Role.CLERK, Role.OFFICE_ADMIN)
FILLERS = (Role.MANAGER, Role.CLERK)
SUBMITTERS = (Role.MANAGER,)
REVIEWERS = (Role.MANAGER,)
FOLLOWERS = (Role.MANAGER, Role.OFFICE_ADMIN)

REFERENCE = Action(
    "reporting.reference", "xem chế độ báo cáo và kỳ báo cáo", "see reporting regimes and periods", roles=None,
    scope=Scope.ADMINISTRATION, note="anyone signed in",
)  # fmt: skip
DEFINE = Action(
    "reporting.define", "định nghĩa chế độ báo cáo", "define reporting regimes", roles=DEFINERS, scope=Scope.UNIT,
    note="office admin over the regime's receiving unit (every reporting unit lies below it)",
)  # fmt: skip
VIEW = Action(
    "reporting.view", "xem báo cáo", "see reports", roles=READERS, scope=Scope.UNIT,
    note="manager, clerk or office admin over the reporting or the receiving unit",
)  # fmt: skip
FILL = Action(
    "reporting.fill", "nhập, điều chỉnh số liệu báo cáo", "fill and correct a report", roles=FILLERS,
    scope=Scope.UNIT, note="manager or clerk over the reporting unit",
)  # fmt: skip
SUBMIT = Action(
    "reporting.submit", "gửi báo cáo", "submit a report", roles=SUBMITTERS, scope=Scope.UNIT,
    note="manager over the reporting unit",
)  # fmt: skip
REVIEW = Action(
    "reporting.review", "trả lại, tiếp nhận báo cáo", "return or accept a report", roles=REVIEWERS,
    scope=Scope.UNIT, note="manager over the receiving unit",
)  # fmt: skip
FOLLOW = Action(
    "reporting.follow", "theo dõi đơn vị chưa gửi báo cáo", "see who has not submitted", roles=FOLLOWERS,
    scope=Scope.UNIT, note="manager or office admin over the receiving unit",
)  # fmt: skip

ACTIONS = (REFERENCE, DEFINE, VIEW, FILL, SUBMIT, REVIEW, FOLLOW)

"""Secret documents (văn bản mật): clearances, grants and the rule that joins them.

The rule (issue 15 item 6; DESIGN.md "classified documents visible only to those cleared"): a document
marked MẬT (1), TỐI MẬT (2) or TUYỆT MẬT (3) is seen only by an account that is

- **cleared** for at least its level (`security_clearances`, set by a system admin, audited), AND
- **involved** with it: the account registered it; gave the leader's instruction on it; handles it (the
  person named, or a member of the unit named); is a lãnh đạo over the registering unit (the person the
  văn thư presents it to, Decree 30 Art. 24, who may then grant it); or was granted it by such a leader.

No role reaches a secret document by itself, the system admin's and the hub's own tools (CLI) included:
they are not cleared. A document a person may not see is "not found" to them (404, never 403: its
existence is not confirmed), in the register, the search, the document and its files. Every opening of a
secret document (the record, a file, a file's text) writes an audit row, refused attempts too; a PDF of a
secret document is downloaded with the viewer's name and the time stamped on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub.documents.models import DocumentError, Secrecy, both
from hub.domain import NotFound

LEVEL_LABELS: dict[int, tuple[str, str]] = {
    0: ("Không được tiếp cận văn bản mật", "Not cleared"),
    Secrecy.MAT: ("Mật", "Confidential (mật)"),
    Secrecy.TOI_MAT: ("Tối mật", "Secret (tối mật)"),
    Secrecy.TUYET_MAT: ("Tuyệt mật", "Top secret (tuyệt mật)"),
}


class SecrecyError(DocumentError):
    """A clearance or grant the rules refuse (422); nothing was written."""


class UnknownAccount(NotFound, SecrecyError):
    """No active account with this username (404)."""


def level_of(value: int) -> Secrecy:
    try:
        return Secrecy(value)
    except ValueError:
        raise SecrecyError(
            both("mức được tiếp cận từ 0 (không) đến 3 (tuyệt mật)", "a clearance is 0 (none) to 3 (tuyệt mật)")
        ) from None


@dataclass(frozen=True, slots=True)
class Clearance:
    """An account's clearance: the highest secrecy level it may read (0: none)."""

    username: str
    display_name: str
    level: int
    basis: str | None
    set_by: str | None
    set_at: datetime | None

    @property
    def label_vi(self) -> str:
        return LEVEL_LABELS[self.level][0]


@dataclass(frozen=True, slots=True)
class Grant:
    """A cleared leader's permission for one more account to see one secret document."""

    id: int
    document_id: int
    username: str
    display_name: str
    reason: str | None
    granted_by: str
    granted_at: datetime
    revoked_by: str | None = None
    revoked_at: datetime | None = None
    granted_by_name: str | None = None  # the human names of granted_by / revoked_by (None: a tool, no account)
    revoked_by_name: str | None = None


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who the rule asks about: the account, its clearance, and the unit paths it belongs to or leads."""

    user_id: int
    username: str
    level: int
    member_paths: tuple[str, ...]  # its employee's unit and the units of its grants (handling by a unit)
    leader_paths: tuple[str, ...]  # units it leads: its lãnh đạo (manager) grants, never "every unit"

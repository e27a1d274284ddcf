"""Outgoing documents before release (issue 15 item 3): drafts, their versions and comments, the review
and approval chain with the signing prefixes of Decree 30 Appendix I §II.7, recipients, and the links
of revocation, replacement and update that freeze an original.

The chain (the state is stored: it is where the draft is, not a deadline-derived status):

    drafting ──submit──▶ reviewing ──forward──▶ signing ──approve──▶ approved ──release──▶ released
        ▲                   │ (no reviewer: submit goes to signing)  │                 │
        └──── returned ◀────┴──────────── return ────────────────────┴─────────────────┘

The drafter edits (new versions) only while drafting or returned; the head of the drafting unit
(`reviewer`) forwards or returns; the signing leader approves or returns; the văn thư of the issuing
unit releases (the number is taken then) or returns it for a correction of form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from hub.documents.models import DocumentError, Secrecy, Urgency
from hub.domain import Conflict, NotFound


class DraftError(DocumentError):
    """Input or a step the rules refuse (422); nothing was written."""


class UnknownDraft(NotFound, DraftError):
    """No draft with this id the caller may see (404)."""


class DraftConflict(Conflict, DraftError):
    """A step that does not fit the draft's state, or someone else's turn (409)."""


class DraftState(StrEnum):
    DRAFTING = "drafting"  # đang soạn thảo
    REVIEWING = "reviewing"  # chờ lãnh đạo đơn vị duyệt
    SIGNING = "signing"  # chờ lãnh đạo ký duyệt
    APPROVED = "approved"  # đã duyệt, chờ văn thư phát hành
    RETURNED = "returned"  # trả lại để sửa
    RELEASED = "released"  # đã phát hành (có số)


EDITABLE = (DraftState.DRAFTING, DraftState.RETURNED)


class LinkKind(StrEnum):
    REVOKES = "revokes"  # thu hồi
    REPLACES = "replaces"  # thay thế
    UPDATES = "updates"  # sửa đổi, bổ sung


FROZEN_KIND = {LinkKind.REVOKES: "revoked", LinkKind.REPLACES: "replaced", LinkKind.UPDATES: "updated"}


@dataclass(frozen=True, slots=True)
class SigningPrefix:
    code: str  # TM, KT, TL, TUQ, Q
    label: str  # as printed: "KT."
    name_vi: str
    name_en: str
    needs_delegation: bool  # TUQ.: the authorisation must be named (Art. 13)
    basis: str
    valid_from: date | None
    valid_to: date | None

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class DraftVersion:
    version: int
    sha256: str
    filename: str
    content_type: str
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class DraftComment:
    id: int
    version: int | None
    at: datetime
    by_user: str
    body: str


@dataclass(frozen=True, slots=True)
class DraftStep:
    step: str  # submit | forward | approve | return | release
    from_state: str
    to_state: str
    at: datetime
    by_user: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Nơi nhận: a CCES unit with a seal (by its code) or an outside organ (by name, and its id if known)."""

    unit_code: str | None = None
    organ_name: str | None = None
    organ_id: str | None = None

    @property
    def inside(self) -> bool:
        return self.unit_code is not None


@dataclass(frozen=True, slots=True)
class Draft:
    id: int
    unit_code: str  # the issuing unit (a unit with a seal)
    unit_path: str
    drafting_unit_code: str
    drafting_unit_path: str
    drafter_notation: str | None
    type_key: str
    type_name_vi: str
    subject: str
    secrecy: Secrecy
    urgency: Urgency
    created_by: str
    created_by_user_id: int | None
    created_at: datetime
    reviewer_user_id: int | None
    reviewer: str | None  # username
    signer_user_id: int
    signer: str  # username
    signing_prefix: str | None
    authority_title: str | None
    signer_position: str
    signer_name: str
    delegation: str | None
    state: DraftState
    relates_kind: LinkKind | None
    relates_to: int | None
    document_id: int | None
    released_at: datetime | None
    reply_due: date | None = None  # hạn trả lời asked of the recipients (edXML DueDate): documents.due_date at release
    versions: tuple[DraftVersion, ...] = ()
    comments: tuple[DraftComment, ...] = ()
    steps: tuple[DraftStep, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    prefix_label: str | None = None  # "KT."

    @property
    def latest(self) -> DraftVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def signature_block(self) -> list[str]:
        """The signature block as printed: `KT. CHI CỤC TRƯỞNG` / `PHÓ CHI CỤC TRƯỞNG` / name."""
        head = [f"{self.prefix_label} {self.authority_title}"] if self.prefix_label and self.authority_title else []
        return [*head, self.signer_position, self.signer_name]

    @property
    def to_places(self) -> str:
        """The nơi nhận block's lines (outside recipients by name, inside ones by code), then `Lưu: VT`."""
        lines = [f"- {r.organ_name or r.unit_code};" for r in self.recipients]
        keep = f"- Lưu: VT{', ' + self.drafter_notation if self.drafter_notation else ''}."
        return "\n".join([*lines, keep])


@dataclass(frozen=True, slots=True)
class DocumentLink:
    id: int
    kind: LinkKind
    target_id: int  # the original (frozen)
    document_id: int | None  # the revoking / replacing / updating document
    reason: str
    at: datetime
    by_user: str


@dataclass(frozen=True, slots=True)
class InboxItem:
    """A draft waiting for someone: its step and who it waits for."""

    draft: Draft
    waiting_for: str  # review | sign | release | edit


@dataclass(frozen=True, slots=True)
class ReleasedDraft:
    """A released draft and the number its document got: `Số: 15/QĐ-HQKV2`."""

    draft: Draft
    number_line: str

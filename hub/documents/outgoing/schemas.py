"""The bodies and answers of the outgoing documents' routes (hub.documents.outgoing.api): drafts (with their
hạn trả lời), versions, comments, the chain's steps, release and revocation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from hub.documents.outgoing.models import (
    DocumentLink,
    Draft,
    InboxItem,
    LinkKind,
    Recipient,
    ReleasedDraft,
    SigningPrefix,
)
from hub.documents.outgoing.rules import MAX_RECIPIENTS
from hub.documents.schemas import FileIn
from hub.inputs import Code, Id, ShortText, Text, WorkDate, check_line

Level = Annotated[int, Field(ge=0, le=3)]
Line = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_line)]
Username = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(check_line)]
Subject = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]


class PrefixOut(BaseModel):
    code: str
    label: str = Field(description="as printed: KT.")
    name_vi: str
    name_en: str
    needs_delegation: bool = Field(description="TUQ.: the draft names its authorisation (Art. 13)")
    basis: str
    valid_from: date | None
    valid_to: date | None

    @classmethod
    def of(cls, p: SigningPrefix) -> PrefixOut:
        return cls(**{k: getattr(p, k) for k in cls.model_fields})


class RecipientIn(BaseModel):
    unit_code: Code | None = Field(None, description="a CCES unit with a seal: it arrives in its incoming register")
    organ_name: ShortText | None = Field(None, description="an outside organ, by name")
    organ_id: Annotated[str, Field(max_length=13), AfterValidator(check_line)] | None = None

    def spec(self) -> Recipient:
        return Recipient(self.unit_code, self.organ_name, self.organ_id)


class DraftFields(BaseModel):
    type: Annotated[str, Field(min_length=1, max_length=32), AfterValidator(check_line)] | None = None
    subject: Subject | None = None
    signer: Username | None = Field(None, description="the signing leader's username (a manager over the unit)")
    signer_position: Line | None = None
    signer_name: Annotated[str, Field(min_length=1, max_length=50), AfterValidator(check_line)] | None = None
    reviewer: Username | None = Field(None, description="the head of the drafting unit; none: straight to the signer")
    signing_prefix: Annotated[str, Field(max_length=5), AfterValidator(check_line)] | None = Field(
        None, description="TM., KT., TL., TUQ., Q. (none: the head signs)"
    )
    authority_title: Line | None = Field(None, description="after the prefix: CHI CỤC TRƯỞNG")
    delegation: Annotated[str, Field(max_length=500), AfterValidator(check_line)] | None = None
    drafter_notation: Annotated[str, Field(max_length=20), AfterValidator(check_line)] | None = None
    secrecy: Level | None = None
    urgency: Level | None = None
    relates_kind: LinkKind | None = Field(None, description="this draft revokes, replaces or updates …")
    relates_to: Id | None = Field(None, description="… this released document (frozen at release)")
    reply_due: WorkDate | None = Field(
        None, description="hạn trả lời asked of the recipients (today to 5 years ahead; null: none); DueDate"
    )
    recipients: Annotated[list[RecipientIn], Field(max_length=MAX_RECIPIENTS)] | None = None

    def values(self) -> dict:  # type: ignore[type-arg]
        found = self.model_dump(exclude_unset=True, exclude={"type", "recipients"})
        if "type" in self.model_fields_set:
            found["type_key"] = self.type
        return found


class DraftIn(DraftFields):
    unit_code: Code = Field(description="the issuing unit (a unit with a seal)")
    drafting_unit_code: Code | None = Field(None, description="the drafter's unit inside it (default: the same)")
    type: Annotated[str, Field(min_length=1, max_length=32), AfterValidator(check_line)]
    subject: Subject
    signer: Username
    signer_position: Line
    signer_name: Annotated[str, Field(min_length=1, max_length=50), AfterValidator(check_line)]
    file: FileIn | None = Field(None, description="version 1 (PDF or an Office file, base64)")
    note: Text | None = None


class VersionIn(BaseModel):
    file: FileIn
    note: Text | None = None


class CommentIn(BaseModel):
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    version: Annotated[int, Field(ge=1, le=10000)] | None = None


class StepIn(BaseModel):
    note: Text | None = None


class ReturnIn(BaseModel):
    note: Annotated[str, Field(min_length=1, max_length=2000)]


class ReleaseIn(BaseModel):
    series_code: Annotated[str, Field(max_length=32), AfterValidator(check_line)] | None = None
    place: Annotated[str, Field(max_length=50), AfterValidator(check_line)] | None = None


class RevocationIn(BaseModel):
    kind: LinkKind = LinkKind.REVOKES
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    by_document_id: Id | None = Field(None, description="the replacing or updating document (released)")


class VersionOut(BaseModel):
    version: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    note: str | None
    url: str


class CommentOut(BaseModel):
    version: int | None
    at: datetime
    by_user: str
    body: str


class StepOut(BaseModel):
    step: str
    from_state: str
    to_state: str
    at: datetime
    by_user: str
    note: str | None


class RecipientOut(BaseModel):
    unit_code: str | None
    organ_name: str | None
    organ_id: str | None


class DraftOut(BaseModel):
    id: int
    unit_code: str
    drafting_unit_code: str
    drafter_notation: str | None
    type_key: str
    type_name_vi: str
    subject: str
    secrecy: int
    urgency: int
    created_by: str
    created_at: datetime
    reviewer: str | None
    signer: str
    signing_prefix: str | None
    authority_title: str | None
    signer_position: str
    signer_name: str
    delegation: str | None
    state: str = Field(description="drafting | reviewing | signing | approved | returned | released")
    relates_kind: str | None
    relates_to: int | None
    document_id: int | None = Field(description="the released document")
    released_at: datetime | None
    reply_due: date | None = Field(description="hạn trả lời: the released document's due date")
    signature_block: list[str] = Field(description="KT. CHI CỤC TRƯỞNG / PHÓ CHI CỤC TRƯỞNG / name")
    to_places: str = Field(description="the nơi nhận block")
    versions: list[VersionOut]
    comments: list[CommentOut]
    steps: list[StepOut]
    recipients: list[RecipientOut]

    @classmethod
    def of(cls, d: Draft) -> DraftOut:
        simple = {
            k: getattr(d, k) for k in cls.model_fields if k not in ("versions", "comments", "steps", "recipients")
        }
        return cls(
            **simple,
            versions=[
                VersionOut(**{k: getattr(v, k) for k in VersionOut.model_fields if k != "url"},
                           url=f"/api/v1/documents/drafts/{d.id}/versions/{v.version}")
                for v in d.versions
            ],
            comments=[CommentOut(**{k: getattr(c, k) for k in CommentOut.model_fields}) for c in d.comments],
            steps=[StepOut(**{k: getattr(s, k) for k in StepOut.model_fields}) for s in d.steps],
            recipients=[RecipientOut(**{k: getattr(r, k) for k in RecipientOut.model_fields}) for r in d.recipients],
        )  # fmt: skip


class InboxOut(BaseModel):
    waiting_for: Literal["review", "sign", "release", "edit", "others"]
    draft: DraftOut

    @classmethod
    def of(cls, item: InboxItem) -> InboxOut:
        return cls(waiting_for=item.waiting_for, draft=DraftOut.of(item.draft))  # type: ignore[arg-type]


class ReleasedOut(BaseModel):
    number_line: str = Field(description="Số: 15/QĐ-HQKV2")
    draft: DraftOut

    @classmethod
    def of(cls, item: ReleasedDraft) -> ReleasedOut:
        return cls(number_line=item.number_line, draft=DraftOut.of(item.draft))


class LinkOut(BaseModel):
    id: int
    kind: str
    target_id: int = Field(description="the original (frozen)")
    document_id: int | None = Field(description="the revoking, replacing or updating document")
    reason: str
    at: datetime
    by_user: str

    @classmethod
    def of(cls, link: DocumentLink) -> LinkOut:
        return cls(**{k: getattr(link, k) for k in cls.model_fields})

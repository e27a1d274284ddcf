"""REST for outgoing documents before release (issue 15 item 3) under /api/v1/documents: drafts, versions,
comments, the chain (submit, forward, approve, return), release, and revocation / replacement / update of
a released document. Each route names its action (hub.documents.access); the service checks the draft's
participants and turns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.api.limits import BodyLimits
from hub.documents import access
from hub.documents.files import PREVIEWABLE
from hub.documents.outgoing.models import (
    DocumentLink,
    Draft,
    InboxItem,
    LinkKind,
    Recipient,
    ReleasedDraft,
    SigningPrefix,
)
from hub.documents.outgoing.service import MAX_INBOX, MAX_RECIPIENTS, OutgoingService
from hub.documents.schemas import DocumentOut, FileIn
from hub.inputs import Code, Id, ShortText, Text, check_line

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
DraftId = Annotated[Id, Path(description="the draft's id")]
Level = Annotated[int, Field(ge=0, le=3)]
Line = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(check_line)]
Username = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(check_line)]
Subject = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]


def _outgoing(request: Request) -> OutgoingService:
    return request.app.state.services.outgoing  # type: ignore[no-any-return]


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


def outgoing_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.get("/signing-prefixes", openapi_extra=access.REFERENCE.route(), response_model=list[PrefixOut])
    def prefixes(request: Request) -> list[PrefixOut]:
        """The signing prefixes of Decree 30 Appendix I §II.7 (TM., KT., TL., TUQ., Q.), as data."""
        return [PrefixOut.of(p) for p in _outgoing(request).prefixes()]

    @router.post(
        "/drafts", openapi_extra=access.DRAFT.route(), response_model=DraftOut, status_code=201,
        max_body_size=limits.upload,
    )  # fmt: skip
    def create(request: Request, body: DraftIn, principal: CurrentPrincipal) -> DraftOut:
        """A new draft (anyone of the drafting unit), with its first version when a file is given."""
        values = body.values() | {"type_key": body.type}
        for key in ("unit_code", "drafting_unit_code", "file", "note"):
            values.pop(key, None)
        saved = _outgoing(request).create(
            principal, body.unit_code, drafting_unit_code=body.drafting_unit_code, **values,
            recipients=[r.spec() for r in body.recipients or []], file=body.file.upload() if body.file else None,
            note=body.note, client_ip=client_ip(request),
        )  # fmt: skip
        return DraftOut.of(saved)

    @router.get("/drafts", openapi_extra=access.DRAFT.route(), response_model=list[InboxOut])
    def inbox(
        request: Request, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=MAX_INBOX)] = 100
    ) -> list[InboxOut]:
        """The approval inbox: drafts waiting for the caller (review, sign, release, edit) and their own."""
        return [InboxOut.of(i) for i in _outgoing(request).inbox(principal, limit=limit)]

    @router.get("/drafts/released", openapi_extra=access.DRAFT.route(), response_model=list[ReleasedOut])
    def released(
        request: Request, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=MAX_INBOX)] = 100
    ) -> list[ReleasedOut]:
        """The released drafts the caller took part in, newest first, each with its number."""
        return [ReleasedOut.of(i) for i in _outgoing(request).released(principal, limit=limit)]

    @router.get("/drafts/{draft_id}", openapi_extra=access.DRAFT.route(), response_model=DraftOut)
    def draft(request: Request, draft_id: DraftId, principal: CurrentPrincipal) -> DraftOut:
        """One draft with its versions, comments, steps and recipients (its participants only)."""
        return DraftOut.of(_outgoing(request).draft(principal, draft_id))

    @router.patch("/drafts/{draft_id}", openapi_extra=access.DRAFT.route(), response_model=DraftOut)
    def edit(request: Request, draft_id: DraftId, body: DraftFields, principal: CurrentPrincipal) -> DraftOut:
        """Change a draft's details (the drafter, while drafting or returned)."""
        recipients = None if body.recipients is None else [r.spec() for r in body.recipients]
        saved = _outgoing(request).edit(
            principal, draft_id, recipients=recipients, client_ip=client_ip(request), **body.values()
        )
        return DraftOut.of(saved)

    @router.post(
        "/drafts/{draft_id}/versions", openapi_extra=access.DRAFT.route(), response_model=DraftOut, status_code=201,
        max_body_size=limits.upload,
    )  # fmt: skip
    def version(request: Request, draft_id: DraftId, body: VersionIn, principal: CurrentPrincipal) -> DraftOut:
        """A new version of the draft's file (the drafter, while drafting or returned)."""
        saved = _outgoing(request).add_version(
            principal, draft_id, body.file.upload(), note=body.note, client_ip=client_ip(request)
        )
        return DraftOut.of(saved)

    @router.get("/drafts/{draft_id}/versions/{version}", openapi_extra=access.DRAFT.route(), response_class=Response)
    def version_file(
        request: Request, draft_id: DraftId, version: Annotated[int, Path(ge=1, le=10000)], principal: CurrentPrincipal
    ) -> Response:
        """A version's file: PDFs inline (the browser's preview), other files as a download."""
        found, data = _outgoing(request).version_file(principal, draft_id, version)
        disposition = "inline" if found.content_type in PREVIEWABLE else "attachment"
        return Response(
            data, media_type=found.content_type,
            headers={
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(found.filename)}",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            },
        )  # fmt: skip

    @router.post("/drafts/{draft_id}/comments", openapi_extra=access.DRAFT.route(), response_model=DraftOut)
    def comment(request: Request, draft_id: DraftId, body: CommentIn, principal: CurrentPrincipal) -> DraftOut:
        """A comment on the draft or one of its versions (its participants, until release)."""
        return DraftOut.of(
            _outgoing(request).comment(
                principal, draft_id, body.body, version=body.version, client_ip=client_ip(request)
            )
        )

    @router.post("/drafts/{draft_id}/submit", openapi_extra=access.DRAFT.route(), response_model=DraftOut)
    def submit(request: Request, draft_id: DraftId, body: StepIn, principal: CurrentPrincipal) -> DraftOut:
        """The drafter submits: to the head of the unit (or the signer when there is no reviewer)."""
        return DraftOut.of(_outgoing(request).submit(principal, draft_id, note=body.note, client_ip=client_ip(request)))

    @router.post("/drafts/{draft_id}/forward", openapi_extra=access.REVIEW_DRAFT.route(), response_model=DraftOut)
    def forward(request: Request, draft_id: DraftId, body: StepIn, principal: CurrentPrincipal) -> DraftOut:
        """The head of the drafting unit passes it to the signing leader."""
        return DraftOut.of(
            _outgoing(request).forward(principal, draft_id, note=body.note, client_ip=client_ip(request))
        )

    @router.post("/drafts/{draft_id}/approve", openapi_extra=access.SIGN_DRAFT.route(), response_model=DraftOut)
    def approve(request: Request, draft_id: DraftId, body: StepIn, principal: CurrentPrincipal) -> DraftOut:
        """The signing leader approves it for release."""
        return DraftOut.of(
            _outgoing(request).approve(principal, draft_id, note=body.note, client_ip=client_ip(request))
        )

    @router.post("/drafts/{draft_id}/return", openapi_extra=access.DRAFT.route(), response_model=DraftOut)
    def return_(request: Request, draft_id: DraftId, body: ReturnIn, principal: CurrentPrincipal) -> DraftOut:
        """Back to the drafter, with the reason (the reviewer, the signer or the văn thư, at their step)."""
        return DraftOut.of(
            _outgoing(request).return_(principal, draft_id, note=body.note, client_ip=client_ip(request))
        )

    @router.post(
        "/drafts/{draft_id}/release", openapi_extra=access.RELEASE.route(), response_model=DocumentOut, status_code=201
    )
    def release(request: Request, draft_id: DraftId, body: ReleaseIn, principal: CurrentPrincipal) -> DocumentOut:
        """The văn thư releases an approved draft: the number is taken now, the PDF signed, recipients served."""
        saved = _outgoing(request).release(
            principal, draft_id, series_code=body.series_code, place=body.place, client_ip=client_ip(request)
        )
        return DocumentOut.of(saved)

    @router.post(
        "/entries/{document_id}/revocation", openapi_extra=access.REVOKE.route(), response_model=LinkOut,
        status_code=201,
    )  # fmt: skip
    def revoke(
        request: Request, document_id: Annotated[Id, Path()], body: RevocationIn, principal: CurrentPrincipal
    ) -> LinkOut:
        """Revoke a released outgoing document, or record the one replacing or updating it: the original and
        its delivered copies are frozen (a second time: 409)."""
        link = _outgoing(request).revoke(
            principal, document_id, reason=body.reason, kind=body.kind, by_document_id=body.by_document_id,
            client_ip=client_ip(request),
        )  # fmt: skip
        return LinkOut.of(link)

    @router.get(
        "/entries/{document_id}/links", openapi_extra=access.READ_DOCUMENT.route(), response_model=list[LinkOut]
    )
    def links(request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> list[LinkOut]:
        """The document's trail: what revoked, replaced or updated it, and what it did to others."""
        return [LinkOut.of(x) for x in _outgoing(request).links(principal, document_id)]

    return router

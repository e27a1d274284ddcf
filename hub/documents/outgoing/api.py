"""REST for outgoing documents before release (issue 15 item 3) under /api/v1/documents: drafts, versions,
comments, the chain (submit, forward, approve, return), release, and revocation / replacement / update of
a released document. Each route names its action (hub.documents.access); the service checks the draft's
participants and turns. The bodies and answers are in hub.documents.outgoing.schemas."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.api.limits import BodyLimits
from hub.documents import access
from hub.documents.files import PREVIEWABLE
from hub.documents.outgoing.schemas import (
    CommentIn,
    DraftFields,
    DraftIn,
    DraftOut,
    InboxOut,
    LinkOut,
    PrefixOut,
    ReleasedOut,
    ReleaseIn,
    ReturnIn,
    RevocationIn,
    StepIn,
    VersionIn,
)
from hub.documents.outgoing.service import MAX_INBOX, OutgoingService
from hub.documents.schemas import DocumentOut
from hub.inputs import Id

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
DraftId = Annotated[Id, Path(description="the draft's id")]


def _outgoing(request: Request) -> OutgoingService:
    return request.app.state.services.outgoing  # type: ignore[no-any-return]


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

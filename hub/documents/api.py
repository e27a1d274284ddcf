"""REST for documents under /api/v1/documents (issue 15 item 1): the types, the series, a unit's
notation and place, registering an incoming or outgoing document (taking its number), and reading a
register. Who may call what: hub.documents.access (the route table in hub.api.auth lists these
routes; the service checks the unit scope)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.api.limits import BodyLimits
from hub.documents import access
from hub.documents.files import PREVIEWABLE
from hub.documents.schemas import (
    DocumentOut,
    FileTextOut,
    IncomingIn,
    IssuerIn,
    IssuerOut,
    OutgoingIn,
    RegisterOut,
    RegisterPageOut,
    SeriesIn,
    SeriesOut,
    TypeOut,
)
from hub.documents.service import MAX_PAGE, DocumentsService
from hub.inputs import Code, Id, Offset, Year

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitCode = Annotated[Code, Path(description="the unit's code (a unit with a seal)")]
SeriesCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="the series' code (den, di, mat, sao)")]


def _documents(request: Request) -> DocumentsService:
    return request.app.state.services.documents  # type: ignore[no-any-return]


def documents_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1/documents", tags=["documents"])

    @router.get("/types", openapi_extra=access.REFERENCE.route(), response_model=list[TypeOut])
    def types(request: Request) -> list[TypeOut]:
        """The 29 document types of Decree 30 and the copy forms, with their abbreviations (case-sensitive)."""
        return [TypeOut.of(t) for t in _documents(request).types()]

    @router.get("/series", openapi_extra=access.REFERENCE.route(), response_model=list[SeriesOut])
    def series(request: Request, unit: Annotated[Code | None, Query()] = None) -> list[SeriesOut]:
        """Every series (defaults and units' own), or with `unit` the series that unit uses."""
        return [SeriesOut.of(s) for s in _documents(request).series(unit)]

    @router.put("/series", openapi_extra=access.CONFIGURE.route(), response_model=SeriesOut)
    def set_series(request: Request, body: SeriesIn, principal: CurrentPrincipal) -> SeriesOut:
        """Add or change a series (a unit's own: office admin over it; the default: system admin)."""
        values = body.model_dump(exclude={"unit_code"})
        saved = _documents(request).set_series(principal, body.unit_code, **values, client_ip=client_ip(request))
        return SeriesOut.of(saved)

    @router.put("/issuers/{unit_code}", openapi_extra=access.CONFIGURE.route(), response_model=IssuerOut)
    def set_issuer(request: Request, unit_code: UnitCode, body: IssuerIn, principal: CurrentPrincipal) -> IssuerOut:
        """How the unit writes itself in symbols and the place of its date line."""
        saved = _documents(request).set_issuer(
            principal, unit_code, body.notation, body.place, client_ip=client_ip(request)
        )
        return IssuerOut(unit_code=saved.unit_code, notation=saved.notation, place=saved.place)

    @router.post(
        "/incoming", openapi_extra=access.REGISTER.route(), response_model=DocumentOut, status_code=201,
        max_body_size=limits.upload,
    )  # fmt: skip
    def incoming(request: Request, body: IncomingIn, principal: CurrentPrincipal) -> DocumentOut:
        """Register a received document: the unit's next số đến of the year, with its Appendix VI metadata
        and files (base64; PDF, scans, Office files; sniffed, size-limited, virus-scanned)."""
        values = body.model_dump(exclude={"unit_code", "type", "files"})
        saved = _documents(request).register_incoming(
            principal, body.unit_code, type_key=body.type, **values, files=[f.upload() for f in body.files],
            client_ip=client_ip(request),
        )  # fmt: skip
        return DocumentOut.of(saved)

    @router.post("/outgoing", openapi_extra=access.REGISTER.route(), response_model=DocumentOut, status_code=201)
    def outgoing(request: Request, body: OutgoingIn, principal: CurrentPrincipal) -> DocumentOut:
        """Release an outgoing document: its number in its series this year, its symbol and date line."""
        saved = _documents(request).register_outgoing(
            principal, body.unit_code, type_key=body.type, subject=body.subject, drafter=body.drafter,
            place=body.place, secrecy=body.secrecy, urgency=body.urgency, series_code=body.series_code,
            recipients=body.recipients, client_ip=client_ip(request),
        )  # fmt: skip
        return DocumentOut.of(saved)

    @router.get("/registers/{unit_code}/{year}", openapi_extra=access.READ.route(), response_model=list[RegisterOut])
    def registers(request: Request, unit_code: UnitCode, year: Year, principal: CurrentPrincipal) -> list[RegisterOut]:
        """The unit's registers of the year, with the last number taken in each."""
        return [RegisterOut.of(r) for r in _documents(request).registers(principal, unit_code, year)]

    @router.get(
        "/registers/{unit_code}/{year}/{series_code}", openapi_extra=access.READ.route(), response_model=RegisterPageOut
    )
    def register_page(
        request: Request, unit_code: UnitCode, year: Year, series_code: SeriesCode, principal: CurrentPrincipal,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50, offset: Annotated[Offset, Query()] = 0,
    ) -> RegisterPageOut:  # fmt: skip
        """A page of one register in number order."""
        page = _documents(request).register_page(principal, unit_code, year, series_code, limit=limit, offset=offset)
        return RegisterPageOut(
            book=RegisterOut.of(page.register), total=page.total, entries=[DocumentOut.of(d) for d in page.entries]
        )

    @router.get("/entries/{document_id}", openapi_extra=access.READ_DOCUMENT.route(), response_model=DocumentOut)
    def entry(request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> DocumentOut:
        """One registered document with its files (văn thư or manager over its unit, or one of its handlers)."""
        return DocumentOut.of(_documents(request).document(principal, document_id, client_ip=client_ip(request)))

    @router.get(
        "/entries/{document_id}/files/{file_id}", openapi_extra=access.READ_DOCUMENT.route(), response_class=Response
    )
    def entry_file(
        request: Request, document_id: Annotated[Id, Path()], file_id: Annotated[Id, Path()],
        principal: CurrentPrincipal, download: bool = False,
    ) -> Response:  # fmt: skip
        """The file: PDFs and images inline (the browser's preview), other files as a download. A secret document's
        PDF or image carries the viewer's name, unit and time; Office: 409. Each opening audited."""
        found, data = _documents(request).file(principal, document_id, file_id, client_ip=client_ip(request))
        inline = found.content_type in PREVIEWABLE and not download
        name = quote(found.filename)
        return Response(
            data, media_type=found.content_type,
            headers={
                "Content-Disposition": f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{name}",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
                "Cache-Control": "private, max-age=3600",
            },
        )  # fmt: skip

    @router.get(
        "/entries/{document_id}/files/{file_id}/text", openapi_extra=access.READ_DOCUMENT.route(),
        response_model=FileTextOut,
    )  # fmt: skip
    def entry_file_text(
        request: Request, document_id: Annotated[Id, Path()], file_id: Annotated[Id, Path()],
        principal: CurrentPrincipal,
    ) -> FileTextOut:  # fmt: skip
        """The text read from the file (a PDF's text layer or OCR); null while the job has not read it."""
        text = _documents(request).file_text(principal, document_id, file_id, client_ip=client_ip(request))
        return FileTextOut(text=text)

    return router

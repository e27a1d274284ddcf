"""REST for documents under /api/v1/documents (issue 15 item 1): the types, the series, a unit's
notation and place, registering an incoming or outgoing document (taking its number), and reading a
register. Who may call what: hub.documents.access (the route table in hub.api.auth lists these
routes; the service checks the unit scope)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.api.limits import BodyLimits
from hub.documents import access
from hub.documents.files import MAX_FILES, PREVIEWABLE, Upload, sniff
from hub.documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    Register,
    Series,
    SeriesKind,
)
from hub.documents.service import MAX_PAGE, DocumentsService
from hub.inputs import Code, Id, Offset, ShortText, WorkDate, Year, check_line

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitCode = Annotated[Code, Path(description="the unit's code (a unit with a seal)")]
SeriesCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="the series' code (den, di, mat, sao)")]
Level = Annotated[int, Field(ge=0, le=3)]
Subject = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]
MAX_UPLOAD_B64 = 1400 * 1024 * 1024  # base64 of the largest file setting (1 GB); the body limit is the real cap


def _documents(request: Request) -> DocumentsService:
    return request.app.state.services.documents  # type: ignore[no-any-return]


class TypeOut(BaseModel):
    key: str
    abbreviation: str | None
    name_vi: str
    name_en: str
    category: str
    valid_from: date | None
    valid_to: date | None
    basis: str

    @classmethod
    def of(cls, t: DocumentType) -> TypeOut:
        return cls(**{k: getattr(t, k) for k in cls.model_fields})


class SeriesIn(BaseModel):
    unit_code: Code | None = Field(None, description="the unit whose own series this is; none: every unit's default")
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$"), AfterValidator(check_line)]
    kind: SeriesKind
    name_vi: ShortText
    name_en: ShortText
    notation_typed: Annotated[str, Field(max_length=60), AfterValidator(check_line)] | None = None
    notation_untyped: Annotated[str, Field(max_length=60), AfterValidator(check_line)] | None = None
    valid_from: WorkDate | None = None
    valid_to: WorkDate | None = None
    basis: ShortText | None = None


class SeriesOut(BaseModel):
    id: int
    unit_id: int | None
    code: str
    kind: SeriesKind
    name_vi: str
    name_en: str
    notation_typed: str
    notation_untyped: str
    valid_from: date | None
    valid_to: date | None
    basis: str | None

    @classmethod
    def of(cls, s: Series) -> SeriesOut:
        return cls(**{k: getattr(s, k) for k in cls.model_fields})


class IssuerIn(BaseModel):
    notation: Annotated[
        str,
        Field(min_length=1, max_length=20, description="how symbols name the unit: HQKV2"),
        AfterValidator(check_line),
    ]
    place: Annotated[
        str, Field(min_length=1, max_length=50, description="the date line's place: Hà Nội"), AfterValidator(check_line)
    ]


class IssuerOut(BaseModel):
    unit_code: str
    notation: str
    place: str | None


class FileIn(BaseModel):
    """A file as base64: its type is sniffed from the bytes (PDF, JPEG, PNG, TIFF, Office), not declared."""

    name: Annotated[str, Field(min_length=1, max_length=255), AfterValidator(check_line)]
    data_base64: Annotated[str, Field(min_length=1, max_length=MAX_UPLOAD_B64)]

    @field_validator("data_base64")
    @classmethod
    def _a_document_file(cls, value: str) -> str:
        """Refused here, naming the field: not base64, or bytes of no accepted kind (the service checks the
        name's extension, the size and the virus scan)."""
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("attachment_base64", "must be base64") from None
        if sniff(data) is None:
            raise PydanticCustomError("document_file_kind", "must be a PDF, a scan or an Office file") from None
        return value

    def upload(self) -> Upload:
        return Upload(self.name, base64.b64decode(self.data_base64))


class IncomingIn(BaseModel):
    unit_code: Code
    type: Annotated[
        str,
        Field(min_length=1, max_length=32, description="type key or abbreviation (QĐ, cong_van)"),
        AfterValidator(check_line),
    ]
    code_number: Annotated[
        str, Field(min_length=1, max_length=11, description="the sender's number"), AfterValidator(check_line)
    ]
    code_notation: Annotated[
        str, Field(min_length=1, max_length=30, description="the sender's symbol"), AfterValidator(check_line)
    ]
    organ_name: Annotated[
        str, Field(min_length=1, max_length=200, description="the issuing organ"), AfterValidator(check_line)
    ]
    issued_date: WorkDate
    subject: Subject
    secrecy: Level = 0
    urgency: Level = 0
    series_code: Annotated[str, Field(max_length=32), AfterValidator(check_line)] | None = None
    arrival_date: WorkDate | None = Field(None, description="ngày đến (default today)")
    language: Annotated[str, Field(max_length=30), AfterValidator(check_line)] | None = None
    page_amount: Annotated[int, Field(ge=1, le=999)] | None = None
    description: Annotated[str, Field(max_length=500), AfterValidator(check_line)] | None = None
    signer_position: Annotated[str, Field(max_length=100), AfterValidator(check_line)] | None = None
    signer_name: Annotated[str, Field(max_length=50), AfterValidator(check_line)] | None = None
    to_places: Annotated[str, Field(max_length=1000), AfterValidator(check_line)] | None = None
    due_date: WorkDate | None = Field(None, description="the sender's due date for a reply (DueDate)")
    organ_id: Annotated[str, Field(max_length=64), AfterValidator(check_line)] | None = None
    files: Annotated[list[FileIn], Field(max_length=MAX_FILES)] = []


class OutgoingIn(BaseModel):
    unit_code: Code
    recipients: Annotated[
        list[Code], Field(max_length=200, description="other CCES units: it arrives in their incoming registers")
    ] = []
    type: Annotated[
        str,
        Field(min_length=1, max_length=32, description="type key or abbreviation (QĐ, cong_van)"),
        AfterValidator(check_line),
    ]
    subject: Subject
    drafter: (
        Annotated[
            str, Field(max_length=20, description="the drafting unit's notation (VP)"), AfterValidator(check_line)
        ]
        | None
    ) = None
    place: Annotated[str, Field(max_length=50), AfterValidator(check_line)] | None = None
    secrecy: Level = 0
    urgency: Level = 0
    series_code: Annotated[str, Field(max_length=32), AfterValidator(check_line)] | None = None


class SignatureOut(BaseModel):
    """A signature found on a PDF, checked on upload (pyHanko): who signed and whether it holds."""

    signer: str
    signer_name: str | None
    issuer: str | None
    signed_at: datetime | None = Field(description="the signer's own claim")
    intact: bool = Field(description="the signed bytes are unchanged")
    valid: bool
    trusted: bool = Field(description="the certificate chains to a trusted root (signing_trust_roots)")
    coverage: str | None


class FileOut(BaseModel):
    id: int
    filename: str
    content_type: str = Field(description="sniffed from the bytes")
    size_bytes: int
    sha256: str
    text_status: str = Field(description="pending (the job has not read it) | done | failed | none (Office file)")
    text_source: str | None = Field(description="pdf (text layer) | ocr (Tesseract)")
    url: str = Field(description="the file (PDF and images shown inline in the browser)")
    signatures: list[SignatureOut] = Field([], description="a signed PDF's signatures, checked on upload")

    @classmethod
    def of(cls, document_id: int, f: DocumentFile) -> FileOut:
        url = f"/api/v1/documents/entries/{document_id}/files/{f.id}"
        signed = [SignatureOut(**{k: getattr(x, k) for k in SignatureOut.model_fields}) for x in f.signatures]
        return cls(
            **{k: getattr(f, k) for k in cls.model_fields if k not in ("url", "signatures")}, url=url, signatures=signed
        )


class DocumentOut(BaseModel):
    id: int
    unit_code: str
    year: int
    series_code: str
    number: int
    number_text: str = Field(description="01…09, 10, …")
    direction: str
    type_key: str
    type_name_vi: str
    code_number: str
    code_notation: str
    number_line: str = Field(description="Số: 05/HQKV2-VP")
    date_line: str | None = Field(description="Hà Nội, ngày 05 tháng 01 năm 2026 (outgoing)")
    issued_date: date
    organ_name: str
    subject: str
    secrecy: int
    urgency: int
    arrival_date: date | None
    registered_at: datetime
    registered_by: str
    source_id: int | None = Field(None, description="incoming: the outgoing document of another CCES unit")
    duplicates: list[int] = Field(
        [], description="incoming, on registering: earlier documents with the same số, ký hiệu and organ (a warning)"
    )
    language: str | None = None
    page_amount: int | None = None
    description: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    to_places: str | None = None
    due_date: date | None = None
    organ_id: str | None = None
    external_id: str | None = None
    register_by: date | None = Field(None, description="incoming: registered at the latest on (Art. 22)")
    registered_late: bool = Field(False, description="registered after register_by")
    marks: list[str] = Field([], description="urgency and secrecy stamps: HỎA TỐC, MẬT")
    files: list[FileOut] = []
    frozen_kind: str | None = Field(None, description="revoked | replaced | updated: it changes no more")
    frozen_at: datetime | None = None

    @classmethod
    def of(cls, d: Document) -> DocumentOut:
        values = {k: getattr(d, k) for k in cls.model_fields if k != "files"}
        return cls(**values, files=[FileOut.of(d.id, f) for f in d.files])


class FileTextOut(BaseModel):
    text: str | None


class RegisterOut(BaseModel):
    unit_code: str
    year: int
    series_code: str
    kind: SeriesKind
    name_vi: str
    name_en: str
    last_number: int

    @classmethod
    def of(cls, r: Register) -> RegisterOut:
        return cls(**{k: getattr(r, k) for k in cls.model_fields})


class RegisterPageOut(BaseModel):
    book: RegisterOut = Field(description="the register (sổ): its series and last number")
    total: int
    entries: list[DocumentOut]


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

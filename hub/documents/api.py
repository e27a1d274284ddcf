"""REST for documents under /api/v1/documents (issue 15 item 1): the types, the series, a unit's
notation and place, registering an incoming or outgoing document (taking its number), and reading a
register. Who may call what: hub.documents.access (the route table in hub.api.auth lists these
routes; the service checks the unit scope)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import AfterValidator, BaseModel, Field

from hub.accounts.principal import Principal
from hub.api.auth import client_ip, current_principal
from hub.documents import access
from hub.documents.models import (
    Document,
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

    @classmethod
    def of(cls, d: Document) -> DocumentOut:
        return cls(**{k: getattr(d, k) for k in cls.model_fields})


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


def documents_router() -> APIRouter:
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

    @router.post("/incoming", openapi_extra=access.REGISTER.route(), response_model=DocumentOut, status_code=201)
    def incoming(request: Request, body: IncomingIn, principal: CurrentPrincipal) -> DocumentOut:
        """Register a received document: the unit's next số đến of the year."""
        saved = _documents(request).register_incoming(
            principal, body.unit_code, type_key=body.type, code_number=body.code_number,
            code_notation=body.code_notation, organ_name=body.organ_name, issued_date=body.issued_date,
            subject=body.subject, secrecy=body.secrecy, urgency=body.urgency, series_code=body.series_code,
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

    @router.get("/entries/{document_id}", openapi_extra=access.READ.route(), response_model=DocumentOut)
    def entry(request: Request, document_id: Annotated[Id, Path()], principal: CurrentPrincipal) -> DocumentOut:
        """One registered document."""
        return DocumentOut.of(_documents(request).document(principal, document_id))

    return router

"""The REST shapes of the documents' core routes (hub.documents.api): types, series, issuers, registering an incoming
or outgoing document with its files, a document, a register's page — with their limits. The outgoing chain's
routes (hub.documents.outgoing.api) reuse `DocumentOut` and `FileIn`."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from hub.documents.files import MAX_FILES, Upload, sniff
from hub.documents.models import (
    Document,
    DocumentFile,
    DocumentType,
    Register,
    Series,
    SeriesKind,
)
from hub.inputs import Code, ShortText, WorkDate, check_line

Level = Annotated[int, Field(ge=0, le=3)]
Subject = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(check_line)]
MAX_UPLOAD_B64 = 1400 * 1024 * 1024  # base64 of the largest file setting (1 GB); the body limit is the real cap


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

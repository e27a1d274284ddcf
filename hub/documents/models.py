"""Document records and errors (văn bản đi/đến), and the Decree 30 number, symbol and date-line rules.

The rules are ../shared/DOMAIN.md §1.1 (Decree 30/2020/NĐ-CP Appendix I §II.3, Art. 15):
- the number below 10 takes a leading zero (`01`…`09`); `/` separates number and symbol, `-` joins
  the symbol's groups with no spaces: `Số: 15/QĐ-HQKV2`, for a công văn `Số: 05/HQKV2-VP`;
- the date line: days below 10 and the months 1 and 2 take a leading zero, months 3–12 do not:
  `Hà Nội, ngày 05 tháng 01 năm 2026`, `ngày 29 tháng 6 năm 2026`.

Every refusal says what is wrong in Vietnamese and English ("… / …"), and nothing is written then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum

from hub.domain import Conflict, Invalid, NotFound, bilingual
from hub.localtime import LOCAL_TZ as LOCAL  # the units' time zone: registration days, deadlines


class DocumentError(Invalid):
    """Input or an action the rules refuse (422 in the API); nothing was written."""


class UnknownDocumentType(DocumentError):
    pass


class UnknownSeries(DocumentError):
    pass


class UnknownRegisterUnit(NotFound, DocumentError):
    """No unit has this code (404 in the API)."""


class UnknownDocument(NotFound, DocumentError):
    """No document with this id the caller may see (404 in the API)."""


class NoSeal(DocumentError):
    """The unit has no seal, so it keeps no registers of its own."""


both = bilingual  # "vi / en"


class FrozenDocument(Conflict, DocumentError):
    """The document was revoked, replaced or updated: it changes no more (409)."""


FROZEN_WORDS = {
    "revoked": ("đã bị thu hồi", "has been revoked"),
    "replaced": ("đã bị thay thế", "has been replaced"),
    "updated": ("đã được sửa đổi, bổ sung", "has been updated"),
    "archived": ("đã nộp lưu vào lưu trữ cơ quan", "is in the agency archive"),  # hub.documents.casefiles
}


def frozen_error(document_id: int, kind: str) -> FrozenDocument:
    vi, en = FROZEN_WORDS.get(kind, ("đã bị khóa", "is frozen"))
    return FrozenDocument(
        both(
            f"văn bản {document_id} {vi} nên không thể thay đổi thêm",
            f"document {document_id} {en}, so it can no longer be changed",
        )
    )


class Direction(StrEnum):
    INCOMING = "incoming"  # văn bản đến
    OUTGOING = "outgoing"  # văn bản đi


class SeriesKind(StrEnum):
    INCOMING = "incoming"  # sổ văn bản đến (số đến)
    ADMINISTRATIVE = "administrative"  # văn bản hành chính
    SECRET = "secret"  # văn bản mật (own series, Art. 15 §2)
    COPY = "copy"  # SY, TrS, SL share one series
    OTHER = "other"  # e.g. a Hội đồng/Ban/Tổ using the agency seal: chosen by code


class Secrecy(IntEnum):
    NONE = 0
    MAT = 1  # MẬT
    TOI_MAT = 2  # TỐI MẬT
    TUYET_MAT = 3  # TUYỆT MẬT


class Urgency(IntEnum):
    NORMAL = 0
    KHAN = 1  # KHẨN
    THUONG_KHAN = 2  # THƯỢNG KHẨN
    HOA_TOC = 3  # HỎA TỐC


SECRECY_MARKS = {Secrecy.MAT: "MẬT", Secrecy.TOI_MAT: "TỐI MẬT", Secrecy.TUYET_MAT: "TUYỆT MẬT"}
URGENCY_MARKS = {Urgency.KHAN: "KHẨN", Urgency.THUONG_KHAN: "THƯỢNG KHẨN", Urgency.HOA_TOC: "HỎA TỐC"}


@dataclass(frozen=True, slots=True)
class DocumentType:
    key: str
    abbreviation: str | None  # case-sensitive; None for Công văn and Thư công
    name_vi: str
    name_en: str
    category: str  # document | copy
    valid_from: date | None
    valid_to: date | None
    basis: str

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class Series:
    id: int
    unit_id: int | None  # None: every unit with a seal
    code: str
    kind: SeriesKind
    name_vi: str
    name_en: str
    notation_typed: str
    notation_untyped: str
    valid_from: date | None
    valid_to: date | None
    basis: str | None

    @property
    def direction(self) -> Direction:
        return Direction.INCOMING if self.kind is SeriesKind.INCOMING else Direction.OUTGOING

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class Issuer:
    """How a unit with a seal writes itself: `HQKV2` in symbols, `Hà Nội` in the date line."""

    unit_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    notation: str
    place: str | None


@dataclass(frozen=True, slots=True)
class Register:
    id: int
    unit_code: str
    year: int
    series_code: str
    kind: SeriesKind
    name_vi: str
    name_en: str
    last_number: int  # 0: nothing registered yet


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One signature of a PDF as checked: who signed, when they say, and whether it holds."""

    field_name: str | None
    signer: str  # the certificate's subject, readable ("Common Name: …, Organization: …")
    signer_name: str | None  # its common name
    issuer: str | None
    signed_at: datetime | None  # the signer's own claim (no timestamp authority here)
    intact: bool  # the signed bytes are unchanged
    valid: bool  # and the signature checks out
    trusted: bool  # and the certificate chains to a trusted root
    coverage: str | None
    summary: str

    @property
    def holds(self) -> bool:
        return self.intact and self.valid


@dataclass(frozen=True, slots=True)
class DocumentFile:
    """A file of a document in the content-addressed store, with the text read from it (or not yet)."""

    id: int
    document_id: int
    sha256: str
    filename: str
    content_type: str  # sniffed from the bytes
    size_bytes: int
    uploaded_by: str
    uploaded_at: datetime
    text_status: str  # pending (the job has not read it yet) | done | failed | none (an Office file)
    text_source: str | None  # pdf | ocr
    text_error: str | None = None
    signatures: tuple[SignatureCheck, ...] = ()  # a PDF's signatures as checked on upload (hub.documents.signatures)


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    unit_code: str
    year: int
    series_code: str
    number: int
    direction: Direction
    type_key: str
    type_name_vi: str
    code_number: str
    code_notation: str
    issued_date: date
    organ_name: str
    subject: str
    place: str | None
    drafter: str | None
    secrecy: Secrecy
    urgency: Urgency
    arrival_date: date | None
    registered_at: datetime
    registered_by: str
    source_id: int | None = None  # incoming: the outgoing document of another CCES unit it is
    duplicates: tuple[int, ...] = ()  # incoming: earlier ones with the same số, ký hiệu, organ (a warning)
    # Decree 30 Appendix VI Part II, incoming documents (migration 0503)
    language: str | None = None
    page_amount: int | None = None
    description: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    to_places: str | None = None
    due_date: date | None = None  # the sender's DueDate
    organ_id: str | None = None  # the issuing organ's electronic id (000.00.00.G12)
    external_id: str | None = None  # edXML DocumentId
    register_by: date | None = None  # incoming: the arrival day, or the next working day (Art. 22)
    files: tuple[DocumentFile, ...] = ()
    frozen_at: datetime | None = None  # revoked, replaced or updated (migration 0505): no further change
    frozen_kind: str | None = None  # revoked | replaced | updated | archived (hub.documents.casefiles)

    @property
    def registered_on(self) -> date:
        return self.registered_at.astimezone(LOCAL).date()

    @property
    def registered_late(self) -> bool:
        """Registered after the arrival day's next working day (Decree 30 Art. 22): the register shows it."""
        return self.register_by is not None and self.registered_on > self.register_by

    @property
    def marks(self) -> list[str]:
        """The urgency and secrecy stamps as printed: `HỎA TỐC`, `MẬT`."""
        found = [URGENCY_MARKS[self.urgency]] if self.urgency else []
        return found + ([SECRECY_MARKS[self.secrecy]] if self.secrecy else [])

    @property
    def number_text(self) -> str:
        return format_number(self.number)

    @property
    def number_line(self) -> str:
        """`Số: 05/HQKV2-VP` (outgoing: own; incoming: the sender's)."""
        return number_line(self.code_number, self.code_notation)

    @property
    def date_line(self) -> str | None:
        """`Hà Nội, ngày 05 tháng 01 năm 2026` for an outgoing document with its place."""
        return date_line(self.place, self.issued_date) if self.place else None


# --- Decree 30 formats -------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(type|issuer|drafter)\}")
_GROUP = re.compile(r"^[^\s/-]+$")


def format_number(number: int) -> str:
    """`01`…`09`, then `10`, `123`: numbers below 10 take a leading zero."""
    if number < 1:
        raise DocumentError(both("số văn bản bắt đầu từ 01", "a document number starts at 01"))
    return f"{number:02d}"


def check_pattern(pattern: str) -> str:
    """A notation pattern: groups joined by '-', each a placeholder or fixed text without spaces or '/'."""
    rest = _PLACEHOLDER.sub("X", pattern)
    if pattern and (len(pattern) > 60 or any(not _GROUP.match(g) for g in rest.split("-")) or "{" in rest):
        raise DocumentError(
            both(
                f"mẫu ký hiệu không hợp lệ: {pattern!r} (nhóm nối bằng '-', dùng {{type}}, {{issuer}}, {{drafter}})",
                f"invalid notation pattern: {pattern!r} (groups joined by '-': {{type}}, {{issuer}}, {{drafter}})",
            )
        )
    return pattern


def notation(pattern: str, *, type_abbreviation: str | None, issuer: str, drafter: str | None) -> str:
    """The symbol (ký hiệu) from a series pattern: `QĐ-HQKV2`, `HQKV2-VP`; empty groups are left out."""
    values = {"type": type_abbreviation or "", "issuer": issuer, "drafter": drafter or ""}
    groups = [_PLACEHOLDER.sub(lambda m: values[m.group(1)], g) for g in pattern.split("-")]
    text = "-".join(g for g in groups if g)
    if len(text) > 30:
        raise DocumentError(
            both(f"ký hiệu quá dài (tối đa 30 ký tự): {text}", f"symbol too long (at most 30 characters): {text}")
        )
    return text


def number_and_symbol(number: int | str, symbol: str) -> str:
    """`05/HQKV2-VP`: `/` between number and symbol, no spaces."""
    text = format_number(number) if isinstance(number, int) else number
    return f"{text}/{symbol}" if symbol else text


def number_line(number: int | str, symbol: str) -> str:
    """`Số: 15/QĐ-HQKV2`."""
    return f"Số: {number_and_symbol(number, symbol)}"


def date_text(day: date) -> str:
    """`ngày 05 tháng 01 năm 2026`, `ngày 29 tháng 6 năm 2026`: days below 10 and months 1–2 padded."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: date) -> str:
    """`Hà Nội, ngày 05 tháng 01 năm 2026`."""
    return f"{place}, {date_text(day)}"

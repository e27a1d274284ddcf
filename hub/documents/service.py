"""The documents service: registers and numbers (issue 15 item 1). Transactions, access and audit live here.

Taking a number: in the registering transaction the register's counter row (`document_registers`,
one per unit with a seal, year and series) is locked with SELECT … FOR UPDATE, incremented, and the
document inserted; the commit releases it. Fifty clerks registering at once therefore queue on that
row and get consecutive numbers; a transaction that fails after taking its number rolls the counter
back with it, so the next clerk gets that number and the register has no gap. A database sequence
would not give either guarantee (a sequence never rolls back).

The year is the registration day's year in the unit's time zone (Asia/Ho_Chi_Minh): the first
registration on 1 January opens that year's register, which starts at 01.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.access import require_system_admin
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access, intake
from hub.documents import repository as repo
from hub.documents.casefiles.service import CaseFilesService
from hub.documents.files import FileRules, Upload
from hub.documents.handling.service import HandlingService
from hub.documents.indexing import document_entry
from hub.documents.models import (
    Direction,
    Document,
    DocumentError,
    DocumentFile,
    DocumentType,
    Issuer,
    NoSeal,
    Register,
    Secrecy,
    Series,
    SeriesKind,
    UnknownDocument,
    UnknownDocumentType,
    UnknownRegisterUnit,
    UnknownSeries,
    Urgency,
    both,
    check_pattern,
    format_number,
    notation,
)
from hub.documents.printouts.service import PrintoutsService
from hub.documents.secrecy import rules as secrecy_rules
from hub.documents.secrecy import watermark
from hub.documents.secrecy.service import SecrecyService, record_opening
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ as LOCAL
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig
from hub.search import index as search_index

_NOTATION_GROUP = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ.]{1,20}$")
_SERIES_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class RegisterPage:
    register: Register
    entries: list[Document]
    total: int


def _text(value: str | None, field_vi: str, field_en: str, limit: int, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise DocumentError(both(f"thiếu {field_vi}", f"{field_en} is required"))
        return None
    if len(text) > limit or any(ord(c) < 32 for c in text):
        raise DocumentError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


def _group(value: str | None, field_vi: str, field_en: str) -> str | None:
    text = (value or "").strip() or None
    if text is not None and not _NOTATION_GROUP.match(text):
        raise DocumentError(
            both(
                f"{field_vi} chỉ gồm chữ, số và dấu chấm, tối đa 20 ký tự, không dấu cách, '/' hay '-': {text!r}",
                f"{field_en} is letters, digits and dots, at most 20, no spaces, '/' or '-': {text!r}",
            )
        )
    return text


class DocumentsService:
    def __init__(
        self, pool: ConnectionPool, clock: Callable[[], datetime], *, file_rules: FileRules | None = None,
        store: ContentStore | None = None, work_dir: Path | None = None,
        notify_config: NotifyConfig = DEFAULT_NOTIFY,
    ) -> None:  # fmt: skip
        self.pool = pool
        self.clock = clock
        # the files of documents (hub.runtime attaches them from the settings; None: no files taken)
        self.file_rules = file_rules
        self.store = store
        self.work_dir = work_dir  # where the virus scanner's temporary copy goes (the data dir)
        self.defer_text: Callable[[], object] | None = None  # asks the job queue to read new files' text now
        # the leader's instruction and its follow-up; its handlers may read the document and its files
        self.handling = HandlingService(pool, clock, notify_config=notify_config)
        self.handler_check: Callable[[psycopg.Connection, Principal, int], bool] | None = self.handling.handles
        self.secrecy = SecrecyService(pool, clock)  # clearances and grants of secret documents (issue 15 item 6)
        self.printouts = PrintoutsService(pool, clock)  # register books, status by deadline (issue 15 item 8)
        self.casefiles = CaseFilesService(pool, clock, self)  # case files and the archive (issue 15 item 7)

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    # --- reference data -------------------------------------------------------------------------------

    def types(self) -> list[DocumentType]:
        with self.pool.connection() as conn:
            return repo.document_types(conn)

    def series(self, unit_code: str | None = None) -> list[Series]:
        """Every series row (defaults and units' own), or the series one unit uses."""
        with self.pool.connection() as conn:
            if unit_code is None:
                return repo.all_series(conn)
            found, _ = self._unit(conn, unit_code)
            return repo.series_of_unit(conn, found.unit_id)

    def set_series(
        self, principal: Principal, unit_code: str | None, *, code: str, kind: SeriesKind | str, name_vi: str,
        name_en: str, notation_typed: str | None = None, notation_untyped: str | None = None,
        valid_from: date | None = None, valid_to: date | None = None, basis: str | None = None,
        client_ip: str | None = None,
    ) -> Series:  # fmt: skip
        """Add or change a series: a unit's own (office admin over it) or the default of every unit with
        a seal (system admin). Numbers already taken are not touched."""
        kind = _series_kind(kind)
        if not _SERIES_CODE.match(code or ""):
            raise DocumentError(
                both(f"mã sổ không hợp lệ: {code!r} (a-z, 0-9, _)", f"invalid series code: {code!r} (a-z, 0-9, _)")
            )
        if valid_from and valid_to and valid_to <= valid_from:
            raise DocumentError(both("ngày hết hiệu lực phải sau ngày hiệu lực", "valid_to must be after valid_from"))
        values = {
            "code": code,
            "kind": kind.value,
            "name_vi": _text(name_vi, "tên sổ", "series name (Vietnamese)", 200),
            "name_en": _text(name_en, "tên sổ tiếng Anh", "series name (English)", 200),
            "notation_typed": check_pattern("{type}-{issuer}" if notation_typed is None else notation_typed.strip()),
            "notation_untyped": check_pattern(
                "{issuer}-{drafter}" if notation_untyped is None else notation_untyped.strip()
            ),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "basis": _text(basis, "căn cứ", "basis", 200, required=False),
        }
        with self.pool.connection() as conn, conn.transaction():
            unit_id: int | None = None
            unit_path: str | None = None
            if unit_code is None:
                require_system_admin(principal, "đặt sổ mặc định / set the default series")
            else:
                found, _ = self._unit(conn, unit_code, seal=True)
                gate.check(principal, access.CONFIGURE, Target.unit(found.unit_path))
                unit_id, unit_path = found.unit_id, found.unit_path
            saved = repo.upsert_series(conn, unit_id, values)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.series_set", "document_series", saved.id,
                after=saved, unit_path=unit_path,
            )  # fmt: skip
            return saved

    def set_issuer(
        self, principal: Principal, unit_code: str, notation_text: str, place: str, *, client_ip: str | None = None
    ) -> Issuer:
        """How a unit writes itself in symbols (`HQKV2`) and its date line's place (`Hà Nội`)."""
        group = _group(notation_text, "ký hiệu đơn vị", "the unit's notation")
        if group is None:
            raise DocumentError(both("thiếu ký hiệu đơn vị", "the unit's notation is required"))
        where = _text(place, "địa danh", "place", 50)
        assert where is not None
        with self.pool.connection() as conn, conn.transaction():
            found, _ = self._unit(conn, unit_code, seal=True)
            gate.check(principal, access.CONFIGURE, Target.unit(found.unit_path))
            repo.set_issuer(conn, found.unit_id, group, where)
            after, _ = self._unit(conn, unit_code)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.issuer_set", "document_issuer", found.unit_id,
                before=found, after=after, unit_path=found.unit_path,
            )  # fmt: skip
            return after

    def registering_units(self, principal: Principal) -> list[tuple[str, str]]:
        """(code, name) of the units with a seal the principal registers documents in (văn thư over them)."""
        reach = gate.reach(principal, access.REGISTER)
        with self.pool.connection() as conn:
            return repo.sealed_units(conn, None if reach is None else list(reach))

    def next_number(self, principal: Principal, unit_code: str, series_code: str = "den") -> int:
        """The number the next registration in this register of this year takes (shown on the clerk's form)."""
        year = self.today().year
        return 1 + next(
            (r.last_number for r in self.registers(principal, unit_code, year) if r.series_code == series_code), 0
        )

    # --- registering ----------------------------------------------------------------------------------

    def register_incoming(
        self, principal: Principal, unit_code: str, *, type_key: str, code_number: str, code_notation: str,
        organ_name: str, issued_date: date, subject: str, secrecy: int = 0, urgency: int = 0,
        series_code: str | None = None, arrival_date: date | None = None, language: str | None = None,
        page_amount: int | None = None, description: str | None = None, signer_position: str | None = None,
        signer_name: str | None = None, to_places: str | None = None, due_date: date | None = None,
        organ_id: str | None = None, external_id: str | None = None, files: Sequence[Upload] = (),
        client_ip: str | None = None, fail_after_number: Callable[[psycopg.Connection], Any] | None = None,
    ) -> Document:  # fmt: skip
        """Register a received document in the unit's incoming register: the next số đến of the year.

        Metadata of Decree 30 Appendix VI (hub.documents.intake); `arrival_date` (ngày đến) defaults to
        today, and registering after its next working day is late (shown in the register, never refused).
        `files` (PDF, scans, Office files) are checked, scanned and stored before the number is taken;
        their text is read afterwards by the job `documents.read_text` (pypdf, Tesseract OCR).
        `external_id`: the edXML DocumentId of a document received through the exchange."""
        today = self.today()
        values = {
            "direction": Direction.INCOMING.value,
            "code_number": _text(code_number, "số văn bản đến", "the sender's number", 11),
            "code_notation": _text(code_notation, "ký hiệu văn bản đến", "the sender's symbol", 30),
            "organ_name": _text(organ_name, "cơ quan ban hành", "issuing organ", 200),
            "subject": _text(subject, "trích yếu", "subject", 500),
            "issued_date": issued_date,
            "place": None,
            "drafter": None,
            "secrecy": _secrecy(secrecy).value,
            "urgency": _urgency(urgency).value,
        } | intake.metadata(
            today=today, issued_date=issued_date, arrival_date=arrival_date, language=language,
            page_amount=page_amount, description=description, signer_position=signer_position,
            signer_name=signer_name, to_places=to_places, due_date=due_date, organ_id=organ_id,
            external_id=external_id,
        )  # fmt: skip
        stored = intake.check_and_store(files, self.file_rules, self.store, self.work_dir)
        with self.pool.connection() as conn:
            with conn.transaction():
                found, _ = self._unit(conn, unit_code, seal=True)
                gate.check(principal, access.REGISTER, Target.unit(found.unit_path))
                doc_type = self._type(conn, type_key, issued_date)
                series = self._pick_series(conn, found, Direction.INCOMING, doc_type, Secrecy.NONE, series_code, today)
                values["register_by"] = intake.register_by(intake.load_calendar(conn), values["arrival_date"])
                saved = self._register(
                    conn, principal, client_ip, found, series, today, values | {"type_key": doc_type.key}, None,
                    fail_after_number,
                )  # fmt: skip
                pending = intake.attach(conn, saved.id, stored, principal.username, self.clock())
                if stored:
                    saved = replace(saved, files=tuple(repo.files_of(conn, saved.id)))
        if pending and self.defer_text is not None:
            self.defer_text()  # after the commit: the job reads what is pending (a periodic run catches a miss)
        return saved

    def register_outgoing(
        self, principal: Principal, unit_code: str, *, type_key: str, subject: str, drafter: str | None = None,
        place: str | None = None, secrecy: int = 0, urgency: int = 0, series_code: str | None = None,
        recipients: Sequence[str] = (), client_ip: str | None = None,
        fail_after_number: Callable[[psycopg.Connection], Any] | None = None,
    ) -> Document:  # fmt: skip
        """Release an outgoing document: the next number of its series this year, its symbol and date line.

        The series: `series_code` if given; else the copies series for SY/TrS/SL, the secret series for
        a document marked mật or above, the administrative series otherwise.

        `recipients`: codes of other CCES units with a seal (nơi nhận trong ngành); the document arrives in
        each one's incoming register by itself, in this transaction (their số đến taken in code order)."""
        with self.pool.connection() as conn, conn.transaction():
            sent, _ = self.release_in(
                conn, principal, unit_code, type_key=type_key, subject=subject, drafter=drafter, place=place,
                secrecy=secrecy, urgency=urgency, series_code=series_code, recipients=recipients,
                client_ip=client_ip, fail_after_number=fail_after_number,
            )  # fmt: skip
            return sent

    def release_in(
        self, conn: psycopg.Connection, principal: Principal, unit_code: str, *, type_key: str, subject: str,
        drafter: str | None = None, place: str | None = None, secrecy: int = 0, urgency: int = 0,
        series_code: str | None = None, recipients: Sequence[str] = (), metadata: dict[str, Any] | None = None,
        client_ip: str | None = None, fail_after_number: Callable[[psycopg.Connection], Any] | None = None,
        before_insert: Callable[[str, str], None] | None = None,
    ) -> tuple[Document, list[Document]]:  # fmt: skip
        """`register_outgoing` inside the caller's transaction (a draft's release, hub.documents.outgoing):
        the sent document and the incoming entries delivered to the recipients. `metadata`: Appendix VI
        fields (signer_position, signer_name, to_places, …). `before_insert(number_and_symbol, place)` runs
        after the number is taken and before anything is written with it (signing the PDF): a refusal
        there rolls the number back with the transaction."""
        if len(recipients) > 200 or len(set(recipients)) != len(recipients):
            raise DocumentError(
                both("nơi nhận trùng nhau hoặc quá 200 đơn vị", "recipients repeat or exceed 200 units")
            )
        today = self.today()
        group = _group(drafter, "đơn vị soạn thảo", "drafting unit")
        level = _secrecy(secrecy)
        values = {
            "direction": Direction.OUTGOING.value,
            "subject": _text(subject, "trích yếu", "subject", 500),
            "issued_date": today,
            "drafter": group,
            "secrecy": level.value,
            "urgency": _urgency(urgency).value,
            "arrival_date": None,
        } | (metadata or {})
        where = _text(place, "địa danh", "place", 50, required=False)
        found, _ = self._unit(conn, unit_code, seal=True)
        gate.check(principal, access.REGISTER, Target.unit(found.unit_path))
        where = where or found.place
        if where is None:
            raise DocumentError(
                both(
                    f"đơn vị {found.unit_code} chưa khai báo địa danh cho dòng ngày tháng",
                    f"unit {found.unit_code} has no place set for the date line",
                )
            )
        doc_type = self._type(conn, type_key, today)
        series = self._pick_series(conn, found, Direction.OUTGOING, doc_type, level, series_code, today)
        pattern = series.notation_typed if doc_type.abbreviation else series.notation_untyped
        symbol = notation(pattern, type_abbreviation=doc_type.abbreviation, issuer=found.notation, drafter=group)
        values |= {"type_key": doc_type.key, "code_notation": symbol, "organ_name": found.unit_name, "place": where}
        receivers = [self._unit(conn, code, seal=True)[0] for code in sorted(recipients)]
        if any(r.unit_id == found.unit_id for r in receivers):
            raise DocumentError(
                both("đơn vị không gửi văn bản cho chính mình", "a unit does not send a document to itself")
            )
        incoming = {r.unit_id: self._pick_series(conn, r, Direction.INCOMING, doc_type, level, None, today)
                    for r in receivers}  # fmt: skip
        sent = self._register(
            conn, principal, client_ip, found, series, today, values, symbol, fail_after_number, before_insert
        )
        delivered = []
        for receiver in receivers:  # in code order: two releases never wait on each other's registers
            delivered.append(self._register(
                conn, principal, client_ip, receiver, incoming[receiver.unit_id], today,
                values | {"direction": Direction.INCOMING.value, "code_number": sent.code_number,
                          "organ_name": found.unit_name, "place": None, "drafter": None, "arrival_date": today,
                          "source_id": sent.id},
                None, None,
            ))  # fmt: skip
        return sent, delivered

    def _register(
        self, conn: psycopg.Connection, principal: Principal, client_ip: str | None, found: Issuer, series: Series,
        today: date, values: dict[str, Any], symbol: str | None,
        fail_after_number: Callable[[psycopg.Connection], Any] | None,
        before_insert: Callable[[str, str], None] | None = None,
    ) -> Document:  # fmt: skip
        register_id, number = repo.take_number(conn, found.unit_id, today.year, series.code)
        if fail_after_number is not None:
            fail_after_number(conn)  # tests: a transaction failing after taking its number
        if values["direction"] == Direction.OUTGOING.value:
            values["code_number"] = format_number(number)
            if before_insert is not None:
                before_insert(f"{values['code_number']}/{symbol}" if symbol else values["code_number"], values["place"])
        document_id = repo.insert_document(
            conn,
            values
            | {
                "register_id": register_id,
                "number": number,
                "registered_at": self.clock(),
                "registered_by": principal.username,
            },
        )
        saved = repo.document(conn, document_id)
        assert saved is not None
        if saved.direction is Direction.INCOMING:  # warn the văn thư, never refuse (Decree 30 Appendix VI)
            same = repo.incoming_duplicates(
                conn, found.unit_id, saved.code_number, saved.code_notation, saved.organ_name, before=saved.id
            )
            saved = replace(saved, duplicates=tuple(same))
        audit.record(
            conn, Actor.of(principal, client_ip),
            "documents.register_incoming" if values["direction"] == "incoming" else "documents.register_outgoing",
            "document",
            document_id, after={"series": series.code, "year": today.year, "number": number, "symbol": symbol,
                                "type": values["type_key"], "secrecy": values["secrecy"]},
            unit_path=found.unit_path,
        )  # fmt: skip
        search_index.put(conn, document_entry(saved, found))  # in this transaction: found once committed
        return saved

    # --- reading --------------------------------------------------------------------------------------

    def registers(self, principal: Principal, unit_code: str, year: int) -> list[Register]:
        """The unit's registers of a year: every series it uses, with the last number taken (0: none)."""
        with self.pool.connection() as conn:
            found, _ = self._unit(conn, unit_code, seal=True)
            gate.check(principal, access.READ, Target.unit(found.unit_path))
            counters = repo.register_counters(conn, found.unit_id, year)
            return [_register(found, year, s, counters) for s in repo.series_of_unit(conn, found.unit_id)]

    def register_page(
        self, principal: Principal, unit_code: str, year: int, series_code: str, *, limit: int = 50, offset: int = 0
    ) -> RegisterPage:
        """A page of one register in number order (a secret entry only for those cleared and involved,
        hub.documents.secrecy)."""
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise DocumentError(both(f"trang từ 1 đến {MAX_PAGE} dòng", f"a page holds 1 to {MAX_PAGE} rows"))
        with self.pool.connection() as conn:
            found, _ = self._unit(conn, unit_code, seal=True)
            gate.check(principal, access.READ, Target.unit(found.unit_path))
            series = self._series_by_code(conn, found, series_code)
            entries, total = repo.register_entries(
                conn, found.unit_id, year, series.code, limit=limit, offset=offset,
                secret_ids=secrecy_rules.visible_secret_ids(conn, principal, found.unit_id),
            )  # fmt: skip
            register = _register(found, year, series, repo.register_counters(conn, found.unit_id, year))
            return RegisterPage(register, entries, total)

    def document(self, principal: Principal, document_id: int, *, client_ip: str | None = None) -> Document:
        """One document with its files: for văn thư or managers over its unit, and for its handlers; a
        secret one only for those cleared and involved (hub.documents.secrecy), each opening audited."""
        with self.pool.connection() as conn:
            return self._visible(conn, principal, document_id, "document", client_ip=client_ip)

    def file(
        self, principal: Principal, document_id: int, file_id: int, *, client_ip: str | None = None
    ) -> tuple[DocumentFile, bytes]:
        """A file of a document the caller may see, and its bytes (for the browser's preview or download).
        A secret document's PDF comes with the viewer's name and the time stamped on every page."""
        with self.pool.connection() as conn:
            found = self._visible(conn, principal, document_id, "file", file_id, client_ip=client_ip)
        for f in found.files:
            if f.id == file_id and self.store is not None:
                data = self.store.get(f.sha256)
                if found.secrecy and f.content_type == "application/pdf":
                    data = watermark.stamp(
                        data,
                        watermark.watermark_text(principal.display_name, principal.username, self.clock(),
                                                 found.secrecy),
                    )  # fmt: skip
                return f, data
        raise UnknownDocument(
            both(f"văn bản {document_id} không có tệp {file_id}", f"document {document_id} has no file {file_id}")
        )

    def file_text(
        self, principal: Principal, document_id: int, file_id: int, *, client_ip: str | None = None
    ) -> str | None:
        """The text read from a file (None while the job has not read it)."""
        with self.pool.connection() as conn:
            found = self._visible(conn, principal, document_id, "text", file_id, client_ip=client_ip)
            if all(f.id != file_id for f in found.files):
                raise UnknownDocument(
                    both(
                        f"văn bản {document_id} không có tệp {file_id}", f"document {document_id} has no file {file_id}"
                    )
                )
            return repo.file_text(conn, file_id)

    def _visible(
        self, conn: psycopg.Connection, principal: Principal, document_id: int, what: str = "document",
        file_id: int | None = None, *, client_ip: str | None = None,
    ) -> Document:  # fmt: skip
        missing = UnknownDocument(both(f"không có văn bản số {document_id}", f"no document {document_id}"))
        found = repo.document(conn, document_id)
        if found is None:
            raise missing
        unit, _ = self._unit(conn, found.unit_code)
        if found.secrecy:  # cleared and involved, whatever the role (hub.documents.secrecy); every try audited
            allowed = secrecy_rules.may_see(conn, principal, document_id, found.secrecy)
            with self.pool.connection() as own, own.transaction():  # committed, also when refused below
                record_opening(own, principal, found, unit.unit_path, what, file_id, allowed=allowed,
                               client_ip=client_ip)  # fmt: skip
            if not allowed:
                raise missing
            return found
        if self.handler_check is not None and self.handler_check(conn, principal, document_id):
            return found  # a handler of the leader's instruction (hub.documents.handling)
        gate.check(principal, access.READ, Target.unit(unit.unit_path))
        return found

    # --- helpers --------------------------------------------------------------------------------------

    def _unit(self, conn: psycopg.Connection, unit_code: str, *, seal: bool = False) -> tuple[Issuer, bool]:
        found = repo.issuer(conn, unit_code)
        if found is None:
            raise UnknownRegisterUnit(both(f"không có đơn vị {unit_code!r}", f"no unit {unit_code!r}"))
        if seal and not found[1]:
            raise NoSeal(
                both(
                    f"đơn vị {unit_code} không có con dấu riêng nên không có sổ văn bản",
                    f"unit {unit_code} has no seal of its own, so it keeps no registers",
                )
            )
        return found

    def _type(self, conn: psycopg.Connection, key: str, day: date) -> DocumentType:
        for t in repo.document_types(conn):
            if key in (t.key, t.abbreviation):  # the key, or the abbreviation (case-sensitive)
                if not t.in_force(day):
                    raise UnknownDocumentType(
                        both(f"loại văn bản {t.name_vi} hết hiệu lực", f"document type {t.name_en} is not in force")
                    )
                return t
        raise UnknownDocumentType(
            both(
                f"không có loại văn bản {key!r} (viết tắt phân biệt hoa thường, ví dụ QĐ, QyĐ, TTr)",
                f"no document type {key!r} (abbreviations are case-sensitive, e.g. QĐ, QyĐ, TTr)",
            )
        )

    def _series_by_code(self, conn: psycopg.Connection, found: Issuer, code: str) -> Series:
        for s in repo.series_of_unit(conn, found.unit_id):
            if s.code == code:
                return s
        raise UnknownSeries(
            both(f"đơn vị {found.unit_code} không có sổ {code!r}", f"unit {found.unit_code} has no series {code!r}")
        )

    def _pick_series(
        self, conn: psycopg.Connection, found: Issuer, direction: Direction, doc_type: DocumentType,
        level: Secrecy, code: str | None, day: date,
    ) -> Series:  # fmt: skip
        if code is not None:
            series = self._series_by_code(conn, found, code)
        else:
            kind = (
                SeriesKind.INCOMING
                if direction is Direction.INCOMING
                else SeriesKind.COPY
                if doc_type.category == "copy"
                else SeriesKind.SECRET
                if level > Secrecy.NONE
                else SeriesKind.ADMINISTRATIVE
            )
            candidates = [s for s in repo.series_of_unit(conn, found.unit_id) if s.kind is kind and s.in_force(day)]
            if not candidates:
                raise UnknownSeries(
                    both(
                        f"đơn vị {found.unit_code} chưa có sổ loại {kind.value} đang hiệu lực",
                        f"unit {found.unit_code} has no {kind.value} series in force",
                    )
                )
            series = candidates[0]
        if not series.in_force(day):
            raise UnknownSeries(both(f"sổ {series.code} hết hiệu lực", f"series {series.code} is not in force"))
        if series.direction is not direction:
            raise UnknownSeries(
                both(
                    f"sổ {series.code} không dùng cho văn bản {'đến' if direction is Direction.INCOMING else 'đi'}",
                    f"series {series.code} is not for {direction.value} documents",
                )
            )
        if (series.kind is SeriesKind.COPY) != (doc_type.category == "copy") and direction is Direction.OUTGOING:
            raise UnknownSeries(
                both(
                    "bản sao (SY, TrS, SL) vào sổ bản sao, văn bản khác không vào sổ này",
                    "copies (SY, TrS, SL) go to the copies series, and only they do",
                )
            )
        if series.kind is SeriesKind.ADMINISTRATIVE and level > Secrecy.NONE:
            raise UnknownSeries(both("văn bản mật có sổ riêng", "secret documents have their own series"))
        return series


def _register(found: Issuer, year: int, series: Series, counters: dict[str, tuple[int, int]]) -> Register:
    register_id, last = counters.get(series.code, (0, 0))
    return Register(register_id, found.unit_code, year, series.code, series.kind, series.name_vi, series.name_en, last)


def _series_kind(value: SeriesKind | str) -> SeriesKind:
    try:
        return SeriesKind(value)
    except ValueError:
        raise DocumentError(both(f"loại sổ không hợp lệ: {value!r}", f"invalid series kind: {value!r}")) from None


def _secrecy(value: int) -> Secrecy:
    try:
        return Secrecy(value)
    except ValueError:
        raise DocumentError(
            both("độ mật từ 0 (thường) đến 3 (tuyệt mật)", "secrecy is 0 (none) to 3 (tuyệt mật)")
        ) from None


def _urgency(value: int) -> Urgency:
    try:
        return Urgency(value)
    except ValueError:
        raise DocumentError(
            both("độ khẩn từ 0 (thường) đến 3 (hỏa tốc)", "urgency is 0 (normal) to 3 (hỏa tốc)")
        ) from None

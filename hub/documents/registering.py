"""Registering documents and taking their numbers (issue 15 items 1–3): incoming, outgoing, and the release
of an outgoing draft with its internal delivery; the checks of their input. The number is taken under the
register's locked counter (see hub.documents.service); DocumentsService composes this part."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access, intake
from hub.documents import repository as repo
from hub.documents.files import FileRules, Upload
from hub.documents.handling.service import HandlingService
from hub.documents.indexing import document_entry
from hub.documents.models import (
    Direction,
    Document,
    DocumentError,
    DocumentType,
    Issuer,
    NoSeal,
    Register,
    Secrecy,
    Series,
    SeriesKind,
    UnknownDocumentType,
    UnknownRegisterUnit,
    UnknownSeries,
    Urgency,
    both,
    format_number,
    notation,
)
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ as LOCAL
from hub.search import index as search_index

_NOTATION_GROUP = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ.]{1,20}$")
_SERIES_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_PAGE = 500


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


class Registering:
    """Taking numbers: the registering transactions and the unit, type and series they resolve."""

    pool: ConnectionPool
    clock: Callable[[], datetime]
    file_rules: FileRules | None
    store: ContentStore | None
    work_dir: Path | None
    defer_text: Callable[[], object] | None
    handling: HandlingService

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

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

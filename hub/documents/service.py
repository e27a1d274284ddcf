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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.access import require_system_admin
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access
from hub.documents import repository as repo
from hub.documents.casefiles.service import CaseFilesService
from hub.documents.files import FileRules
from hub.documents.handling.service import HandlingService
from hub.documents.models import (
    Document,
    DocumentError,
    DocumentFile,
    DocumentType,
    Issuer,
    Register,
    Series,
    SeriesKind,
    UnknownDocument,
    both,
    check_pattern,
)
from hub.documents.printouts.service import PrintoutsService
from hub.documents.registering import (
    _SERIES_CODE,
    MAX_PAGE,
    Registering,
    _group,
    _register,
    _series_kind,
    _text,
)
from hub.documents.secrecy import downloads
from hub.documents.secrecy import repository as secrecy_repo
from hub.documents.secrecy import rules as secrecy_rules
from hub.documents.secrecy.service import SecrecyService, record_opening
from hub.files import ContentStore
from hub.localtime import LOCAL_TZ as LOCAL
from hub.notifications.models import DEFAULT_NOTIFY, NotifyConfig

__all__ = ["LOCAL", "MAX_PAGE", "DocumentsService", "RegisterPage", "_group", "_text"]


@dataclass(frozen=True, slots=True)
class RegisterPage:
    register: Register
    entries: list[Document]
    total: int


class DocumentsService(Registering):
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
        self.casefiles.notify_config = notify_config  # its hand-over warnings (hub.notifications)

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
        A secret document's PDF or image comes stamped with the viewer's name, unit and the time; its Office file
        is refused (409, hub.documents.secrecy.downloads)."""
        with self.pool.connection() as conn:
            found = self._visible(conn, principal, document_id, "file", file_id, client_ip=client_ip)
            unit = secrecy_repo.unit_name(conn, principal.employee_unit_path) if principal.employee_unit_path else None
        for f in found.files:
            if f.id == file_id and self.store is not None:
                text = downloads.viewer_text(principal.display_name, principal.username, unit, self.clock(),
                                             found.secrecy)  # fmt: skip
                return f, downloads.handed_out(self.store.get(f.sha256), f.content_type, found.secrecy, text)
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

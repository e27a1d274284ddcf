"""What the case-file service's parts stand on: input checks, the unit, who keeps and who reads a file,
loading files and the documents a caller may open (hub.documents.casefiles.service composes the parts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import AccessDenied, Target, gate
from hub.accounts.principal import Principal
from hub.documents import access as documents_access
from hub.documents import repository as documents_repo
from hub.documents.casefiles import access
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.models import (
    CaseFile,
    CaseFileConflict,
    CaseFileError,
    FileList,
    Retention,
    Rules,
    State,
    UnknownCaseFile,
    both,
)
from hub.documents.handling.service import member_paths
from hub.documents.models import LOCAL, UnknownDocument
from hub.documents.secrecy import rules as secrecy_rules

if TYPE_CHECKING:
    from hub.documents.service import DocumentsService

_CODE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-/]{0,39}$")
_HEADING_CODE = re.compile(r"^[0-9A-Za-zĐđÀ-ỹ]{1,20}$")
MAX_ITEMS = 10_000
MAX_IDS = 500


def _text(value: str | None, field_vi: str, field_en: str, limit: int, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise CaseFileError(both(f"thiếu {field_vi}", f"{field_en} is required"))
        return None
    if len(text) > limit or any(ord(c) < 32 for c in text):
        raise CaseFileError(
            both(
                f"{field_vi} quá dài (tối đa {limit} ký tự) hoặc có ký tự điều khiển",
                f"{field_en} is longer than {limit} characters or holds control characters",
            )
        )
    return text


def _count(value: int | None, field_vi: str, field_en: str, limit: int) -> int | None:
    if value is None:
        return None
    if not 0 <= value <= limit:
        raise CaseFileError(both(f"{field_vi} từ 0 đến {limit}", f"{field_en} is 0 to {limit}"))
    return value


class CaseFilesBase:
    """The pool, the clock, the documents service, and the checks every part uses."""

    def __init__(
        self, pool: ConnectionPool, clock: Callable[[], datetime], documents: DocumentsService | None = None
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.documents = documents  # its content store (other files) and its handler check

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    def retentions(self) -> list[Retention]:
        with self.pool.connection() as conn:
            return repo.retentions(conn)

    def rules(self) -> Rules:
        with self.pool.connection() as conn:
            return repo.rules(conn)

    def _unit(self, conn: psycopg.Connection, unit_code: str) -> tuple[int, str, str, str]:
        found = repo.unit(conn, unit_code)
        if found is None:
            raise UnknownCaseFile(both(f"không có đơn vị {unit_code!r}", f"no unit {unit_code!r}"))
        return found

    def _unit_code(self, conn: psycopg.Connection, unit_id: int) -> str:
        return repo.unit_code(conn, unit_id)

    def _keeper(self, principal: Principal, unit_path: str) -> bool:
        """văn thư or lãnh đạo over the unit (or system admin)."""
        return gate.allows_on(principal, access.SUBMIT, Target.unit(unit_path))

    def _member(self, principal: Principal, unit_path: str) -> bool:
        return any(p.startswith(unit_path) for p in member_paths(principal))

    def _may_read(self, principal: Principal, f: CaseFile) -> bool:
        return (
            (bool(principal.user_id) and f.owner_id == principal.user_id)
            or self._keeper(principal, f.unit_path)
            or self._member(principal, f.unit_path)
        )

    def _check_read(self, principal: Principal, unit_path: str, *, missing: Exception | None = None) -> None:
        gate.check(principal, access.READ_FILES)
        if not (self._keeper(principal, unit_path) or self._member(principal, unit_path)):
            if missing is not None:
                raise missing
            raise AccessDenied(both("không thuộc đơn vị này", "not of this unit"))

    def _missing(self, file_id: int) -> UnknownCaseFile:
        return UnknownCaseFile(both(f"không có hồ sơ {file_id}", f"no case file {file_id}"))

    def _draft_list(
        self, conn: psycopg.Connection, principal: Principal, unit_code: str, year: int, *, create: bool = True
    ) -> tuple[tuple[int, str, str, str], FileList]:
        unit = self._unit(conn, unit_code)
        gate.check(principal, access.EDIT_LIST, Target.unit(unit[3]))
        if not 1990 <= year <= 2200:
            raise CaseFileError(both("năm từ 1990 đến 2200", "the year is 1990 to 2200"))
        if create:
            repo.insert_list(conn, unit[0], year, principal.username, self.clock())
        found = repo.file_list(conn, unit[0], year, lock=True)
        if found is None:
            raise UnknownCaseFile(
                both(f"{unit_code} chưa có danh mục năm {year}", f"{unit_code} has no list of {year}")
            )
        if found.approved:
            raise CaseFileConflict(
                both("danh mục hồ sơ đã được duyệt, không sửa được", "the file list is approved, it cannot change")
            )
        return unit, found

    def _retention(self, conn: psycopg.Connection, code: str) -> Retention:
        for r in repo.retentions(conn):
            if r.code == code:
                return r
        raise CaseFileError(
            both(f"không có thời hạn bảo quản {code!r} (vinh_vien, 70, 20, 10, 5 …)",
                 f"no retention {code!r} (vinh_vien, 70, 20, 10, 5 …)")
        )  # fmt: skip

    def _visible(self, conn: psycopg.Connection, principal: Principal) -> set[int]:
        return set(secrecy_rules.visible_secret_ids(conn, principal))

    def _load(self, conn: psycopg.Connection, principal: Principal, file_id: int) -> CaseFile:
        found = repo.case_file(conn, file_id, visible=self._visible(conn, principal))
        assert found is not None
        return found

    def _load_locked(self, conn: psycopg.Connection, file_id: int) -> CaseFile:
        found = repo.case_file(conn, file_id, lock=True)
        if found is None:
            raise self._missing(file_id)
        return found

    def _keepable(self, conn: psycopg.Connection, principal: Principal, file_id: int) -> CaseFile:
        """The open file, locked, if the caller keeps it (its owner) or is văn thư or lãnh đạo over its unit."""
        gate.check(principal, access.KEEP)
        found = self._load_locked(conn, file_id)
        owner = bool(principal.user_id) and found.owner_id == principal.user_id
        if not owner and not self._keeper(principal, found.unit_path):
            if not self._may_read(principal, found):
                raise self._missing(file_id)
            raise AccessDenied(
                both("chỉ người lập hồ sơ, văn thư hoặc lãnh đạo đơn vị", "only its keeper, văn thư or lãnh đạo")
            )
        if found.state is State.ARCHIVED:
            raise CaseFileConflict(
                both(f"hồ sơ {found.code} đã nộp lưu vào lưu trữ cơ quan, không thay đổi được",
                     f"file {found.code} is in the agency archive, it can no longer be changed")
            )  # fmt: skip
        if found.state is not State.OPEN:
            raise CaseFileConflict(
                both(
                    f"hồ sơ {found.code} đã kết thúc, không thay đổi được",
                    f"file {found.code} is closed, it cannot change",
                )
            )
        return found

    def _document(self, conn: psycopg.Connection, principal: Principal, document_id: int) -> Any:
        """The document, if the caller may open it (as hub.documents.service decides); else not found."""
        missing = UnknownDocument(both(f"không có văn bản số {document_id}", f"no document {document_id}"))
        doc = documents_repo.document(conn, document_id)
        if doc is None:
            raise missing
        if doc.secrecy:
            if not secrecy_rules.may_see(conn, principal, document_id, doc.secrecy):
                raise missing
            return doc
        handler = self.documents.handler_check if self.documents is not None else None
        if handler is not None and handler(conn, principal, document_id):
            return doc
        path = documents_repo.unit_path(conn, doc.unit_code)
        if path is None or not gate.allows_on(principal, documents_access.READ, Target.unit(path)):
            raise missing
        return doc

    def _time_order(self, conn: psycopg.Connection, file_id: int, item_id: int) -> None:
        """Place the new item in time order among the others (after those of the same day)."""
        current = repo.items(conn, file_id, set())
        new = next(i for i in current if i.id == item_id)
        others = [i for i in current if i.id != item_id]
        at = len(others)
        if new.item_date is not None:
            for n, i in enumerate(others):
                if i.item_date is not None and i.item_date > new.item_date:
                    at = n
                    break
        ordered = [i.id for i in others]
        ordered.insert(at, item_id)
        repo.set_positions(conn, file_id, ordered)

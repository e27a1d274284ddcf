"""Case files and the hand-over to the archive (issue 15 item 7): transactions, access and audit.

The rules are hub.documents.casefiles.models (read there) and the rule book hub.documents.casefiles.access.
A case file never reveals a document to someone who may not open it: adding one needs the right to open
it (hub.documents.service: văn thư or lãnh đạo over its unit, or its handler; a secret one only for those
cleared and involved, hub.documents.secrecy), and listing a file hides the secret documents the viewer may
not open (their place only). The periods of the hand-over are data (`case_file_rules`, [U]).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import ConnectionPool

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents import access as documents_access
from hub.documents import repository as documents_repo
from hub.documents.casefiles import access, render
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.models import (
    CaseFile,
    CaseFileConflict,
    CaseFileError,
    Due,
    DueFile,
    FileList,
    Handover,
    Retention,
    Rules,
    State,
    UnknownCaseFile,
    both,
    due_date,
    due_status,
    entry_code,
)
from hub.documents.files import Upload
from hub.documents.handling.service import member_paths
from hub.documents.models import LOCAL, UnknownDocument
from hub.documents.secrecy import rules as secrecy_rules
from hub.reports.documents import ExportFile, ExportFormat, ascii_slug

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


class CaseFilesService:
    def __init__(
        self, pool: ConnectionPool, clock: Callable[[], datetime], documents: DocumentsService | None = None
    ) -> None:
        self.pool = pool
        self.clock = clock
        self.documents = documents  # its content store (other files) and its handler check

    def today(self) -> date:
        return self.clock().astimezone(LOCAL).date()

    # --- reference --------------------------------------------------------------------------------------

    def retentions(self) -> list[Retention]:
        with self.pool.connection() as conn:
            return repo.retentions(conn)

    def rules(self) -> Rules:
        with self.pool.connection() as conn:
            return repo.rules(conn)

    # --- the file list (danh mục hồ sơ) ------------------------------------------------------------------

    def file_list(self, principal: Principal, unit_code: str, year: int) -> FileList | None:
        """The unit's list of the year (None: not drafted yet)."""
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            return repo.file_list(conn, unit[0], year)

    def add_heading(
        self, principal: Principal, unit_code: str, year: int, title: str, *, code: str | None = None,
        parent_id: int | None = None, client_ip: str | None = None,
    ) -> FileList:  # fmt: skip
        """A major heading (with its abbreviation `code`, e.g. TCCB) or, under `parent_id`, a sub-heading.
        The list of the year is drafted by its first heading."""
        text = _text(title, "tên đề mục", "heading title", 300)
        with self.pool.connection() as conn, conn.transaction():
            unit, found = self._draft_list(conn, principal, unit_code, year)
            if parent_id is None:
                abbreviation = _text(code, "ký hiệu đề mục lớn (ví dụ TCCB)", "major heading code (e.g. TCCB)", 20)
                assert abbreviation is not None
                if not _HEADING_CODE.match(abbreviation):
                    raise CaseFileError(
                        both("ký hiệu đề mục: chữ và số, tối đa 20", "a heading code: letters and digits, 20 at most")
                    )  # fmt: skip
                if any(h.code == abbreviation for h in found.headings):
                    raise CaseFileConflict(
                        both(f"đã có đề mục {abbreviation}", f"heading {abbreviation} exists already")
                    )
            else:
                abbreviation = None
                if not any(h.id == parent_id and h.parent_id is None for h in found.headings):
                    raise UnknownCaseFile(both(f"không có đề mục lớn {parent_id}", f"no major heading {parent_id}"))
            heading_id = repo.add_heading(conn, found.id, parent_id, abbreviation, text or "")
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.file_list_heading", "case_file_list", found.id,
                after={"heading": heading_id, "code": abbreviation, "title": text, "parent": parent_id},
                unit_path=unit[3],
            )  # fmt: skip
            after = repo.file_list(conn, unit[0], year)
            assert after is not None
            return after

    def add_entry(
        self, principal: Principal, unit_code: str, year: int, heading_id: int, title: str, retention: str, *,
        responsible: str | None = None, note: str | None = None, client_ip: str | None = None,
    ) -> FileList:  # fmt: skip
        """A planned file under a heading: its number is the next within the major heading (`01.TCCB`)."""
        text = _text(title, "tiêu đề hồ sơ", "file title", 500)
        who = _text(responsible, "người lập hồ sơ", "file keeper", 100, required=False)
        remark = _text(note, "ghi chú", "note", 500, required=False)
        with self.pool.connection() as conn, conn.transaction():
            unit, found = self._draft_list(conn, principal, unit_code, year)
            self._retention(conn, retention)
            heading = next((h for h in found.headings if h.id == heading_id), None)
            if heading is None:
                raise UnknownCaseFile(both(f"không có đề mục {heading_id}", f"no heading {heading_id}"))
            major = (
                heading if heading.parent_id is None else next(h for h in found.headings if h.id == heading.parent_id)
            )
            assert major.code is not None
            number = repo.next_entry_number(conn, found.id, major.id)
            code = entry_code(number, major.code)
            values = {"heading_id": heading_id, "number": number, "code": code, "title": text, "retention": retention,
                      "responsible": who, "note": remark}  # fmt: skip
            entry_id = repo.add_entry(conn, found.id, values)
            if entry_id is None:
                raise CaseFileConflict(both(f"đã có hồ sơ số {code}", f"file {code} exists already"))
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.file_list_entry", "case_file_list", found.id,
                after={"entry": entry_id} | values, unit_path=unit[3],
            )  # fmt: skip
            after = repo.file_list(conn, unit[0], year)
            assert after is not None
            return after

    def remove_entry(self, principal: Principal, entry_id: int, *, client_ip: str | None = None) -> FileList:
        with self.pool.connection() as conn, conn.transaction():
            found = repo.entry(conn, entry_id)
            located = repo.list_by_id(conn, found[0]) if found else None
            if found is None or located is None:
                raise UnknownCaseFile(both(f"không có hồ sơ {entry_id} trong danh mục", f"no list entry {entry_id}"))
            code = self._unit_code(conn, located[0])
            unit, flist = self._draft_list(conn, principal, code, located[1], create=False)
            if found[1].case_file_id is not None:
                raise CaseFileConflict(
                    both("hồ sơ đã được mở, không xóa được", "the file is open, it cannot be removed")
                )
            repo.remove_entry(conn, entry_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.file_list_remove", "case_file_list", flist.id,
                before={"entry": entry_id, "code": found[1].code, "title": found[1].title}, unit_path=unit[3],
            )  # fmt: skip
            after = repo.file_list(conn, unit[0], located[1])
            assert after is not None
            return after

    def approve_list(
        self, principal: Principal, unit_code: str, year: int, decision: str | None = None, *,
        client_ip: str | None = None,
    ) -> FileList:  # fmt: skip
        """The head approves the list (at the start of the year): from now on it is read-only."""
        text = _text(decision, "quyết định ban hành", "issuing decision", 200, required=False)
        with self.pool.connection() as conn, conn.transaction():
            unit = self._unit(conn, unit_code)
            gate.check(principal, access.APPROVE_LIST, Target.unit(unit[3]))
            found = repo.file_list(conn, unit[0], year, lock=True)
            if found is None or not found.entries:
                raise CaseFileError(both("danh mục hồ sơ chưa có hồ sơ nào", "the file list holds no file yet"))
            if found.approved:
                raise CaseFileConflict(both("danh mục hồ sơ đã được duyệt", "the file list is approved already"))
            repo.approve_list(conn, found.id, principal.username, self.clock(), text)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.file_list_approve", "case_file_list", found.id,
                after={"year": year, "decision": text, "entries": len(found.entries)}, unit_path=unit[3],
            )  # fmt: skip
            after = repo.file_list(conn, unit[0], year)
            assert after is not None
            return after

    def import_list(
        self, principal: Principal, unit_code: str, year: int, rows: Sequence[Sequence[Any]], *,
        client_ip: str | None = None,
    ) -> FileList:  # fmt: skip
        """A list from a sheet's rows (hub.documents.casefiles.sheet reads the XLSX): a major heading row
        `I. TCCB | Tổ chức cán bộ`, a sub-heading row `1 | …`, a file row `01.TCCB | title | retention |
        keeper | note`. All or nothing, into a list still in draft."""
        from hub.documents.casefiles.sheet import parse_rows

        parsed = parse_rows(rows)
        with self.pool.connection() as conn, conn.transaction():
            unit, found = self._draft_list(conn, principal, unit_code, year)
            known = {r.code: r for r in repo.retentions(conn)}
            by_years = {str(r.years): r.code for r in known.values() if r.years is not None}
            majors = {h.code: h.id for h in found.headings if h.code}
            current_major: int | None = None
            current: int | None = None
            added = 0
            for line, kind, code, title, retention, keeper, note in parsed:
                if kind == "major":
                    current_major = majors.get(code) or repo.add_heading(conn, found.id, None, code, title)
                    majors[code] = current_major
                    current = current_major
                elif kind == "sub":
                    if current_major is None:
                        raise CaseFileError(both(f"dòng {line}: đề mục nhỏ trước đề mục lớn",
                                                 f"row {line}: a sub-heading before any major heading"))  # fmt: skip
                    current = repo.add_heading(conn, found.id, current_major, None, title)
                else:
                    if current is None or current_major is None:
                        raise CaseFileError(
                            both(f"dòng {line}: hồ sơ trước đề mục", f"row {line}: a file before any heading")
                        )
                    code_of = next(k for k, v in majors.items() if v == current_major)
                    number = int(code.split(".", 1)[0])
                    if code.split(".", 1)[1] != code_of:
                        raise CaseFileError(both(f"dòng {line}: {code} không thuộc đề mục {code_of}",
                                                 f"row {line}: {code} is not under heading {code_of}"))  # fmt: skip
                    ret = retention if retention in known else by_years.get(retention or "")
                    if ret is None and (retention or "").lower().replace(" ", "") in ("vĩnhviễn", "vinhvien"):
                        ret = "vinh_vien"
                    if ret is None:
                        raise CaseFileError(both(f"dòng {line}: thời hạn bảo quản {retention!r} không có",
                                                 f"row {line}: unknown retention {retention!r}"))  # fmt: skip
                    values = {"heading_id": current, "number": number, "code": entry_code(number, code_of),
                              "title": title, "retention": ret, "responsible": keeper, "note": note}  # fmt: skip
                    if repo.add_entry(conn, found.id, values) is None:
                        raise CaseFileConflict(
                            both(f"dòng {line}: đã có hồ sơ số {code}", f"row {line}: file {code} exists")
                        )
                    added += 1
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.file_list_import", "case_file_list", found.id,
                after={"year": year, "rows": len(parsed), "entries": added}, unit_path=unit[3],
            )  # fmt: skip
            after = repo.file_list(conn, unit[0], year)
            assert after is not None
            return after

    # --- case files -------------------------------------------------------------------------------------

    def open_file(
        self, principal: Principal, unit_code: str, *, entry_id: int | None = None, code: str | None = None,
        title: str | None = None, retention: str | None = None, kind: str = "general", owner: str | None = None,
        opened_on: date | None = None, note: str | None = None, client_ip: str | None = None,
    ) -> CaseFile:  # fmt: skip
        """Open a case file of the unit: from an entry of its approved list (its code, title and retention),
        or outside the list with its own code, title and retention. The owner (người lập hồ sơ) is the caller
        unless a văn thư or lãnh đạo over the unit names someone."""
        gate.check(principal, access.KEEP)
        if kind not in ("general", "construction"):
            raise CaseFileError(both("loại hồ sơ: general hoặc construction", "kind: general or construction"))
        remark = _text(note, "ghi chú", "note", 500, required=False)
        day = opened_on or self.today()
        with self.pool.connection() as conn, conn.transaction():
            unit = self._unit(conn, unit_code)
            keeper = self._keeper(principal, unit[3])
            if not keeper and not self._member(principal, unit[3]):
                raise AccessDenied(both(f"không thuộc đơn vị {unit_code}", f"not of unit {unit_code}"))
            owner_name, owner_id = principal.username, principal.user_id or None
            if owner and owner != principal.username:
                if not keeper:
                    raise AccessDenied(both("chỉ văn thư, lãnh đạo giao hồ sơ cho người khác",
                                            "only văn thư or lãnh đạo name another keeper"))  # fmt: skip
                owner_id = repo.user_id(conn, owner)
                if owner_id is None:
                    raise UnknownCaseFile(both(f"không có tài khoản {owner!r}", f"no account {owner!r}"))
                owner_name = owner
            year = day.year
            if entry_id is not None:
                found = repo.entry(conn, entry_id)
                located = repo.list_by_id(conn, found[0]) if found else None
                if found is None or located is None or located[0] != unit[0]:
                    raise UnknownCaseFile(both(f"danh mục của {unit_code} không có hồ sơ {entry_id}",
                                               f"the list of {unit_code} has no entry {entry_id}"))  # fmt: skip
                flist = repo.file_list(conn, unit[0], located[1])
                if flist is None or not flist.approved:
                    raise CaseFileConflict(both("danh mục hồ sơ chưa được duyệt", "the file list is not approved yet"))
                entry = found[1]
                code_text, title_text, retention_code, year = entry.code, entry.title, entry.retention, located[1]
            else:
                code_text = _text(code, "số và ký hiệu hồ sơ", "file code", 40)
                assert code_text is not None
                if not _CODE.match(code_text):
                    raise CaseFileError(both("số và ký hiệu hồ sơ: chữ, số, '.', '-', '/'",
                                             "a file code is letters, digits, '.', '-', '/'"))  # fmt: skip
                title_text = _text(title, "tiêu đề hồ sơ", "file title", 500)
                retention_code = _text(retention, "thời hạn bảo quản", "retention", 20)
                assert retention_code is not None
                self._retention(conn, retention_code)
            values = {
                "unit_id": unit[0], "year": year, "entry_id": entry_id, "code": code_text, "title": title_text,
                "retention": retention_code, "kind": kind, "owner_id": owner_id, "owner": owner_name,
                "opened_on": day, "opened_at": self.clock(), "note": remark,
            }  # fmt: skip
            file_id = repo.insert_case_file(conn, values)
            if file_id is None:
                raise CaseFileConflict(
                    both(f"hồ sơ {code_text} năm {year} đã được mở", f"file {code_text} of {year} is open already")
                )
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_open", "case_file", file_id,
                after={k: v for k, v in values.items() if k not in ("unit_id", "opened_at")}, unit_path=unit[3],
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def case_file(self, principal: Principal, file_id: int) -> CaseFile:
        """One case file with what it holds (a secret document the caller may not open: its place only)."""
        with self.pool.connection() as conn:
            found = repo.case_file(conn, file_id)
            if found is None:
                raise self._missing(file_id)
            if found.owner_id != principal.user_id or not principal.user_id:
                self._check_read(principal, found.unit_path, missing=self._missing(file_id))
            return self._load(conn, principal, file_id)

    def case_files(
        self, principal: Principal, unit_code: str, year: int | None = None, state: State | str | None = None
    ) -> list[CaseFile]:
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            states = (State(state).value,) if state else None
            return repo.case_files(conn, unit_id=unit[0], year=year, states=states)

    def my_files(self, principal: Principal) -> list[CaseFile]:
        """The case files the caller keeps, open ones first."""
        gate.check(principal, access.KEEP)
        if not principal.user_id:
            return []
        with self.pool.connection() as conn:
            found = repo.case_files(conn, owner_id=principal.user_id)
        return sorted(found, key=lambda f: (f.state is not State.OPEN, -f.year, f.code))

    def files_of_document(self, principal: Principal, document_id: int) -> list[CaseFile]:
        """The case files a document is in (the caller may open the document; files they may not read are left out)."""
        with self.pool.connection() as conn:
            self._document(conn, principal, document_id)
            found = repo.files_of_document(conn, document_id)
            return [f for f in found if self._may_read(principal, f)]

    def add_document(
        self, principal: Principal, file_id: int, document_id: int, *, client_ip: str | None = None
    ) -> CaseFile:
        """Put a registered document in an open case file, in time order. The caller must be able to open it."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._keepable(conn, principal, file_id)
            doc = self._document(conn, principal, document_id)
            if len(found.items) >= MAX_ITEMS:
                raise CaseFileError(
                    both(f"một hồ sơ giữ tối đa {MAX_ITEMS} mục", f"a file holds {MAX_ITEMS} items at most")
                )
            values = {"document_id": doc.id, "sha256": None, "filename": None, "content_type": None,
                      "size_bytes": None, "title": None, "item_date": None, "pages": None,
                      "added_at": self.clock(), "added_by": principal.username}  # fmt: skip
            item_id = repo.add_item(conn, file_id, values)
            if item_id is None:
                raise CaseFileConflict(
                    both(f"văn bản {document_id} đã có trong hồ sơ", f"document {document_id} is in the file already")
                )
            self._time_order(conn, file_id, item_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_add", "case_file", file_id,
                after={"document": document_id, "item": item_id}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def add_other(
        self, principal: Principal, file_id: int, upload: Upload, title: str, item_date: date, *,
        pages: int | None = None, client_ip: str | None = None,
    ) -> CaseFile:  # fmt: skip
        """Put another file (not a registered document: a note, a drawing, a spreadsheet) in an open case file."""
        text = _text(title, "tên và trích yếu tài liệu", "document title", 500)
        count = _count(pages, "số trang", "pages", 100_000)
        docs = self.documents
        if docs is None or docs.store is None or docs.file_rules is None:
            raise CaseFileError(both("máy chủ chưa cấu hình kho tệp", "the hub keeps no files (no store configured)"))
        from hub.documents import intake

        stored = intake.check_and_store([upload], docs.file_rules, docs.store, docs.work_dir)[0]
        sha, content_type, size = stored.sha256, stored.content_type, stored.size
        with self.pool.connection() as conn, conn.transaction():
            found = self._keepable(conn, principal, file_id)
            values = {"document_id": None, "sha256": sha, "filename": stored.name[:255],
                      "content_type": content_type, "size_bytes": size, "title": text, "item_date": item_date,
                      "pages": count, "added_at": self.clock(), "added_by": principal.username}  # fmt: skip
            item_id = repo.add_item(conn, file_id, values)
            assert item_id is not None
            self._time_order(conn, file_id, item_id)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_add", "case_file", file_id,
                after={"file": values["filename"], "sha256": sha, "item": item_id}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def remove_item(
        self, principal: Principal, file_id: int, item_id: int, *, client_ip: str | None = None
    ) -> CaseFile:
        with self.pool.connection() as conn, conn.transaction():
            found = self._keepable(conn, principal, file_id)
            if not repo.remove_item(conn, file_id, item_id):
                raise UnknownCaseFile(both(f"hồ sơ không có mục {item_id}", f"the file has no item {item_id}"))
            repo.set_positions(conn, file_id, [i.id for i in found.items if i.id != item_id])
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_remove", "case_file", file_id,
                before={"item": item_id}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def reorder(
        self, principal: Principal, file_id: int, item_ids: Sequence[int], *, client_ip: str | None = None
    ) -> CaseFile:
        """Set the order of everything the file holds (`item_ids`: each item once)."""
        with self.pool.connection() as conn, conn.transaction():
            found = self._keepable(conn, principal, file_id)
            if sorted(item_ids) != sorted(i.id for i in found.items):
                raise CaseFileError(
                    both("thứ tự phải nêu mỗi mục của hồ sơ đúng một lần", "the order names each item of the file once")
                )
            repo.set_positions(conn, file_id, list(item_ids))
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_order", "case_file", file_id,
                after={"order": list(item_ids)}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def close(
        self, principal: Principal, file_id: int, *, closed_on: date | None = None, pages: int | None = None,
        retention: str | None = None, note: str | None = None, client_ip: str | None = None,
    ) -> CaseFile:  # fmt: skip
        """Close the file: ngày kết thúc (default today; not before its last document), the number of
        documents, the pages (default: the sum its items give) and the retention re-assessed (default kept)."""
        count = _count(pages, "số tờ/trang", "pages", 1_000_000)
        remark = _text(note, "ghi chú", "note", 500, required=False)
        with self.pool.connection() as conn, conn.transaction():
            found = self._keepable(conn, principal, file_id)
            if not found.items:
                raise CaseFileError(both("hồ sơ chưa có văn bản nào", "the file holds nothing yet"))
            day = closed_on or self.today()
            last = max((i.item_date for i in found.items if i.item_date), default=None)
            if day < found.opened_on or (last is not None and day < last) or day > self.today():
                raise CaseFileError(
                    both("ngày kết thúc không trước ngày mở, văn bản cuối, không sau hôm nay",
                         "the end day is not before the opening or the last document, nor after today")
                )  # fmt: skip
            code = found.retention
            if retention is not None:
                code = retention
                self._retention(conn, code)
            if count is None:
                count = sum(i.pages or 0 for i in found.items) or None
            values = {"closed_on": day, "closed_at": self.clock(), "closed_by": principal.username, "pages": count,
                      "documents": len(found.items), "retention": code, "note": remark or found.note}  # fmt: skip
            repo.close_case_file(conn, file_id, values)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_close", "case_file", file_id,
                before={"retention": found.retention},
                after={k: v for k, v in values.items() if k != "closed_at"}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    def keep(
        self, principal: Principal, file_id: int, until: date | None, basis: str | None, *,
        client_ip: str | None = None,
    ) -> CaseFile:  # fmt: skip
        """Keep a closed file beyond its due day, with written approval (`basis`), at most the years the rules
        allow past the due day; `until` None ends the keeping."""
        text = _text(basis, "văn bản đồng ý", "approval", 200, required=until is not None)
        with self.pool.connection() as conn, conn.transaction():
            found = self._load_locked(conn, file_id)
            gate.check(principal, access.SUBMIT, Target.unit(found.unit_path))
            if found.state is not State.CLOSED:
                raise CaseFileConflict(
                    both("chỉ hồ sơ đã kết thúc, chưa nộp lưu", "only a closed file not handed over")
                )
            rules = repo.rules(conn)
            due = due_date(found, rules)
            assert due is not None
            limit = date(due.year + rules.max_keep_years, due.month, min(due.day, 28))
            if until is not None and not due <= until <= limit:
                raise CaseFileError(
                    both(f"giữ lại đến sau hạn nộp ({due:%d/%m/%Y}), tối đa {rules.max_keep_years} năm",
                         f"keep until after the due day ({due:%d/%m/%Y}), {rules.max_keep_years} years at most")
                )  # fmt: skip
            repo.set_keep(conn, file_id, until, text)
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_file_keep", "case_file", file_id,
                after={"until": until.isoformat() if until else None, "basis": text}, unit_path=found.unit_path,
            )  # fmt: skip
            return self._load(conn, principal, file_id)

    # --- hand-over (nộp lưu) ------------------------------------------------------------------------------

    def due(self, principal: Principal, unit_code: str, *, only: Sequence[Due] | None = None) -> list[DueFile]:
        """The unit's closed files not yet handed over, with their due day and status (soon, overdue, …)."""
        today = self.today()
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            rules = repo.rules(conn)
            found = repo.case_files(conn, unit_id=unit[0], states=("closed",), limit=100_000)
        out = []
        for f in found:
            status = due_status(f, rules, today)
            due = due_date(f, rules)
            if status is None or due is None or (only and status not in only):
                continue
            out.append(DueFile(f, due, status))
        return sorted(out, key=lambda d: (d.due_on, d.case_file.code))

    def submit(
        self, principal: Principal, unit_code: str, file_ids: Sequence[int], note: str | None = None, *,
        client_ip: str | None = None,
    ) -> Handover:  # fmt: skip
        """Hand closed files of the unit over to the archive in one batch (mục lục hồ sơ nộp lưu)."""
        ids = sorted(set(file_ids))
        if not 1 <= len(ids) <= MAX_IDS:
            raise CaseFileError(both(f"nộp từ 1 đến {MAX_IDS} hồ sơ", f"hand over 1 to {MAX_IDS} files"))
        remark = _text(note, "ghi chú", "note", 500, required=False)
        with self.pool.connection() as conn, conn.transaction():
            unit = self._unit(conn, unit_code)
            gate.check(principal, access.SUBMIT, Target.unit(unit[3]))
            found = repo.case_files(conn, unit_id=unit[0], ids=ids)
            if len(found) != len(ids):
                missing = sorted(set(ids) - {f.id for f in found})
                raise UnknownCaseFile(
                    both(f"{unit_code} không có hồ sơ {missing}", f"{unit_code} has no file {missing}")
                )
            not_closed = [f.code for f in found if f.state is not State.CLOSED]
            if not_closed:
                raise CaseFileConflict(
                    both(f"chỉ nộp hồ sơ đã kết thúc: {not_closed}", f"only closed files not handed over: {not_closed}")
                )  # fmt: skip
            handover_id = repo.insert_handover(conn, unit[0], principal.username, principal.user_id or None,
                                               self.clock(), remark)  # fmt: skip
            if repo.submit_files(conn, handover_id, ids) != len(ids):
                raise CaseFileConflict(
                    both("hồ sơ vừa thay đổi, hãy thử lại", "the files changed meanwhile, try again")
                )
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_files_submit", "case_file_handover", handover_id,
                after={"files": [f.code for f in found], "note": remark}, unit_path=unit[3],
            )  # fmt: skip
            result = repo.handover(conn, handover_id)
            assert result is not None
            return result

    def accept(self, principal: Principal, handover_id: int, *, client_ip: str | None = None) -> Handover:
        """The archive accepts a hand-over: its files and their documents are frozen from now on."""
        with self.pool.connection() as conn, conn.transaction():
            found = repo.handover(conn, handover_id, lock=True)
            if found is None:
                raise UnknownCaseFile(both(f"không có lần nộp lưu {handover_id}", f"no hand-over {handover_id}"))
            gate.check(principal, access.ACCEPT, Target.unit(found.unit_path))
            if found.accepted_at is not None:
                raise CaseFileConflict(
                    both("lưu trữ đã nhận lần nộp lưu này", "the archive accepted this hand-over already")
                )
            if found.submitted_by == principal.username:
                raise AccessDenied(
                    both("người nộp lưu không tự nhận vào lưu trữ", "who hands files over cannot accept them")
                )
            frozen = repo.accept_handover(conn, handover_id, principal.username, self.clock())
            audit.record(
                conn, Actor.of(principal, client_ip), "documents.case_files_accept", "case_file_handover", handover_id,
                after={"files": [f.code for f in found.files], "frozen_documents": len(frozen)},
                unit_path=found.unit_path,
            )  # fmt: skip
            result = repo.handover(conn, handover_id)
            assert result is not None
            return result

    def handover(self, principal: Principal, handover_id: int) -> Handover:
        with self.pool.connection() as conn:
            found = repo.handover(conn, handover_id)
            if found is None:
                raise UnknownCaseFile(both(f"không có lần nộp lưu {handover_id}", f"no hand-over {handover_id}"))
            self._check_read(principal, found.unit_path)
            return found

    def handovers(self, principal: Principal, unit_code: str) -> list[Handover]:
        with self.pool.connection() as conn:
            unit = self._unit(conn, unit_code)
            self._check_read(principal, unit[3])
            return repo.handovers(conn, unit[0])

    # --- printed forms (hub.documents.casefiles.render) ---------------------------------------------------

    def file_list_export(self, principal: Principal, unit_code: str, year: int, fmt: str) -> ExportFile:
        """Danh mục hồ sơ as PDF or XLSX."""
        found = self.file_list(principal, unit_code, year)
        if found is None:
            raise UnknownCaseFile(
                both(f"{unit_code} chưa có danh mục năm {year}", f"{unit_code} has no list of {year}")
            )
        return render.file_list(found, ExportFormat(fmt), self.clock())

    def contents_export(self, principal: Principal, file_id: int, fmt: str) -> ExportFile:
        """Mục lục văn bản trong hồ sơ as PDF or XLSX (a secret document the caller may not open: its place only)."""
        return render.contents(self.case_file(principal, file_id), ExportFormat(fmt), self.clock())

    def cover_pdf(self, principal: Principal, file_id: int) -> ExportFile:
        found = self.case_file(principal, file_id)
        return ExportFile(f"bia-ho-so-{ascii_slug(found.code)}-{found.year}.pdf", "application/pdf",
                          render.cover_pdf(found))  # fmt: skip

    def handover_export(self, principal: Principal, handover_id: int, fmt: str) -> ExportFile:
        """Mục lục hồ sơ nộp lưu as PDF or XLSX."""
        found = self.handover(principal, handover_id)
        with self.pool.connection() as conn:
            files = [repo.case_file(conn, f.id) for f in found.files]
        return render.handover_list(found, [f for f in files if f is not None], ExportFormat(fmt), self.clock())

    # --- helpers ----------------------------------------------------------------------------------------

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

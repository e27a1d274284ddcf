"""The yearly file list (danh mục hồ sơ, Decree 30 Appendix V): headings, entries, approval, XLSX import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hub.access import Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.casefiles import access
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.models import (
    CaseFileConflict,
    CaseFileError,
    FileList,
    UnknownCaseFile,
    both,
    entry_code,
)

if TYPE_CHECKING:
    pass
from hub.documents.casefiles.base import (
    _HEADING_CODE,
    CaseFilesBase,
    _text,
)


class FileLists(CaseFilesBase):
    """Drafting, approving and importing a unit's file list."""

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

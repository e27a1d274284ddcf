"""Case files and the hand-over to the archive (issue 15 item 7): transactions, access and audit.

The rules are hub.documents.casefiles.models (read there) and the rule book hub.documents.casefiles.access.
A case file never reveals a document to someone who may not open it: adding one needs the right to open
it (hub.documents.service: văn thư or lãnh đạo over its unit, or its handler; a secret one only for those
cleared and involved, hub.documents.secrecy), and listing a file hides the secret documents the viewer may
not open (their place only). The periods of the hand-over are data (`case_file_rules`, [U]).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from hub.access import AccessDenied, Target, gate
from hub.accounts import audit
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal
from hub.documents.casefiles import access
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.models import (
    CaseFile,
    CaseFileConflict,
    CaseFileError,
    State,
    UnknownCaseFile,
    both,
    due_date,
)
from hub.documents.files import Upload

if TYPE_CHECKING:
    pass
from hub.documents.casefiles.base import (
    _CODE,
    MAX_IDS,
    MAX_ITEMS,
    _count,
    _text,
)
from hub.documents.casefiles.handover_record import HandoverRecords
from hub.documents.casefiles.lists import FileLists
from hub.documents.casefiles.package import Packages
from hub.documents.casefiles.reopening import MAX_REASON, Reopening
from hub.documents.casefiles.retention_review import RetentionReview
from hub.documents.casefiles.warnings import HandoverWarnings

__all__ = ["MAX_IDS", "MAX_ITEMS", "MAX_REASON", "CaseFilesService"]


class CaseFilesService(FileLists, HandoverRecords, Packages, Reopening, RetentionReview, HandoverWarnings):
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

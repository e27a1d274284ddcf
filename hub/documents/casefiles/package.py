"""A case file exported as one package (issue 15 item 7; Decree 30 Appendix VI: "export a case file to .pdf/.xml
in time order", DOMAIN.md §1.1): a ZIP holding

- `<code>-<year>.pdf`: the file's cover (bìa hồ sơ), its Mục lục văn bản, then each document's PDF files and the
  other PDF files it holds, in the file's order, merged with pypdf (a bookmark for each);
- `<code>-<year>.xml`: its metadata (hub.documents.casefiles.package_xml), saying for each item whether its
  content is in the PDF (from which page) or why not.

Who: whoever may read the file (hub.documents.casefiles.access.READ_FILES, the service checks). A document's
content goes in only when the caller may open that document (hub.documents.service.file: a secret one only for
those cleared and involved, its opening audited, its PDF stamped with the viewer's name); a secret document the
caller may not open is listed by its place only, its content left out.

The size is limited (MAX_PACKAGE_BYTES): the package is built in the hub's memory and sent as one response, and
the machine also serves everyone else; twice the largest attachment the hub accepts by default
(hub.documents.files.FileRules.max_bytes, 50 MB) holds a file of ordinary scans, and a larger file is exported
in parts (its Mục lục and each document's own download).
"""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from hub.accounts.principal import Principal
from hub.documents import repository as documents_repo
from hub.documents.casefiles import render
from hub.documents.casefiles import repository as repo
from hub.documents.casefiles.base import CaseFilesBase
from hub.documents.casefiles.models import CaseFileError, Item, both
from hub.documents.casefiles.package_xml import Packed, metadata_xml
from hub.documents.models import Document
from hub.domain import DomainError
from hub.reports.documents import ExportFile, ExportFormat, ascii_slug

MAX_PACKAGE_BYTES = 100 * 1024 * 1024
PDF = "application/pdf"


class PackageTooLarge(CaseFileError):
    """The package would pass the size limit (422); nothing is sent."""


class Packages(CaseFilesBase):
    package_limit = MAX_PACKAGE_BYTES

    def package(self, principal: Principal, file_id: int) -> ExportFile:
        """The file as a ZIP of one merged PDF and the XML of its metadata (see the module's docstring)."""
        with self.pool.connection() as conn:
            found = repo.case_file(conn, file_id)
            if found is None:
                raise self._missing(file_id)
            if found.owner_id != principal.user_id or not principal.user_id:
                self._check_read(principal, found.unit_path, missing=self._missing(file_id))
            f = self._load(conn, principal, file_id)
            documents = {i.document_id: documents_repo.document(conn, i.document_id)
                         for i in f.items if i.document_id is not None and not i.hidden}  # fmt: skip
        stem = f"ho-so-{ascii_slug(f.code)}-{f.year}"
        writer = PdfWriter()
        size = self._append(writer, render.cover_pdf(f), "Bìa hồ sơ", 0)
        size = self._append(writer, render.contents(f, ExportFormat.PDF).content, "Mục lục văn bản", size)
        packed = []
        for n, item in enumerate(f.items, 1):
            doc = documents.get(item.document_id) if item.document_id is not None else None
            parts, reason = self._contents(principal, item, doc)
            start, title = len(writer.pages) + 1, f"{n}. {item.number_symbol or item.subject}"[:120]
            included = False
            for data in parts:
                try:
                    size = self._append(writer, data, title, size)
                    included = True
                except PyPdfError:
                    reason = reason or "unreadable"
            packed.append(Packed(n, item, doc, included, None if included else reason or "no_pdf",
                                 start if included else None))  # fmt: skip
        merged = io.BytesIO()
        writer.write(merged)
        xml = metadata_xml(f, packed, f"{stem}.pdf")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{stem}.pdf", merged.getvalue())
            archive.writestr(f"{stem}.xml", xml)
        self._check_size(out.tell())
        return ExportFile(f"{stem}.zip", "application/zip", out.getvalue())

    def _contents(self, principal: Principal, item: Item, doc: Document | None) -> tuple[list[bytes], str | None]:
        """The PDF files of one item the caller may open, or why there are none."""
        if item.hidden:
            return [], "secret"
        docs = self.documents
        if item.document_id is None:  # another file of the case file: in the store
            if item.content_type != PDF or item.sha256 is None or docs is None or docs.store is None:
                return [], "no_pdf"
            return [docs.store.get(item.sha256)], None
        if doc is None or docs is None:
            return [], "no_pdf"
        try:
            opened = docs.document(principal, doc.id)
            parts = [docs.file(principal, doc.id, x.id)[1] for x in opened.files if x.content_type == PDF]
        except DomainError:
            return [], "not_allowed"
        return parts, None if parts else "no_pdf"

    def _append(self, writer: PdfWriter, data: bytes, title: str, size: int) -> int:
        """Add a PDF's pages under a bookmark; the bytes taken so far, refused past the limit."""
        size += len(data)
        self._check_size(size)
        writer.append(PdfReader(io.BytesIO(data)), outline_item=title)
        return size

    def _check_size(self, size: int) -> None:
        if size > self.package_limit:
            mb = self.package_limit / 1024 / 1024
            raise PackageTooLarge(
                both(
                    f"gói hồ sơ vượt quá {mb:g} MB: hãy tải mục lục và từng văn bản riêng",
                    f"the package passes {mb:g} MB: download the contents and each document on its own",
                )
            )


__all__ = ["MAX_PACKAGE_BYTES", "PackageTooLarge", "Packages"]

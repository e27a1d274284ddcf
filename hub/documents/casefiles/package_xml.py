"""The metadata of an exported case file as XML (issue 15 item 7): the fields of a hồ sơ and of its documents
named as in Decree 30 Appendix VI Part II (DOMAIN.md §1.1, "input metadata"), each cut to its stated length.

- the file (hồ sơ, 11 fields): FileCode {OrganId S13, FileCatalog N4 (the year), FileNotation S20}, Title S500,
  Maintenance S30 (retention), Rights S30, Creator S30, Language S50, StartDate, EndDate, DocTotal N4,
  PageTotal N4, Description S500; besides them the keeper (người lập hồ sơ), the unit, the opening and end days;
- each document, in the file's order: DocOrdinal, TypeName S100, CodeNumber S11, CodeNotation S30, IssuedDate
  D10, OrganName S200, Subject S500, Language S30, PageAmount N3, Description S500, and whether its content is
  in the package's PDF (from which page) or why not.

OrganId: the unit's code (CCES keeps no electronic organ id of its own units yet). Dates are ISO 8601
(YYYY-MM-DD, ten characters as D10 asks). A secret document the reader may not open is listed by its place only
(Secret="true"), nothing of its metadata. Written with the standard library's xml.etree (no lxml needed).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from hub.documents.casefiles.models import CaseFile, Item
from hub.documents.models import Document

LANGUAGE = "Tiếng Việt"


@dataclass(frozen=True, slots=True)
class Packed:
    """One item of the file as it went into the package."""

    ordinal: int
    item: Item
    document: Document | None  # its metadata (None: another file, or a secret one the reader may not open)
    included: bool  # its content is in the package's PDF
    reason: str | None  # why not: secret, not_allowed, no_pdf, unreadable
    start_page: int | None  # where it starts in the package's PDF


def _text(value: str | None, limit: int) -> str:
    return (value or "")[:limit]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _add(parent: ET.Element, tag: str, value: object) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = "" if value is None else str(value)
    return element


def metadata_xml(f: CaseFile, items: list[Packed], pdf_name: str) -> bytes:
    first, last = f.span
    root = ET.Element("HoSo")
    code = ET.SubElement(root, "FileCode")
    _add(code, "OrganId", _text(f.unit_code, 13))
    _add(code, "FileCatalog", f.year)
    _add(code, "FileNotation", _text(f.code, 20))
    _add(root, "Title", _text(f.title, 500))
    _add(root, "Maintenance", _text(f.retention_label, 30))
    _add(root, "Rights", "Hạn chế" if any(i.item.secrecy for i in items) else "Thường")
    _add(root, "Creator", _text(f.owner, 30))
    _add(root, "Language", LANGUAGE)
    _add(root, "StartDate", _day(first))
    _add(root, "EndDate", _day(last))
    _add(root, "DocTotal", min(len(items), 9999))
    _add(root, "PageTotal", min(f.pages or sum(i.item.pages or 0 for i in items), 9999))
    _add(root, "Description", _text(f.note, 500))
    _add(root, "Keeper", f.owner)
    _add(root, "UnitName", f.unit_name)
    _add(root, "OpenedDate", _day(f.opened_on))
    _add(root, "ClosedDate", _day(f.closed_on))
    docs = ET.SubElement(root, "Documents")
    for p in items:
        element = ET.SubElement(docs, "Document", Kind="document" if p.item.document_id else "other")
        _add(element, "DocOrdinal", p.ordinal)
        if p.item.hidden:
            element.set("Secret", "true")
        elif p.document is not None:
            d = p.document
            for tag, value in (
                ("TypeName", _text(d.type_name_vi, 100)), ("CodeNumber", _text(d.code_number, 11)),
                ("CodeNotation", _text(d.code_notation, 30)), ("IssuedDate", _day(d.issued_date)),
                ("OrganName", _text(d.organ_name, 200)), ("Subject", _text(d.subject, 500)),
                ("Language", _text(d.language or LANGUAGE, 30)),
                ("PageAmount", "" if d.page_amount is None else min(d.page_amount, 999)),
                ("Description", _text(d.description, 500)),
            ):  # fmt: skip
                _add(element, tag, value)
        else:  # another file: its name and summary, its date
            _add(element, "Subject", _text(p.item.subject, 500))
            _add(element, "IssuedDate", _day(p.item.item_date))
            _add(element, "PageAmount", "" if p.item.pages is None else min(p.item.pages, 999))
            _add(element, "FileName", p.item.filename or "")
        content = ET.SubElement(element, "Content", Included="true" if p.included else "false")
        if p.included:
            content.set("File", pdf_name)
            content.set("StartPage", str(p.start_page))
        elif p.reason:
            content.set("Reason", p.reason)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

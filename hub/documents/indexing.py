"""A registered document as a search entry (hub.search): its number and symbol and subject as the title,
its type's name and abbreviation as keywords, the issuing organ as text; the register, year, type,
direction and date as filters; its unit and secrecy for the rule book. Files' extracted text joins the
body when a module that reads it calls `hub.search.index.put` again with it."""

from __future__ import annotations

from hub.documents.models import Document, DocumentType, Issuer, number_and_symbol
from hub.search.models import Entry


def document_entry(document: Document, unit: Issuer, doc_type: DocumentType | None = None, text: str = "") -> Entry:
    code = number_and_symbol(document.code_number, document.code_notation)
    keywords = " ".join(x for x in (document.type_name_vi, doc_type.abbreviation if doc_type else None) if x)
    return Entry(
        kind="document", ref_id=document.id, unit_id=unit.unit_id, unit_path=unit.unit_path,
        title=f"{code} — {document.subject}", keywords=keywords,
        body="\n".join(x for x in (document.organ_name, text) if x), secrecy=int(document.secrecy),
        register=document.series_code, year=document.year, type_key=document.type_key,
        status=document.direction.value, day=document.issued_date,
    )  # fmt: skip

"""The records an edXML message is read into (QCVN 102:2016): the message, its organs, attachments and the document a
status answers; what `cces documents edxml show` prints (`EdxmlMessage.as_show`). Kept apart from the parser
(hub.documents.edxml) so importers of the records need not load it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hub.domain import Invalid


class EdxmlError(Invalid):
    """Not well-formed XML, not an edXML message, or over a size limit: nothing is read or stored."""


@dataclass(frozen=True, slots=True)
class Organ:
    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attachment as the văn thư gets it: the name the sender gave, the type and bytes after unzipping."""

    name: str
    content_type: str
    data: bytes
    description: str = ""
    zipped: bool = False  # it came zipped inside the message

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class ResponseFor:
    organ_id: str
    code: str
    promulgation_date: date | None
    document_id: str


@dataclass(slots=True)
class EdxmlMessage:
    kind: str  # edoc | status
    sender: Organ | None
    recipients: list[Organ] = field(default_factory=list)
    document_id: str = ""
    code_number: str = ""
    code_notation: str = ""
    place: str = ""
    promulgation_date: date | None = None
    document_type: str = ""  # DocumentType.Type (codes disagree in practice; TypeName is what counts)
    document_type_name: str = ""
    subject: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    priority: int | None = None
    steering_type: str = ""
    to_places: list[str] = field(default_factory=list)
    business_doc_type: str = ""  # 0 new, 1 revoke, 2 update, 3 replace
    attachments: list[Attachment] = field(default_factory=list)
    status_code: str = ""
    status_description: str = ""
    status_timestamp: datetime | None = None
    response_for: ResponseFor | None = None
    staff: str = ""
    department: str = ""
    warnings: list[Any] = field(default_factory=list)

    def as_show(self) -> dict[str, Any]:
        """What `cces documents edxml show --json` prints (the keys of issue 15 item 4)."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "from_organ_id": self.sender.organ_id if self.sender else None,
            "to_organ_ids": [o.organ_id for o in self.recipients],
            "code_number": self.code_number or None,
            "code_notation": self.code_notation or None,
            "promulgation_date": self.promulgation_date.isoformat() if self.promulgation_date else None,
            "subject": self.subject or None,
            "document_type_name": self.document_type_name or None,
            "attachments": [{"name": a.name, "content_type": a.content_type, "size": a.size} for a in self.attachments],
        }
        if self.kind == "status":
            data["status_code"] = self.status_code or None
            data["response_for_document_id"] = self.response_for.document_id if self.response_for else None
        data["warnings"] = [w.as_dict() for w in self.warnings]
        return data


# --- reading ----------------------------------------------------------------------------------------

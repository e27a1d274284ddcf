"""Writing edXML messages of QCVN 102:2016: an outgoing document (edoc) and status packets (01 đã đến …
06 đã xử lý xong, 13 thu hồi, 15/16 đồng ý/từ chối thu hồi hoặc cập nhật).

The layout is the one real gateway traffic carries (../shared/DOMAIN.md §1.2): the root `edXML` with
the default namespace, the envelope and its children prefixed `edXML:`, the attachments outside the
envelope, each zipped (inline type `application/zip`) while the manifest gives the real type, dates
written `yyyy/MM/dd` and timestamps `yyyy/MM/dd HH:mm:ss`. No XML-DSig signature is written.
"""

from __future__ import annotations

import base64
import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from lxml import etree

from hub.documents.edxml import NS, Organ, ResponseFor
from hub.documents.edxml_rules import STATUS_CODES, standard_day, standard_timestamp
from hub.domain import Invalid, bilingual


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass(slots=True)
class OutgoingEdoc:
    sender: Organ
    recipients: Sequence[Organ]
    code_number: str
    code_notation: str
    promulgation_date: date
    type_name: str
    subject: str
    place: str = ""
    type_code: str = "1"  # DocumentType.Type: codes disagree in practice, TypeName is what counts
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_name: str = ""
    due_date: date | None = None
    priority: int = 0  # 0 thường … 4 hỏa tốc hẹn giờ
    steering_type: str = "1"
    to_places: Sequence[str] = ()
    business_doc_type: str = "0"  # 0 new, 1 revoke, 2 update, 3 replace
    timestamp: datetime | None = None
    attachments: Sequence[OutgoingFile] = field(default_factory=tuple)

    @property
    def document_id(self) -> str:
        """`000.00.00.G22,2015/09/30,7816/VPCP-TTĐT`."""
        code = f"{self.code_number}/{self.code_notation}" if self.code_notation else self.code_number
        return f"{self.sender.organ_id},{standard_day(self.promulgation_date)},{code}"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _add(parent: Any, name: str, text: str | None = None, **attributes: str) -> Any:
    element = etree.SubElement(parent, _q(name), attributes)
    if text is not None:
        element.text = text
    return element


def _organ(parent: Any, name: str, organ: Organ) -> None:
    element = _add(parent, name)
    for tag, value in (("OrganId", organ.organ_id), ("OrganizationInCharge", organ.organization_in_charge),
                       ("OrganName", organ.organ_name), ("OrganAdd", organ.address), ("Email", organ.email),
                       ("Telephone", organ.telephone), ("Fax", organ.fax), ("Website", organ.website)):  # fmt: skip
        _add(element, tag, value)


def _root() -> tuple[Any, Any]:
    root = etree.Element(_q("edXML"), nsmap={None: NS})
    envelope = etree.SubElement(root, _q("edXMLEnvelope"), nsmap={"edXML": NS})
    return root, envelope


def _bytes(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _trace(header: Any, organ_id: str, moment: datetime, business_doc_type: str) -> None:
    traces = _add(header, "TraceHeaderList")
    trace = _add(traces, "TraceHeader")
    _add(trace, "OrganId", organ_id)
    _add(trace, "Timestamp", standard_timestamp(moment))
    business = _add(traces, "Bussiness")  # spelled as in real messages
    _add(business, "BussinessDocType", business_doc_type)
    _add(business, "BussinessDocReason", "")
    _add(business, "Paper", "0")


def _zipped(file: OutgoingFile) -> bytes:
    """The file zipped alone, under a unique inner name as gateway senders do."""
    buffer = io.BytesIO()
    suffix = PurePosixPath(file.name).suffix
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{uuid.uuid4()}{suffix}", file.data)
    return buffer.getvalue()


def write_edoc(doc: OutgoingEdoc, *, zip_attachments: bool = True, now: datetime | None = None) -> bytes:
    """The edXML message of an outgoing document, its attachments base64 (zipped unless told not to)."""
    if not doc.recipients:
        raise Invalid(bilingual("văn bản edXML cần ít nhất một nơi nhận", "an edXML document needs a recipient"))
    moment = doc.timestamp or now or datetime.now()
    root, envelope = _root()
    header = _add(envelope, "edXMLHeader")
    head = _add(header, "MessageHeader")
    _organ(head, "From", doc.sender)
    for recipient in doc.recipients:
        _organ(head, "To", recipient)
    _add(head, "DocumentId", doc.document_id)
    code = _add(head, "Code")
    _add(code, "CodeNumber", doc.code_number)
    _add(code, "CodeNotation", doc.code_notation)
    info = _add(head, "PromulgationInfo")
    _add(info, "Place", doc.place)
    _add(info, "PromulgationDate", standard_day(doc.promulgation_date))
    kind = _add(head, "DocumentType")
    _add(kind, "Type", doc.type_code)
    _add(kind, "TypeDetail", "0")
    _add(kind, "TypeName", doc.type_name)
    _add(head, "Subject", doc.subject)
    _add(head, "Content", doc.content)
    signer = _add(head, "SignerInfo")
    _add(signer, "Competence", doc.signer_competence)
    _add(signer, "Position", doc.signer_position)
    _add(signer, "FullName", doc.signer_name)
    _add(head, "DueDate", standard_day(doc.due_date) if doc.due_date else "")
    other = _add(head, "OtherInfo")
    _add(other, "Priority", str(doc.priority))
    _add(other, "SphereOfPromulgation", "")
    _add(other, "TyperNotation", "")
    _add(other, "PromulgationAmount", "1")
    _add(other, "PageAmount", "0")
    _add(other, "Direction", "false")
    _add(other, "Appendixes")
    _add(head, "SteeringType", doc.steering_type)
    places = _add(head, "ToPlaces")
    for place in doc.to_places:
        _add(places, "Place", place)
    _trace(header, doc.sender.organ_id, moment, doc.business_doc_type)
    body = _add(envelope, "edXMLBody")
    manifest = _add(body, "edXMLManifest", version="1.0")
    ids = [f"cid:{uuid.uuid4()}" for _ in doc.attachments]
    for content_id, file in zip(ids, doc.attachments, strict=True):
        reference = _add(manifest, "Reference")
        _add(reference, "ContentId", content_id)
        _add(reference, "ContentType", file.content_type)
        _add(reference, "Description", file.description)
        _add(reference, "AttachmentName", file.name)
    if doc.attachments:
        encoded = _add(root, "AttachmentEncoded")
        for content_id, file in zip(ids, doc.attachments, strict=True):
            item = _add(encoded, "Attachment")
            _add(item, "ContentId", content_id)
            _add(item, "AttachmentName", file.name)
            _add(item, "Description", file.description)
            _add(item, "ContentType", "application/zip" if zip_attachments else file.content_type)
            data = _zipped(file) if zip_attachments else file.data
            payload = etree.SubElement(item, _q("ContentTransferEncoded"), nsmap={"edXML": NS})
            payload.text = base64.b64encode(data).decode("ascii")
    return _bytes(root)


def write_status(
    *, sender: Organ, response_for: ResponseFor, status_code: str, description: str = "",
    timestamp: datetime, staff: str = "", department: str = "", mobile: str = "", email: str = "",
) -> bytes:  # fmt: skip
    """A status packet (`edXML:Status`) answering the document `response_for` names."""
    if status_code not in STATUS_CODES:
        raise Invalid(
            bilingual(f"mã trạng thái {status_code!r} không thuộc 01–06, 13, 15, 16",
                      f"status code {status_code!r} is not one of 01–06, 13, 15, 16")
        )  # fmt: skip
    root, envelope = _root()
    header = _add(envelope, "edXMLHeader")
    status = _add(header, "Status")
    answered = _add(status, "ResponseFor")
    _add(answered, "OrganId", response_for.organ_id)
    _add(answered, "Code", response_for.code)
    _add(answered, "PromulgationDate",
         standard_day(response_for.promulgation_date) if response_for.promulgation_date else "")  # fmt: skip
    _add(answered, "DocumentId", response_for.document_id)
    _organ(status, "From", sender)
    _add(status, "StatusCode", status_code)
    _add(status, "Description", description or STATUS_CODES[status_code][0])
    _add(status, "Timestamp", standard_timestamp(timestamp))
    info = _add(status, "StaffInfo")
    _add(info, "Department", department)
    _add(info, "Staff", staff)
    _add(info, "Mobile", mobile)
    _add(info, "Email", email)
    _trace(header, sender.organ_id, timestamp, "0")
    return _bytes(root)

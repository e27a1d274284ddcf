"""Reading edXML messages of QCVN 102:2016/BTTTT: a document (edoc) or a status packet, with attachments.

The layout (../shared/DOMAIN.md §1.2): the root `edXML` in the namespace `NS`, an `edXMLEnvelope` with an
`edXMLHeader` (the `MessageHeader` of a document, or a `Status`) and an `edXMLBody` whose manifest lists
the attachments; the attachments themselves sit outside the envelope in `AttachmentEncoded/Attachment`,
base64, and on the national gateway **zipped** (inline type `application/zip`, base64 starting `UEsDB`)
even where the manifest says `application/pdf` — so each is unzipped before use.

Elements are found by local name: real senders mix prefixed (`edXML:`) and unprefixed children, which
fall into the default namespace or none. The parser refuses only what is not XML or not edXML at all
(`EdxmlError`); a field that breaks a rule is read as it is and named in `warnings` (hub.documents.edxml_rules).
Input is bounded: the file size, the decoded and the unzipped bytes, the number of attachments, and the
XML parser neither resolves entities nor loads anything from the network.
"""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
import zipfile
from collections.abc import Iterator
from typing import Any

from lxml import etree

from hub.documents.edxml_records import Attachment, EdxmlError, EdxmlMessage, Organ, ResponseFor
from hub.documents.edxml_rules import PRIORITIES, QCVN, STATUS_CODES, Rules, parse_timestamp
from hub.domain import bilingual

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_FILE_BYTES = 100 * 1024 * 1024  # one message, base64 attachments included
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # all attachments of a message once unzipped (zip bombs)
MAX_ATTACHMENTS = 100


_ZIP_TYPES = ("application/zip", "application/x-zip-compressed")


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any | None, name: str) -> Iterator[Any]:
    return (c for c in (element if element is not None else ()) if _local(c) == name)


def _child(element: Any | None, *path: str) -> Any | None:
    for name in path:
        if element is None:
            return None
        element = next(_children(element, name), None)
    return element


def _text(element: Any | None, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _parse_xml(data: bytes) -> Any:
    if len(data) > MAX_FILE_BYTES:
        raise EdxmlError(
            bilingual(f"tệp edXML quá lớn (tối đa {MAX_FILE_BYTES // 2**20} MB)",
                      f"the edXML file is too large (at most {MAX_FILE_BYTES // 2**20} MB)")
        )  # fmt: skip
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(
            bilingual(f"tệp không phải XML hợp lệ: {exc}", f"the file is not well-formed XML: {exc}")
        ) from None
    if root is None or _local(root) != "edXML" or _child(root, "edXMLEnvelope", "edXMLHeader") is None:
        name = _local(root) if root is not None else ""
        raise EdxmlError(
            bilingual(
                f"tệp không phải thông điệp edXML (QCVN 102:2016): gốc là <{name}>, thiếu edXMLEnvelope/edXMLHeader",
                f"the file is not an edXML message (QCVN 102:2016): root <{name}>, no edXMLEnvelope/edXMLHeader",
            )
        )
    return root


def _organ(element: Any | None, rules: Rules, where: str) -> Organ | None:
    if element is None:
        return None
    organ = Organ(
        organ_id=_text(element, "OrganId"), organ_name=_text(element, "OrganName"),
        organization_in_charge=_text(element, "OrganizationInCharge"), address=_text(element, "OrganAdd"),
        email=_text(element, "Email"), telephone=_text(element, "Telephone"), fax=_text(element, "Fax"),
        website=_text(element, "Website"),
    )  # fmt: skip
    rules.organ_id(f"{where}.OrganId", organ.organ_id)
    for name, value in (("OrganName", organ.organ_name), ("OrganizationInCharge", organ.organization_in_charge),
                        ("OrganAdd", organ.address), ("Email", organ.email), ("Telephone", organ.telephone),
                        ("Fax", organ.fax)):  # fmt: skip
        rules.length(name, value, where=where)
    return organ


def parse(data: bytes) -> EdxmlMessage:
    """Read one edXML message (bytes of the file). Raises `EdxmlError` only for what is not edXML at all."""
    root = _parse_xml(data)
    rules = Rules()
    header = _child(root, "edXMLEnvelope", "edXMLHeader")
    status = _child(header, "Status")
    message_header = _child(header, "MessageHeader")
    if status is None and message_header is not None and _child(message_header, "StatusCode") is not None:
        status = message_header  # the Bkav form: a status in a MessageHeader
    if status is not None:
        message = _read_status(status, rules)
    elif message_header is not None:
        message = _read_edoc(header, message_header, rules)
    else:
        raise EdxmlError(
            bilingual("edXMLHeader không có MessageHeader hay Status", "edXMLHeader holds no MessageHeader or Status")
        )
    message.attachments = list(_attachments(root, rules))
    message.warnings = rules.warnings
    return message


def _read_edoc(header: Any, head: Any, rules: Rules) -> EdxmlMessage:
    message = EdxmlMessage("edoc", _organ(_child(head, "From"), rules, "From"))
    if message.sender is None:
        rules.organ_id("From.OrganId", None)
    message.recipients = [o for o in (_organ(t, rules, "To") for t in _children(head, "To")) if o]
    if not message.recipients:
        rules.add("To", QCVN, "thiếu nơi nhận (To)", "no recipient (To)")
    ids = [o.organ_id for o in message.recipients]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        rules.add("To.OrganId", QCVN, f"nơi nhận {dup} lặp lại", f"recipient {dup} appears more than once")
    message.document_id = _text(head, "DocumentId")
    rules.document_id(message.document_id)
    message.code_number = _text(head, "Code", "CodeNumber")
    message.code_notation = _text(head, "Code", "CodeNotation")
    rules.length("CodeNumber", message.code_number, required=True)
    rules.length("CodeNotation", message.code_notation, required=True)
    message.place = _text(head, "PromulgationInfo", "Place")
    rules.length("Place", message.place)
    message.promulgation_date = rules.day(
        "PromulgationDate", _text(head, "PromulgationInfo", "PromulgationDate"), required=True
    )
    message.document_type = _text(head, "DocumentType", "Type")
    message.document_type_name = _text(head, "DocumentType", "TypeName")
    rules.length("TypeName", message.document_type_name, required=True)
    message.subject = _text(head, "Subject")
    rules.length("Subject", message.subject, required=True)
    message.content = _text(head, "Content")
    rules.length("Content", message.content)
    message.signer_competence = _text(head, "SignerInfo", "Competence")
    message.signer_position = _text(head, "SignerInfo", "Position")
    message.signer_name = _text(head, "SignerInfo", "FullName")
    rules.length("Competence", message.signer_competence)
    rules.length("Position", message.signer_position)
    rules.length("FullName", message.signer_name)
    message.due_date = rules.day("DueDate", _text(head, "DueDate"))
    priority = _text(head, "OtherInfo", "Priority")
    if priority:
        if priority.isdigit() and int(priority) in PRIORITIES:
            message.priority = int(priority)
        else:
            rules.add("OtherInfo.Priority", QCVN, f"độ khẩn {priority!r} không thuộc 0–4",
                      f"priority {priority!r} is not 0–4")  # fmt: skip
    rules.length("SphereOfPromulgation", _text(head, "OtherInfo", "SphereOfPromulgation"))
    rules.length("TyperNotation", _text(head, "OtherInfo", "TyperNotation"))
    for appendix in _children(_child(head, "OtherInfo", "Appendixes"), "Appendix"):
        rules.length("Appendix", (appendix.text or "").strip())
    message.steering_type = _text(head, "SteeringType")
    places = _child(head, "ToPlaces")
    message.to_places = [(p.text or "").strip() for p in _children(places, "Place")]
    for place in message.to_places:
        rules.length("ToPlace", place)
    business = _child(header, "TraceHeaderList", "Bussiness")
    message.business_doc_type = _text(business, "BussinessDocType") if business is not None else ""
    return message


def _read_status(status: Any, rules: Rules) -> EdxmlMessage:
    message = EdxmlMessage("status", _organ(_child(status, "From"), rules, "From"))
    if message.sender is None:
        rules.organ_id("From.OrganId", None)
    response = _child(status, "ResponseFor")
    if response is None:
        rules.add("ResponseFor", QCVN, "gói tin trạng thái thiếu ResponseFor", "the status has no ResponseFor")
    else:
        message.response_for = ResponseFor(
            organ_id=_text(response, "OrganId"), code=_text(response, "Code"),
            promulgation_date=rules.day("ResponseFor.PromulgationDate", _text(response, "PromulgationDate")),
            document_id=_text(response, "DocumentId"),
        )  # fmt: skip
        rules.organ_id("ResponseFor.OrganId", message.response_for.organ_id)
        rules.document_id(message.response_for.document_id)
        if "/" in message.response_for.code:
            number, _, notation = message.response_for.code.partition("/")
            message.code_number, message.code_notation = number, notation
        message.promulgation_date = message.response_for.promulgation_date
    message.status_code = _text(status, "StatusCode")
    if message.status_code not in STATUS_CODES:
        rules.add(
            "StatusCode", QCVN, f"mã trạng thái {message.status_code!r} không thuộc 01–06, 13, 15, 16",
            f"status code {message.status_code!r} is not one of 01–06, 13, 15, 16",
        )  # fmt: skip
    message.status_description = _text(status, "Description")
    stamp = _text(status, "Timestamp")
    message.status_timestamp = parse_timestamp(stamp)
    if stamp and message.status_timestamp is None:
        rules.add("Timestamp", QCVN, f"thời điểm {stamp!r} không đọc được", f"timestamp {stamp!r} is not readable")
    message.staff = _text(status, "StaffInfo", "Staff")
    message.department = _text(status, "StaffInfo", "Department")
    return message


# --- attachments ------------------------------------------------------------------------------------


def _attachments(root: Any, rules: Rules) -> Iterator[Attachment]:
    manifest = {
        _text(r, "ContentId"): r
        for r in _children(_child(root, "edXMLEnvelope", "edXMLBody", "edXMLManifest"), "Reference")
    }
    encoded = _child(root, "AttachmentEncoded")
    items = list(_children(encoded, "Attachment"))
    if len(items) > MAX_ATTACHMENTS:
        raise EdxmlError(bilingual(f"quá {MAX_ATTACHMENTS} tệp đính kèm", f"more than {MAX_ATTACHMENTS} attachments"))
    budget = [MAX_UNZIPPED_BYTES]
    seen = set()
    for item in items:
        content_id = _text(item, "ContentId")
        seen.add(content_id)
        reference = manifest.get(content_id)
        name = _text(item, "AttachmentName") or _text(reference, "AttachmentName") or content_id or "attachment"
        rules.length("AttachmentName", name)
        inline = _text(item, "ContentType")  # the gateway writes application/zip here for a zipped one
        declared = _text(reference, "ContentType") or ("" if inline in _ZIP_TYPES else inline)
        try:
            raw = base64.b64decode("".join(_text(item, "ContentTransferEncoded").split()), validate=True)
        except (binascii.Error, ValueError):
            rules.add("ContentTransferEncoded", QCVN, f"tệp đính kèm {name!r} không phải base64 hợp lệ, bỏ qua",
                      f"attachment {name!r} is not valid base64, left out")  # fmt: skip
            continue
        yield from _unzip(name, declared, raw, _text(item, "Description"), budget, rules)
    for content_id in manifest:
        if content_id not in seen:
            rules.add("edXMLManifest.Reference", QCVN, f"tệp {content_id!r} có trong danh mục nhưng không kèm theo",
                      f"{content_id!r} is in the manifest but not attached")  # fmt: skip


def _unzip(
    name: str, declared: str, raw: bytes, description: str, budget: list[int], rules: Rules
) -> Iterator[Attachment]:
    """A zipped attachment (the gateway's habit) is opened: one member is the attachment itself; a zip of
    several members gives one attachment per member. An Office file (itself a zip: `[Content_Types].xml`,
    an OpenDocument `mimetype`) and an attachment the manifest declares as a zip are kept as they are."""
    members: list[zipfile.ZipInfo] = []
    archive = None
    if raw[:4] == b"PK\x03\x04" and declared not in _ZIP_TYPES:
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            members = [m for m in archive.infolist() if not m.is_dir()]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
            rules.add("ContentTransferEncoded", QCVN, f"không mở được tệp nén {name!r} ({exc})",
                      f"could not open the zip {name!r} ({exc})")  # fmt: skip
    if archive is None or not members or any(m.filename in ("[Content_Types].xml", "mimetype") for m in members):
        _spend(budget, len(raw))
        yield Attachment(name, sniff_type(name, raw, declared), raw, description)
        return
    try:
        for member in members:
            _spend(budget, member.file_size)
        contents = [(m.filename, archive.read(m)) for m in members]
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, ValueError) as exc:
        rules.add("ContentTransferEncoded", QCVN, f"không giải nén được {name!r} ({exc}), giữ nguyên tệp nén",
                  f"could not unzip {name!r} ({exc}); kept as the zip")  # fmt: skip
        yield Attachment(name, "application/zip", raw, description)
        return
    if len(contents) == 1:
        inner, data = contents[0]
        yield Attachment(name, sniff_type(name, data, declared, inner), data, description, zipped=True)
        return
    for inner, data in contents:
        yield Attachment(inner, sniff_type(inner, data), data, description, zipped=True)


def _spend(budget: list[int], size: int) -> None:
    budget[0] -= size
    if budget[0] < 0:
        raise EdxmlError(
            bilingual(f"tệp đính kèm sau giải nén vượt {MAX_UNZIPPED_BYTES // 2**20} MB",
                      f"the attachments unzip to more than {MAX_UNZIPPED_BYTES // 2**20} MB")
        )  # fmt: skip


_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xd0\xcf\x11\xe0", "application/msword"),
)


def sniff_type(name: str, data: bytes, declared: str = "", inner: str = "") -> str:
    """The content type of unzipped bytes: their magic first, then the declared type, then the names."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if declared and declared not in ("application/zip", "application/octet-stream"):
        return declared
    for candidate in (name, inner):
        guessed, _ = mimetypes.guess_type(candidate)
        if guessed:
            return guessed
    return "application/octet-stream"

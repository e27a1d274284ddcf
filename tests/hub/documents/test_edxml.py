"""edXML (QCVN 102:2016) read and written without a database: round trips with zipped attachments, the
status packets, the two date forms, the warnings of broken rules, and what is refused outright."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date, datetime

import pytest

from hub.documents.edxml import EdxmlError, Organ, ResponseFor, parse
from hub.documents.edxml_rules import STATUS_CODES
from hub.documents.edxml_write import OutgoingEdoc, OutgoingFile, write_edoc, write_status

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
SHOW_KEYS = ["kind", "from_organ_id", "to_organ_ids", "code_number", "code_notation", "promulgation_date",
             "subject", "document_type_name", "attachments", "warnings"]  # fmt: skip


def _edoc(**changes: object) -> OutgoingEdoc:
    values: dict = {
        "sender": Organ("000.00.00.G12", "Bộ Tài chính"),
        "recipients": [Organ("000.00.15.H51", "Chi cục Hải quan khu vực II"), Organ("002.00.20.H13")],
        "code_number": "15", "code_notation": "QĐ-HQKV2", "promulgation_date": date(2026, 1, 5),
        "type_name": "Quyết định", "subject": "Quyết định nghỉ phép năm 2026", "place": "Hà Nội",
        "signer_position": "Cục trưởng", "signer_name": "Nguyễn Văn A", "priority": 1,
        "timestamp": datetime(2026, 1, 5, 9, 30),
        "attachments": [
            OutgoingFile("quyet-dinh.pdf", "application/pdf", PDF), OutgoingFile("anh.png", "image/png", PNG),
        ],
    }  # fmt: skip
    return OutgoingEdoc(**(values | changes))


def test_a_document_written_then_read_back_with_zipped_attachments() -> None:
    data = write_edoc(_edoc())
    assert b"<edXML:ContentTransferEncoded" in data and b"UEsDB" in data  # the gateway's zipped form
    message = parse(data)
    shown = message.as_show()
    assert list(shown) == SHOW_KEYS
    assert shown == {
        "kind": "edoc", "from_organ_id": "000.00.00.G12", "to_organ_ids": ["000.00.15.H51", "002.00.20.H13"],
        "code_number": "15", "code_notation": "QĐ-HQKV2", "promulgation_date": "2026-01-05",
        "subject": "Quyết định nghỉ phép năm 2026", "document_type_name": "Quyết định",
        "attachments": [{"name": "quyet-dinh.pdf", "content_type": "application/pdf", "size": len(PDF)},
                        {"name": "anh.png", "content_type": "image/png", "size": len(PNG)}],
        "warnings": [],
    }  # fmt: skip
    assert [a.data for a in message.attachments] == [PDF, PNG] and all(a.zipped for a in message.attachments)
    assert (message.document_id, message.place, message.signer_name, message.priority) == (
        "000.00.00.G12,2026/01/05,15/QĐ-HQKV2", "Hà Nội", "Nguyễn Văn A", 1,
    )  # fmt: skip
    unzipped = parse(write_edoc(_edoc(), zip_attachments=False))
    assert [(a.data, a.zipped) for a in unzipped.attachments] == [(PDF, False), (PNG, False)]


@pytest.mark.parametrize("code", sorted(STATUS_CODES))
def test_each_status_packet_written_then_read_back(code: str) -> None:
    answered = ResponseFor("000.00.00.G12", "15/QĐ-HQKV2", date(2026, 1, 5), "000.00.00.G12,2026/01/05,15/QĐ-HQKV2")
    data = write_status(
        sender=Organ("000.00.15.H51", "Chi cục"), response_for=answered, status_code=code,
        timestamp=datetime(2026, 1, 5, 10, 0), staff="Trần Thị B", department="Văn thư",
    )  # fmt: skip
    shown = parse(data).as_show()
    assert shown["kind"] == "status" and shown["status_code"] == code and shown["warnings"] == []
    assert shown["response_for_document_id"] == answered.document_id and shown["from_organ_id"] == "000.00.15.H51"
    assert (shown["code_number"], shown["code_notation"], shown["promulgation_date"]) == (
        "15",
        "QĐ-HQKV2",
        "2026-01-05",
    )


def test_a_status_code_outside_the_list_is_not_written() -> None:
    with pytest.raises(Exception, match="07"):
        write_status(sender=Organ("000.00.15.H51"), response_for=ResponseFor("", "", None, ""), status_code="07",
                     timestamp=datetime(2026, 1, 5))  # fmt: skip


def _gateway_message(date_text: str, code_number: str = "7816", organ: str = "000.00.00.G22") -> bytes:
    """A message laid out as real gateway traffic is: attachments unprefixed outside the envelope,
    inline type application/zip while the manifest says application/pdf, a status-less MessageHeader."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("5ccbf32d-7944-4267-a90d-7e721199c1eb.pdf", PDF)
    payload = base64.b64encode(buffer.getvalue()).decode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">
 <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader>
   <edXML:MessageHeader>
    <edXML:From><edXML:OrganId>{organ}</edXML:OrganId>
     <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName></edXML:From>
    <edXML:To><edXML:OrganId>000.00.00.G12</edXML:OrganId></edXML:To>
    <edXML:DocumentId>000.00.00.G22,2015/09/30,7816/VPCP-TTĐT</edXML:DocumentId>
    <edXML:Code><edXML:CodeNumber>{code_number}</edXML:CodeNumber><edXML:CodeNotation>VPCP-TTĐT</edXML:CodeNotation></edXML:Code>
    <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place>
     <edXML:PromulgationDate>{date_text}</edXML:PromulgationDate></edXML:PromulgationInfo>
    <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
    <edXML:Subject>V/v cung cấp thông tin</edXML:Subject>
   </edXML:MessageHeader>
   <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.00.G22</edXML:OrganId>
    <edXML:Timestamp>2015/09/30 10:00:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
  </edXML:edXMLHeader>
  <edXML:edXMLBody><edXML:edXMLManifest version="1.0"><edXML:Reference>
   <edXML:ContentId>cid:1</edXML:ContentId><edXML:ContentType>application/pdf</edXML:ContentType>
   <edXML:AttachmentName>7816-VPCP.pdf</edXML:AttachmentName></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>
 </edXML:edXMLEnvelope>
 <AttachmentEncoded><Attachment><ContentId>cid:1</ContentId><AttachmentName>7816-VPCP.pdf</AttachmentName>
  <ContentType>application/zip</ContentType>
  <edXML:ContentTransferEncoded xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">{payload}</edXML:ContentTransferEncoded>
 </Attachment></AttachmentEncoded>
</edXML>""".encode()


def test_the_gateway_form_with_its_zipped_pdf_and_both_date_forms() -> None:
    standard = parse(_gateway_message("2015/09/30"))
    assert standard.as_show()["attachments"] == [{"name": "7816-VPCP.pdf", "content_type": "application/pdf",
                                                 "size": len(PDF)}]  # fmt: skip
    assert standard.attachments[0].data == PDF and standard.warnings == []
    day_first = parse(_gateway_message("30/09/2015"))
    assert day_first.promulgation_date == date(2015, 9, 30) == standard.promulgation_date
    assert [w.field for w in day_first.warnings] == ["PromulgationDate"]
    written = parse(write_edoc(_edoc(promulgation_date=day_first.promulgation_date)))  # emitted in the standard form
    assert written.warnings == [] and written.document_id.split(",")[1] == "2015/09/30"


def test_fields_that_break_a_rule_are_shown_with_a_warning_each() -> None:
    shown = parse(_gateway_message("2015/09/31", code_number="123456789012", organ="G22")).as_show()
    assert shown["code_number"] == "123456789012" and shown["from_organ_id"] == "G22"
    assert shown["promulgation_date"] is None and shown["subject"] == "V/v cung cấp thông tin"
    fields = [w["field"] for w in shown["warnings"]]
    assert fields == ["From.OrganId", "CodeNumber", "PromulgationDate"]
    assert all(" / " in w["message"] and w["rule"] for w in shown["warnings"])
    long_subject = parse(write_edoc(_edoc(subject="x" * 501, recipients=[Organ("000.00.15.H51")] * 2)))
    assert [w.field for w in long_subject.warnings] == ["To.OrganId", "Subject"]  # duplicate To, S500


def test_an_office_file_is_not_mistaken_for_a_zipped_attachment() -> None:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    message = parse(
        write_edoc(_edoc(attachments=[OutgoingFile("cv.docx", kind, docx.getvalue())]), zip_attachments=False)
    )
    assert [(a.name, a.content_type, a.data) for a in message.attachments] == [("cv.docx", kind, docx.getvalue())]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"<edXML><unclosed>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b"<html><body/></html>", "not an edXML message"),
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML>&e;</edXML>', "not an edXML message"),
    ],
)
def test_what_is_not_edxml_is_refused(data: bytes, says: str) -> None:
    with pytest.raises(EdxmlError, match=says) as caught:
        parse(data)
    assert " / " in str(caught.value) and "root:" not in str(caught.value)

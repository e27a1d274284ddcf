"""edXML in and out of the registers: a received message registered as an incoming document, an outgoing
document written as a message, and status packets answering a received one.

Importing reads and checks the whole message first (hub.documents.edxml), so a file that is not edXML
changes nothing; then the document is registered through `DocumentsService.register_incoming` (its
number, access check, audit and search entry), and the message, its unzipped attachments and the
warnings are kept (`document_edxml`, bytes in the content store). The message's fields must still fit
the register: a code number over 11 characters is a warning in `show` but a refusal here (Decree 30).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from hub.access import Target, gate
from hub.accounts.principal import Principal
from hub.documents import access
from hub.documents import repository as repo
from hub.documents.edxml import EdxmlMessage, Organ, ResponseFor, parse
from hub.documents.edxml_write import OutgoingEdoc, OutgoingFile, write_edoc, write_status
from hub.documents.models import Direction, Document, DocumentError, UnknownDocument, both
from hub.documents.service import LOCAL, DocumentsService
from hub.files import ContentStore
from hub.search.fold import fold

_URGENCY = {0: 0, 1: 1, 2: 2, 3: 3, 4: 3}  # edXML Priority 4 (hỏa tốc hẹn giờ) is hỏa tốc in the register


@dataclass(frozen=True, slots=True)
class Imported:
    document: Document
    message: EdxmlMessage


class EdxmlExchange:
    def __init__(
        self, pool: ConnectionPool, documents: DocumentsService, store: ContentStore, clock: Callable[[], datetime]
    ) -> None:
        self.pool = pool
        self.documents = documents
        self.store = store
        self.clock = clock

    def type_key(self, type_name: str) -> str:
        """The register's document type for an edXML TypeName (`Công văn`, `Quyết định` …), by its folded
        name; a name no type carries is registered as a Công văn (the message's TypeName is authoritative
        but the register knows only the 29 types)."""
        wanted = fold(type_name).strip()
        for t in self.documents.types():
            name = fold(t.name_vi)
            if wanted and (wanted == name or name.startswith(wanted + " (") or wanted == fold(t.abbreviation or "")):
                return t.key
        return "cong_van"

    def import_message(
        self, principal: Principal, unit_code: str, data: bytes, *, client_ip: str | None = None
    ) -> Imported:
        """Register a received edXML document in the unit's incoming register."""
        message = parse(data)  # refuses what is not edXML before anything is touched
        if message.kind != "edoc":
            raise DocumentError(
                both("gói tin trạng thái không vào sổ văn bản đến", "a status packet is not registered as a document")
            )
        if message.promulgation_date is None:
            raise DocumentError(both("văn bản edXML thiếu ngày ban hành", "the edXML document has no date"))
        sender = message.sender or Organ("")
        document = self.documents.register_incoming(
            principal, unit_code, type_key=self.type_key(message.document_type_name),
            code_number=message.code_number, code_notation=message.code_notation,
            organ_name=sender.organ_name or sender.organ_id, issued_date=message.promulgation_date,
            subject=message.subject, urgency=_URGENCY.get(message.priority or 0, 0), client_ip=client_ip,
        )  # fmt: skip
        files = [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": self.store.put(a.data)}
            for a in message.attachments
        ]
        with self.pool.connection() as conn, conn.transaction():
            repo.save_edxml(conn, document.id, {
                "direction": "received", "message_id": message.document_id[:300],
                "from_organ_id": sender.organ_id[:64], "message_sha256": self.store.put(data),
                "attachments": Jsonb(files), "warnings": Jsonb([w.as_dict() for w in message.warnings]),
            })  # fmt: skip
        return Imported(document, message)

    def export_document(
        self, principal: Principal, document_id: int, *, sender_organ_id: str, recipients: Sequence[Organ],
        signer_position: str = "", signer_name: str = "", files: Sequence[OutgoingFile] = (),
    ) -> bytes:  # fmt: skip
        """The edXML message of an outgoing document (`recipients`: the organs it goes to)."""
        document = self.documents.document(principal, document_id)
        if document.direction is not Direction.OUTGOING:
            raise DocumentError(both("chỉ văn bản đi được gửi bằng edXML", "only outgoing documents are sent as edXML"))
        if not recipients:
            raise DocumentError(both("cần ít nhất một nơi nhận", "at least one recipient is needed"))
        edoc = OutgoingEdoc(
            sender=Organ(sender_organ_id, document.organ_name), recipients=list(recipients),
            code_number=document.code_number, code_notation=document.code_notation,
            promulgation_date=document.issued_date, type_name=document.type_name_vi.split(" (")[0],
            subject=document.subject, place=document.place or "", signer_position=signer_position,
            signer_name=signer_name, priority=int(document.urgency), due_date=document.due_date,
            attachments=list(files), timestamp=self.clock().astimezone(LOCAL).replace(tzinfo=None),
        )  # fmt: skip
        return write_edoc(edoc)

    def status_for(
        self, principal: Principal, document_id: int, status_code: str, *, sender_organ_id: str,
        description: str = "", staff: str = "", department: str = "",
    ) -> bytes:  # fmt: skip
        """A status packet (01 đã đến … 06 đã xử lý xong, 13, 15, 16) answering a document that came as edXML."""
        document = self.documents.document(principal, document_id)
        with self.pool.connection() as conn:
            path = repo.unit_path(conn, document.unit_code)
            gate.check(principal, access.REGISTER, Target.unit(path or ""))
            trail = repo.edxml_of(conn, document_id)
        if trail is None or trail["direction"] != "received":
            raise UnknownDocument(
                both(f"văn bản {document_id} không đến bằng edXML", f"document {document_id} did not come as edXML")
            )
        answered = ResponseFor(
            organ_id=trail["from_organ_id"], code=f"{document.code_number}/{document.code_notation}",
            promulgation_date=document.issued_date, document_id=trail["message_id"],
        )  # fmt: skip
        return write_status(
            sender=Organ(sender_organ_id, document.unit_code), response_for=answered, status_code=status_code,
            description=description, timestamp=self.clock().astimezone(LOCAL).replace(tzinfo=None), staff=staff,
            department=department,
        )  # fmt: skip

    def trail(self, principal: Principal, document_id: int) -> dict[str, Any] | None:
        """What was kept of the document's edXML message (None: it did not come or go as edXML)."""
        self.documents.document(principal, document_id)
        with self.pool.connection() as conn:
            return repo.edxml_of(conn, document_id)


def organ_argument(text: str) -> Organ:
    """`000.00.00.G12` or `000.00.00.G12=Bộ Tài chính` (a command-line recipient)."""
    organ_id, _, name = text.partition("=")
    if not organ_id.strip() or len(organ_id) > 64 or len(name) > 200:
        raise DocumentError(both(f"nơi nhận không hợp lệ: {text!r}", f"invalid recipient: {text!r}"))
    return Organ(organ_id.strip(), name.strip())

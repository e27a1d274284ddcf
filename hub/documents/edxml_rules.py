"""The rules an edXML field may break (QCVN 102:2016/BTTTT, Decree 30/2020 Appendix VI), kept apart from
the parser so that `show` can print what a message holds and list each broken rule beside it.

Sources: ../shared/DOMAIN.md §0.2 (organ ids), §1.1 (Appendix VI lengths) and §1.2 (edXML limits, dates,
status codes, enumerations). A broken rule is a `Warning`, never a refusal: real traffic carries short
organ codes, UUID document ids and `dd/MM/yyyy` dates, and the văn thư still has to read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

QCVN = "QCVN 102:2016/BTTTT"
DECREE = "NĐ 30/2020/NĐ-CP PL VI"
ORGAN_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")  # 000.00.00.G12 (QĐ 20/2020/QĐ-TTg)
SHORT_ORGAN_ID = re.compile(r"^[A-Z]\d{2}$")  # G12: still in use beside the 13-character form
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DOCUMENT_ID = re.compile(r"^(?P<organ>[^,]+),(?P<date>\d{4}/\d{2}/\d{2}),(?P<code>[^,]+)$")

STATUS_CODES = {
    "01": ("đã đến", "arrived"),
    "02": ("từ chối tiếp nhận", "refused"),
    "03": ("đã tiếp nhận", "accepted"),
    "04": ("đã đến, chờ phân công", "arrived, awaiting assignment"),
    "05": ("đã phân công, đang xử lý", "assigned, being handled"),
    "06": ("đã xử lý xong", "handled"),
    "13": ("thu hồi", "revoked"),
    "15": ("đồng ý thu hồi/cập nhật", "revocation or update agreed"),
    "16": ("từ chối thu hồi/cập nhật", "revocation or update refused"),
}
PRIORITIES = {0: "thường", 1: "khẩn", 2: "thượng khẩn", 3: "hỏa tốc", 4: "hỏa tốc hẹn giờ"}

# field → (limit, rule) of the Bkav validator and Decree 30 Appendix VI (DOMAIN.md §1.2)
LIMITS: dict[str, tuple[int, str]] = {
    "CodeNumber": (11, f"{QCVN}; {DECREE}: CodeNumber S11"),
    "CodeNotation": (30, f"{QCVN}; {DECREE}: CodeNotation S30"),
    "OrganName": (200, f"{QCVN}; {DECREE}: OrganName S200"),
    "OrganizationInCharge": (200, QCVN),
    "OrganAdd": (250, QCVN),
    "Email": (100, QCVN),
    "Telephone": (20, QCVN),
    "Fax": (20, QCVN),
    "Place": (50, QCVN),
    "TypeName": (100, f"{QCVN}; {DECREE}: TypeName S100"),
    "Competence": (100, QCVN),
    "Position": (100, f"{DECREE}: SignerInfo.Position S100"),
    "FullName": (50, f"{QCVN}; {DECREE}: SignerInfo.FullName S50"),
    "SphereOfPromulgation": (100, QCVN),
    "TyperNotation": (10, QCVN),
    "Subject": (500, f"{QCVN}; {DECREE}: Subject S500"),
    "Content": (500, QCVN),
    "ToPlace": (150, QCVN),
    "Appendix": (250, QCVN),
    "AttachmentName": (200, QCVN),
}


@dataclass(frozen=True, slots=True)
class Warning:
    """One rule a field breaks: which field, which rule, and what is wrong (Vietnamese / English)."""

    field: str
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule, "message": self.message}


class Rules:
    """Collects the warnings of one message while it is read."""

    def __init__(self) -> None:
        self.warnings: list[Warning] = []

    def add(self, field: str, rule: str, vi: str, en: str) -> None:
        self.warnings.append(Warning(field, rule, f"{vi} / {en}"))

    def length(self, field: str, value: str | None, *, where: str = "", required: bool = False) -> None:
        name = f"{where}.{field}" if where else field
        if not value:
            if required:
                self.add(name, LIMITS[field][1], f"thiếu {name}", f"{name} is required")
            return
        limit, rule = LIMITS[field]
        if len(value) > limit:
            self.add(
                name,
                rule,
                f"{name} dài {len(value)} ký tự, tối đa {limit}",
                f"{name} is {len(value)} long, at most {limit}",
            )

    def organ_id(self, field: str, value: str | None) -> None:
        rule = "QĐ 20/2020/QĐ-TTg; NĐ 30/2020/NĐ-CP PL VI: OrganId S13"
        if not value:
            self.add(field, rule, f"thiếu {field}", f"{field} is required")
        elif SHORT_ORGAN_ID.match(value):
            self.add(
                field, rule, f"{field} {value!r} là mã ngắn, chuẩn là dạng 000.00.00.G12",
                f"{field} {value!r} is a short code; the standard form is 000.00.00.G12",
            )  # fmt: skip
        elif not ORGAN_ID.match(value):
            self.add(
                field, rule, f"{field} {value!r} không theo dạng 000.00.00.G12 (13 ký tự)",
                f"{field} {value!r} is not of the form 000.00.00.G12 (13 characters)",
            )  # fmt: skip

    def day(self, field: str, text: str | None, *, required: bool = False) -> date | None:
        """A date in either form seen in practice; the `dd/MM/yyyy` one is read and named."""
        if not text:
            if required:
                self.add(field, QCVN, f"thiếu {field}", f"{field} is required")
            return None
        found = parse_day(text)
        if found is None:
            self.add(
                field, QCVN, f"{field} {text!r} không đọc được (dạng yyyy/MM/dd)",
                f"{field} {text!r} is not a date (form yyyy/MM/dd)",
            )  # fmt: skip
        elif not re.match(r"^\d{4}", text.strip()):
            self.add(
                field, QCVN, f"{field} {text!r} viết dạng dd/MM/yyyy, chuẩn là yyyy/MM/dd",
                f"{field} {text!r} is written dd/MM/yyyy; the standard form is yyyy/MM/dd",
            )  # fmt: skip
        return found

    def document_id(self, value: str | None) -> None:
        if value and not (DOCUMENT_ID.match(value) or UUID.match(value)):
            self.add(
                "DocumentId", QCVN, f"DocumentId {value!r} không theo dạng <mã cơ quan>,<yyyy/MM/dd>,<số>/<ký hiệu>",
                f"DocumentId {value!r} is not <organ id>,<yyyy/MM/dd>,<number>/<symbol>",
            )  # fmt: skip


_DAY_FORMS = ("%Y/%m/%d", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


def parse_day(text: str) -> date | None:
    """`2026/01/05`, `05/01/2026` (also with a time after it, or `-` for `/`) → the date; else None."""
    head = text.strip().split(" ")[0].split("T")[0]
    for form in _DAY_FORMS:
        try:
            return datetime.strptime(head, form).date()
        except ValueError:
            continue
    return None


def parse_timestamp(text: str | None) -> datetime | None:
    """`2026/01/05 09:30:00` or `05/01/2026 09:30:00` → a naive datetime (Vietnam time, as sent)."""
    if not text:
        return None
    for form in ("%Y/%m/%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip()[:19], form)
        except ValueError:
            continue
    return None


def standard_day(day: date) -> str:
    """The form QCVN 102 writes: `2026/01/05`."""
    return day.strftime("%Y/%m/%d")


def standard_timestamp(moment: datetime) -> str:
    """`2026/01/05 09:30:00`."""
    return moment.strftime("%Y/%m/%d %H:%M:%S")

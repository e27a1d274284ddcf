"""The schemes of the GS1 EPC Tag Data Standard this codec speaks (TDS 1.13 §14): each one's header, size,
partition table and fields, the pure identities they encode, the fields' names in both languages, and the
one error every part of the codec raises."""

from __future__ import annotations

import re
from dataclasses import dataclass

from protocol.epc.tables import (
    GIAI96_PARTITIONS,
    GIAI202_PARTITIONS,
    GRAI_PARTITIONS,
    SGLN_PARTITIONS,
    SGTIN_PARTITIONS,
    SSCC_PARTITIONS,
    URI_ESCAPES,
    Partition,
)


class EpcError(ValueError):
    """A value that does not fit its EPC scheme (or is no EPC): one line, Vietnamese then English."""

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")


@dataclass(frozen=True)
class Scheme:
    name: str  # as in the tag URI: "giai-96"
    family: str  # as in the pure identity URI: "giai"
    header: int
    bits: int
    partitions: tuple[Partition, ...] | None
    second: str  # the field after the company prefix: "padded" digits, "int" (GIAI-96), "string" (GIAI-202)
    tail: str  # "int", "string", "reserved" or "" (none)
    tail_bits: int = 0
    tail_chars: int = 0  # the most characters of a string tail


SCHEMES: dict[str, Scheme] = {
    s.name: s
    for s in (
        Scheme("sgtin-96", "sgtin", 0x30, 96, SGTIN_PARTITIONS, "padded", "int", 38),
        Scheme("sgtin-198", "sgtin", 0x36, 198, SGTIN_PARTITIONS, "padded", "string", 140, 20),
        Scheme("sscc-96", "sscc", 0x31, 96, SSCC_PARTITIONS, "padded", "reserved", 24),
        Scheme("sgln-96", "sgln", 0x32, 96, SGLN_PARTITIONS, "padded", "int", 41),
        Scheme("sgln-195", "sgln", 0x39, 195, SGLN_PARTITIONS, "padded", "string", 140, 20),
        Scheme("grai-96", "grai", 0x33, 96, GRAI_PARTITIONS, "padded", "int", 38),
        Scheme("grai-170", "grai", 0x37, 170, GRAI_PARTITIONS, "padded", "string", 112, 16),
        Scheme("giai-96", "giai", 0x34, 96, GIAI96_PARTITIONS, "int", ""),
        Scheme("giai-202", "giai", 0x38, 202, GIAI202_PARTITIONS, "string", ""),
        Scheme("gid-96", "gid", 0x35, 96, None, "", ""),
    )
}
BY_HEADER = {s.header: s for s in SCHEMES.values()}
#: the binary schemes of each pure identity, smallest first
FAMILIES: dict[str, tuple[str, ...]] = {}
for _s in SCHEMES.values():
    FAMILIES[_s.family] = (*FAMILIES.get(_s.family, ()), _s.name)

#: GID-96 (TDS §14.5.9): general manager 28 bits, object class 24 bits, serial 36 bits
GID_BITS = (28, 24, 36)

#: the components of each pure identity URI, in order
FIELDS: dict[str, tuple[str, ...]] = {
    "sgtin": ("company_prefix", "item_reference", "serial"),
    "sscc": ("company_prefix", "serial_reference"),
    "sgln": ("company_prefix", "location_reference", "extension"),
    "grai": ("company_prefix", "asset_type", "serial"),
    "giai": ("company_prefix", "asset_reference"),
    "gid": ("manager", "object_class", "serial"),
}
#: digits of company prefix + second field, fixed per family (GS1 key lengths without the check digit)
KEY_DIGITS = {"sgtin": 13, "sscc": 17, "sgln": 12, "grai": 12}

LABELS: dict[str, tuple[str, str]] = {
    "company_prefix": ("mã doanh nghiệp GS1", "GS1 company prefix"),
    "item_reference": ("số chỉ thị và mã mặt hàng", "indicator digit and item reference"),
    "serial": ("số sê-ri", "serial number"),
    "serial_reference": ("số mở rộng và mã sê-ri", "extension digit and serial reference"),
    "location_reference": ("mã địa điểm", "location reference"),
    "extension": ("phần mở rộng GLN", "GLN extension"),
    "asset_type": ("loại tài sản", "asset type"),
    "asset_reference": ("mã tài sản", "individual asset reference"),
    "manager": ("mã đơn vị quản lý", "general manager number"),
    "object_class": ("lớp đối tượng", "object class"),
}
SCHEME_TITLES = {
    "sgtin": "Serialised Global Trade Item Number",
    "sscc": "Serial Shipping Container Code",
    "sgln": "Global Location Number (with or without extension)",
    "grai": "Global Returnable Asset Identifier",
    "giai": "Global Individual Asset Identifier",
    "gid": "General Identifier",
}

DIGITS = re.compile(r"[0-9]+")
HEX = re.compile(r"[0-9A-Fa-f]+")
MAX_URI_LENGTH = 300  # the longest valid URI here is about 110 characters
MAX_HEX_LENGTH = 128  # 512 bits: a Gen2 EPC bank holds at most 496


def label(field: str, scheme: str) -> tuple[str, str]:
    vi, en = LABELS[field]
    return f"{vi} của {scheme.upper()}", f"{scheme.upper()} {en}"


def escape(text: str) -> str:
    return "".join(URI_ESCAPES.get(c, c) for c in text)

"""The tables of the GS1 EPC Tag Data Standard (TDS 1.13 / 2.x) that the codec needs.

Section numbers refer to TDS 1.13 (2019); TDS 2.x keeps these tables unchanged for the schemes here.
"""

from __future__ import annotations

from typing import NamedTuple


class Partition(NamedTuple):
    """One row of a partition table (TDS §14.5): company prefix bits/digits, second field bits/digits."""

    company_bits: int
    company_digits: int
    other_bits: int
    other_digits: int  # for GIAI-202 (a string): the most characters


# Partition value P is the index; P = 12 − (company prefix digits) in every table.
SGTIN_PARTITIONS = (  # Table 14-2: indicator digit + item reference
    Partition(40, 12, 4, 1),
    Partition(37, 11, 7, 2),
    Partition(34, 10, 10, 3),
    Partition(30, 9, 14, 4),
    Partition(27, 8, 17, 5),
    Partition(24, 7, 20, 6),
    Partition(20, 6, 24, 7),
)
SSCC_PARTITIONS = (  # Table 14-5: extension digit + serial reference
    Partition(40, 12, 18, 5),
    Partition(37, 11, 21, 6),
    Partition(34, 10, 24, 7),
    Partition(30, 9, 28, 8),
    Partition(27, 8, 31, 9),
    Partition(24, 7, 34, 10),
    Partition(20, 6, 38, 11),
)
SGLN_PARTITIONS = (  # Table 14-7: location reference
    Partition(40, 12, 1, 0),
    Partition(37, 11, 4, 1),
    Partition(34, 10, 7, 2),
    Partition(30, 9, 11, 3),
    Partition(27, 8, 14, 4),
    Partition(24, 7, 17, 5),
    Partition(20, 6, 21, 6),
)
GRAI_PARTITIONS = (  # Table 14-10: asset type
    Partition(40, 12, 4, 0),
    Partition(37, 11, 7, 1),
    Partition(34, 10, 10, 2),
    Partition(30, 9, 14, 3),
    Partition(27, 8, 17, 4),
    Partition(24, 7, 20, 5),
    Partition(20, 6, 24, 6),
)
GIAI96_PARTITIONS = (  # Table 14-13: individual asset reference as an integer (no leading zeros)
    Partition(40, 12, 42, 13),
    Partition(37, 11, 45, 14),
    Partition(34, 10, 48, 15),
    Partition(30, 9, 52, 16),
    Partition(27, 8, 55, 17),
    Partition(24, 7, 58, 18),
    Partition(20, 6, 62, 19),
)
GIAI202_PARTITIONS = (  # Table 14-14: individual asset reference as 7-bit characters (at most 30 − L)
    Partition(40, 12, 148, 18),
    Partition(37, 11, 151, 19),
    Partition(34, 10, 154, 20),
    Partition(30, 9, 158, 21),
    Partition(27, 8, 161, 22),
    Partition(24, 7, 164, 23),
    Partition(20, 6, 168, 24),
)

#: GS1 AI encodable character set 82 (TDS Table A-1, GS1 General Specifications §7.11 Figure 7.11-1)
CHARSET_82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
#: characters of set 82 that an EPC URI writes as %-escapes (TDS Table A-1, column "URI form")
URI_ESCAPES = {'"': "%22", "%": "%25", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}

# Filter values (TDS §10.x tables). Vietnamese first, English second.
_RESERVED = ("dự trữ", "reserved")
_ALL_OTHERS = ("mọi loại khác", "all others")
FILTERS: dict[str, dict[int, tuple[str, str]]] = {
    "sgtin": {  # Table 10-2
        0: _ALL_OTHERS,
        1: ("hàng bán lẻ (POS)", "point of sale (POS) trade item"),
        2: ("thùng nguyên để vận chuyển", "full case for transport"),
        3: _RESERVED,
        4: ("gói trong, nhóm hàng để xếp dỡ", "inner pack trade item grouping for handling"),
        5: _RESERVED,
        6: ("đơn vị tải (pallet)", "unit load"),
        7: (
            "đơn vị bên trong hàng hoá, không bán lẻ riêng",
            "unit inside trade item or component not intended for individual sale",
        ),
    },
    "sscc": {  # Table 10-3
        0: _ALL_OTHERS,
        1: _RESERVED,
        2: ("thùng nguyên để vận chuyển", "full case for transport"),
        3: _RESERVED,
        4: _RESERVED,
        5: _RESERVED,
        6: ("đơn vị tải (pallet)", "unit load"),
        7: _RESERVED,
    },
    "sgln": {0: _ALL_OTHERS, **{v: _RESERVED for v in range(1, 8)}},  # Table 10-4
    "grai": {0: _ALL_OTHERS, **{v: _RESERVED for v in range(1, 8)}},  # Table 10-5
    "giai": {0: _ALL_OTHERS, 1: ("phương tiện đường sắt", "rail vehicle"), **{v: _RESERVED for v in range(2, 8)}},
}

#: EPC headers of the TDS that this codec does not decode, named in the refusal (TDS §14.2, Table 14-1)
OTHER_HEADERS = {
    0x2C: "gdti-96",
    0x2D: "gsrn-96",
    0x2E: "gsrnp-96",
    0x2F: "usdod-96",
    0x3A: "gdti-113",
    0x3B: "adi-var",
    0x3C: "cpi-96",
    0x3D: "cpi-var",
    0x3E: "gdti-174",
    0x3F: "sgcn-96",
    0x40: "itip-110",
    0x41: "itip-212",
    0xF0: "cpi+",
    0xF1: "grai+",
    0xF2: "sgln+",
    0xF3: "itip+",
    0xF4: "gsrn+",
    0xF5: "gsrnp+",
    0xF6: "gdti+",
    0xF7: "sgtin+",
    0xF8: "sgcn+",
    0xF9: "sscc+",
    0xFA: "giai+",
    0xFB: "dsgtin+",
}

"""Every field of an EPC checked against its scheme (partition table, digits, integer ranges without leading
zeros, strings of GS1 character set 82): an `Epc` runs these when made, so one that exists is valid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from protocol.epc.schemes import DIGITS, FIELDS, GID_BITS, KEY_DIGITS, SCHEMES, EpcError, Scheme, label
from protocol.epc.tables import (
    CHARSET_82,
    Partition,
)

if TYPE_CHECKING:
    from protocol.epc.codec import Epc


def check_epc(epc: Epc) -> None:
    spec = SCHEMES.get(epc.scheme)
    if spec is None:
        raise EpcError(f"không hỗ trợ lược đồ EPC '{epc.scheme}'", f"EPC scheme '{epc.scheme}' is not supported")
    fields = FIELDS[spec.family]
    if (
        not isinstance(epc.parts, tuple)
        or len(epc.parts) != len(fields)
        or not all(isinstance(p, str) for p in epc.parts)
    ):
        raise EpcError(
            f"{spec.name.upper()} cần {len(fields)} thành phần chuỗi ({', '.join(fields)})",
            f"{spec.name.upper()} needs {len(fields)} text components ({', '.join(fields)})",
        )
    if spec.family == "gid":
        if epc.filter is not None:
            raise EpcError("GID-96 không có giá trị lọc (filter)", "GID-96 has no filter value")
        for name, part, bits in zip(fields, epc.parts, GID_BITS, strict=True):
            check_int(part, bits, spec.name, name)
        return
    if not isinstance(epc.filter, int) or isinstance(epc.filter, bool) or not 0 <= epc.filter <= 7:
        raise EpcError(
            f"giá trị lọc (filter) của {spec.name.upper()} phải từ 0 đến 7, nhận '{epc.filter}'",
            f"the {spec.name.upper()} filter value must be 0 to 7, got '{epc.filter}'",
        )
    partition = partition_of(spec, epc.parts[0])
    second = epc.parts[1]
    if spec.second == "padded":
        digits = KEY_DIGITS[spec.family] - len(epc.parts[0])
        if (digits == 0 and second != "") or (digits and (not DIGITS.fullmatch(second) or len(second) != digits)):
            vi, en = label(fields[1], spec.name)
            raise EpcError(
                f"{vi} phải có đúng {digits} chữ số với mã doanh nghiệp {len(epc.parts[0])} chữ số, nhận '{second}'",
                f"the {en} must have exactly {digits} digits with a {len(epc.parts[0])}-digit company prefix,"
                f" got '{second}'",
            )
    elif spec.second == "int":
        check_int(second, partition.other_bits, spec.name, fields[1], use="giai-202")
    else:
        check_string(second, partition.other_digits, spec.name, fields[1])
    if spec.tail == "int":
        alternative = {"sgtin": "sgtin-198", "sgln": "sgln-195", "grai": "grai-170"}[spec.family]
        check_int(epc.parts[2], spec.tail_bits, spec.name, fields[2], use=alternative)
    elif spec.tail == "string":
        check_string(epc.parts[2], spec.tail_chars, spec.name, fields[2])


def partition_of(spec: Scheme, company_prefix: str) -> Partition:
    assert spec.partitions is not None
    if (
        not isinstance(company_prefix, str)
        or not DIGITS.fullmatch(company_prefix)
        or not 6 <= len(company_prefix) <= 12
    ):
        raise EpcError(
            f"mã doanh nghiệp GS1 phải có 6 đến 12 chữ số, nhận '{company_prefix}'",
            f"the GS1 company prefix must have 6 to 12 digits, got '{company_prefix}'",
        )
    return spec.partitions[12 - len(company_prefix)]


def check_int(value: str, bits: int, scheme: str, field: str, use: str | None = None) -> None:
    """A decimal integer with no leading zeros (TDS 'Integer' coding), below 2**bits."""
    vi, en = label(field, scheme)
    if not isinstance(value, str) or not DIGITS.fullmatch(value):
        hint_vi = f"; dùng {use.upper()} cho chữ và ký tự khác" if use else ""
        hint_en = f"; use {use.upper()} for letters and other characters" if use else ""
        raise EpcError(
            f"{vi} phải là số nguyên, nhận '{value}'{hint_vi}", f"the {en} must be an integer, got '{value}'{hint_en}"
        )
    if len(value) > 1 and value[0] == "0":
        hint_vi = f"; dùng {use.upper()} để giữ các số 0 ở đầu" if use else ""
        hint_en = f"; use {use.upper()} to keep them" if use else ""
        raise EpcError(
            f"{vi} '{value}' có số 0 ở đầu: {scheme.upper()} lưu số nguyên và sẽ làm mất chúng{hint_vi}",
            f"the {en} '{value}' has leading zeros, which {scheme.upper()} (an integer field) would lose{hint_en}",
        )
    if int(value) >= 1 << bits:
        raise EpcError(
            f"{vi} '{value}' quá lớn: tối đa {(1 << bits) - 1} ({bits} bit)",
            f"the {en} '{value}' is too large: at most {(1 << bits) - 1} ({bits} bits)",
        )


def check_string(value: str, most: int, scheme: str, field: str) -> None:
    """1 to `most` characters of GS1 AI character set 82, each stored in 7 bits."""
    vi, en = label(field, scheme)
    if not isinstance(value, str) or not 1 <= len(value) <= most:
        length = len(value) if isinstance(value, str) else "?"
        raise EpcError(
            f"{vi} phải có 1 đến {most} ký tự, nhận {length}",
            f"the {en} must have 1 to {most} characters, got {length}",
        )
    bad = sorted({c for c in value if c not in CHARSET_82})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise EpcError(
            f"{vi} có ký tự ngoài bộ ký tự GS1 (82 ký tự): {shown}",
            f"the {en} has characters outside the GS1 character set 82: {shown}",
        )

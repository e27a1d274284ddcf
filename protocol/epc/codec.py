"""GS1 EPC Tag Data Standard codec: binary (hex) ⇄ EPC tag URI ⇄ EPC pure identity URI.

Schemes: SGTIN-96/198, SSCC-96, SGLN-96/195, GRAI-96/170, GIAI-96/202 and GID-96 (TDS 1.13 §14;
TDS 2.x keeps them). An `Epc` is valid by construction: every field is checked against its scheme
(partition table, digits, integer ranges, 7-bit strings of GS1 character set 82), so anything that
does not fit is refused with one `EpcError` line in Vietnamese and English, never truncated.

Why our own codec and not `epcpy`: epcpy 0.1.8 encodes `urn:epc:id:giai:0614141.0012` as GIAI-96
and decodes it back as `…0614141.12` (the leading zeros are lost silently; the TDS requires GIAI-96
to refuse such a reference). Wrapping it would still need every check here, and the edge agent
decodes with no extra dependency. `tests/protocol/test_epc_epcpy.py` shows the bug and checks that
both codecs otherwise agree.

The package: `schemes` (the schemes and their fields), `checks` (a field against its scheme), `codec`
(here: the `Epc` value and its binary form, both ways), `uris` (tag and pure identity URIs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from protocol.epc.checks import check_epc, partition_of
from protocol.epc.schemes import (
    BY_HEADER,
    FIELDS,
    GID_BITS,
    HEX,
    MAX_HEX_LENGTH,
    SCHEMES,
    EpcError,
    Scheme,
    escape,
    label,
)
from protocol.epc.tables import (
    FILTERS,
    OTHER_HEADERS,
)


@dataclass(frozen=True)
class Epc:
    """One EPC in one binary scheme, with its filter value; `parts` are the pure identity URI's
    components, unescaped (e.g. ("0614141", "812345", "6789")). Checked when made."""

    scheme: str
    filter: int | None
    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        check_epc(self)

    @property
    def spec(self) -> Scheme:
        return SCHEMES[self.scheme]

    @property
    def family(self) -> str:
        return self.spec.family

    @property
    def fields(self) -> dict[str, str]:
        return dict(zip(FIELDS[self.family], self.parts, strict=True))

    @property
    def tag_uri(self) -> str:
        body = ".".join(escape(p) for p in self.parts)
        if self.filter is None:
            return f"urn:epc:tag:{self.scheme}:{body}"
        return f"urn:epc:tag:{self.scheme}:{self.filter}.{body}"

    @property
    def pure_uri(self) -> str:
        return f"urn:epc:id:{self.family}:" + ".".join(escape(p) for p in self.parts)

    @property
    def bits(self) -> int:
        return self.spec.bits

    @property
    def words(self) -> int:
        """16-bit words in the tag's EPC memory bank (the EPC padded with zero bits to a word)."""
        return -(-self.spec.bits // 16)

    @property
    def pc_word(self) -> str:
        """The Gen2 protocol-control word for this EPC: its length in words, no user memory, toggle 0."""
        return f"{self.words << 11:04X}"

    @property
    def hex(self) -> str:
        """The EPC bank contents after the PC word: upper-case hex, padded to whole 16-bit words."""
        value, size = encode_bits(self)
        pad = self.words * 16 - size
        return f"{value << pad:0{self.words * 4}X}"

    @property
    def filter_label(self) -> tuple[str, str] | None:
        if self.filter is None:
            return None
        return FILTERS[self.family][self.filter]

    @property
    def gs1_element_string(self) -> str | None:
        """The GS1 element string of this EPC (TDS §7), e.g. `(01)80614141123458(21)6789`; None for GID."""
        f = self.parts
        if self.family == "sgtin":
            return f"(01){with_check_digit(f[1][:1] + f[0] + f[1][1:])}(21){f[2]}"
        if self.family == "sscc":
            return f"(00){with_check_digit(f[1][:1] + f[0] + f[1][1:])}"
        if self.family == "sgln":
            gln = f"(414){with_check_digit(f[0] + f[1])}"
            return gln if f[2] == "0" else f"{gln}(254){f[2]}"
        if self.family == "grai":
            return f"(8003)0{with_check_digit(f[0] + f[1])}{f[2]}"
        if self.family == "giai":
            return f"(8004){f[0]}{f[1]}"
        return None

    def as_dict(self) -> dict[str, object]:
        label = self.filter_label
        return {
            "scheme": self.scheme,
            "tag_uri": self.tag_uri,
            "pure_uri": self.pure_uri,
            "hex": self.hex,
            "bits": self.bits,
            "filter": self.filter,
            "filter_label": None if label is None else {"vi": label[0], "en": label[1]},
            "fields": self.fields,
            "gs1_element_string": self.gs1_element_string,
            "pc_word": self.pc_word,
        }


def with_check_digit(digits: str) -> str:
    """`digits` followed by their GS1 mod-10 check digit (weights 3, 1, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


def encode_bits(epc: Epc) -> tuple[int, int]:
    spec = epc.spec
    fields: list[tuple[int, int]] = [(spec.header, 8)]
    if spec.family == "gid":
        fields += [(int(p), b) for p, b in zip(epc.parts, GID_BITS, strict=True)]
    else:
        assert epc.filter is not None
        index = 12 - len(epc.parts[0])
        part = partition_of(spec, epc.parts[0])
        fields += [(epc.filter, 3), (index, 3), (int(epc.parts[0]), part.company_bits)]
        second = epc.parts[1]
        if spec.second == "string":
            fields.append((_pack_string(second, part.other_bits), part.other_bits))
        else:
            fields.append((int(second) if second else 0, part.other_bits))
        if spec.tail == "int":
            fields.append((int(epc.parts[2]), spec.tail_bits))
        elif spec.tail == "string":
            fields.append((_pack_string(epc.parts[2], spec.tail_bits), spec.tail_bits))
        elif spec.tail == "reserved":
            fields.append((0, spec.tail_bits))
    value = size = 0
    for v, n in fields:
        assert 0 <= v < 1 << n
        value = (value << n) | v
        size += n
    assert size == spec.bits
    return value, size


def _pack_string(text: str, bits: int) -> int:
    value = 0
    for c in text:
        value = (value << 7) | ord(c)
    return value << (bits - 7 * len(text))


def _unpack_string(value: int, bits: int, scheme: str, field: str) -> str:
    chars = []
    for shift in range(bits - 7, -1, -7):
        code = (value >> shift) & 0x7F
        if code == 0:
            if value & ((1 << shift) - 1):
                vi, en = label(field, scheme)
                raise EpcError(f"{vi}: có bit khác 0 sau ký tự kết thúc", f"{en}: non-zero bits after its terminator")
            break
        chars.append(chr(code))
    else:
        if bits % 7 and value & ((1 << (bits % 7)) - 1):
            vi, en = label(field, scheme)
            raise EpcError(f"{vi}: các bit đệm cuối phải bằng 0", f"{en}: its padding bits must be zero")
    return "".join(chars)


def decode(hex_text: str) -> Epc:
    """An EPC from the hex of a tag's EPC bank (after the PC word), e.g. `3074257BF7194E4000001A85`.

    Upper or lower case; a `0x` prefix, spaces, dashes and colons are ignored. Bits after the scheme's
    length (word padding) must be zero."""
    if not isinstance(hex_text, str):
        raise EpcError("EPC phải là chuỗi hex", "the EPC must be a hex string")
    text = re.sub(r"[\s:\-]", "", hex_text)
    if text[:2].lower() == "0x":
        text = text[2:]
    if not text or len(text) > MAX_HEX_LENGTH or not HEX.fullmatch(text):
        raise EpcError(
            f"EPC phải là 2 đến {MAX_HEX_LENGTH} chữ số hex, nhận '{hex_text[:40]}'",
            f"the EPC must be 2 to {MAX_HEX_LENGTH} hex digits, got '{hex_text[:40]}'",
        )
    if len(text) < 2:
        raise EpcError("EPC quá ngắn: thiếu header 8 bit", "the EPC is too short: no 8-bit header")
    total = len(text) * 4
    value = int(text, 16)
    header = value >> (total - 8)
    spec = BY_HEADER.get(header)
    if spec is None:
        if header in OTHER_HEADERS:
            name = OTHER_HEADERS[header]
            raise EpcError(
                f"header 0x{header:02X} là {name.upper()}, lược đồ chưa được hỗ trợ",
                f"header 0x{header:02X} is {name.upper()}, a scheme not supported here",
            )
        raise EpcError(
            f"header 0x{header:02X} không phải EPC GS1 đã biết", f"header 0x{header:02X} is no known GS1 EPC header"
        )
    if total < spec.bits:
        raise EpcError(
            f"{spec.name.upper()} cần {spec.bits} bit, chỉ có {total} bit ({len(text)} chữ số hex)",
            f"{spec.name.upper()} needs {spec.bits} bits, got {total} ({len(text)} hex digits)",
        )
    extra = total - spec.bits
    if value & ((1 << extra) - 1):
        raise EpcError(
            f"các bit sau {spec.bits} bit của {spec.name.upper()} phải bằng 0",
            f"the bits after the {spec.bits} bits of {spec.name.upper()} must be zero",
        )
    value >>= extra
    reader = _Bits(value, spec.bits)
    reader.take(8)
    if spec.family == "gid":
        parts = tuple(str(reader.take(n)) for n in GID_BITS)
        return Epc(spec.name, None, parts)
    assert spec.partitions is not None
    filter_value = reader.take(3)
    index = reader.take(3)
    if index > 6:
        raise EpcError(
            f"{spec.name.upper()}: giá trị phân vùng (partition) 7 không hợp lệ",
            f"{spec.name.upper()}: partition value 7 is invalid",
        )
    part = spec.partitions[index]
    company = reader.take(part.company_bits)
    if company >= 10**part.company_digits:
        raise EpcError(
            f"{spec.name.upper()}: mã doanh nghiệp {company} vượt quá {part.company_digits} chữ số"
            f" của phân vùng {index}",
            f"{spec.name.upper()}: company prefix {company} exceeds the {part.company_digits} digits"
            f" of partition {index}",
        )
    fields = FIELDS[spec.family]
    raw = reader.take(part.other_bits)
    if spec.second == "padded":
        if raw >= 10**part.other_digits:
            vi, en = label(fields[1], spec.name)
            raise EpcError(
                f"{vi} {raw} vượt quá {part.other_digits} chữ số của phân vùng {index}",
                f"the {en} {raw} exceeds the {part.other_digits} digits of partition {index}",
            )
        second = f"{raw:0{part.other_digits}d}" if part.other_digits else ""
    elif spec.second == "int":
        second = str(raw)
    else:
        second = _unpack_string(raw, part.other_bits, spec.name, fields[1])
    parts = [f"{company:0{part.company_digits}d}", second]
    if spec.tail == "int":
        parts.append(str(reader.take(spec.tail_bits)))
    elif spec.tail == "string":
        parts.append(_unpack_string(reader.take(spec.tail_bits), spec.tail_bits, spec.name, fields[2]))
    elif spec.tail == "reserved" and reader.take(spec.tail_bits):
        raise EpcError(
            f"{spec.name.upper()}: {spec.tail_bits} bit dự trữ phải bằng 0",
            f"{spec.name.upper()}: the {spec.tail_bits} reserved bits must be zero",
        )
    return Epc(spec.name, filter_value, tuple(parts))


def raw_uri(hex_text: str) -> str:
    """The EPC raw URI of a tag's EPC bank (TDS §12.3.1, `urn:epc:raw:96.x3074…`): how an EPC that
    decodes to no known scheme (an unprogrammed or foreign tag) is still written down as a URI."""
    text = re.sub(r"[\s:\-]", "", hex_text or "")
    text = text[2:] if text[:2].lower() == "0x" else text
    if not text or len(text) > MAX_HEX_LENGTH or not HEX.fullmatch(text):
        raise EpcError(
            f"EPC phải là 1 đến {MAX_HEX_LENGTH} chữ số hex", f"the EPC must be 1 to {MAX_HEX_LENGTH} hex digits"
        )
    return f"urn:epc:raw:{len(text) * 4}.x{text.upper()}"


@lru_cache(maxsize=8192)
def identify(hex_text: str) -> Epc | None:
    """The EPC a reader reported, or None when it is no valid EPC of these schemes (never raises).

    For the edge agent's `rfid.read` events (`scheme` = `epc.scheme`, `uri` = `epc.pure_uri`): cached,
    since a reader reports the same few hundred tags over and over."""
    try:
        return decode(hex_text)
    except EpcError:
        return None


class _Bits:
    def __init__(self, value: int, size: int) -> None:
        self.value = value
        self.left = size

    def take(self, n: int) -> int:
        self.left -= n
        return (self.value >> self.left) & ((1 << n) - 1)

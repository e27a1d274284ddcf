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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from protocol.epc.tables import (
    CHARSET_82,
    FILTERS,
    GIAI96_PARTITIONS,
    GIAI202_PARTITIONS,
    GRAI_PARTITIONS,
    OTHER_HEADERS,
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

_DIGITS = re.compile(r"[0-9]+")
_HEX = re.compile(r"[0-9A-Fa-f]+")
MAX_URI_LENGTH = 300  # the longest valid URI here is about 110 characters
MAX_HEX_LENGTH = 128  # 512 bits: a Gen2 EPC bank holds at most 496


def _label(field: str, scheme: str) -> tuple[str, str]:
    vi, en = LABELS[field]
    return f"{vi} của {scheme.upper()}", f"{scheme.upper()} {en}"


# ---------------------------------------------------------------------------------------------------
# The value


@dataclass(frozen=True)
class Epc:
    """One EPC in one binary scheme, with its filter value; `parts` are the pure identity URI's
    components, unescaped (e.g. ("0614141", "812345", "6789")). Checked when made."""

    scheme: str
    filter: int | None
    parts: tuple[str, ...]

    def __post_init__(self) -> None:
        _check(self)

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
        body = ".".join(_escape(p) for p in self.parts)
        if self.filter is None:
            return f"urn:epc:tag:{self.scheme}:{body}"
        return f"urn:epc:tag:{self.scheme}:{self.filter}.{body}"

    @property
    def pure_uri(self) -> str:
        return f"urn:epc:id:{self.family}:" + ".".join(_escape(p) for p in self.parts)

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
        value, size = _encode(self)
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
            return f"(01){_with_check(f[1][:1] + f[0] + f[1][1:])}(21){f[2]}"
        if self.family == "sscc":
            return f"(00){_with_check(f[1][:1] + f[0] + f[1][1:])}"
        if self.family == "sgln":
            gln = f"(414){_with_check(f[0] + f[1])}"
            return gln if f[2] == "0" else f"{gln}(254){f[2]}"
        if self.family == "grai":
            return f"(8003)0{_with_check(f[0] + f[1])}{f[2]}"
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


def _with_check(digits: str) -> str:
    """`digits` followed by their GS1 mod-10 check digit (weights 3, 1, … from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return digits + str((10 - total % 10) % 10)


# ---------------------------------------------------------------------------------------------------
# Checks


def _check(epc: Epc) -> None:
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
            _check_int(part, bits, spec.name, name)
        return
    if not isinstance(epc.filter, int) or isinstance(epc.filter, bool) or not 0 <= epc.filter <= 7:
        raise EpcError(
            f"giá trị lọc (filter) của {spec.name.upper()} phải từ 0 đến 7, nhận '{epc.filter}'",
            f"the {spec.name.upper()} filter value must be 0 to 7, got '{epc.filter}'",
        )
    partition = _partition(spec, epc.parts[0])
    second = epc.parts[1]
    if spec.second == "padded":
        digits = KEY_DIGITS[spec.family] - len(epc.parts[0])
        if (digits == 0 and second != "") or (digits and (not _DIGITS.fullmatch(second) or len(second) != digits)):
            vi, en = _label(fields[1], spec.name)
            raise EpcError(
                f"{vi} phải có đúng {digits} chữ số với mã doanh nghiệp {len(epc.parts[0])} chữ số, nhận '{second}'",
                f"the {en} must have exactly {digits} digits with a {len(epc.parts[0])}-digit company prefix,"
                f" got '{second}'",
            )
    elif spec.second == "int":
        _check_int(second, partition.other_bits, spec.name, fields[1], use="giai-202")
    else:
        _check_string(second, partition.other_digits, spec.name, fields[1])
    if spec.tail == "int":
        alternative = {"sgtin": "sgtin-198", "sgln": "sgln-195", "grai": "grai-170"}[spec.family]
        _check_int(epc.parts[2], spec.tail_bits, spec.name, fields[2], use=alternative)
    elif spec.tail == "string":
        _check_string(epc.parts[2], spec.tail_chars, spec.name, fields[2])


def _partition(spec: Scheme, company_prefix: str) -> Partition:
    assert spec.partitions is not None
    if (
        not isinstance(company_prefix, str)
        or not _DIGITS.fullmatch(company_prefix)
        or not 6 <= len(company_prefix) <= 12
    ):
        raise EpcError(
            f"mã doanh nghiệp GS1 phải có 6 đến 12 chữ số, nhận '{company_prefix}'",
            f"the GS1 company prefix must have 6 to 12 digits, got '{company_prefix}'",
        )
    return spec.partitions[12 - len(company_prefix)]


def _check_int(value: str, bits: int, scheme: str, field: str, use: str | None = None) -> None:
    """A decimal integer with no leading zeros (TDS 'Integer' coding), below 2**bits."""
    vi, en = _label(field, scheme)
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
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


def _check_string(value: str, most: int, scheme: str, field: str) -> None:
    """1 to `most` characters of GS1 AI character set 82, each stored in 7 bits."""
    vi, en = _label(field, scheme)
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


# ---------------------------------------------------------------------------------------------------
# Binary


def _encode(epc: Epc) -> tuple[int, int]:
    spec = epc.spec
    fields: list[tuple[int, int]] = [(spec.header, 8)]
    if spec.family == "gid":
        fields += [(int(p), b) for p, b in zip(epc.parts, GID_BITS, strict=True)]
    else:
        assert epc.filter is not None
        index = 12 - len(epc.parts[0])
        part = _partition(spec, epc.parts[0])
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
                vi, en = _label(field, scheme)
                raise EpcError(f"{vi}: có bit khác 0 sau ký tự kết thúc", f"{en}: non-zero bits after its terminator")
            break
        chars.append(chr(code))
    else:
        if bits % 7 and value & ((1 << (bits % 7)) - 1):
            vi, en = _label(field, scheme)
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
    if not text or len(text) > MAX_HEX_LENGTH or not _HEX.fullmatch(text):
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
            vi, en = _label(fields[1], spec.name)
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
    if not text or len(text) > MAX_HEX_LENGTH or not _HEX.fullmatch(text):
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


# ---------------------------------------------------------------------------------------------------
# URIs


def _escape(text: str) -> str:
    return "".join(URI_ESCAPES.get(c, c) for c in text)


def _unescape(text: str, scheme: str, field: str) -> str:
    """A URI component back to its characters: `%XX` escapes of set-82 characters (TDS Table A-1);
    a character the URI must escape may not stand bare."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            code = text[i + 1 : i + 3]
            char = chr(int(code, 16)) if len(code) == 2 and _HEX.fullmatch(code) else ""
            if char not in CHARSET_82 or not char:
                vi, en = _label(field, scheme)
                raise EpcError(
                    f"{vi}: mã thoát '%{code}' không hợp lệ", f"{en}: '%{code}' is not a valid escape in an EPC URI"
                )
            out.append(char)
            i += 3
            continue
        if c in URI_ESCAPES:
            vi, en = _label(field, scheme)
            raise EpcError(
                f"{vi}: ký tự '{c}' phải viết là {URI_ESCAPES[c]} trong URI",
                f"{en}: the character '{c}' must be written {URI_ESCAPES[c]} in a URI",
            )
        out.append(c)
        i += 1
    return "".join(out)


def _uri_text(uri: str) -> str:
    if not isinstance(uri, str) or not uri.strip():
        raise EpcError("thiếu URI EPC", "no EPC URI given")
    uri = uri.strip()
    if len(uri) > MAX_URI_LENGTH:
        raise EpcError(
            f"URI EPC dài quá {MAX_URI_LENGTH} ký tự", f"the EPC URI is longer than {MAX_URI_LENGTH} characters"
        )
    return uri


def _split(body: str, family: str, scheme: str) -> tuple[str, ...]:
    count = len(FIELDS[family])
    pieces = body.split(".", count - 1)  # only the last component may hold dots
    if len(pieces) != count:
        example = ".".join(FIELDS[family])
        raise EpcError(
            f"{scheme.upper()} cần {count} thành phần cách nhau bởi dấu chấm: {example}",
            f"{scheme.upper()} needs {count} dot-separated components: {example}",
        )
    return tuple(_unescape(p, scheme, f) for p, f in zip(pieces, FIELDS[family], strict=True))


def parse_tag_uri(uri: str) -> Epc:
    """`urn:epc:tag:giai-96:1.0614141.12345400` → Epc (checked against its scheme)."""
    text = _uri_text(uri)
    head, _, rest = text.partition(":tag:")
    scheme, _, body = rest.partition(":")
    if head.lower() != "urn:epc" or not body:
        raise EpcError(
            f"không phải URI thẻ EPC (urn:epc:tag:…): '{text[:60]}'",
            f"not an EPC tag URI (urn:epc:tag:…): '{text[:60]}'",
        )
    spec = SCHEMES.get(scheme.lower())
    if spec is None:
        raise EpcError(
            f"không hỗ trợ lược đồ '{scheme}'; hỗ trợ: {', '.join(SCHEMES)}",
            f"scheme '{scheme}' is not supported; supported: {', '.join(SCHEMES)}",
        )
    if spec.family == "gid":
        return Epc(spec.name, None, _split(body, "gid", spec.name))
    filter_text, _, body = body.partition(".")
    if not re.fullmatch(r"[0-7]", filter_text):
        raise EpcError(
            f"giá trị lọc (filter) của {spec.name.upper()} phải là một chữ số 0–7, nhận '{filter_text}'",
            f"the {spec.name.upper()} filter value must be one digit 0–7, got '{filter_text}'",
        )
    return Epc(spec.name, int(filter_text), _split(body, spec.family, spec.name))


def parse_pure_uri(uri: str, filter: int = 0, scheme: str | None = None) -> Epc:
    """`urn:epc:id:giai:0614141.12345400` → Epc in `scheme`, or the smallest of its family it fits.

    A pure identity carries no filter value: `filter` is added (ignored for GID-96)."""
    text = _uri_text(uri)
    head, _, rest = text.partition(":id:")
    family, _, body = rest.partition(":")
    family = family.lower()
    if head.lower() != "urn:epc" or not body:
        raise EpcError(
            f"không phải URI định danh EPC (urn:epc:id:…): '{text[:60]}'",
            f"not an EPC pure identity URI (urn:epc:id:…): '{text[:60]}'",
        )
    if family not in FAMILIES:
        raise EpcError(
            f"không hỗ trợ định danh '{family}'; hỗ trợ: {', '.join(FAMILIES)}",
            f"identity '{family}' is not supported; supported: {', '.join(FAMILIES)}",
        )
    parts = _split(body, family, family)
    choices = FAMILIES[family]
    if scheme is not None:
        if scheme.lower() not in choices:
            raise EpcError(
                f"định danh {family.upper()} mã hoá bằng {', '.join(choices)}, không phải '{scheme}'",
                f"a {family.upper()} is encoded as {', '.join(choices)}, not '{scheme}'",
            )
        choices = (scheme.lower(),)
    errors: list[EpcError] = []
    for name in choices:
        try:
            return Epc(name, None if family == "gid" else filter, parts)
        except EpcError as exc:
            errors.append(exc)
    raise errors[-1]  # the largest scheme's reason: what no scheme of the family can hold


def parse_uri(uri: str, filter: int = 0, scheme: str | None = None) -> Epc:
    """A tag URI as it is, or a pure identity URI with `filter` in `scheme` (default: the smallest that fits)."""
    text = _uri_text(uri)
    if text.lower().startswith("urn:epc:id:"):
        return parse_pure_uri(text, filter, scheme)
    epc = parse_tag_uri(text)
    if scheme is not None and scheme.lower() != epc.scheme:
        raise EpcError(
            f"URI thẻ là {epc.scheme.upper()}, không phải {scheme.upper()}",
            f"the tag URI is {epc.scheme.upper()}, not {scheme.upper()}",
        )
    return epc


def encode(uri: str) -> str:
    """The hex (upper case, whole 16-bit words) of an EPC tag URI."""
    return parse_tag_uri(uri).hex

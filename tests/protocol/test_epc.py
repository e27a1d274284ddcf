"""The GS1 EPC Tag Data Standard codec (`protocol.epc`): the standard's own examples, every partition,
boundaries, refusals, leading zeros, and round trips over random valid values (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.epc import (
    SCHEMES,
    Epc,
    EpcError,
    decode,
    encode,
    identify,
    parse_pure_uri,
    parse_tag_uri,
    parse_uri,
    raw_uri,
)
from protocol.epc.tables import CHARSET_82

# --- The standard's worked examples ------------------------------------------------------------------
# GS1 EPC Tag Data Standard 1.9 (Nov 2014) … 1.13 (2019), Annex E "Example EPC encoding and decoding":
# E.1 is SGTIN-96 `3074257BF7194E4000001A85`; the annex's table then gives one example per scheme
# (GS1 company prefix 0614141, filter 3). Hex as printed there: padded only to a whole hex digit, so the
# 198/195/170/202-bit ones are shorter than a tag's EPC bank (16-bit words); decode takes either.
# Two errata of the printed table, as TDT implementations (fosstrak TDT, its ports) also note: the
# SGTIN-198 row prints item reference 812345 for a binary that holds 712345 (GTIN 70614141123451), and the
# GIAI-202 row's element string has one zero too many. The values below are the consistent ones.
TDS_EXAMPLES = [
    # (hex as printed, tag URI, pure identity URI, GS1 element string)
    (
        "3074257BF7194E4000001A85",
        "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "urn:epc:id:sgtin:0614141.812345.6789",
        "(01)80614141123458(21)6789",
    ),
    (
        "3674257BF6B7A659B2C2BF1000000000000000000000000000",
        "urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb",
        "urn:epc:id:sgtin:0614141.712345.32a%2Fb",
        "(01)70614141123451(21)32a/b",
    ),
    (
        "3174257BF4499602D2000000",
        "urn:epc:tag:sscc-96:3.0614141.1234567890",
        "urn:epc:id:sscc:0614141.1234567890",
        "(00)106141412345678908",
    ),
    (
        "3274257BF46072000000162E",
        "urn:epc:tag:sgln-96:3.0614141.12345.5678",
        "urn:epc:id:sgln:0614141.12345.5678",
        "(414)0614141123452(254)5678",
    ),
    (
        "3974257BF46072CD9615F8800000000000000000000000000",
        "urn:epc:tag:sgln-195:3.0614141.12345.32a%2Fb",
        "urn:epc:id:sgln:0614141.12345.32a%2Fb",
        "(414)0614141123452(254)32a/b",
    ),
    (
        "3374257BF40C0E400000162E",
        "urn:epc:tag:grai-96:3.0614141.12345.5678",
        "urn:epc:id:grai:0614141.12345.5678",
        "(8003)006141411234525678",
    ),
    (
        "3774257BF40C0E59B2C2BF100000000000000000000",
        "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
        "urn:epc:id:grai:0614141.12345.32a%2Fb",
        "(8003)0061414112345232a/b",
    ),
    (
        "3474257BF40000000000162E",
        "urn:epc:tag:giai-96:3.0614141.5678",
        "urn:epc:id:giai:0614141.5678",
        "(8004)06141415678",
    ),
    (
        "3874257BF59B2C2BF1000000000000000000000000000000000",
        "urn:epc:tag:giai-202:3.0614141.32a%2Fb",
        "urn:epc:id:giai:0614141.32a%2Fb",
        "(8004)061414132a/b",
    ),
    ("350007AB70425D4000000586", "urn:epc:tag:gid-96:31415.271828.1414", "urn:epc:id:gid:31415.271828.1414", None),
]


def word_padded(hex_text: str) -> str:
    """The example's hex as a tag's EPC bank holds it: zero bits up to a whole 16-bit word."""
    return hex_text + "0" * (-len(hex_text) % 4)


@pytest.mark.parametrize(("hex_text", "tag_uri", "pure_uri", "element"), TDS_EXAMPLES, ids=lambda v: str(v)[:14])
def test_the_standards_examples_both_ways(hex_text: str, tag_uri: str, pure_uri: str, element: str | None) -> None:
    epc = decode(hex_text)
    assert (epc.tag_uri, epc.pure_uri, epc.gs1_element_string) == (tag_uri, pure_uri, element)
    assert decode(word_padded(hex_text)) == epc
    assert encode(tag_uri) == word_padded(hex_text).upper()
    assert parse_tag_uri(tag_uri) == epc
    filter_value = 0 if epc.filter is None else epc.filter
    assert parse_pure_uri(pure_uri, filter_value, epc.scheme) == epc


def test_the_issues_giai_example() -> None:
    """Issue 16's example, `giai-96:1.0614141.12345400` (the one the epcpy suite also uses)."""
    epc = parse_tag_uri("urn:epc:tag:giai-96:1.0614141.12345400")
    assert epc.hex == "3434257BF400000000BC6038"
    assert decode("3434257bf400000000bc6038").pure_uri == "urn:epc:id:giai:0614141.12345400"
    assert epc.filter_label == ("phương tiện đường sắt", "rail vehicle")


def test_hex_is_upper_case_whole_words_with_the_pc_word() -> None:
    for name, words in {"sgtin-198": 13, "sgln-195": 13, "grai-170": 11, "giai-202": 13, "giai-96": 6}.items():
        epc = {e.scheme: e for e in (decode(h) for h, *_ in TDS_EXAMPLES)}[name]
        assert len(epc.hex) == words * 4 and epc.hex == epc.hex.upper()
        assert int(epc.pc_word, 16) >> 11 == words
    assert decode("0x30 74 25 7B F7 19 4E 40 00 00 1A 85").scheme == "sgtin-96"  # spaces and 0x tolerated


# --- Leading zeros (GIAI) ----------------------------------------------------------------------------


def test_giai_96_refuses_a_reference_with_leading_zeros_and_giai_202_keeps_it() -> None:
    with pytest.raises(EpcError) as refused:
        parse_tag_uri("urn:epc:tag:giai-96:0.0614141.0012")
    assert "leading zeros" in refused.value.en and "GIAI-202" in refused.value.en and "số 0 ở đầu" in refused.value.vi
    kept = parse_tag_uri("urn:epc:tag:giai-202:0.0614141.0012")
    back = decode(kept.hex)
    assert back.fields["asset_reference"] == "0012" and back.pure_uri == "urn:epc:id:giai:0614141.0012"
    # a pure identity with leading zeros goes to GIAI-202 by itself, never to GIAI-96
    assert parse_pure_uri("urn:epc:id:giai:0614141.0012").scheme == "giai-202"
    assert parse_pure_uri("urn:epc:id:giai:0614141.0").scheme == "giai-96"  # zero itself is no leading zero
    for field_uri in ("urn:epc:tag:sgtin-96:0.0614141.812345.06789", "urn:epc:tag:grai-96:0.0614141.12345.00"):
        with pytest.raises(EpcError, match="leading zeros"):
            parse_tag_uri(field_uri)
    with pytest.raises(EpcError, match="leading zeros"):
        parse_tag_uri("urn:epc:tag:sgln-96:0.0614141.12345.012")
    with pytest.raises(EpcError, match="leading zeros"):
        parse_tag_uri("urn:epc:tag:gid-96:031415.271828.1414")


# --- Every partition, its boundaries ---------------------------------------------------------------

PADDED = {"sgtin-96": 13, "sgtin-198": 13, "sscc-96": 17, "sgln-96": 12, "sgln-195": 12, "grai-96": 12, "grai-170": 12}
TAILS = {"sgtin-96": "0", "sgtin-198": "A", "sscc-96": None, "sgln-96": "0", "sgln-195": "x", "grai-96": "0"}
TAILS["grai-170"] = "z"


@pytest.mark.parametrize("scheme", sorted(PADDED))
@pytest.mark.parametrize("prefix_digits", range(6, 13))
def test_every_partition_of_the_padded_schemes_at_its_limits(scheme: str, prefix_digits: int) -> None:
    spec = SCHEMES[scheme]
    other = PADDED[scheme] - prefix_digits
    tail = TAILS[scheme]
    for digit in "09":
        parts = (digit * prefix_digits, digit * other)
        parts = parts if tail is None else (*parts, tail)
        epc = Epc(scheme, 7, parts)
        assert int(epc.hex[2], 16) >> 1 == 7  # filter bits
        partition = (int(epc.hex[2:4], 16) >> 2) & 0b111
        assert partition == 12 - prefix_digits == spec.partitions.index(spec.partitions[12 - prefix_digits])
        assert decode(epc.hex) == epc and parse_tag_uri(epc.tag_uri) == epc
    with pytest.raises(EpcError, match="exactly"):
        Epc(scheme, 0, ("1" * prefix_digits, "1" * (other + 1), *(() if tail is None else (tail,))))


@pytest.mark.parametrize("prefix_digits", range(6, 13))
def test_every_giai_partition_at_its_limits(prefix_digits: int) -> None:
    index = 12 - prefix_digits
    bits = SCHEMES["giai-96"].partitions[index].other_bits
    prefix = "8" * prefix_digits
    biggest = Epc("giai-96", 0, (prefix, str((1 << bits) - 1)))
    assert decode(biggest.hex) == biggest
    with pytest.raises(EpcError, match="too large"):
        Epc("giai-96", 0, (prefix, str(1 << bits)))
    most = 30 - prefix_digits  # GIAI is at most 30 characters in all
    assert SCHEMES["giai-202"].partitions[index].other_digits == most
    longest = Epc("giai-202", 0, (prefix, "z%" * (most // 2) + "/" * (most % 2)))
    assert decode(longest.hex) == longest and parse_tag_uri(longest.tag_uri) == longest
    with pytest.raises(EpcError, match=f"1 to {most} characters"):
        Epc("giai-202", 0, (prefix, "A" * (most + 1)))


@pytest.mark.parametrize(
    ("scheme", "bits"), [("sgtin-96", 38), ("sgln-96", 41), ("grai-96", 38)], ids=["sgtin", "sgln", "grai"]
)
def test_integer_serials_up_to_their_bits(scheme: str, bits: int) -> None:
    middle = "812345" if scheme == "sgtin-96" else "12345"
    top = Epc(scheme, 1, ("0614141", middle, str((1 << bits) - 1)))
    assert decode(top.hex) == top
    with pytest.raises(EpcError, match=f"at most {(1 << bits) - 1}"):
        Epc(scheme, 1, ("0614141", middle, str(1 << bits)))


@pytest.mark.parametrize(("scheme", "most"), [("sgtin-198", 20), ("sgln-195", 20), ("grai-170", 16)])
def test_string_serials_up_to_their_length(scheme: str, most: int) -> None:
    middle = "812345" if scheme == "sgtin-198" else "12345"
    full = Epc(scheme, 2, ("0614141", middle, "!" + "\"%&'()*+,-./:;<=>?_"[: most - 1]))
    assert decode(full.hex) == full and parse_tag_uri(full.tag_uri) == full
    with pytest.raises(EpcError, match=f"1 to {most} characters"):
        Epc(scheme, 2, ("0614141", middle, "9" * (most + 1)))
    with pytest.raises(EpcError, match="1 to"):
        Epc(scheme, 2, ("0614141", middle, ""))


def test_gid_96_limits() -> None:
    top = Epc("gid-96", None, (str((1 << 28) - 1), str((1 << 24) - 1), str((1 << 36) - 1)))
    assert top.hex == "35" + "F" * 22 and decode(top.hex) == top
    assert Epc("gid-96", None, ("0", "0", "0")).hex == "350000000000000000000000"
    for parts in (("268435456", "0", "0"), ("0", "16777216", "0"), ("0", "0", "68719476736")):
        with pytest.raises(EpcError, match="too large"):
            Epc("gid-96", None, parts)
    with pytest.raises(EpcError, match="no filter"):
        Epc("gid-96", 0, ("1", "1", "1"))


def test_every_filter_value_and_no_other() -> None:
    for value in range(8):
        epc = parse_tag_uri(f"urn:epc:tag:sscc-96:{value}.0614141.1234567890")
        assert decode(epc.hex).filter == value and epc.filter_label is not None
    for bad in ("8", "-1", "01", "a", ""):
        with pytest.raises(EpcError, match="filter"):
            parse_tag_uri(f"urn:epc:tag:sscc-96:{bad}.0614141.1234567890")
    with pytest.raises(EpcError, match="filter"):
        Epc("giai-96", 8, ("0614141", "1"))


# --- Refusals -----------------------------------------------------------------------------------------


def _bits(*fields: tuple[int, int]) -> str:
    value = size = 0
    for v, n in fields:
        value, size = (value << n) | v, size + n
    value <<= -size % 16
    return f"{value:0{(size + (-size % 16)) // 4}X}"


@pytest.mark.parametrize(
    ("hex_text", "reason"),
    [
        ("", "hex digits"),
        ("30", "needs 96 bits"),
        ("3074257BF7194E4000001A", "needs 96 bits"),
        ("3074257BF7194E4000001A85G0", "hex digits"),
        ("3074257BF7194E4000001A850001", "must be zero"),  # padding bits not zero
        ("00" * 12, "no known GS1 EPC header"),
        ("2D74257BF4499602D2000000", "GSRN-96"),  # a TDS scheme not supported here: named
        (_bits((0x30, 8), (0, 3), (7, 3), (0, 82)), "partition value 7"),
        (_bits((0x34, 8), (0, 3), (5, 3), (10_000_000, 24), (0, 58)), "exceeds the 7 digits"),
        (_bits((0x30, 8), (0, 3), (5, 3), (614141, 24), (1_000_000, 20), (0, 38)), "exceeds the 6 digits"),
        (_bits((0x33, 8), (0, 3), (0, 3), (1, 40), (1, 4), (0, 38)), "exceeds the 0 digits"),
        (_bits((0x31, 8), (0, 3), (5, 3), (614141, 24), (1, 34), (1, 24)), "reserved bits"),
        (_bits((0x38, 8), (0, 3), (5, 3), (614141, 24), (ord("#") << 157, 164)), "character set 82"),
        (_bits((0x38, 8), (0, 3), (5, 3), (614141, 24), ((ord("A") << 157) | 1, 164)), "after its terminator"),
        (_bits((0x38, 8), (0, 3), (5, 3), (614141, 24), (0, 164)), "1 to 23 characters"),
    ],
)
def test_decode_refuses_what_is_no_valid_epc(hex_text: str, reason: str) -> None:
    with pytest.raises(EpcError, match=reason) as refused:
        decode(hex_text)
    assert "\n" not in str(refused.value) and " / " in str(refused.value)


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("urn:epc:tag:giai-202:0.0614141.a/b", "must be written %2F"),
        ("urn:epc:tag:giai-202:0.0614141.a%ZZ", "not a valid escape"),
        ("urn:epc:tag:giai-202:0.0614141.a%23", "not a valid escape"),  # '#' is not in set 82
        ("urn:epc:tag:giai-202:0.0614141.a b", "character set 82"),
        ("urn:epc:tag:giai-202:0.0614141.tài-sản", "character set 82"),
        ("urn:epc:tag:sgtin-96:3.0614141.812345", "3 dot-separated components"),
        ("urn:epc:tag:sgtin-96:3.0614141.81234.6789", "exactly 6 digits"),
        ("urn:epc:tag:sgtin-96:3.06141.8123456.6789", "6 to 12 digits"),
        ("urn:epc:tag:sgtin-96:3.0614141000000.1.6789", "6 to 12 digits"),
        ("urn:epc:tag:sgtin-96:3.0614141.812345.A1", "must be an integer"),
        ("urn:epc:tag:sgln-96:3.061414112345.1.0", "exactly 0 digits"),
        ("urn:epc:tag:sgtin-64:3.0614141.812345.6789", "not supported"),
        ("urn:epc:id:sgtin:0614141.812345.6789", "not an EPC tag URI"),
        ("urn:epc:tag:giai-96:1.0614141.999999999999999999", "too large"),
        ("urn:epc:tag:giai-202:1.0614141." + "A" * 24, "1 to 23 characters"),
        ("x" * 400, "longer than"),
    ],
)
def test_tag_uris_that_do_not_fit_are_refused(uri: str, reason: str) -> None:
    with pytest.raises(EpcError, match=reason):
        parse_tag_uri(uri)


def test_pure_uris_choose_the_smallest_scheme_that_fits() -> None:
    assert parse_pure_uri("urn:epc:id:sgtin:0614141.812345.6789", 3).scheme == "sgtin-96"
    assert parse_pure_uri("urn:epc:id:sgtin:0614141.812345.A6789").scheme == "sgtin-198"
    assert parse_pure_uri("urn:epc:id:sgln:0614141.12345.0").scheme == "sgln-96"
    assert parse_pure_uri("urn:epc:id:grai:0614141.12345.99999999999999").scheme == "grai-170"
    assert parse_pure_uri("urn:epc:id:gid:1.2.3", 5).filter is None
    assert parse_uri("urn:epc:id:giai:0614141.12345400", 1, "giai-202").scheme == "giai-202"
    with pytest.raises(EpcError, match="not 'giai-96'"):
        parse_pure_uri("urn:epc:id:sgtin:0614141.812345.6789", 0, "giai-96")
    with pytest.raises(EpcError, match="leading zeros"):
        parse_pure_uri("urn:epc:id:giai:0614141.0012", 0, "giai-96")
    with pytest.raises(EpcError, match="1 to 16 characters"):  # too long for GRAI-170 too: the larger reason
        parse_pure_uri("urn:epc:id:grai:0614141.12345.ABCDEFGHIJKLMNOPQ")


# --- Round trips over random valid values --------------------------------------------------------

_set82 = st.text(alphabet=sorted(CHARSET_82), min_size=1, max_size=30)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def _int_text(bits: int) -> st.SearchStrategy[str]:
    return st.integers(0, (1 << bits) - 1).map(str)


@st.composite
def valid_epcs(draw: st.DrawFn) -> Epc:
    scheme = draw(st.sampled_from(sorted(SCHEMES)))
    spec = SCHEMES[scheme]
    if spec.family == "gid":
        return Epc(scheme, None, (draw(_int_text(28)), draw(_int_text(24)), draw(_int_text(36))))
    length = draw(st.integers(6, 12))
    part = spec.partitions[12 - length]
    prefix = draw(_digits(length))
    if spec.second == "padded":
        second = draw(_digits(part.other_digits))
    elif spec.second == "int":
        second = draw(_int_text(part.other_bits))
    else:
        second = draw(st.text(alphabet=sorted(CHARSET_82), min_size=1, max_size=part.other_digits))
    parts: tuple[str, ...] = (prefix, second)
    if spec.tail == "int":
        parts = (*parts, draw(_int_text(spec.tail_bits)))
    elif spec.tail == "string":
        parts = (*parts, draw(st.text(alphabet=sorted(CHARSET_82), min_size=1, max_size=spec.tail_chars)))
    return Epc(scheme, draw(st.integers(0, 7)), parts)


@settings(max_examples=1500, deadline=None)
@given(valid_epcs())
def test_round_trips_hex_tag_uri_and_pure_uri(epc: Epc) -> None:
    assert decode(epc.hex) == epc
    assert decode(epc.hex.lower()) == epc
    assert parse_tag_uri(epc.tag_uri) == epc
    assert parse_pure_uri(epc.pure_uri, epc.filter or 0, epc.scheme) == epc
    assert len(epc.hex) == epc.words * 4 and (int(epc.hex, 16) >> (epc.words * 16 - 8)) == epc.spec.header


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(sorted({s.header for s in SCHEMES.values()})), st.binary(min_size=11, max_size=26))
def test_random_bits_decode_to_a_valid_epc_or_a_clear_refusal(header: int, body: bytes) -> None:
    """Whatever a reader hands over: decoded and re-encoded to the same bits, or refused with EpcError."""
    hex_text = f"{header:02X}{body.hex().upper()}"
    try:
        epc = decode(hex_text)
    except EpcError as exc:
        assert " / " in str(exc)
        return
    size = len(hex_text) * 4
    assert int(epc.hex, 16) >> max(0, epc.words * 16 - size) == int(hex_text, 16) >> max(0, size - epc.words * 16)


@settings(max_examples=300, deadline=None)
@given(_set82)
def test_any_set_82_text_survives_the_uri_escapes(text: str) -> None:
    epc = Epc("giai-202", 0, ("061414", text[:24]))
    assert parse_tag_uri(epc.tag_uri).parts[1] == text[:24]
    assert not set(epc.tag_uri.split(":", 4)[4]) & set('"&/<>?')


def test_identify_is_decode_that_never_raises() -> None:
    """What the edge agent puts in an `rfid.read` event's optional `scheme` and `uri`."""
    epc = identify("3474257BF40000000000162E")
    assert epc is not None and (epc.scheme, epc.pure_uri) == ("giai-96", "urn:epc:id:giai:0614141.5678")
    assert identify("E2801160600002") is None and identify("2D74257BF4499602D2000000") is None
    assert identify("3474257BF40000000000162E") is epc  # cached: readers repeat the same tags


def test_raw_uri_for_tags_of_no_known_scheme() -> None:
    assert raw_uri("e2801160 6000 0209") == "urn:epc:raw:64.xE280116060000209"
    assert raw_uri("3074257BF7194E4000001A85") == "urn:epc:raw:96.x3074257BF7194E4000001A85"
    with pytest.raises(EpcError):
        raw_uri("xyz")

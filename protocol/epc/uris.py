"""EPC URIs to values: the tag URI (`urn:epc:tag:giai-96:1.0614141.12345400`, with its filter) and the pure
identity URI (`urn:epc:id:giai:0614141.12345400`, encoded in the smallest scheme of its family that fits),
with the URI escapes of TDS Table A-1."""

from __future__ import annotations

import re

from protocol.epc.codec import Epc
from protocol.epc.schemes import FAMILIES, FIELDS, HEX, MAX_URI_LENGTH, SCHEMES, EpcError, label
from protocol.epc.tables import (
    CHARSET_82,
    URI_ESCAPES,
)


def _unescape(text: str, scheme: str, field: str) -> str:
    """A URI component back to its characters: `%XX` escapes of set-82 characters (TDS Table A-1);
    a character the URI must escape may not stand bare."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "%":
            code = text[i + 1 : i + 3]
            char = chr(int(code, 16)) if len(code) == 2 and HEX.fullmatch(code) else ""
            if char not in CHARSET_82 or not char:
                vi, en = label(field, scheme)
                raise EpcError(
                    f"{vi}: mã thoát '%{code}' không hợp lệ", f"{en}: '%{code}' is not a valid escape in an EPC URI"
                )
            out.append(char)
            i += 3
            continue
        if c in URI_ESCAPES:
            vi, en = label(field, scheme)
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

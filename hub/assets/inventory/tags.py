"""From what a reader or a phone gives (an EPC's hex, a QR code's EPC URI, a typed asset number) to the asset.

Why here and not only `assets.epc_hex = …`: the register keeps each asset's EPC, but a tag written before the
agency's EPC rule changed, or a QR label, names the asset by its GIAI reference (the asset number itself) or, for
GID-96, by its register serial; decoding with protocol.epc finds those too. A tag that names no asset is
"unknown" and keeps its hex (or URI) so the officer can register it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import psycopg

from hub.assets.inventory import repository
from protocol.epc import AssetEpcPolicy, Epc, EpcError, identify, parse_uri

HEX = re.compile(r"^(?:0X)?([0-9A-F]{8,128})$")
NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MAX_CODE = 160


@dataclass(frozen=True, slots=True)
class Identified:
    tag: str  # the key of the read: the asset's EPC hex when it has one, else the hex / URI / "asset:<number>"
    asset_id: int | None


def _normal(code: str) -> str:
    return "".join(code.split()).upper() if HEX.match("".join(code.split()).upper()) else code.strip()


def _reference(epc: Epc | None, policy: AssetEpcPolicy | None) -> tuple[str, str] | None:
    """("number", asset number) for a GIAI of the agency's prefix, ("serial", id) for its GID-96; else None."""
    if epc is None:
        return None
    if epc.scheme.startswith("giai") and (policy is None or policy.company_prefix in (None, epc.parts[0])):
        return "number", epc.parts[1]
    if epc.scheme == "gid-96" and policy is not None and policy.gid_manager is not None:
        if epc.parts[0] == str(policy.gid_manager) and epc.parts[1] == str(policy.gid_class):
            return "serial", epc.parts[2]
    return None


def identify_codes(conn: psycopg.Connection, codes: Iterable[str], policy: AssetEpcPolicy | None) -> list[Identified]:
    """Each code (hex, EPC URI, asset number) as the tag key and the asset it names (None: unknown)."""
    normal = [_normal(c) for c in codes]
    hexes = [c for c in normal if HEX.match(c)]
    by_epc = repository.assets_by_epc(conn, [h.removeprefix("0X") for h in hexes]) if hexes else {}
    refs: dict[str, tuple[str, str] | None] = {}
    for code in normal:
        bare = code.removeprefix("0X")
        if HEX.match(code):
            if bare not in by_epc:
                refs[code] = _reference(identify(bare), policy)
        elif code.lower().startswith("urn:epc:"):
            try:
                refs[code] = _reference(parse_uri(code), policy)
            except EpcError:
                refs[code] = None
        elif NUMBER.match(code):
            refs[code] = ("number", code)
        else:
            refs[code] = None
    numbers = repository.assets_by_number(conn, [r[1] for r in refs.values() if r and r[0] == "number"])
    serials = [int(r[1]) for r in refs.values() if r and r[0] == "serial" and r[1].isdigit() and len(r[1]) < 18]
    by_serial = repository.assets_by_id(conn, serials) if serials else {}
    out = []
    for code in normal:
        bare = code.removeprefix("0X")
        if bare in by_epc:
            out.append(Identified(bare, by_epc[bare]))
            continue
        ref = refs.get(code)
        asset: tuple[int, str | None] | None = None
        if ref and ref[0] == "number":
            asset = numbers.get(ref[1])
        elif ref and ref[0] == "serial" and ref[1].isdigit() and int(ref[1]) in by_serial:
            asset = (int(ref[1]), by_serial[int(ref[1])])
        if asset is not None:
            number = ref[1] if ref and ref[0] == "number" else str(asset[0])
            out.append(Identified(asset[1] or f"asset:{number}", asset[0]))
        else:
            out.append(Identified(bare if HEX.match(code) else code[:MAX_CODE], None))
    return out

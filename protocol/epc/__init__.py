"""GS1 EPC Tag Data Standard: the codec (binary hex ⇄ tag URI ⇄ pure identity URI) and the rule that
gives an asset its EPC. Pure Python, no dependencies: the edge agent decodes the tags it reads."""

from protocol.epc.assets import AssetEpcPolicy, asset_epc
from protocol.epc.codec import Epc, decode, identify, raw_uri
from protocol.epc.schemes import FAMILIES, SCHEMES, EpcError
from protocol.epc.uris import encode, parse_pure_uri, parse_tag_uri, parse_uri

__all__ = [
    "FAMILIES",
    "SCHEMES",
    "AssetEpcPolicy",
    "Epc",
    "EpcError",
    "asset_epc",
    "decode",
    "encode",
    "identify",
    "parse_pure_uri",
    "parse_tag_uri",
    "parse_uri",
    "raw_uri",
]

"""The asset EPC rule (DOMAIN.md §12.2): GIAI-96 for a number without leading zeros, GIAI-202 for
anything else, GID-96 (with the register's serial) when the agency has no GS1 company prefix."""

from __future__ import annotations

import pytest

from protocol.epc import AssetEpcPolicy, EpcError, asset_epc, decode

GS1 = AssetEpcPolicy(company_prefix="8934567", filter=0)  # a Vietnamese prefix (893…), 7 digits: partition 5


@pytest.mark.parametrize(
    ("reference", "scheme"),
    [
        ("12345400", "giai-96"),
        ("0", "giai-96"),
        (str((1 << 58) - 1), "giai-96"),  # the largest of partition 5 (58 bits)
        (str(1 << 58), "giai-202"),  # one more: too large for 96 bits, kept as characters
        ("0012", "giai-202"),  # a leading zero would be lost in GIAI-96
        ("HQ2-2024-0123", "giai-202"),
        ("A" * 23, "giai-202"),  # 30 − 7 characters: the most a GIAI holds with this prefix
    ],
)
def test_the_scheme_follows_the_reference(reference: str, scheme: str) -> None:
    epc = asset_epc(reference, GS1)
    assert epc.scheme == scheme and epc.fields["asset_reference"] == reference
    back = decode(epc.hex)
    assert back.fields["asset_reference"] == reference  # exactly as written, leading zeros included
    assert back.gs1_element_string == f"(8004)8934567{reference}"


@pytest.mark.parametrize("reference", ["A" * 24, "HQ 2", "tài-sản-1", ""])
def test_references_no_giai_can_hold_are_refused(reference: str) -> None:
    with pytest.raises(EpcError) as refused:
        asset_epc(reference, GS1)
    assert "GIAI-202" in refused.value.en and refused.value.vi


def test_without_a_gs1_prefix_gid_96_carries_the_register_serial() -> None:
    policy = AssetEpcPolicy(gid_manager=95100000, gid_class=12)
    epc = asset_epc("HQ2-2024-0123", policy, register_serial=400)
    assert epc.tag_uri == "urn:epc:tag:gid-96:95100000.12.400" and decode(epc.hex) == epc
    assert asset_epc("0012", policy, register_serial=7).fields["serial"] == "7"
    with pytest.raises(EpcError, match="register serial"):
        asset_epc("HQ2", policy)
    with pytest.raises(EpcError, match="too large"):
        asset_epc("HQ2", policy, register_serial=1 << 36)


def test_a_policy_must_be_usable() -> None:
    with pytest.raises(EpcError, match="neither a GS1 company prefix nor a GID manager"):
        asset_epc("1", AssetEpcPolicy())
    for bad in ({"company_prefix": "89345"}, {"gid_manager": 1 << 28}, {"gid_class": -1}, {"filter": 8}):
        with pytest.raises(EpcError):
            AssetEpcPolicy(**bad)

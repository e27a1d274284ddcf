"""Which EPC an asset's tag carries (DOMAIN.md §12.2).

- The agency has a GS1 company prefix: the asset number is the GIAI's individual asset reference,
  kept exactly as written —
  - GIAI-96 when it is a number without leading zeros that fits the partition's bits;
  - GIAI-202 otherwise (letters, dashes, leading zeros, or a number too large for 96 bits).
- No GS1 company prefix: GID-96 with the agency's general manager number and object class; its
  serial is the asset's numeric serial in the register (asset numbers such as `HQ2-2024-0123` do
  not fit a 36-bit integer, and using the number for some assets and the register serial for others
  could give two assets one EPC). The register then maps the EPC to the asset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from protocol.epc.codec import Epc
from protocol.epc.schemes import GID_BITS, EpcError


@dataclass(frozen=True)
class AssetEpcPolicy:
    """The agency's EPC settings: a GS1 company prefix, or else a GID-96 manager number and class."""

    company_prefix: str | None = None
    gid_manager: int | None = None
    gid_class: int = 1
    filter: int = 0  # GIAI filter value: 0 all others (1 = rail vehicle)

    def __post_init__(self) -> None:
        if self.company_prefix is not None and not re.fullmatch(r"[0-9]{6,12}", self.company_prefix):
            raise EpcError(
                f"mã doanh nghiệp GS1 phải có 6 đến 12 chữ số, nhận '{self.company_prefix}'",
                f"the GS1 company prefix must have 6 to 12 digits, got '{self.company_prefix}'",
            )
        if self.gid_manager is not None and not 0 <= self.gid_manager < 1 << GID_BITS[0]:
            raise EpcError(
                f"mã đơn vị quản lý GID phải từ 0 đến {(1 << GID_BITS[0]) - 1}",
                f"the GID manager number must be 0 to {(1 << GID_BITS[0]) - 1}",
            )
        if not 0 <= self.gid_class < 1 << GID_BITS[1]:
            raise EpcError(
                f"lớp đối tượng GID phải từ 0 đến {(1 << GID_BITS[1]) - 1}",
                f"the GID object class must be 0 to {(1 << GID_BITS[1]) - 1}",
            )
        if not 0 <= self.filter <= 7:
            raise EpcError("giá trị lọc (filter) phải từ 0 đến 7", "the filter value must be 0 to 7")

    @property
    def uses_gid(self) -> bool:
        return self.company_prefix is None


def asset_epc(reference: str, policy: AssetEpcPolicy, *, register_serial: int | None = None) -> Epc:
    """The EPC of the asset numbered `reference` (GIAI), or with `register_serial` (GID-96)."""
    if policy.company_prefix is not None:
        if re.fullmatch(r"0|[1-9][0-9]*", reference or ""):
            try:
                return Epc("giai-96", policy.filter, (policy.company_prefix, reference))
            except EpcError:
                pass  # a number too large for GIAI-96's bits: GIAI-202 holds up to 30 − L characters
        return Epc("giai-202", policy.filter, (policy.company_prefix, reference))
    if policy.gid_manager is None:
        raise EpcError(
            "chưa cấu hình mã doanh nghiệp GS1 hay mã đơn vị quản lý GID (CCES_ASSETS_GS1_COMPANY_PREFIX"
            " / CCES_ASSETS_GID_MANAGER)",
            "neither a GS1 company prefix nor a GID manager number is configured (CCES_ASSETS_GS1_COMPANY_PREFIX"
            " / CCES_ASSETS_GID_MANAGER)",
        )
    if register_serial is None or isinstance(register_serial, bool):
        raise EpcError(
            f"không có mã GS1: GID-96 cần số sê-ri của tài sản '{reference}' trong sổ tài sản",
            f"no GS1 prefix: GID-96 needs the register serial of asset '{reference}'",
        )
    return Epc("gid-96", None, (str(policy.gid_manager), str(policy.gid_class), str(register_serial)))

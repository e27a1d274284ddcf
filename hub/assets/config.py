"""The assets service's parts from the [assets] settings (CCES_ASSETS_…): the EPC rule and the first-year
wear rule. The running hub and the `cces assets` commands build the service from the same settings, so an
asset imported from the command line gets the same EPC as one imported on the page."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.settings import AssetsSettings

log = logging.getLogger(__name__)


def service_parts(a: AssetsSettings) -> dict[str, Any]:
    """`first_year` and `asset_policy` for AssetsService (the policy None while no EPC rule is set)."""
    from hub.assets.wear import FirstYear
    from protocol.epc import AssetEpcPolicy, EpcError

    parts: dict[str, Any] = {"first_year": FirstYear(a.first_year_wear), "asset_policy": None}
    if a.gs1_company_prefix is None and a.gid_manager is None:
        return parts  # no EPC rule configured: assets are registered without an EPC until it is
    try:
        parts["asset_policy"] = AssetEpcPolicy(
            company_prefix=a.gs1_company_prefix, gid_manager=a.gid_manager, gid_class=a.gid_class, filter=a.epc_filter
        )
    except EpcError as exc:
        log.error("assets: the EPC settings are not usable: %s", exc)
    return parts

"""Two offices mapped to two Cục (and devices at them, at an unmapped office and at none), through the
real repository functions: the data the device-scope tests share."""

from __future__ import annotations

import psycopg

from hub.devices.repository import register_device, set_status
from hub.galleries.repository import replace_site_units, unit_ids

HN_SITE = "Trụ sở Cục Hà Nội"  # serves CHQHN (and so CCHQNB, DOI1)
HCM_SITE = "Trụ sở Cục TP. HCM"  # serves CHQHCM
UNMAPPED_SITE = "Kho ngoại quan"  # an office no unit is mapped to
SITE_UNITS = {HN_SITE: ["CHQHN"], HCM_SITE: ["CHQHCM"]}
DEVICES = [
    # device_id, site, online now
    ("door-hn-01", HN_SITE, True),
    ("door-hn-02", HN_SITE, False),
    ("door-hcm-01", HCM_SITE, False),
    ("door-kho-01", UNMAPPED_SITE, False),
    ("door-none-01", None, False),
]
HN_DEVICES = ["door-hn-01", "door-hn-02"]
ALL_DEVICES = sorted(d[0] for d in DEVICES)


def map_sites(conn: psycopg.Connection, site_units: dict[str, list[str]] | None = None) -> None:
    """`site_units` rows (office → unit codes), as the galleries admin sets them."""
    for site, codes in (site_units or SITE_UNITS).items():
        ids = unit_ids(conn, codes)
        replace_site_units(conn, site, [ids[c] for c in codes], "test")


def seed_devices(conn: psycopg.Connection) -> None:
    """The offices mapped and the devices registered with a status history (online, or online then offline)."""
    map_sites(conn)
    for device_id, site, online in DEVICES:
        register_device(conn, device_id, f"dev-{device_id}", "x", kind="faceid", site=site, rotate=True)
        set_status(conn, device_id, True, "1.0.0")
        if not online:
            set_status(conn, device_id, False, None)

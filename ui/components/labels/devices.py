"""Device codes as people say them: kinds (`faceid` → 'Cửa FaceID'), door directions, capabilities.

The fleet, a device's page, the start page and the uptime report all show a device's kind; they
take its label from here so a door is called the same everywhere.
"""

from __future__ import annotations

from hub.devices.models import DeviceKind, DoorDirection
from ui.components.format import NOTHING, Translate
from ui.i18n import N_

#: a capability an agent runs, as `restart_capability` names it → how it is said
CAPABILITIES: dict[str, str] = {
    "faceid": N_("Nhận dạng khuôn mặt (FaceID)"),
    "rfid": N_("Đầu đọc thẻ RFID"),
    "display": N_("Màn hình"),
    "simulated": N_("Mô phỏng (thử nghiệm)"),
}
#: each kind of device
KIND_TEXTS: dict[DeviceKind, str] = {
    DeviceKind.GENERIC: N_("Khác"),
    DeviceKind.FACEID: N_("Cửa FaceID"),
    DeviceKind.RFID: N_("Đầu đọc RFID"),
    DeviceKind.DISPLAY: N_("Màn hình phòng họp"),
}
#: each door direction, and a door that counts both ways (no direction set)
DIRECTION_TEXTS: dict[DoorDirection, str] = {DoorDirection.IN: N_("Vào"), DoorDirection.OUT: N_("Ra")}
BOTH_WAYS = N_("Cả hai")
#: whether a device is online now (the fleet, a device's page, the start page, the uptime report)
ONLINE: dict[bool, str] = {True: N_("Trực tuyến"), False: N_("Mất kết nối")}
#: the RFID reader kinds an agent drives (devices.rfid: its `reader` config)
READER_KINDS: dict[str, str] = {
    "chafon": N_("đầu đọc nối tiếp Chafon"),
    "yrm100": N_("mô-đun nối tiếp YRM100"),
    "wedge": N_("đầu đọc USB giả lập bàn phím"),
    "llrp": N_("đầu đọc mạng LLRP"),
}

KINDS = frozenset(k.value for k in DeviceKind)


def kind_label(t: Translate, kind: str | None) -> str:
    """'Cửa FaceID' for `faceid`; a kind the hub does not know stays as it is."""
    if not kind:
        return NOTHING
    return t(KIND_TEXTS[DeviceKind(kind)]) if kind in KINDS else kind


def kind_options(t: Translate) -> dict[str, str]:
    """Every kind, code → label (a select's options)."""
    return {k.value: t(KIND_TEXTS[k]) for k in DeviceKind}


def direction_label(t: Translate, direction: str | None) -> str:
    """'Vào' / 'Ra', or 'Cả hai' for a door that counts both ways (no direction set)."""
    directions = {d.value: d for d in DoorDirection}
    return t(DIRECTION_TEXTS[directions[direction]]) if direction in directions else t(BOTH_WAYS)


def direction_options(t: Translate) -> dict[str, str]:
    """'' (both ways) and each direction, code → label."""
    return {"": t(BOTH_WAYS), **{d.value: t(DIRECTION_TEXTS[d]) for d in DoorDirection}}


def capability_label(t: Translate, capability: str) -> str:
    return t(CAPABILITIES[capability]) if capability in CAPABILITIES else capability

"""Device codes as people say them: kinds (`faceid` → 'Cửa FaceID'), door directions, capabilities.

The fleet, a device's page, the start page and the uptime report all show a device's kind; they
take its label from here so a door is called the same everywhere.
"""

from __future__ import annotations

from hub.devices.models import DeviceKind, DoorDirection
from ui.components.format import NOTHING, Translate
from ui.i18n import register_texts

#: a capability an agent runs, as `restart_capability` names it → (Vietnamese, English)
CAPABILITIES: dict[str, tuple[str, str]] = {
    "faceid": ("Nhận dạng khuôn mặt (FaceID)", "Face recognition (FaceID)"),
    "rfid": ("Đầu đọc thẻ RFID", "RFID reader"),
    "display": ("Màn hình", "Display"),
    "simulated": ("Mô phỏng (thử nghiệm)", "Simulation (testing)"),
}

register_texts(
    {
        "kind_generic": {"vi": "Khác", "en": "Generic"},
        "kind_faceid": {"vi": "Cửa FaceID", "en": "FaceID door"},
        "kind_rfid": {"vi": "Đầu đọc RFID", "en": "RFID reader"},
        "kind_display": {"vi": "Màn hình phòng họp", "en": "Room display"},
        "direction_in": {"vi": "Vào", "en": "In"},
        "direction_out": {"vi": "Ra", "en": "Out"},
        "direction_both": {"vi": "Cả hai", "en": "Both"},
    }
    | {f"capability.{code}": {"vi": vi, "en": en} for code, (vi, en) in CAPABILITIES.items()}
)

KINDS = frozenset(k.value for k in DeviceKind)


def kind_label(t: Translate, kind: str | None) -> str:
    """'Cửa FaceID' for `faceid`; a kind the hub does not know stays as it is."""
    if not kind:
        return NOTHING
    return t(f"kind_{kind}") if kind in KINDS else kind


def kind_options(t: Translate) -> dict[str, str]:
    """Every kind, code → label (a select's options)."""
    return {k.value: t(f"kind_{k.value}") for k in DeviceKind}


def direction_label(t: Translate, direction: str | None) -> str:
    """'Vào' / 'Ra', or 'Cả hai' for a door that counts both ways (no direction set)."""
    return t(f"direction_{direction}") if direction in {d.value for d in DoorDirection} else t("direction_both")


def direction_options(t: Translate) -> dict[str, str]:
    """'' (both ways) and each direction, code → label."""
    return {"": t("direction_both"), **{d.value: t(f"direction_{d.value}") for d in DoorDirection}}


def capability_label(t: Translate, capability: str) -> str:
    return t(f"capability.{capability}") if capability in CAPABILITIES else capability

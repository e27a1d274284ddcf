"""The kiosk screens' texts, Vietnamese first (the working language), English second."""

from __future__ import annotations

from ui.i18n import register_texts, t

KIOSK_TEXTS: dict[str, dict[str, str]] = {
    "kiosk_checked_in": {"vi": "Đã chấm công vào", "en": "Checked in"},
    "kiosk_checked_out": {"vi": "Đã chấm công ra", "en": "Checked out"},
    "kiosk_checked": {"vi": "Đã chấm công", "en": "Attendance recorded"},
    "kiosk_hello": {"vi": "Xin chào", "en": "Hello"},
    "kiosk_unknown": {
        "vi": "Không nhận diện được, vui lòng liên hệ quản trị",
        "en": "Not recognised, please see the admin",
    },
    "kiosk_look": {"vi": "Xin mời nhìn vào camera", "en": "Please look at the camera"},
    "kiosk_recent": {"vi": "Vừa chấm công", "en": "Recent check-ins"},
    "kiosk_hub_online": {"vi": "Đã kết nối máy chủ", "en": "Connected to the hub"},
    "kiosk_hub_offline": {
        "vi": "Mất kết nối máy chủ — vẫn chấm công bình thường",
        "en": "Hub offline — attendance is still recorded",
    },
    "kiosk_door_online": {"vi": "Thiết bị trực tuyến", "en": "Door device online"},
    "kiosk_door_offline": {"vi": "Thiết bị mất kết nối", "en": "Door device offline"},
    "kiosk_no_feed": {"vi": "Không kết nối được thiết bị nhận diện", "en": "Cannot reach the recognition agent"},
    "kiosk_no_camera": {"vi": "Chưa có hình ảnh camera", "en": "No camera picture yet"},
    "kiosk_camera_reconnecting": {"vi": "Camera đang kết nối lại…", "en": "Camera reconnecting…"},
    "kiosk_unknown_device": {"vi": "Không tìm thấy thiết bị", "en": "No such device"},
    "kiosk_unknown_person": {"vi": "Người chưa đăng ký", "en": "Unregistered person"},
    "kiosk_room": {"vi": "Phòng họp", "en": "Meeting room"},
    "kiosk_no_meeting": {"vi": "Hiện không có cuộc họp", "en": "No meeting now"},
    "kiosk_next_none": {"vi": "Chưa có lịch họp tiếp theo", "en": "No further meeting scheduled"},
    "kiosk_bad_room": {"vi": "Mã phòng không hợp lệ", "en": "Invalid room id"},
    "kiosk_refused": {
        "vi": "Màn hình này chưa có liên kết hợp lệ. Vui lòng liên hệ quản trị để được cấp liên kết mới.",
        "en": "This screen has no valid link. Please ask an administrator for a new one.",
    },
}
register_texts(KIOSK_TEXTS)

LANGUAGES = ("vi", "en")


def checked_text(direction: str | None, lang: str) -> str:
    """The "Đã chấm công vào/ra" line by the door's direction (a door with none configured: just "recorded")."""
    key = {"in": "kiosk_checked_in", "out": "kiosk_checked_out"}.get(direction or "", "kiosk_checked")
    return t(key, lang)


def language(value: str | None) -> str:
    """A supported language from a query parameter; anything else means Vietnamese."""
    return value if value in LANGUAGES else "vi"


__all__ = ["KIOSK_TEXTS", "LANGUAGES", "checked_text", "language", "t"]

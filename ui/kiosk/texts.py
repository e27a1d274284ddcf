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
    "kiosk_unknown_room": {"vi": "Không tìm thấy phòng họp", "en": "No such meeting room"},
    "kiosk_room_free": {"vi": "Phòng trống", "en": "Available"},
    "kiosk_room_busy": {"vi": "Đang họp", "en": "In a meeting"},
    "kiosk_room_starting_soon": {"vi": "Sắp họp", "en": "Starting soon"},
    "kiosk_room_next": {"vi": "Cuộc họp tiếp theo", "en": "Next meeting"},
    "kiosk_room_chair": {"vi": "Chủ trì", "en": "Chair"},
    "kiosk_room_agenda": {"vi": "Nội dung đang thảo luận", "en": "Now discussing"},
    "kiosk_room_presenter": {"vi": "Trình bày", "en": "Presented by"},
    "kiosk_room_speaker": {"vi": "Đang phát biểu", "en": "Speaking"},
    "kiosk_room_remaining": {"vi": "Còn lại", "en": "Remaining"},
    "kiosk_room_overtime": {"vi": "Quá giờ", "en": "Over time"},
    "kiosk_room_vote": {"vi": "Kết quả biểu quyết", "en": "Vote results"},
    "kiosk_room_secret": {"vi": "bỏ phiếu kín", "en": "secret ballot"},
    "kiosk_room_cast": {"vi": "Số phiếu", "en": "Votes cast"},
    "kiosk_room_passed": {"vi": "Thông qua", "en": "Passed"},
    "kiosk_room_rejected": {"vi": "Không thông qua", "en": "Not passed"},
    "kiosk_room_no_quorum": {"vi": "Không đủ số lượng tối thiểu", "en": "No quorum"},
    "kiosk_room_checkin": {"vi": "Quét mã để điểm danh", "en": "Scan to check in"},
    "kiosk_room_unavailable": {
        "vi": "Không đọc được lịch phòng họp — đang hiển thị thông tin cuối cùng",
        "en": "Cannot read the room's schedule — showing the last information",
    },
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

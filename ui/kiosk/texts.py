"""The kiosk screens' texts, Vietnamese first (the working language), English second (in the gettext catalogue,
ui/locale/en/LC_MESSAGES/cces.po): each a constant shown with `t(TEXT, lang)`."""

from __future__ import annotations

from ui.i18n import N_, t

CHECKED_IN = N_("Đã chấm công vào")
CHECKED_OUT = N_("Đã chấm công ra")
CHECKED = N_("Đã chấm công")
HELLO = N_("Xin chào")
UNKNOWN = N_("Không nhận diện được, vui lòng liên hệ quản trị")
LOOK = N_("Xin mời nhìn vào camera")
RECENT = N_("Vừa chấm công")
HUB_ONLINE = N_("Đã kết nối máy chủ")
HUB_OFFLINE = N_("Mất kết nối máy chủ — vẫn chấm công bình thường")
DOOR_ONLINE = N_("Thiết bị trực tuyến")
DOOR_OFFLINE = N_("Thiết bị mất kết nối")
NO_FEED = N_("Không kết nối được thiết bị nhận diện")
NO_CAMERA = N_("Chưa có hình ảnh camera")
CAMERA_RECONNECTING = N_("Camera đang kết nối lại…")
UNKNOWN_DEVICE = N_("Không tìm thấy thiết bị")
UNKNOWN_PERSON = N_("Người chưa đăng ký")
ROOM = N_("Phòng họp")
NO_MEETING = N_("Hiện không có cuộc họp")
NEXT_NONE = N_("Chưa có lịch họp tiếp theo")
BAD_ROOM = N_("Mã phòng không hợp lệ")
UNKNOWN_ROOM = N_("Không tìm thấy phòng họp")
ROOM_NEXT = N_("Cuộc họp tiếp theo")
ROOM_CHAIR = N_("Chủ trì")
ROOM_AGENDA = N_("Nội dung đang thảo luận")
ROOM_PRESENTER = N_("Trình bày")
ROOM_SPEAKER = N_("Đang phát biểu")
ROOM_REMAINING = N_("Còn lại")
ROOM_OVERTIME = N_("Quá giờ")
ROOM_VOTE = N_("Kết quả biểu quyết")
ROOM_SECRET = N_("bỏ phiếu kín")
ROOM_CAST = N_("Số phiếu")
ROOM_PASSED = N_("Thông qua")
ROOM_REJECTED = N_("Không thông qua")
ROOM_NO_QUORUM = N_("Không đủ số lượng tối thiểu")
ROOM_CHECKIN = N_("Quét mã để điểm danh")
ROOM_UNAVAILABLE = N_("Không đọc được lịch phòng họp — đang hiển thị thông tin cuối cùng")
REFUSED = N_("Màn hình này chưa có liên kết hợp lệ. Vui lòng liên hệ quản trị để được cấp liên kết mới.")

#: a room's state on its display (protocol: the display state's colour)
ROOM_STATES = {
    "free": N_("Phòng trống"),
    "busy": N_("Đang họp"),
    "starting_soon": N_("Sắp họp"),
}

LANGUAGES = ("vi", "en")


def checked_text(direction: str | None, lang: str) -> str:
    """The "Đã chấm công vào/ra" line by the door's direction (a door with none configured: just "recorded")."""
    return t({"in": CHECKED_IN, "out": CHECKED_OUT}.get(direction or "", CHECKED), lang)


def language(value: str | None) -> str:
    """A supported language from a query parameter; anything else means Vietnamese."""
    return value if value in LANGUAGES else "vi"

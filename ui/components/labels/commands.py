"""Device command codes as people say them: names (`resync_gallery` → 'Tải lại thư viện khuôn mặt'),
their arguments' names and hints, the state of a sent command and why a device refused one."""

from __future__ import annotations

from protocol.commands import COMMAND_NAMES
from ui.components.format import Translate
from ui.i18n import N_

#: command name → how it is said
COMMANDS: dict[str, str] = {
    "ping": N_("Kiểm tra kết nối (ping)"),
    "resync_gallery": N_("Tải lại thư viện khuôn mặt"),
    "restart_capability": N_("Khởi động lại một chức năng"),
    "snapshot": N_("Chụp một ảnh từ máy ảnh"),
    "flush_outbox": N_("Gửi hết sự kiện đang chờ"),
    "update_pack": N_("Cập nhật gói mô hình"),
    "show_alert": N_("Hiện cảnh báo trên màn hình"),
}

#: argument name → (its label, its hint)
ARGUMENTS: dict[str, tuple[str, str]] = {
    "capability": (N_("Chức năng"), N_("Chức năng cần khởi động lại")),
    "max_side": (N_("Cạnh dài nhất (điểm ảnh)"), N_("Kích thước ảnh JPEG")),
    "quality": (N_("Chất lượng JPEG"), N_("Cao hơn: ảnh rõ hơn, nặng hơn")),
    "timeout_s": (N_("Chờ tối đa (giây)"), N_("Thời gian chờ gửi hết")),
    "pack_id": (N_("Mã gói mô hình"), N_("Như trong manifest của gói")),
    "version": (N_("Phiên bản gói"), N_("Phiên bản gói trên hub")),
    "sha256": (N_("Mã băm SHA-256"), N_("Của tệp lưu trữ gói (64 ký tự hex)")),
    "size": (N_("Dung lượng (byte)"), N_("Của tệp lưu trữ gói")),
    "title_vi": (N_("Tiêu đề (tiếng Việt)"), N_("Dòng chữ lớn")),
    "title_en": (N_("Tiêu đề (tiếng Anh)"), N_("Dòng thứ hai")),
    "text_vi": (N_("Nội dung (tiếng Việt)"), N_("Cái gì, lúc nào")),
    "text_en": (N_("Nội dung (tiếng Anh)"), N_("Cái gì, lúc nào")),
    "show_s": (N_("Hiện trong (giây)"), N_("Từ 1 đến 600 giây")),
}

#: why a device did not carry out a command (protocol.commands.RefusalCode) → how it is said
REFUSALS: dict[str, str] = {
    "expired": N_("Hết hạn trước khi thiết bị nhận được"),
    "unknown_command": N_("Thiết bị không biết lệnh này"),
    "bad_command": N_("Lệnh không đọc được"),
    "bad_args": N_("Tham số không đúng"),
    "unavailable": N_("Chức năng không có trên thiết bị"),
    "failed": N_("Thực hiện không thành công"),
}

#: the state of a sent command
STATES: dict[str, str] = {
    "pending": N_("Đang chờ trả lời"),
    "replied": N_("Đã trả lời"),
    "expired": N_("Hết hạn, không có trả lời"),
}


def command_label(t: Translate, name: str) -> str:
    return t(COMMANDS[name]) if name in COMMANDS else name


def command_options(t: Translate) -> dict[str, str]:
    """Every command of the protocol, name → label, in the protocol's order."""
    return {name: command_label(t, name) for name in COMMAND_NAMES}


def argument_label(t: Translate, name: str) -> str:
    return t(ARGUMENTS[name][0]) if name in ARGUMENTS else name


def argument_hint(t: Translate, name: str) -> str:
    return t(ARGUMENTS[name][1]) if name in ARGUMENTS else ""


def state_label(t: Translate, state: str) -> str:
    return t(STATES[state]) if state in STATES else state


def refusal_label(t: Translate, code: str | None) -> str:
    return t(REFUSALS[code]) if code in REFUSALS else (code or "")

"""Device command codes as people say them: names (`resync_gallery` → 'Tải lại thư viện khuôn mặt'),
their arguments' names and hints, the state of a sent command and why a device refused one."""

from __future__ import annotations

from protocol.commands import COMMAND_NAMES
from ui.components.format import Translate
from ui.i18n import register_texts

#: command name → (Vietnamese, English)
COMMANDS: dict[str, tuple[str, str]] = {
    "ping": ("Kiểm tra kết nối (ping)", "Check the connection (ping)"),
    "resync_gallery": ("Tải lại thư viện khuôn mặt", "Download the face gallery again"),
    "restart_capability": ("Khởi động lại một chức năng", "Restart a capability"),
    "snapshot": ("Chụp một ảnh từ máy ảnh", "Take a camera snapshot"),
    "flush_outbox": ("Gửi hết sự kiện đang chờ", "Send the waiting events now"),
    "update_pack": ("Cập nhật gói mô hình", "Update the model pack"),
    "show_alert": ("Hiện cảnh báo trên màn hình", "Show an alert on the screen"),
}

#: argument name → (Vietnamese label, English label, Vietnamese hint, English hint)
ARGUMENTS: dict[str, tuple[str, str, str, str]] = {
    "capability": ("Chức năng", "Capability", "Chức năng cần khởi động lại", "The capability to restart"),
    "max_side": ("Cạnh dài nhất (điểm ảnh)", "Longest side (pixels)", "Kích thước ảnh JPEG", "Size of the JPEG"),
    "quality": ("Chất lượng JPEG", "JPEG quality", "Cao hơn: ảnh rõ hơn, nặng hơn", "Higher: sharper, larger"),
    "timeout_s": ("Chờ tối đa (giây)", "Wait at most (seconds)", "Thời gian chờ gửi hết", "How long to wait"),
    "pack_id": ("Mã gói mô hình", "Pack id", "Như trong manifest của gói", "As in the pack's manifest"),
    "version": ("Phiên bản gói", "Pack version", "Phiên bản gói trên hub", "The hub's version of the pack"),
    "sha256": ("Mã băm SHA-256", "SHA-256 hash", "Của tệp lưu trữ gói (64 ký tự hex)", "Of the pack archive (64 hex)"),
    "size": ("Dung lượng (byte)", "Size (bytes)", "Của tệp lưu trữ gói", "Of the pack archive"),
    "title_vi": ("Tiêu đề (tiếng Việt)", "Headline (Vietnamese)", "Dòng chữ lớn", "The large line"),
    "title_en": ("Tiêu đề (tiếng Anh)", "Headline (English)", "Dòng thứ hai", "The second line"),
    "text_vi": ("Nội dung (tiếng Việt)", "Text (Vietnamese)", "Cái gì, lúc nào", "What and when"),
    "text_en": ("Nội dung (tiếng Anh)", "Text (English)", "Cái gì, lúc nào", "What and when"),
    "show_s": ("Hiện trong (giây)", "Show for (seconds)", "Từ 1 đến 600 giây", "1 to 600 seconds"),
}

#: why a device did not carry out a command (protocol.commands.RefusalCode) → (Vietnamese, English)
REFUSALS: dict[str, tuple[str, str]] = {
    "expired": ("Hết hạn trước khi thiết bị nhận được", "Expired before the device got it"),
    "unknown_command": ("Thiết bị không biết lệnh này", "The device does not know this command"),
    "bad_command": ("Lệnh không đọc được", "The command could not be read"),
    "bad_args": ("Tham số không đúng", "Wrong arguments"),
    "unavailable": ("Chức năng không có trên thiết bị", "Not available on the device"),
    "failed": ("Thực hiện không thành công", "Failed"),
}

register_texts(
    {f"command.{name}": {"vi": vi, "en": en} for name, (vi, en) in COMMANDS.items()}
    | {f"command_arg.{name}": {"vi": vi, "en": en} for name, (vi, en, _hv, _he) in ARGUMENTS.items()}
    | {f"command_hint.{name}": {"vi": hv, "en": he} for name, (_vi, _en, hv, he) in ARGUMENTS.items()}
    | {f"command_refusal.{code}": {"vi": vi, "en": en} for code, (vi, en) in REFUSALS.items()}
    | {
        "command_state_pending": {"vi": "Đang chờ trả lời", "en": "Waiting for a reply"},
        "command_state_replied": {"vi": "Đã trả lời", "en": "Replied"},
        "command_state_expired": {"vi": "Hết hạn, không có trả lời", "en": "Expired, no reply"},
    }
)


def command_label(t: Translate, name: str) -> str:
    return t(f"command.{name}") if name in COMMANDS else name


def command_options(t: Translate) -> dict[str, str]:
    """Every command of the protocol, name → label, in the protocol's order."""
    return {name: command_label(t, name) for name in COMMAND_NAMES}


def argument_label(t: Translate, name: str) -> str:
    return t(f"command_arg.{name}") if name in ARGUMENTS else name


def argument_hint(t: Translate, name: str) -> str:
    return t(f"command_hint.{name}") if name in ARGUMENTS else ""


def state_label(t: Translate, state: str) -> str:
    return t(f"command_state_{state}") if state in ("pending", "replied", "expired") else state


def refusal_label(t: Translate, code: str | None) -> str:
    return t(f"command_refusal.{code}") if code in REFUSALS else (code or "")

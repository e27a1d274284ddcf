"""Heartbeat metrics as people say them: `faceid.fps` → 'Khung hình/giây', `True` → 'Có'.

A device reports its metrics as `<capability>.<metric>` keys (edge_agent.agent: the agent's own,
each capability's, `config.…`, `cert.…`, `pack.…`). The device page lists them with these labels;
a key the hub does not know yet keeps its code, after its capability's name when that is known.
"""

from __future__ import annotations

from ui.components.format import NOTHING, Translate
from ui.i18n import N_

#: metric key → how it is said
METRICS: dict[str, str] = {
    "connected": N_("Đang kết nối MQTT"),
    "outbox_over_budget": N_("Hàng đợi vượt hạn mức"),
    "mqtt_connects": N_("Số lần kết nối MQTT"),
    "mqtt_published": N_("Số bản tin đã gửi"),
    "mqtt_acknowledged": N_("Số bản tin được xác nhận"),
    "faceid.state": N_("Trạng thái nhận dạng"),
    "faceid.fps": N_("Khung hình/giây"),
    "faceid.frames": N_("Số khung hình đã xử lý"),
    "faceid.faces_seen": N_("Số khuôn mặt đã thấy"),
    "faceid.attendance": N_("Số lượt chấm công đã gửi"),
    "faceid.unknown": N_("Số lượt người lạ đã gửi"),
    "faceid.model": N_("Mô hình nhận dạng"),
    "faceid.model_commercial_use": N_("Mô hình được dùng thương mại"),
    "faceid.provider": N_("Bộ xử lý suy luận"),
    "faceid.camera_state": N_("Trạng thái máy ảnh"),
    "faceid.camera_drops": N_("Số lần mất tín hiệu máy ảnh"),
    "faceid.camera_error": N_("Lỗi máy ảnh"),
    "faceid.error": N_("Lỗi nhận dạng"),
    "faceid.gallery_version": N_("Phiên bản thư viện khuôn mặt"),
    "faceid.gallery_people": N_("Số người trong thư viện"),
    "faceid.gallery_error": N_("Lỗi thư viện khuôn mặt"),
    "faceid.liveness": N_("Kiểm tra người thật"),
    "rfid.reader": N_("Tên đầu đọc RFID"),
    "rfid.reader_kind": N_("Loại đầu đọc RFID"),
    "rfid.state": N_("Trạng thái đầu đọc RFID"),
    "rfid.connects": N_("Số lần kết nối đầu đọc"),
    "rfid.reconnects": N_("Số lần kết nối lại đầu đọc"),
    "rfid.backoff_s": N_("Chờ trước khi kết nối lại (giây)"),
    "rfid.last_error": N_("Lỗi đầu đọc gần nhất"),
    "rfid.reads": N_("Số lượt đọc thẻ"),
    "rfid.below_floor": N_("Số lượt đọc dưới ngưỡng RSSI"),
    "rfid.events": N_("Số sự kiện đọc thẻ đã lưu"),
    "rfid.open_windows": N_("Số thẻ đang trong cửa sổ lọc trùng"),
    "rfid.tags_present": N_("Số thẻ đang có mặt trong vùng"),
    "rfid.zone": N_("Vùng đọc"),
    "display.room": N_("Phòng họp đang hiển thị"),
    "display.colour": N_("Trạng thái phòng họp"),
    "display.updated_at": N_("Thông tin phòng họp cập nhật lúc"),
    "display.received": N_("Số lần nhận thông tin phòng họp"),
    "display.rejected": N_("Số thông tin phòng họp bị bỏ qua"),
    "config.version": N_("Phiên bản cấu hình đang dùng"),
    "config.gallery_version": N_("Phiên bản thư viện đã cài"),
    "config.error": N_("Lỗi đồng bộ cấu hình"),
    "cert.not_after": N_("Chứng chỉ hết hạn lúc"),
    "cert.serial": N_("Số hiệu chứng chỉ"),
    "cert.renewals": N_("Số lần gia hạn chứng chỉ"),
    "cert.error": N_("Lỗi gia hạn chứng chỉ"),
    "pack.active": N_("Gói mô hình đang dùng"),
    "pack.error": N_("Lỗi cập nhật gói mô hình"),
}

#: the first part of a key → how it is said, for keys not listed above
SOURCES: dict[str, str] = {
    "faceid": N_("Nhận dạng khuôn mặt"),
    "rfid": N_("Đầu đọc thẻ"),
    "display": N_("Màn hình"),
    "simulated": N_("Mô phỏng"),
    "config": N_("Cấu hình"),
    "cert": N_("Chứng chỉ"),
    "pack": N_("Gói mô hình"),
}

#: values that are codes: (metric key, value) → how it is said
VALUES: dict[tuple[str, str], str] = {
    ("faceid.state", "idle"): N_("Chưa chạy"),
    ("faceid.state", "loading"): N_("Đang nạp mô hình"),
    ("faceid.state", "running"): N_("Đang chạy"),
    ("faceid.state", "finished"): N_("Đã xong (hết tệp)"),
    ("faceid.state", "failed"): N_("Lỗi"),
    ("faceid.state", "stopped"): N_("Đã dừng"),
    ("display.colour", "free"): N_("Phòng trống"),
    ("display.colour", "busy"): N_("Đang họp"),
    ("display.colour", "starting_soon"): N_("Sắp họp"),
    ("faceid.camera_state", "closed"): N_("Chưa mở"),
    ("faceid.camera_state", "opening"): N_("Đang mở"),
    ("faceid.camera_state", "streaming"): N_("Đang truyền hình"),
    ("faceid.camera_state", "reconnecting"): N_("Đang kết nối lại"),
    ("faceid.camera_state", "ended"): N_("Đã hết"),
    ("faceid.camera_state", "stopped"): N_("Đã dừng"),
    ("rfid.state", "connecting"): N_("Đang kết nối đầu đọc"),
    ("rfid.state", "connected"): N_("Đã kết nối"),
    ("rfid.state", "backoff"): N_("Mất kết nối, chờ thử lại"),
    ("rfid.state", "stopped"): N_("Đã dừng"),
    ("rfid.reader_kind", "chafon"): N_("Đầu đọc nối tiếp Chafon"),
    ("rfid.reader_kind", "yrm100"): N_("Mô-đun nối tiếp YRM100"),
    ("rfid.reader_kind", "wedge"): N_("Đầu đọc USB giả lập bàn phím"),
    ("rfid.reader_kind", "llrp"): N_("Đầu đọc mạng LLRP"),
}

YES, NO = N_("Có"), N_("Không")


def metric_label(t: Translate, key: str) -> str:
    """'Khung hình/giây' for `faceid.fps`; 'Nhận dạng khuôn mặt · new_metric' for an unknown faceid key."""
    if key in METRICS:
        return t(METRICS[key])
    source, dot, rest = key.partition(".")
    if dot and source in SOURCES:
        return f"{t(SOURCES[source])} · {rest}"
    return key


def metric_value(t: Translate, key: str, value: object) -> str:
    """A metric's value for a person: 'Có'/'Không' for true/false, a state in words, numbers as they are."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return t(YES if value else NO)
    if isinstance(value, str) and (key, value) in VALUES:
        return t(VALUES[(key, value)])
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)

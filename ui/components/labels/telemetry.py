"""Heartbeat metrics as people say them: `faceid.fps` → 'Khung hình/giây', `True` → 'Có'.

A device reports its metrics as `<capability>.<metric>` keys (edge_agent.agent: the agent's own,
each capability's, `config.…`, `cert.…`, `pack.…`). The device page lists them with these labels;
a key the hub does not know yet keeps its code, after its capability's name when that is known.
"""

from __future__ import annotations

from ui.components.format import NOTHING, Translate
from ui.i18n import register_texts

#: metric key → (Vietnamese, English)
METRICS: dict[str, tuple[str, str]] = {
    "connected": ("Đang kết nối MQTT", "Connected to the broker"),
    "outbox_over_budget": ("Hàng đợi vượt hạn mức", "Outbox over its budget"),
    "mqtt_connects": ("Số lần kết nối MQTT", "Broker connections"),
    "mqtt_published": ("Số bản tin đã gửi", "Messages published"),
    "mqtt_acknowledged": ("Số bản tin được xác nhận", "Messages acknowledged"),
    "faceid.state": ("Trạng thái nhận dạng", "Recognition state"),
    "faceid.fps": ("Khung hình/giây", "Frames per second"),
    "faceid.frames": ("Số khung hình đã xử lý", "Frames processed"),
    "faceid.faces_seen": ("Số khuôn mặt đã thấy", "Faces seen"),
    "faceid.attendance": ("Số lượt chấm công đã gửi", "Check-ins sent"),
    "faceid.unknown": ("Số lượt người lạ đã gửi", "Unknown faces sent"),
    "faceid.model": ("Mô hình nhận dạng", "Recognition model"),
    "faceid.model_commercial_use": ("Mô hình được dùng thương mại", "Model licensed for commercial use"),
    "faceid.provider": ("Bộ xử lý suy luận", "Inference provider"),
    "faceid.camera_state": ("Trạng thái máy ảnh", "Camera state"),
    "faceid.camera_drops": ("Số lần mất tín hiệu máy ảnh", "Camera drop-outs"),
    "faceid.camera_error": ("Lỗi máy ảnh", "Camera error"),
    "faceid.error": ("Lỗi nhận dạng", "Recognition error"),
    "faceid.gallery_version": ("Phiên bản thư viện khuôn mặt", "Face gallery version"),
    "faceid.gallery_people": ("Số người trong thư viện", "People in the gallery"),
    "faceid.gallery_error": ("Lỗi thư viện khuôn mặt", "Face gallery error"),
    "faceid.liveness": ("Kiểm tra người thật", "Liveness check"),
    "rfid.reader": ("Tên đầu đọc RFID", "RFID reader name"),
    "rfid.reader_kind": ("Loại đầu đọc RFID", "RFID reader type"),
    "rfid.state": ("Trạng thái đầu đọc RFID", "RFID reader state"),
    "rfid.connects": ("Số lần kết nối đầu đọc", "Reader connections"),
    "rfid.reconnects": ("Số lần kết nối lại đầu đọc", "Reader reconnections"),
    "rfid.backoff_s": ("Chờ trước khi kết nối lại (giây)", "Wait before reconnecting (s)"),
    "rfid.last_error": ("Lỗi đầu đọc gần nhất", "Last reader error"),
    "rfid.reads": ("Số lượt đọc thẻ", "Tag reads"),
    "rfid.below_floor": ("Số lượt đọc dưới ngưỡng RSSI", "Reads below the RSSI floor"),
    "rfid.events": ("Số sự kiện đọc thẻ đã lưu", "Read events stored"),
    "rfid.open_windows": ("Số thẻ đang trong cửa sổ lọc trùng", "Tags in a de-duplication window"),
    "rfid.tags_present": ("Số thẻ đang có mặt trong vùng", "Tags present in their zone"),
    "rfid.zone": ("Vùng đọc", "Read zone"),
    "display.room": ("Phòng họp đang hiển thị", "Room shown"),
    "display.colour": ("Trạng thái phòng họp", "Room state"),
    "display.updated_at": ("Thông tin phòng họp cập nhật lúc", "Room information of"),
    "display.received": ("Số lần nhận thông tin phòng họp", "Room states received"),
    "display.rejected": ("Số thông tin phòng họp bị bỏ qua", "Room states ignored"),
    "config.version": ("Phiên bản cấu hình đang dùng", "Configuration in use"),
    "config.gallery_version": ("Phiên bản thư viện đã cài", "Installed gallery version"),
    "config.error": ("Lỗi đồng bộ cấu hình", "Configuration sync error"),
    "cert.not_after": ("Chứng chỉ hết hạn lúc", "Certificate expires"),
    "cert.serial": ("Số hiệu chứng chỉ", "Certificate serial"),
    "cert.renewals": ("Số lần gia hạn chứng chỉ", "Certificate renewals"),
    "cert.error": ("Lỗi gia hạn chứng chỉ", "Certificate renewal error"),
    "pack.active": ("Gói mô hình đang dùng", "Model pack in use"),
    "pack.error": ("Lỗi cập nhật gói mô hình", "Model pack update error"),
}

#: the first part of a key → (Vietnamese, English), for keys not listed above
SOURCES: dict[str, tuple[str, str]] = {
    "faceid": ("Nhận dạng khuôn mặt", "Face recognition"),
    "rfid": ("Đầu đọc thẻ", "Card reader"),
    "display": ("Màn hình", "Display"),
    "simulated": ("Mô phỏng", "Simulation"),
    "config": ("Cấu hình", "Configuration"),
    "cert": ("Chứng chỉ", "Certificate"),
    "pack": ("Gói mô hình", "Model pack"),
}

#: values that are codes: (metric key, value) → (Vietnamese, English)
VALUES: dict[tuple[str, str], tuple[str, str]] = {
    ("faceid.state", "idle"): ("Chưa chạy", "Idle"),
    ("faceid.state", "loading"): ("Đang nạp mô hình", "Loading the model"),
    ("faceid.state", "running"): ("Đang chạy", "Running"),
    ("faceid.state", "finished"): ("Đã xong (hết tệp)", "Finished (end of file)"),
    ("faceid.state", "failed"): ("Lỗi", "Failed"),
    ("faceid.state", "stopped"): ("Đã dừng", "Stopped"),
    ("display.colour", "free"): ("Phòng trống", "Available"),
    ("display.colour", "busy"): ("Đang họp", "In a meeting"),
    ("display.colour", "starting_soon"): ("Sắp họp", "Starting soon"),
    ("faceid.camera_state", "closed"): ("Chưa mở", "Closed"),
    ("faceid.camera_state", "opening"): ("Đang mở", "Opening"),
    ("faceid.camera_state", "streaming"): ("Đang truyền hình", "Streaming"),
    ("faceid.camera_state", "reconnecting"): ("Đang kết nối lại", "Reconnecting"),
    ("faceid.camera_state", "ended"): ("Đã hết", "Ended"),
    ("faceid.camera_state", "stopped"): ("Đã dừng", "Stopped"),
    ("rfid.state", "connecting"): ("Đang kết nối đầu đọc", "Connecting to the reader"),
    ("rfid.state", "connected"): ("Đã kết nối", "Connected"),
    ("rfid.state", "backoff"): ("Mất kết nối, chờ thử lại", "Lost, waiting to retry"),
    ("rfid.state", "stopped"): ("Đã dừng", "Stopped"),
    ("rfid.reader_kind", "chafon"): ("Đầu đọc nối tiếp Chafon", "Chafon serial reader"),
    ("rfid.reader_kind", "yrm100"): ("Mô-đun nối tiếp YRM100", "YRM100 serial module"),
    ("rfid.reader_kind", "wedge"): ("Đầu đọc USB giả lập bàn phím", "USB keyboard-wedge reader"),
    ("rfid.reader_kind", "llrp"): ("Đầu đọc mạng LLRP", "LLRP network reader"),
}

register_texts(
    {f"metric.{key}": {"vi": vi, "en": en} for key, (vi, en) in METRICS.items()}
    | {f"metric_source.{key}": {"vi": vi, "en": en} for key, (vi, en) in SOURCES.items()}
    | {f"metric_value.{key}.{value}": {"vi": vi, "en": en} for (key, value), (vi, en) in VALUES.items()}
    | {"metric.yes": {"vi": "Có", "en": "Yes"}, "metric.no": {"vi": "Không", "en": "No"}}
)


def metric_label(t: Translate, key: str) -> str:
    """'Khung hình/giây' for `faceid.fps`; 'Nhận dạng khuôn mặt · new_metric' for an unknown faceid key."""
    if key in METRICS:
        return t(f"metric.{key}")
    source, dot, rest = key.partition(".")
    if dot and source in SOURCES:
        return f"{t(f'metric_source.{source}')} · {rest}"
    return key


def metric_value(t: Translate, key: str, value: object) -> str:
    """A metric's value for a person: 'Có'/'Không' for true/false, a state in words, numbers as they are."""
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        return t("metric.yes" if value else "metric.no")
    if isinstance(value, str) and (key, value) in VALUES:
        return t(f"metric_value.{key}.{value}")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)

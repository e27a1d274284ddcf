"""UI texts, Vietnamese first, English second."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "title": {"vi": "CCES — Hệ thống điều hành tập trung", "en": "CCES — Central Executive System"},
    "health": {"vi": "Tình trạng hệ thống", "en": "System health"},
    "database": {"vi": "Cơ sở dữ liệu", "en": "Database"},
    "broker": {"vi": "Kết nối MQTT", "en": "MQTT link"},
    "ingest": {"vi": "Tiếp nhận sự kiện", "en": "Event ingest"},
    "accepted": {"vi": "Đã lưu", "en": "Accepted"},
    "duplicates": {"vi": "Trùng lặp", "en": "Duplicates"},
    "rejected": {"vi": "Bị từ chối", "en": "Rejected"},
    "devices": {"vi": "Thiết bị", "en": "Devices"},
    "device_id": {"vi": "Mã thiết bị", "en": "Device id"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "offline": {"vi": "Mất kết nối", "en": "Offline"},
    "last_seen": {"vi": "Lần cuối", "en": "Last seen"},
    "api_docs": {"vi": "Tài liệu API", "en": "API documentation"},
    "ok": {"vi": "Bình thường", "en": "OK"},
}


def register_texts(texts: dict[str, dict[str, str]]) -> None:
    """Add a page module's texts; each needs Vietnamese, and a key may not change meaning."""
    for key, entry in texts.items():
        if "vi" not in entry:
            raise ValueError(f"UI text {key!r} has no Vietnamese version")
        known = TEXTS.get(key)
        if known is not None and known != entry:
            raise ValueError(f"UI text {key!r} is already registered with other wording: {known}")
        TEXTS[key] = entry


def t(key: str, lang: str = "vi") -> str:
    entry = TEXTS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["vi"]

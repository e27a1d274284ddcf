"""The words of the documents pages (Vietnamese first, English second) and the labels of codes."""

from __future__ import annotations

URGENCY = {0: ("Thường", "Normal"), 1: ("Khẩn", "Urgent"), 2: ("Thượng khẩn", "Very urgent"), 3: ("Hỏa tốc", "Flash")}
SECRECY = {
    0: ("Thường", "None"),
    1: ("Mật", "Secret"),
    2: ("Tối mật", "Top secret"),
    3: ("Tuyệt mật", "Absolute secret"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]

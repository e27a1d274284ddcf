"""The labels of a document's codes on the documents pages: urgency (độ khẩn) and secrecy (độ mật) marks.

Vietnamese as Decree 30 names them, translated through the catalogue where shown (`t(URGENCY[n])`)."""

from __future__ import annotations

from ui.i18n import N_, pgettext

URGENCY = {
    0: pgettext("urgency", "Thường"),
    1: N_("Khẩn"),
    2: N_("Thượng khẩn"),
    3: N_("Hỏa tốc"),
}
SECRECY = {
    0: pgettext("secrecy", "Thường"),
    1: N_("Mật"),
    2: N_("Tối mật"),
    3: N_("Tuyệt mật"),
}


def pick(pair: tuple[str, str], lang: str) -> str:
    """A label the hub declares in both languages itself (a case file's state, a meeting's status): (vi, en)."""
    return pair[0] if lang == "vi" else pair[1]

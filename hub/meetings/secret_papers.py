"""Secret papers handed out stamped with who opens them (issue 17 item 2).

A restricted paper of a meeting (`Paper.restricted`: its named readers, the chair and the secretary only — the
meetings module's "tài liệu mật") that is a PDF is never handed out as stored: each opening gets a copy stamped by
hub.documents.secrecy.watermark — "MẬT — Người xem: <name> (<username>) — <time>" across and at the foot of every
page, as text a reader can extract — and the original in the content store is not changed. A PDF that cannot be
stamped (encrypted, broken) is refused with 409 (`CannotWatermark`), never handed out unstamped. Other files (a
.docx, an image) and the papers for everyone are handed out as stored.
"""

from __future__ import annotations

from datetime import datetime

from hub.documents.models import Secrecy
from hub.documents.secrecy.watermark import CannotWatermark, stamp, watermark_text
from hub.meetings.models import Paper

__all__ = ["CannotWatermark", "handed_out"]

PDF = "application/pdf"


def handed_out(paper: Paper, data: bytes, viewer_name: str, username: str, at: datetime) -> bytes:
    """The bytes the viewer gets: a restricted PDF stamped with their name and the time, anything else as stored."""
    if not paper.restricted or paper.media_type != PDF:
        return data
    return stamp(data, watermark_text(viewer_name, username, at, Secrecy.MAT))

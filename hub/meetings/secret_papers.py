"""Secret papers handed out stamped with who opens them (issue 17 item 2).

A restricted paper of a meeting (`Paper.restricted`: its named readers, the chair and the secretary only — the
meetings module's "tài liệu mật") that is a PDF is never handed out as stored: each opening gets a copy stamped by
hub.documents.secrecy.watermark — "MẬT — Người xem: <name> (<username>) — <time>" across and at the foot of every
page, as text a reader can extract — and the original in the content store is not changed. A PDF that cannot be
stamped (encrypted, broken) is refused with 409 (`CannotWatermark`), never handed out unstamped. A restricted image
(JPEG, PNG, TIFF) is stamped the same way by hub.documents.secrecy.image_mark (tiled and in a band at its foot); a
restricted file of another kind (an Office file) cannot carry the name and is refused with 409 — the secretary
uploads its PDF instead. The papers for everyone are handed out as stored.
"""

from __future__ import annotations

from datetime import datetime

from hub.documents.files import IMAGES
from hub.documents.models import Secrecy, both
from hub.documents.secrecy.image_mark import stamp_image
from hub.documents.secrecy.watermark import CannotWatermark, stamp, watermark_text
from hub.meetings.models import Paper

__all__ = ["CannotWatermark", "handed_out"]

PDF = "application/pdf"


def handed_out(paper: Paper, data: bytes, viewer_name: str, username: str, at: datetime) -> bytes:
    """The bytes the viewer gets: a restricted PDF or image stamped with their name and the time, or refused."""
    if not paper.restricted:
        return data
    text = watermark_text(viewer_name, username, at, Secrecy.MAT)
    if paper.media_type == PDF:
        return stamp(data, text)
    if paper.media_type in IMAGES:
        return stamp_image(data, paper.media_type, text)
    raise CannotWatermark(
        both(
            "tài liệu mật của cuộc họp: tệp loại này không đóng được dấu tên người xem nên không tải được; thư ký hãy"
            " tải lên bản PDF của tài liệu",
            "restricted meeting paper: a file of this kind cannot carry the viewer's name, so it is not handed out;"
            " the secretary should upload the paper as a PDF",
        )
    )

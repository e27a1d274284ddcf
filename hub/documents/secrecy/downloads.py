"""What a secret document's file becomes as it is handed out (issue 15 item 6: "downloads of them carry the viewer's
name in a watermark"), by its type:

| file | handed out |
|---|---|
| PDF | every page stamped (hub.documents.secrecy.watermark) |
| JPEG, PNG, TIFF | the picture (each page of a TIFF) stamped, tiled and in a band (hub.documents.secrecy.image_mark) |
| Office (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS) | refused, 409: CCES keeps no PDF rendition of an Office file and
  cannot stamp one, so a secret one is never handed out as stored; the văn thư registers its PDF (the signed copy
  or a scan) beside it, and that one is downloaded stamped |

The line names the secrecy mark, the viewer (name and account), their unit and the time:
`MẬT — Người xem: Nguyễn Văn A (nguyen-van-a), Chi cục Hải quan Nội Bài — 14:05 05/12/2026`. Every opening is
audited before this (hub.documents.service._visible), a refused one too.
"""

from __future__ import annotations

from datetime import datetime

from hub.documents.files import IMAGES, PDF
from hub.documents.models import LOCAL, SECRECY_MARKS, Secrecy, both
from hub.documents.secrecy import image_mark, watermark
from hub.domain import Conflict


class NoStampedCopy(Conflict):
    """A secret document's file of a type that cannot carry the viewer's name (Office): not handed out (409)."""


def viewer_text(display_name: str, username: str, unit_name: str | None, at: datetime, secrecy: int) -> str:
    mark = SECRECY_MARKS.get(Secrecy(secrecy), "") if secrecy else ""
    who = f"{display_name} ({username})" + (f", {unit_name}" if unit_name else "")
    return f"{mark + ' — ' if mark else ''}Người xem: {who} — {at.astimezone(LOCAL):%H:%M %d/%m/%Y}"


def handed_out(data: bytes, content_type: str, secrecy: int, text: str) -> bytes:
    """The bytes the viewer gets: as stored when the document is not secret, else stamped with `text` or refused."""
    if not secrecy:
        return data
    if content_type == PDF:
        return watermark.stamp(data, text)
    if content_type in IMAGES:
        return image_mark.stamp_image(data, content_type, text)
    raise NoStampedCopy(
        both(
            "văn bản mật: tệp Office không đóng được dấu tên người xem nên không tải trực tiếp được; hãy mở bản PDF"
            " của văn bản (văn thư đăng ký bản PDF hoặc bản quét kèm theo)",
            "secret document: an Office file cannot carry the viewer's name, so it is not downloaded directly; open"
            " the document's PDF (the văn thư registers the PDF or a scan with it)",
        )
    )

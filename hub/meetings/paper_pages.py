"""A PDF paper's pages drawn as PNG images on the hub (issue 17 item 3: the PDF viewer inside the tablet page), with
PDFium through pypdfium2.

PDFium is not thread-safe: no two of its calls may run at the same time in one process, not even on different
documents (pypdfium2's documentation). Every call here holds `_PDFIUM`, so one page is drawn at a time per hub
process, and a caller waits at most `WAIT_S` seconds for its turn (then 503: busy). That also bounds the memory: one
bitmap at a time, at most `MAX_WIDTH` × `MAX_HEIGHT` pixels (a page taller than that is drawn narrower). The PNG is
encoded after the lock is released. Callers run this off the event loop (the API's routes are plain functions, which
FastAPI runs in its thread pool; the pages use `nicegui.run.io_bound`).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import pypdfium2 as pdfium

from hub.domain import Conflict, Invalid, Unavailable, bilingual

MIN_WIDTH = 400
MAX_WIDTH = 2000
MAX_HEIGHT = 4000  # pixels: a very tall page is drawn narrower than asked rather than bigger
MAX_PAGES = 5000  # page numbers beyond this are refused before the file is read
WAIT_S = 20.0
_PDFIUM = threading.Lock()


class NotViewable(Conflict):
    """The paper cannot be shown in the viewer (not a PDF, or PDFium cannot open it): download it instead (409)."""


@dataclass(frozen=True, slots=True)
class PageImage:
    png: bytes
    width: int
    height: int
    page: int  # 1-based
    pages: int  # how many the document has


def check_width(width: int) -> int:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise Invalid(bilingual(f"chiều rộng ảnh trang: {MIN_WIDTH}–{MAX_WIDTH} điểm ảnh",
                                f"the page image's width: {MIN_WIDTH}-{MAX_WIDTH} pixels"))  # fmt: skip
    return width


def check_page_number(page: int) -> int:
    """A page number that may exist (1–MAX_PAGES), before the file is read."""
    if not 1 <= page <= MAX_PAGES:
        raise Invalid(bilingual(f"số trang: 1–{MAX_PAGES}", f"page number: 1-{MAX_PAGES}"))
    return page


def _check_page(page: int, pages: int) -> None:
    if not 1 <= page <= pages:
        raise Invalid(bilingual(f"không có trang {page}: tài liệu có {pages} trang",
                                f"no page {page}: the paper has {pages} pages"))  # fmt: skip


def _turn() -> None:
    if not _PDFIUM.acquire(timeout=WAIT_S):
        raise Unavailable(vi="máy chủ đang bận hiển thị tài liệu khác, hãy thử lại",
                          en="the hub is busy showing other papers; try again")  # fmt: skip


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise NotViewable(bilingual("không hiển thị được tệp PDF này (hỏng hoặc có mật khẩu): hãy tải về để xem",
                                    "this PDF cannot be shown (broken or password-protected): download it"
                                    " instead")) from exc  # fmt: skip


def page_count(data: bytes) -> int:
    """How many pages the PDF has (NotViewable when PDFium cannot open it)."""
    _turn()
    try:
        doc = _open(data)
        try:
            return len(doc)
        finally:
            doc.close()
    finally:
        _PDFIUM.release()


def render(data: bytes, page: int, width: int) -> PageImage:
    """Page `page` (1-based) of the PDF as a PNG `width` pixels wide (narrower if it would be over MAX_HEIGHT)."""
    check_width(width)
    check_page_number(page)
    _turn()
    try:
        doc = _open(data)
        try:
            pages = len(doc)
            _check_page(page, pages)
            pdf_page = doc[page - 1]
            try:
                w_pt, h_pt = pdf_page.get_size()
                if w_pt <= 0 or h_pt <= 0:
                    raise NotViewable(bilingual("trang này không có kích thước: hãy tải tệp về để xem",
                                                "this page has no size: download the file instead"))  # fmt: skip
                scale = min(width / w_pt, MAX_HEIGHT / h_pt)
                bitmap = pdf_page.render(scale=scale)
                try:
                    image = bitmap.to_pil().copy()  # detached from PDFium's buffer before the bitmap goes
                finally:
                    bitmap.close()
            finally:
                pdf_page.close()
        finally:
            doc.close()
    finally:
        _PDFIUM.release()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return PageImage(out.getvalue(), image.width, image.height, page, pages)

"""The PDF viewer inside the tablet page (issue 17 item 3): a PDF paper opens over the page (full screen on a
tablet) instead of as a download — one page at a time as an image the hub draws (GET
/api/v1/meetings/{id}/papers/{paper}/pages/{n}, hub.meetings.viewer: the same access as opening the paper, and a
restricted paper's pages carry the viewer's watermark), previous and next, "page x of n", and the zoom: fit to the
width (the default) or larger, scrolled sideways. The page count is asked off the event loop; the images are loaded
by the browser with the session's cookie. A paper the hub cannot show says so and offers the download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nicegui import run, ui

from hub.domain import DomainError
from hub.meetings.models import Paper
from ui.pages.meetings.marks import expose

if TYPE_CHECKING:
    from ui.pages.meetings.tablet import Tablet

ZOOMS = (100, 150, 200)  # per cent of the screen's width; 100: fit to the width
BASE_WIDTH = 1000  # pixels drawn at 100 % (a tablet's width, 800–1280); more when zoomed, at most 2000


def page_url(meeting_id: int, paper_id: int, page: int, zoom: int) -> str:
    width = min(2000, BASE_WIDTH * zoom // 100)
    return f"/api/v1/meetings/{meeting_id}/papers/{paper_id}/pages/{page}?width={width}"


def download_url(meeting_id: int, paper_id: int) -> str:
    return f"/api/v1/meetings/{meeting_id}/papers/{paper_id}"


class PaperViewer:
    """One viewer per tablet page, opened on the paper chosen."""

    def __init__(self, tablet: Tablet) -> None:
        self.tb = tablet
        self.paper: Paper | None = None
        self.page = 1
        self.pages = 0
        self.zoom = ZOOMS[0]
        with ui.dialog().props("maximized") as self.dialog:
            with ui.card().classes("w-full h-full p-0 gap-0 no-wrap column").mark("mtg-viewer") as self.box:
                self.content()

    async def open(self, paper: Paper) -> None:
        tb = self.tb
        try:
            pages = await run.io_bound(tb.svc.paper_page_count, tb.ctx.principal, tb.mid, paper.id)
        except DomainError as exc:
            ui.notify(str(exc), type="negative", multi_line=True)
            return
        self.paper, self.page, self.pages, self.zoom = paper, 1, pages, ZOOMS[0]
        self.content.refresh()
        self.dialog.open()

    def close(self) -> None:
        self.dialog.close()
        self.paper = None  # nothing of the paper stays on the page
        self.content.refresh()

    def turn(self, by: int) -> None:
        target = self.page + by
        if 1 <= target <= self.pages:
            self.page = target
            self.content.refresh()

    def zoom_by(self, step: int) -> None:
        at = ZOOMS.index(self.zoom) + step if step else 0
        if 0 <= at < len(ZOOMS):
            self.zoom = ZOOMS[at]
            self.content.refresh()

    @ui.refreshable_method
    def content(self) -> None:
        _ = self.tb.t
        paper = self.paper
        if paper is None:
            return
        mid = self.tb.mid
        with ui.row().classes("w-full items-center gap-2 no-wrap px-3 py-2 bg-primary text-white"):
            ui.icon("picture_as_pdf").classes("text-2xl")
            ui.label(paper.title).classes("text-lg font-bold grow ellipsis").mark("mtg-viewer-title")
            ui.link(_("Tải về"), download_url(mid, paper.id), new_tab=True).classes("text-white px-2").mark(
                "mtg-viewer-download"
            )
            ui.button(icon="close", on_click=self.close).props("flat round color=white").tooltip(_("Đóng")).mark(
                "mtg-viewer-close"
            )
        with ui.row().classes("w-full items-center justify-center gap-2 px-2 py-1 bg-grey-2"):
            ui.button(_("Trang trước"), icon="chevron_left", on_click=lambda: self.turn(-1)).props(
                "flat dense" + (" disable" if self.page <= 1 else "")
            ).mark("mtg-viewer-prev")
            ui.label(_("Trang {page} / {pages}").format(page=self.page, pages=self.pages)).classes(
                "text-lg font-medium px-2"
            ).mark("mtg-viewer-page")
            ui.button(_("Trang sau"), on_click=lambda: self.turn(1)).props(
                "flat dense icon-right=chevron_right" + (" disable" if self.page >= self.pages else "")
            ).mark("mtg-viewer-next")
            ui.separator().props("vertical")
            ui.button(icon="zoom_out", on_click=lambda: self.zoom_by(-1)).props(
                "flat dense round" + (" disable" if self.zoom == ZOOMS[0] else "")
            ).tooltip(_("Thu nhỏ")).mark("mtg-viewer-zoom-out")
            ui.button(_("Vừa chiều rộng"), icon="fit_screen", on_click=lambda: self.zoom_by(0)).props(
                "flat dense"
            ).mark("mtg-viewer-fit")
            ui.label(f"{self.zoom}%").classes("text-sm").mark("mtg-viewer-zoom")
            ui.button(icon="zoom_in", on_click=lambda: self.zoom_by(1)).props(
                "flat dense round" + (" disable" if self.zoom == ZOOMS[-1] else "")
            ).tooltip(_("Phóng to")).mark("mtg-viewer-zoom-in")
        with ui.element("div").classes("w-full col overflow-auto bg-grey-4 p-2").mark("mtg-viewer-scroll"):
            ui.element("img").props(
                f'src="{page_url(mid, paper.id, self.page, self.zoom)}"'
                f' alt="{_("Trang {page} / {pages}").format(page=self.page, pages=self.pages)}"'
            ).style(f"width: {self.zoom}%; max-width: none; display: block; margin: 0 auto; background: white").mark(
                "mtg-viewer-image"
            )
        expose(self.box)

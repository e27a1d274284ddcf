"""The PDF viewer of the tablet page (issue 17 item 3): a paper's page count and one page as a PNG, for whoever may
open the paper (meetings.attend; a restricted paper only its readers, the chair and the secretary — the same rule
and the same refusals as downloading it).

A restricted paper's pages are drawn from the copy stamped with the viewer's name and the time
(hub.meetings.secret_papers), so every image carries the watermark too; never from the stored original. The stamped
copy is kept a short while per (paper, viewer) so turning pages does not stamp the whole file again each time
(at most `STAMPED_KEEP` copies and `STAMPED_BYTES` bytes in all, each for `STAMPED_TTL`); its time is that of the
first page opened in that while. Other papers are drawn from the file as stored. A paper that is not a PDF, or that
PDFium cannot open, answers 409 (download it instead).

A part of `hub.meetings.service.MeetingsService` (a mixin over its pool, clock and content store).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from hub.accounts.principal import Principal
from hub.domain import Unavailable
from hub.meetings import paper_pages
from hub.meetings.models import Paper, Participant, bilingual
from hub.meetings.paper_pages import NotViewable, PageImage
from hub.meetings.secret_papers import PDF, handed_out

if TYPE_CHECKING:
    from hub.files import ContentStore

STAMPED_KEEP = 8
STAMPED_BYTES = 128 * 1024 * 1024
STAMPED_TTL = timedelta(minutes=10)


class StampedCopies:
    """The stamped copies of restricted papers kept a short while: (sha256, username) → (made at, bytes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._copies: OrderedDict[tuple[str, str], tuple[datetime, bytes]] = OrderedDict()

    def get(self, key: tuple[str, str], now: datetime) -> bytes | None:
        with self._lock:
            found = self._copies.get(key)
            if found is None or now - found[0] > STAMPED_TTL or now < found[0]:
                self._copies.pop(key, None)
                return None
            self._copies.move_to_end(key)
            return found[1]

    def put(self, key: tuple[str, str], now: datetime, data: bytes) -> None:
        if len(data) > STAMPED_BYTES:
            return
        with self._lock:
            self._copies[key] = (now, data)
            self._copies.move_to_end(key)
            while len(self._copies) > STAMPED_KEEP or sum(len(d) for _, d in self._copies.values()) > STAMPED_BYTES:
                self._copies.popitem(last=False)


class MeetingPaperViewer:
    now: Callable[[], datetime]
    store: ContentStore | None
    _stamped: StampedCopies
    _readable_paper: Callable[..., tuple[Paper, Participant | None]]

    def _viewed(self, principal: Principal, meeting_id: int, paper_id: int) -> bytes:
        paper, me = self._readable_paper(principal, meeting_id, paper_id)
        if paper.media_type != PDF:
            raise NotViewable(bilingual("chỉ xem được tài liệu PDF ngay trên trang: hãy tải tệp này về",
                                        "only PDF papers are shown in the page: download this one"))  # fmt: skip
        if self.store is None:
            raise Unavailable(vi="máy chủ này không lưu tệp", en="this hub process keeps no files")
        if not paper.restricted:
            return self.store.get(paper.sha256)
        now = self.now()
        key = (paper.sha256, principal.username)
        kept = self._stamped.get(key, now)
        if kept is not None:
            return kept
        viewer = me.name if me is not None else principal.display_name
        data = handed_out(paper, self.store.get(paper.sha256), viewer, principal.username, now)
        self._stamped.put(key, now, data)
        return data

    def paper_page_count(self, principal: Principal, meeting_id: int, paper_id: int) -> int:
        """How many pages the viewer may turn through (the same access as opening the paper)."""
        return paper_pages.page_count(self._viewed(principal, meeting_id, paper_id))

    def paper_page(self, principal: Principal, meeting_id: int, paper_id: int, page: int, width: int) -> PageImage:
        """Page `page` (1-based) of the paper as a PNG `width` pixels wide (400–2000); a restricted paper's page
        carries the viewer's watermark. Width and page are checked before the file is read."""
        paper_pages.check_width(width)
        paper_pages.check_page_number(page)
        return paper_pages.render(self._viewed(principal, meeting_id, paper_id), page, width)

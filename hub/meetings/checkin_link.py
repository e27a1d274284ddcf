"""The check-in QR on a room's display (issue 17 item 4): it encodes a hub page,
`<public URL>/meetings/checkin?token=…`, that a participant opens on their phone (signing in first if need be);
the page checks them in with the token (`check_in_qr`). A part of `hub.meetings.service.MeetingsService`.

The token is signed with a timestamp, so a new one each time would change the display's state at every recompute;
one per meeting is kept for `RENEW_AFTER` (tokens hold two days: `check_in_qr`'s max_age).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import quote

#: the hub's page the QR opens (ui/pages/meetings/checkin.py)
CHECKIN_PATH = "/meetings/checkin"
#: a meeting's QR token is renewed after this long (well within the two days it holds)
RENEW_AFTER = timedelta(hours=12)


class MeetingCheckinLink:
    now: Callable[[], datetime]
    checkin_token: Callable[[int], str]
    #: the hub's address as people reach it ([http] public_url; set by hub.meetings.jobs.domain_jobs)
    public_url: str = ""
    _links: dict[int, tuple[str, datetime]]

    def checkin_url(self, meeting_id: int) -> str:
        """Internal (the room display): the address the check-in QR of a meeting encodes."""
        links = self._links
        now = self.now()
        kept = links.get(meeting_id)
        if kept is None or now - kept[1] >= RENEW_AFTER or now < kept[1]:
            if len(links) > 1000:
                links.clear()
            kept = links[meeting_id] = (self.checkin_token(meeting_id), now)
        return f"{self.public_url.rstrip('/')}{CHECKIN_PATH}?token={quote(kept[0], safe='')}"

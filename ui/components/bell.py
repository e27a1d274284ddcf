"""The bell in the shell's header: the unread notifications of the signed-in account, updated live.

The hub's live feed hands the process's one bell subscription an `InboxChanged` when notifications of some accounts were
stored or read (pg_notify sent in that transaction: only after COMMIT), and a `FeedGap` after it lost
the database; the bell then reads its own count again. Items of other accounts cost nothing but a set
lookup. A process without a live feed (a tool) reads the count every POLL_S instead.
"""

from __future__ import annotations

import threading
import weakref

from nicegui import ui

from hub.accounts.principal import Principal
from hub.live.feed import LiveFeed, Subscription
from hub.live.models import FeedGap, InboxChanged
from hub.services import HubServices
from ui.i18n import N_
from ui.i18n import t as text

LIVE_S = 1.0  # how often the page looks into its inbox of live items
POLL_S = 30.0  # without a live feed
PATH = "/notifications"

#: the bell's name for a screen reader
LABEL = N_("Thông báo ({n} chưa đọc)")


def _shown(n: int) -> str:
    return "99+" if n > 99 else str(n)


class _Bells:
    """One live subscription per process for every open bell (not one per page): the items are counted per
    account, and each page compares its account's count with the one it last saw."""

    def __init__(self, feed: LiveFeed) -> None:
        self._feed = feed
        self._lock = threading.Lock()
        self._subscription: Subscription | None = None
        self._changes: dict[int, int] = {}  # account → inbox changes seen
        self._everyone = 0  # changes of every inbox (a gap, a notification to very many)

    def version(self, user_id: int) -> tuple[int, int]:
        """Call from a page's timer: takes what arrived, answers this account's change count."""
        with self._lock:
            if self._subscription is None or self._subscription.closed:
                self._subscription = self._feed.subscribe(kinds={InboxChanged, FeedGap}, maxsize=10_000)
            for item in self._subscription.drain():
                if isinstance(item, FeedGap) or item.everyone:
                    self._everyone += 1
                else:
                    for changed in item.user_ids:
                        self._changes[changed] = self._changes.get(changed, 0) + 1
            if self._subscription.dropped:  # its inbox overflowed: some change may be lost
                self._everyone += 1
                self._subscription.dropped = 0
            return self._everyone, self._changes.get(user_id, 0)


_BELLS: weakref.WeakKeyDictionary[LiveFeed, _Bells] = weakref.WeakKeyDictionary()
_BELLS_LOCK = threading.Lock()


def _bells(feed: LiveFeed) -> _Bells:
    with _BELLS_LOCK:
        if feed not in _BELLS:
            _BELLS[feed] = _Bells(feed)
        return _BELLS[feed]


def notification_bell(services: HubServices, principal: Principal, lang: str) -> ui.button:
    """A bell button to /notifications with a red badge of the unread count (hidden at 0), kept current."""
    bells = _bells(services.live) if services.live is not None else None
    seen = {"version": bells.version(principal.user_id) if bells is not None else (0, 0)}  # before the count
    count = services.notifications.unread_count(principal)
    with (
        ui.button(icon="notifications", on_click=lambda: ui.navigate.to(PATH))
        .props(f'flat round dense color=white aria-label="{text(LABEL, lang).format(n=count)}"')
        .mark("bell") as button
    ):
        badge = ui.badge(_shown(count), color="red").props("floating rounded").mark("bell-count")
        badge.visible = count > 0

    def refresh() -> None:
        if bells is not None:
            version = bells.version(principal.user_id)
            if version == seen["version"]:
                return
            seen["version"] = version
        unread = services.notifications.unread_count(principal)
        badge.text = _shown(unread)
        badge.visible = unread > 0
        button.props(f'aria-label="{text(LABEL, lang).format(n=unread)}"')

    ui.timer(LIVE_S if bells is not None else POLL_S, refresh, immediate=False)
    return button

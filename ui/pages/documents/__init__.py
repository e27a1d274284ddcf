"""The documents pages (issue 15 item 2): the clerk's incoming register form (/documents/incoming), a handler's
"my documents" (/documents/mine), and one document (/documents/entry?id=…) with its files' previews, the
leader's assignment form and the handlers' progress, extension and finishing; outgoing drafts, their chain and
release (/documents/drafts, issue 15 item 3); case files; the system admin's clearances for secret documents
(/documents/clearances, issue 15 item 6). Vietnamese first."""

from __future__ import annotations

from hub.services import HubServices
from ui.pages.documents import casefile_review, casefiles, clearances, drafts, entry, incoming, mine


def register(services: HubServices) -> None:

    incoming.register(services)
    mine.register(services)
    entry.register(services)
    casefiles.register(services)
    casefile_review.register(services)
    drafts.register(services)
    clearances.register(services)

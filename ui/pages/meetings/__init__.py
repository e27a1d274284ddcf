"""The meetings pages (issue 17 item 3): my meetings (/meetings) and the paperless meeting screen a participant holds
(/meetings/tablet?id=…), with the chair's controls on the chair's and the secretary's view of the same page, the
minutes (/meetings/minutes?id=…, issue 17 item 6), and the page the room display's check-in QR opens on a phone
(/meetings/checkin?token=…).
Vietnamese first, English second."""

from __future__ import annotations

from hub.services import HubServices
from ui.pages.meetings import checkin, mine, minutes, participants, tablet


def register(services: HubServices) -> None:

    mine.register(services)
    tablet.register(services)
    participants.register(services)
    minutes.register(services)
    checkin.register(services)

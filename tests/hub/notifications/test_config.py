"""The notification settings are the hub's, handed over when it builds its services (issue 13 item 4): no module
keeps them, so two hubs in one process (tests, tools) each notify by their own."""

from __future__ import annotations

from datetime import timedelta

import hub.notifications.service as notifications_module
from hub.notifications.models import Message, NotifyConfig
from hub.notifications.service import notify
from hub.services import HubServices
from hub.settings import HubSettings
from tests.hub.notifications.conftest import People


def test_each_hub_notifies_by_its_own_settings(services: HubServices, people: People) -> None:
    quiet = HubServices(services.pool, None, notify_config=NotifyConfig(mail_enabled=False))
    loud = HubServices(services.pool, None, notify_config=NotifyConfig(mail_enabled=True, mail_domain="a.example"))
    for hub in (quiet, loud):  # one config, handed to every service that notifies
        given = hub.notifications.config
        assert hub.backups.notify_config is given and hub.reporting.notify_config is given
        assert hub.documents.handling.notify_config is given and hub.asset_portals.notify_config is given
        assert hub.leave.notifier.keywords["config"] is given  # type: ignore[union-attr]
    with services.pool.connection() as conn:
        to = [people.ids["an"], people.ids["binh"]]  # both have an address and want trial.request by mail
        assert (
            notify(conn, to, "trial.request", Message.text("Một", "One"), config=quiet.notifications.config).mails == 0
        )
        assert (
            notify(conn, to, "trial.request", Message.text("Hai", "Two"), config=loud.notifications.config).mails == 2
        )
    assert not hasattr(notifications_module, "CONFIG") and not hasattr(notifications_module, "configure")


def test_the_config_comes_from_the_mail_and_notifications_sections() -> None:
    s = HubSettings(smtp_host="smtp.example", smtp_from="CCES <cces@hq.example>", notify_action_ttl_hours=24)
    assert NotifyConfig.from_settings(s.mail, s.notifications) == NotifyConfig(True, timedelta(hours=24), "hq.example")
    off = HubSettings()
    assert NotifyConfig.from_settings(off.mail, off.notifications).mail_enabled is False

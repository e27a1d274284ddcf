"""Authentication and topic ACLs for the embedded amqtt broker.

The same rules as the Mosquitto configuration we ship: a device logs in with its own
credentials (client id = username = device id), publishes only under
`cces/v1/devices/{its id}/…` and reads only its own config/commands and its room's display.
The hub's own user may do everything.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import psycopg
from amqtt.broker import BrokerContext
from amqtt.contexts import Action, BaseContext
from amqtt.plugins.base import BaseAuthPlugin, BasePlugin, BaseTopicPlugin
from amqtt.session import Session

from hub.devices.repository import broker_login
from hub.passwords import verify_secret
from protocol.topics import ROOT, Topics, is_device_id

_DEVICE_PUBLISH = ("events", "telemetry", "status", "replies")
_DEVICE_READ = ("config", "commands", "receipts")


def device_may_publish(device_id: str, topic: str) -> bool:
    prefix = f"{ROOT}/devices/{device_id}/"
    return topic.startswith(prefix) and topic[len(prefix) :] in _DEVICE_PUBLISH


def device_may_read(device_id: str, room: str | None, topic: str) -> bool:
    prefix = f"{ROOT}/devices/{device_id}/"
    if topic.startswith(prefix) and topic[len(prefix) :] in _DEVICE_READ:
        return True
    return room is not None and topic == f"{ROOT}/rooms/{room}/display"


class DeviceAccessPlugin(BaseAuthPlugin, BaseTopicPlugin):
    """Authenticates (hub password, or a device's hashed credentials in the hub database) and
    filters topics; one plugin for both so the room learnt at log-in is at hand for the ACL."""

    @dataclass
    class Config:
        database_url: str = ""
        hub_username: str = "cces-hub"
        hub_password_hash: str = ""

    def __init__(self, context: BaseContext) -> None:
        super().__init__(context)
        self._rooms: dict[str, str | None] = {}

    async def authenticate(self, *, session: Session) -> bool | None:
        username, password = session.username, session.password
        if not username or password is None:
            return False
        password = password.decode() if isinstance(password, bytes) else str(password)
        if username == self.config.hub_username:
            return await asyncio.to_thread(verify_secret, self.config.hub_password_hash, password)
        if not is_device_id(username) or session.client_id != username:
            self.context.logger.info("refused %r: a device connects with client id = username = device id", username)
            return False
        async with await psycopg.AsyncConnection.connect(self.config.database_url) as conn:
            row = await broker_login(conn, username)
        if row is None or not await asyncio.to_thread(verify_secret, row[0], password):
            return False
        self._rooms[username] = row[1]
        return True

    async def topic_filtering(
        self, *, session: Session | None = None, topic: str | None = None, action: Action | None = None
    ) -> bool | None:
        if session is None or topic is None or not session.username:
            return False
        username = session.username
        if username == self.config.hub_username:
            return True
        if action == Action.PUBLISH:
            return device_may_publish(username, topic)
        return device_may_read(username, self._rooms.get(username), topic)


class HubSessionPlugin(BasePlugin[BrokerContext]):
    """Gives the hub a persistent session with its subscriptions from the broker's first moment.

    amqtt keeps sessions in memory, so after a (re)start nobody would be subscribed until the
    hub's ingest reconnects, and the broker would drop what devices publish meanwhile even
    though it acknowledged it. With this session in place those messages queue for the hub.
    """

    @dataclass
    class Config:
        hub_client_id: str = "cces-hub-ingest"
        hub_username: str = "cces-hub"

    async def on_broker_post_start(self) -> None:
        await self.context.add_subscription(self.config.hub_client_id, None, None)
        session = self.context.get_session(self.config.hub_client_id)
        if session is None:
            return
        session.username = self.config.hub_username
        session.clean_session = False
        for topic, qos in ((Topics.all_events(), 1), (Topics.all_status(), 1)):
            await self.context.add_subscription(self.config.hub_client_id, topic, qos)

"""What many `cces` commands stand on: the hub's settings as the command line gives them, a migrated
database for a one-off command, a checked device id, the log format."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from cces.errors import UserError


def hub_settings(args: argparse.Namespace, **overrides: object):  # -> HubSettings
    from hub.settings import HubSettings

    return HubSettings.load(getattr(args, "config", None), **overrides)


@contextmanager
def migrated_database(args: argparse.Namespace) -> Iterator[str]:
    """The hub's database for a one-off command: the embedded server started (or joined) when no
    production URL is set, migrated, and released again afterwards."""
    from hub.db import migrate
    from hub.runtime import resolve_database

    url, embedded = resolve_database(hub_settings(args))
    try:
        migrate(url)
        yield url
    finally:
        if embedded is not None:
            embedded.stop()


def checked_device_id(value: str) -> str:
    from protocol.topics import check_device_id

    try:
        return check_device_id(value)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def setup_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("amqtt", "transitions", "pgserver", "nicegui", "yoyo"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

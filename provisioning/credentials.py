"""Broker credentials of a device.

The password is 32 random bytes, shown once to the person provisioning the device; the hub
keeps only a hash of it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceCredentials:
    username: str
    password: str


def new_device_credentials(device_id: str) -> DeviceCredentials:
    """The username is the device id, so broker ACLs can be written in terms of it."""
    return DeviceCredentials(username=device_id, password=secrets.token_urlsafe(32))

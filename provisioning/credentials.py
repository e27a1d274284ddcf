"""Broker credentials of a device.

The password is 32 random bytes shown once; only its argon2 hash is stored, so a stolen
database does not let anyone connect as a device.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Device passwords are long random secrets, so argon2's cost only needs to make a leaked
# hash useless, not to slow guessing of a human password: cheaper parameters keep 500
# devices reconnecting at once from stalling the broker.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


@dataclass(frozen=True)
class DeviceCredentials:
    username: str
    password: str

    @property
    def password_hash(self) -> str:
        return hash_secret(self.password)


def new_device_credentials(device_id: str) -> DeviceCredentials:
    """The username is the device id, so broker ACLs can be written in terms of it."""
    return DeviceCredentials(username=device_id, password=secrets.token_urlsafe(32))


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    try:
        return _HASHER.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False

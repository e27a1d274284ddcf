"""argon2 hashing of secrets the hub verifies (device broker passwords; people's passwords later).

Device passwords are long random secrets, so argon2's cost only needs to make a leaked hash
useless, not to slow down guessing a human password: lighter parameters keep 500 devices
reconnecting at once from stalling the broker.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

DEVICE_SECRET_HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def hash_secret(secret: str, hasher: PasswordHasher = DEVICE_SECRET_HASHER) -> str:
    return hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str, hasher: PasswordHasher = DEVICE_SECRET_HASHER) -> bool:
    try:
        return hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False

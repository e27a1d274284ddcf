"""argon2 hashing of secrets the hub verifies (device broker passwords; people's passwords later).

Device passwords are long random secrets, so argon2's cost only needs to make a leaked hash
useless, not to slow down guessing a human password: lighter parameters keep 500 devices
reconnecting at once from stalling the broker.
"""

from __future__ import annotations

import base64
import hashlib
import os

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


#: Mosquitto's own default; device secrets are long random strings, so the count adds nothing to them
MOSQUITTO_PBKDF2_ITERATIONS = 101


def mosquitto_hash(secret: str) -> str:
    """The secret as a Mosquitto 2 password file keeps it: `$7$iterations$salt$PBKDF2-SHA512`, base64.

    Written here because no library makes Mosquitto's format; it is PBKDF2 from hashlib and
    nothing more, and `mosquitto_passwd` writes the same (checked in tests/hub/embedded).
    """
    salt = os.urandom(12)
    derived = hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, MOSQUITTO_PBKDF2_ITERATIONS)
    return f"$7${MOSQUITTO_PBKDF2_ITERATIONS}${base64.b64encode(salt).decode()}${base64.b64encode(derived).decode()}"

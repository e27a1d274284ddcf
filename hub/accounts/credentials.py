"""People's passwords: argon2id hashes, the rules a new password must meet, and a dummy hash.

People choose guessable passwords, so their hasher is heavier than the device one
(`hub.passwords`): OWASP's argon2id setting of 46 MiB, one pass — about 60 ms here. A sign-in with
an unknown username verifies against `DUMMY_HASH`, so it takes as long as a wrong password and
the answer's timing does not tell which usernames exist.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub.accounts.models import AccountError

PERSON_HASHER = PasswordHasher(time_cost=1, memory_cost=47_104, parallelism=1)
DUMMY_HASH = PERSON_HASHER.hash(secrets.token_urlsafe(16))
MAX_PASSWORD_LENGTH = 256  # argon2 takes any length; this bounds the work a request can cause


def hash_password(password: str) -> str:
    return PERSON_HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an unknown user (None) costs the same time and is False."""
    try:
        return PERSON_HASHER.verify(password_hash or DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return PERSON_HASHER.check_needs_rehash(password_hash)


def check_new_password(password: str, min_length: int, username: str = "") -> None:
    """Refuse (AccountError, nothing written) a password too short, too long, blank or equal to the username."""
    if len(password) < min_length:
        raise AccountError(
            f"mật khẩu cần ít nhất {min_length} ký tự / the password needs at least {min_length} characters"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"mật khẩu quá dài / the password is longer than {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise AccountError("mật khẩu không được chỉ có khoảng trắng / the password cannot be only spaces")
    if username and password.strip().lower() == username.lower():
        raise AccountError("mật khẩu không được trùng tên đăng nhập / the password cannot be the username")


def generate_password() -> str:
    """A random password for a new account or the bootstrap admin (about 144 bits)."""
    return secrets.token_urlsafe(18)

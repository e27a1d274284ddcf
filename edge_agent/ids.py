"""Event ids: UUIDv7, so ids sort by creation time and index well in the hub's B-trees.

Python 3.11 has no `uuid.uuid7`; this is the RFC 9562 layout (48-bit Unix milliseconds,
version 7, variant 10, 74 random bits). Uniqueness comes from the random bits, not from the
clock, so a device whose clock steps back still never repeats an id.
"""

from __future__ import annotations

import os
import time
import uuid


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A new UUIDv7 for the current time (or `unix_ms`, for tests)."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits, 74 used
    rand_a = rand >> 68 & 0xFFF  # 12 bits
    rand_b = rand & ((1 << 62) - 1)  # 62 bits
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)

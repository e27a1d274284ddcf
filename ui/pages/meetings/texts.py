"""The words of the meetings pages (Vietnamese first, English second)."""

from __future__ import annotations


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "vi" else pair[1]

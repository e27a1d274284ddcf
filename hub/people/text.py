"""Diacritic-insensitive Vietnamese text (tìm kiếm không dấu).

The embedded PostgreSQL has no `unaccent`, so names are folded in Python, once when stored
(`employees.search_text`) and once per query: "Nguyễn Văn Đức", "nguyen van duc" and
"NGUYEN VAN DUC" all fold to the same text.
"""

from __future__ import annotations

import unicodedata

# đ/Đ is a letter of its own, not d plus a combining mark: NFD leaves it alone
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, Vietnamese marks stripped, đ→d, runs of whitespace made one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def search_terms(query: str) -> list[str]:
    """The folded words of a search box: every one must occur (in any order)."""
    return fold(query).split()

"""Vietnamese folded to plain letters, so that "quyet dinh nghi phep" finds "Quyết định nghỉ phép".

The embedded PostgreSQL has no `unaccent`, so text is folded here in Python before it is indexed and
before a query is parsed; migration 0530 holds the same folding as an immutable SQL function
(`cces_fold`) for what is folded inside the database. Both strip every combining mark after NFD
decomposition and map đ/Đ (a letter of its own, not a mark) to d.
"""

from __future__ import annotations

import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d: `Quyết định` → `quyet dinh`."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()

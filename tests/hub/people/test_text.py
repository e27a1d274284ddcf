"""Diacritic-insensitive folding of Vietnamese names."""

from __future__ import annotations

import unicodedata

from hub.people.text import fold, search_terms


def test_marks_and_d_with_stroke_are_folded() -> None:
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("ĐẶNG THỊ HƯƠNG") == "dang thi huong"
    assert fold("  Lê   Minh\tĐạt ") == "le minh dat"


def test_composed_and_decomposed_input_fold_alike() -> None:
    name = "Trần Thị Thuỷ"
    assert fold(unicodedata.normalize("NFC", name)) == fold(unicodedata.normalize("NFD", name)) == "tran thi thuy"


def test_search_terms_are_folded_words() -> None:
    assert search_terms("  Đức  nguyễn ") == ["duc", "nguyen"]
    assert search_terms("") == []

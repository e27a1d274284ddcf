"""Decree 30's number, symbol and date line, with ../shared/DOMAIN.md §1.1's examples."""

from __future__ import annotations

from datetime import date

import pytest

from hub.documents.models import (
    DocumentError,
    check_pattern,
    date_line,
    date_text,
    format_number,
    notation,
    number_and_symbol,
    number_line,
)


def test_numbers_below_ten_take_a_leading_zero() -> None:
    assert [format_number(n) for n in (1, 5, 9, 10, 15, 123, 1234)] == ["01", "05", "09", "10", "15", "123", "1234"]
    with pytest.raises(DocumentError, match="bắt đầu từ 01 / a document number starts at 01"):
        format_number(0)


def test_number_and_symbol_of_a_cong_van_and_a_decision() -> None:
    # DOMAIN.md: `Số: 05/HQKV2-VP` (công văn: issuer + drafting unit), `Số: 15/QĐ-HQKV2`
    cong_van = notation("{issuer}-{drafter}", type_abbreviation=None, issuer="HQKV2", drafter="VP")
    assert number_line(5, cong_van) == "Số: 05/HQKV2-VP"
    decision = notation("{type}-{issuer}", type_abbreviation="QĐ", issuer="HQKV2", drafter="VP")
    assert number_line(15, decision) == "Số: 15/QĐ-HQKV2"
    assert number_line(15, notation("{type}-{issuer}", type_abbreviation="QĐ", issuer="BNV", drafter=None)) == (
        "Số: 15/QĐ-BNV"
    )
    assert number_and_symbol(5, notation("{issuer}-{drafter}", type_abbreviation=None, issuer="BNV", drafter="VP")) == (
        "05/BNV-VP"
    )


def test_case_sensitive_abbreviations_and_empty_groups() -> None:
    assert notation("{type}-{issuer}", type_abbreviation="QyĐ", issuer="HQKV2", drafter=None) == "QyĐ-HQKV2"
    assert notation("{type}-{issuer}-{drafter}", type_abbreviation="TTr", issuer="HQKV2", drafter=None) == "TTr-HQKV2"
    assert notation("{issuer}-{drafter}", type_abbreviation=None, issuer="HQKV2", drafter=None) == "HQKV2"
    assert number_and_symbol(3, notation("{type}", type_abbreviation="SY", issuer="X", drafter=None)) == "03/SY"
    with pytest.raises(DocumentError, match="symbol too long"):
        notation("{type}-{issuer}-{drafter}", type_abbreviation="QĐ", issuer="A" * 20, drafter="B" * 20)


def test_bad_patterns_are_refused_in_both_languages() -> None:
    assert check_pattern("{type}-{issuer}-TCCB") == "{type}-{issuer}-TCCB"
    for bad in ("{type} {issuer}", "{type}/{issuer}", "{kind}-{issuer}", "{type}--{issuer}"):
        with pytest.raises(DocumentError, match="mẫu ký hiệu không hợp lệ.* / invalid notation pattern"):
            check_pattern(bad)


def test_the_date_line_pads_days_below_ten_and_months_one_and_two_only() -> None:
    # DOMAIN.md: `Hà Nội, ngày 05 tháng 01 năm 2020`; `ngày 29 tháng 6 năm 2019`
    assert date_line("Hà Nội", date(2020, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2020"
    assert date_text(date(2019, 6, 29)) == "ngày 29 tháng 6 năm 2019"
    assert date_line("Hà Nội", date(2026, 1, 5)) == "Hà Nội, ngày 05 tháng 01 năm 2026"
    assert date_text(date(2026, 6, 29)) == "ngày 29 tháng 6 năm 2026"
    assert date_text(date(2026, 2, 9)) == "ngày 09 tháng 02 năm 2026"
    assert date_text(date(2026, 3, 1)) == "ngày 01 tháng 3 năm 2026"
    assert date_text(date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"
    assert date_text(date(2026, 10, 10)) == "ngày 10 tháng 10 năm 2026"

"""hub.reporting.template_check: the template's rules, each problem tied to its indicator, in both languages."""

from __future__ import annotations

import pytest

from hub.reporting.template import TemplateError, parse_template
from hub.reporting.template_check import check_indicators


def ind(code: str, **more: object) -> dict:
    return {"code": code, "name_vi": code.upper(), "name_en": code.upper(), **more}


def test_a_good_list_gives_the_template() -> None:
    checked = check_indicators([ind("a"), ind("b", formula="a * 2")])
    assert checked.ok and checked.rows == {} and [i.code for i in checked.template.indicators] == ["a", "b"]


def test_each_problem_is_under_its_indicator_in_vietnamese_and_english() -> None:
    checked = check_indicators([ind("a"), ind("b", formula="a + nobody"), ind("c", formula="open('x')")])
    assert not checked.ok
    assert checked.rows[1] == (
        "công thức: b: công thức dùng nobody, không phải một chỉ tiêu dạng số / "
        "formula: b: the formula names nobody, which is not a number indicator"
    )
    assert "công thức chỉ gồm số, mã chỉ tiêu" in checked.rows[2] and "parentheses only" in checked.rows[2]
    assert 0 not in checked.rows


def test_fields_columns_duplicates_and_cycles() -> None:
    bad_code = check_indicators([ind("Bad-Code")])
    assert bad_code.rows[0].startswith("mã: chỉ gồm chữ thường a-z") and "/ code: lowercase a-z" in bad_code.rows[0]
    column = check_indicators([ind("t", kind="table", columns=[{"code": "x", "name_vi": "", "name_en": "X"}])])
    assert column.rows[0].startswith("cột 1, tên tiếng Việt: không được để trống")
    twice = check_indicators([ind("a"), ind("a")])
    assert twice.rows == {1: "mã a trùng với chỉ tiêu số 1 / code a is already indicator 1's"}
    cycle = check_indicators([ind("n"), ind("a", formula="b + n"), ind("b", formula="a")])
    assert set(cycle.rows) == {1, 2} and "vòng tròn" in cycle.general and "cycle" in cycle.general
    assert check_indicators([]).general == "biểu mẫu cần ít nhất một chỉ tiêu / a template needs an indicator"


def test_parse_template_says_the_rule_in_both_languages() -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template({"indicators": [ind("a", kind="text", formula="1")]})
    assert str(caught.value) == (
        "biểu mẫu chỉ tiêu không hợp lệ tại indicators.0: chỉ chỉ tiêu dạng số mới có công thức hoặc nguồn số liệu"
        " / invalid template at indicators.0: only a number indicator has a formula or a data source"
    )

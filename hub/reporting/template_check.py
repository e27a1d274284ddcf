"""A template's indicators checked one by one, for a form that shows each problem next to its indicator: the
same rules as hub.reporting.template (parse_template, which the service runs again when the regime is saved),
each problem in Vietnamese and English and tied to the indicator (its index in the list) it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from hub.domain import bilingual
from hub.reporting.template import (
    MAX_INDICATORS,
    Indicator,
    RuleBroken,
    Template,
    TemplateError,
    explain,
    order,
    parse_template,
    references,
)

FIELDS: dict[str, tuple[str, str]] = {
    "code": ("mã", "code"),
    "name_vi": ("tên tiếng Việt", "Vietnamese name"),
    "name_en": ("tên tiếng Anh", "English name"),
    "kind": ("loại", "kind"),
    "unit": ("đơn vị tính", "unit of measure"),
    "formula": ("công thức", "formula"),
    "source": ("nguồn số liệu CCES", "CCES data source"),
    "columns": ("cột", "columns"),
    "total": ("dòng tổng cộng", "total row"),
    "required": ("bắt buộc", "required"),
    "decimals": ("số chữ số thập phân", "decimals"),
}


@dataclass
class Checked:
    """The template when every rule holds; else the problems: by indicator index, and about the whole."""

    template: Template | None = None
    rows: dict[int, str] = field(default_factory=dict)
    general: str | None = None

    @property
    def ok(self) -> bool:
        return self.template is not None


def _where(loc: Sequence[Any]) -> tuple[str, str]:
    """('cột 2, mã', 'column 2, code') for ('columns', 1, 'code')."""
    vi: list[str] = []
    en: list[str] = []
    parts = list(loc)
    while parts:
        part = parts.pop(0)
        if part == "columns" and parts and isinstance(parts[0], int):
            n = parts.pop(0) + 1
            vi.append(f"cột {n}")
            en.append(f"column {n}")
        elif isinstance(part, str) and part in FIELDS:
            vi.append(FIELDS[part][0])
            en.append(FIELDS[part][1])
    return ", ".join(vi), ", ".join(en)


def _row_message(error: Any) -> str:
    (vi, en), (where_vi, where_en) = explain(error), _where(error.get("loc", ()))
    if where_vi:
        return bilingual(f"{where_vi}: {vi}", f"{where_en}: {en}")
    return bilingual(vi, en)


def check_indicators(indicators: Sequence[Any]) -> Checked:
    """Every rule of a template over `indicators` (their JSON form, in order)."""
    if not indicators:
        return Checked(general=bilingual("biểu mẫu cần ít nhất một chỉ tiêu", "a template needs an indicator"))
    if len(indicators) > MAX_INDICATORS:
        return Checked(
            general=bilingual(f"biểu mẫu có tối đa {MAX_INDICATORS} chỉ tiêu", f"at most {MAX_INDICATORS} indicators")
        )
    out = Checked()
    parsed: list[Indicator] = []
    for i, data in enumerate(indicators):
        try:
            parsed.append(Indicator.model_validate(data))
        except ValidationError as exc:
            out.rows[i] = _row_message(exc.errors()[0])
    if out.rows:
        return out
    seen: dict[str, int] = {}
    for i, ind in enumerate(parsed):
        if ind.code in seen:
            out.rows[i] = bilingual(
                f"mã {ind.code} trùng với chỉ tiêu số {seen[ind.code] + 1}",
                f"code {ind.code} is already indicator {seen[ind.code] + 1}'s",
            )
        seen.setdefault(ind.code, i)
    if out.rows:
        return out
    draft = Template.model_construct(indicators=parsed)
    for i, ind in enumerate(parsed):
        if ind.formula:
            try:
                references(ind, draft)
            except RuleBroken as exc:
                out.rows[i] = bilingual(f"công thức: {exc.vi}", f"formula: {exc.en}")
    if out.rows:
        return out
    try:
        order(draft)
    except RuleBroken as exc:
        for code in exc.codes:
            out.rows[seen[code]] = str(exc)
        out.general = str(exc)
        return out
    try:
        out.template = parse_template({"indicators": list(indicators)})
    except TemplateError as exc:  # a rule not tied to one indicator
        out.general = str(exc)
    return out

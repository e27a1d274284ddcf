"""A regime's template of indicators (biểu mẫu chỉ tiêu): numbers, texts and tables, with units of measure,
formulas, table totals and bindings to CCES data; checked once when a regime version is saved.

A formula is arithmetic over other number indicators' codes (`+ - * /`, parentheses, numbers) and over a
table's column totals (`table.column`); it is parsed with `ast` and only those nodes are accepted, so a
formula can never run code. Formulas may build on each other but not in a cycle. A formula's value is
None while one of its inputs is empty, or on a division by zero.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, ValidationError, model_validator

from hub.domain import Invalid, bilingual
from hub.inputs import check_text

MAX_INDICATORS = 200
MAX_COLUMNS = 20
MAX_ROWS = 500
MAX_TEXT = 4000
MAX_NUMBER = 1e15
CODE = r"^[a-z][a-z0-9_]{0,39}$"


class TemplateError(Invalid):
    """A template that breaks a rule (422): nothing was saved."""


class RuleBroken(ValueError):
    """A template rule broken, said in both languages; `codes`: the indicators it is about (a cycle's)."""

    def __init__(self, vi: str, en: str, codes: tuple[str, ...] = ()) -> None:
        super().__init__(bilingual(vi, en))
        self.vi, self.en, self.codes = vi, en, codes


class Binding(StrEnum):
    """CCES data an indicator is pre-filled from (hub.reporting.prefill), over the reporting unit's subtree
    and the period's cut-off."""

    STAFF_COUNT = "staff_count"  # people employed in the period
    ATTENDANCE_RATE = "attendance_rate"  # % of scheduled working person-days not absent without leave
    LATE_ARRIVALS = "late_arrivals"  # late check-ins (timekeeping, after the schedule's grace)
    LEAVE_DAYS = "leave_days"  # working days of approved leave inside the period (hub.leave)
    DOCUMENTS_RECEIVED = "documents_received"  # incoming documents registered (hub.documents)
    DOCUMENTS_ISSUED = "documents_issued"  # outgoing documents registered


BINDING_LABELS: dict[Binding, tuple[str, str, str]] = {
    Binding.STAFF_COUNT: ("Số cán bộ, công chức", "Staff", "người"),
    Binding.ATTENDANCE_RATE: ("Tỷ lệ chuyên cần", "Attendance rate", "%"),
    Binding.LATE_ARRIVALS: ("Số lượt đi muộn", "Late arrivals", "lượt"),
    Binding.LEAVE_DAYS: ("Số ngày nghỉ phép", "Leave days taken", "ngày"),
    Binding.DOCUMENTS_RECEIVED: ("Số văn bản đến", "Documents received", "văn bản"),
    Binding.DOCUMENTS_ISSUED: ("Số văn bản đi", "Documents issued", "văn bản"),
}


def _line(value: str) -> str:
    return check_text(value)


Line = Annotated[str, Field(max_length=200), AfterValidator(_line)]
Name = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_line)]
Code = Annotated[str, Field(pattern=CODE)]


class Column(BaseModel):
    code: Code
    name_vi: Name
    name_en: Name
    kind: Literal["number", "text"] = "number"
    unit: Line = ""


class Indicator(BaseModel):
    code: Code
    name_vi: Name
    name_en: Name
    kind: Literal["number", "text", "table"] = "number"
    unit: Line = ""  # đơn vị tính: người, %, ngày, văn bản, đồng …
    formula: Annotated[str, Field(max_length=500), AfterValidator(_line)] | None = None
    source: Binding | None = None
    columns: list[Column] = Field(default_factory=list, max_length=MAX_COLUMNS)
    total: bool = False  # a table: a total row over its number columns
    required: bool = False
    decimals: int = Field(2, ge=0, le=6)

    @model_validator(mode="after")
    def _shape(self) -> Indicator:
        if self.kind != "number" and (self.formula or self.source):
            raise RuleBroken(
                "chỉ chỉ tiêu dạng số mới có công thức hoặc nguồn số liệu",
                "only a number indicator has a formula or a data source",
            )
        if self.formula and self.source:
            raise RuleBroken(
                "chỉ tiêu có công thức hoặc nguồn số liệu, không có cả hai",
                "an indicator has a formula or a data source, not both",
            )
        if self.kind == "table":
            if not self.columns:
                raise RuleBroken("bảng cần có cột", "a table needs columns")
            if len({c.code for c in self.columns}) != len(self.columns):
                raise RuleBroken("mã cột của bảng không được trùng", "a table's column codes must be unique")
        elif self.columns or self.total:
            raise RuleBroken("chỉ bảng mới có cột và dòng tổng cộng", "only a table has columns and a total row")
        return self


class Template(BaseModel):
    indicators: list[Indicator] = Field(min_length=1, max_length=MAX_INDICATORS)

    @model_validator(mode="after")
    def _formulas(self) -> Template:
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise RuleBroken("mã chỉ tiêu không được trùng", "indicator codes must be unique")
        order(self)  # raises on unknown references and cycles
        return self

    def by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}


def parse_template(data: Any) -> Template:
    """The template from its JSON form; TemplateError (vi / en, naming the place) if it breaks a rule."""
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "template"
        vi, en = explain(first)
        raise TemplateError(
            bilingual(f"biểu mẫu chỉ tiêu không hợp lệ tại {where}: {vi}", f"invalid template at {where}: {en}")
        ) from None


def explain(error: Mapping[str, Any]) -> tuple[str, str]:
    """What one of pydantic's errors about a template means, in Vietnamese and in English."""
    found = (error.get("ctx") or {}).get("error")
    if isinstance(found, RuleBroken):
        return found.vi, found.en
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return ("chỉ gồm chữ thường a-z, số và dấu _, bắt đầu bằng chữ, tối đa 40 ký tự",
                "lowercase a-z, digits and _ only, starting with a letter, at most 40 characters")  # fmt: skip
    if kind in ("missing", "string_too_short"):
        return "không được để trống", "is required"
    if kind == "string_too_long":
        n = ctx.get("max_length")
        return f"dài quá {n} ký tự", f"is longer than {n} characters"
    if kind in ("too_long", "too_short"):
        return "số mục không đúng giới hạn", str(error.get("msg", "too many or too few items"))
    if kind in ("literal_error", "enum"):
        return "giá trị không được phép", "is not an allowed value"
    if kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_from_float", "int_type"):
        return "phải là số nguyên trong giới hạn", "must be a whole number within the limits"
    if kind in ("text_nul", "text_control", "string_unicode"):
        return "có ký tự không được phép", str(error.get("msg", "holds characters that are not allowed"))
    return "không hợp lệ", str(error.get("msg", "invalid"))


# --- formulas -------------------------------------------------------------------------------------------

_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def references(indicator: Indicator, template: Template) -> set[str]:
    """The indicator codes a formula reads (a table's column total counts as the table)."""
    assert indicator.formula is not None
    kinds = template.by_code()
    try:
        tree = ast.parse(indicator.formula, mode="eval")
    except SyntaxError:
        raise RuleBroken(
            f"{indicator.code}: công thức không phải phép tính số học",
            f"{indicator.code}: the formula is not arithmetic",
        ) from None
    found: set[str] = set()
    in_attribute = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Load) or isinstance(node, _OPS):
            continue
        if isinstance(node, ast.USub | ast.UAdd):
            continue
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            table = kinds.get(node.value.id)
            if (
                table is None
                or table.kind != "table"
                or node.attr not in {c.code for c in table.columns if c.kind == "number"}
            ):
                raise RuleBroken(
                    f"{indicator.code}: {node.value.id}.{node.attr} không phải cột số của một bảng",
                    f"{indicator.code}: {node.value.id}.{node.attr} is not a number column of a table",
                )
            found.add(node.value.id)
            continue
        if isinstance(node, ast.Name):
            if id(node) in in_attribute:
                continue  # the table of table.column (checked above)
            ref = kinds.get(node.id)
            if ref is None or ref.kind != "number":
                raise RuleBroken(
                    f"{indicator.code}: công thức dùng {node.id}, không phải một chỉ tiêu dạng số",
                    f"{indicator.code}: the formula names {node.id}, which is not a number indicator",
                )
            found.add(node.id)
            continue
        raise RuleBroken(
            f"{indicator.code}: công thức chỉ gồm số, mã chỉ tiêu, + - * / và dấu ngoặc",
            f"{indicator.code}: a formula holds numbers, codes, + - * / and parentheses only",
        )
    return found


def order(template: Template) -> list[str]:
    """The codes of the formula indicators in the order they can be computed; ValueError on a cycle."""
    deps = {i.code: references(i, template) for i in template.indicators if i.formula}
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, path: tuple[str, ...]) -> None:
        if state.get(code) == 2 or code not in deps:
            return
        if state.get(code) == 1:
            cycle = " → ".join((*path, code))
            raise RuleBroken(
                f"các công thức tham chiếu vòng tròn: {cycle}", f"formulas refer to each other in a cycle: {cycle}",
                codes=(*path, code),
            )  # fmt: skip
        state[code] = 1
        for ref in sorted(deps[code]):
            visit(ref, (*path, code))
        state[code] = 2
        done.append(code)

    for code in deps:
        visit(code, ())
    return done


def _eval(node: ast.AST, values: Mapping[str, Any], totals: Mapping[tuple[str, str], float | None]) -> float | None:
    if isinstance(node, ast.Expression):
        return _eval(node.body, values, totals)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        v = values.get(node.id)
        return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return totals.get((node.value.id, node.attr))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, values, totals)
        return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, values, totals), _eval(node.right, values, totals)
        if a is None or b is None:
            return None
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        return None if b == 0 else a / b
    return None


def column_totals(indicator: Indicator, rows: Any) -> dict[str, float | None]:
    """A table's total row: the sum of each number column (empty cells count as nothing)."""
    out: dict[str, float | None] = {}
    for col in indicator.columns:
        if col.kind != "number":
            continue
        cells = [r.get(col.code) for r in rows or [] if isinstance(r, dict)]
        nums = [float(c) for c in cells if isinstance(c, int | float) and not isinstance(c, bool)]
        out[col.code] = sum(nums) if nums else None
    return out


def compute(template: Template, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values with every formula computed (rounded to its decimals) and every table's totals
    (`<table>.<column>` keys in the answer's `totals`)."""
    result = dict(values)
    totals: dict[tuple[str, str], float | None] = {}
    by_code = template.by_code()
    for ind in template.indicators:
        if ind.kind == "table":
            for col, total in column_totals(ind, values.get(ind.code)).items():
                totals[(ind.code, col)] = total
    for code in order(template):
        ind = by_code[code]
        v = _eval(ast.parse(ind.formula or "", mode="eval"), result, totals)
        result[code] = None if v is None or not math.isfinite(v) else round(v, ind.decimals)
    result["__totals__"] = {f"{t}.{c}": v for (t, c), v in totals.items()}
    return result


def check_value(indicator: Indicator, value: Any) -> Any:
    """A value an indicator may hold (None: empty); TemplateError naming the indicator otherwise."""
    if value is None:
        return None

    def bad(vi: str, en: str) -> TemplateError:
        return TemplateError(bilingual(f"chỉ tiêu {indicator.code}: {vi}", f"indicator {indicator.code}: {en}"))

    if indicator.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise bad("phải là một số", "must be a number")
        if abs(value) > MAX_NUMBER:
            raise bad("số quá lớn", "the number is too large")
        return value
    if indicator.kind == "text":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise bad(f"phải là văn bản tối đa {MAX_TEXT} ký tự", f"must be text of at most {MAX_TEXT} characters")
        try:
            return check_text(value, multiline=True)
        except ValueError:
            raise bad("có ký tự không hợp lệ", "holds characters that are not allowed") from None
    if not isinstance(value, list) or len(value) > MAX_ROWS:
        raise bad(f"phải là danh sách tối đa {MAX_ROWS} dòng", f"must be a list of at most {MAX_ROWS} rows")
    columns = {c.code: c for c in indicator.columns}
    rows = []
    for row in value:
        if not isinstance(row, dict) or not set(row) <= set(columns):
            raise bad("mỗi dòng là các cột của bảng", "each row holds the table's columns only")
        rows.append({k: check_value(Indicator(code=indicator.code, name_vi="-", name_en="-", kind=columns[k].kind), v)
                     for k, v in row.items()})  # fmt: skip
    return rows

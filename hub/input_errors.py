"""Validation errors said in Vietnamese and English, naming the field and the rule, never the input.

Pydantic's errors carry the refused value (`input`) and details that may hold it (`ctx`); an answer
built from them would echo a 200 MB body or a password back. Here each error type has its own
wording in both languages, formatted only from the limits in `ctx` (lengths, bounds, allowed
values), and a domain rule's own message is kept with any copy of the input cut out of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_DATE = ("must be a date, yyyy-mm-dd", "phải là một ngày dạng yyyy-mm-dd")
_DATETIME = ("must be a date and time, ISO 8601", "phải là ngày giờ theo ISO 8601")
_INT = ("must be a whole number", "phải là số nguyên")
_FLOAT = ("must be a number", "phải là số")
_BOOL = ("must be true or false", "phải là true hoặc false")
_OBJECT = ("must be a JSON object", "phải là một đối tượng JSON")
_UUID = ("must be a UUID", "phải là UUID")
_RANGE = ("must be between {first} and {last}", "phải trong khoảng từ {first} đến {last}")
_ONE_OF = ("must be one of {expected}", "phải là một trong các giá trị {expected}")

#: error type → (English, Vietnamese); `{name}` is filled from the error's ctx (limits only)
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("is required", "bắt buộc phải có"),
    "extra_forbidden": ("is not a field of this request", "không phải là trường của yêu cầu này"),
    "string_type": ("must be text", "phải là chuỗi ký tự"),
    "string_unicode": ("must be valid Unicode text", "phải là văn bản Unicode hợp lệ"),
    "string_too_short": ("must have at least {min_length} characters", "phải có ít nhất {min_length} ký tự"),
    "string_too_long": ("must have at most {max_length} characters", "chỉ được tối đa {max_length} ký tự"),
    "too_short": ("must have at least {min_length} items", "phải có ít nhất {min_length} phần tử"),
    "too_long": ("must have at most {max_length} characters or items", "tối đa {max_length} ký tự hoặc phần tử"),
    "string_pattern_mismatch": ("does not have the expected form {pattern}", "không đúng định dạng {pattern}"),
    "text_nul": ("must not contain the NUL character (\\0)", "không được chứa ký tự NUL (\\0)"),
    "text_control": ("must not contain control characters", "không được chứa ký tự điều khiển"),
    "attachment_base64": ("must be base64", "phải được mã hoá base64"),
    "attachment_kind": ("must be a PDF, JPEG or PNG file", "phải là tệp PDF, JPEG hoặc PNG"),
    "document_file_kind": (
        "must be a PDF, a scan (JPEG, PNG, TIFF) or an Office file",
        "phải là tệp PDF, ảnh quét (JPEG, PNG, TIFF) hoặc tệp Office",
    ),
    "enum": _ONE_OF,
    "literal_error": _ONE_OF,
    "int_type": _INT,
    "int_parsing": _INT,
    "int_from_float": _INT,
    "int_parsing_size": ("is too large a number", "là số quá lớn"),
    "float_type": _FLOAT,
    "float_parsing": _FLOAT,
    "finite_number": ("must be a finite number (not infinity, not NaN)", "phải là số hữu hạn (không vô cực, NaN)"),
    "greater_than": ("must be greater than {gt}", "phải lớn hơn {gt}"),
    "greater_than_equal": ("must be at least {ge}", "phải lớn hơn hoặc bằng {ge}"),
    "less_than": ("must be less than {lt}", "phải nhỏ hơn {lt}"),
    "less_than_equal": ("must be at most {le}", "phải nhỏ hơn hoặc bằng {le}"),
    "multiple_of": ("must be a multiple of {multiple_of}", "phải là bội số của {multiple_of}"),
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "timezone_aware": ("must have a time zone offset (…+07:00 or …Z)", "phải có múi giờ (…+07:00 hoặc …Z)"),
    "timezone_naive": ("must not have a time zone offset", "không được có múi giờ"),
    "date_range": _RANGE,
    "month_range": _RANGE,
    "uuid_type": _UUID,
    "uuid_parsing": _UUID,
    "uuid_version": _UUID,
    "list_type": ("must be a list", "phải là một danh sách"),
    "tuple_type": ("must be a list", "phải là một danh sách"),
    "set_type": ("must be a list", "phải là một danh sách"),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dataclass_type": _OBJECT,
    "json_invalid": ("is not valid JSON", "không phải JSON hợp lệ"),
    "json_type": ("must be JSON text", "phải là văn bản JSON"),
    "json_depth": ("is nested deeper than {depth} levels", "lồng sâu quá {depth} cấp"),
    "none_required": ("must be null", "phải là null"),
    "frozen_field": ("cannot be changed", "không được thay đổi"),
    "union_tag_invalid": ("has an unknown kind", "có loại không hợp lệ"),
    "union_tag_not_found": ("lacks the field that says its kind", "thiếu trường cho biết loại"),
    "url_parsing": ("must be a URL", "phải là một URL"),
    "url_scheme": ("must be a URL with an allowed scheme", "phải là URL có giao thức được phép"),
}
_FALLBACK = ("is not valid ({type})", "không hợp lệ ({type})")
#: ctx keys that hold limits of the rule, never the input; formatted into the wording
_SAFE_CTX = ("min_length", "max_length", "gt", "ge", "lt", "le", "multiple_of", "expected", "pattern", "first", "last",
             "depth")  # fmt: skip
_VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
_MAX_MESSAGE = 300
_MAX_LOC_PART = 64
#: characters a location part is never echoed with: controls, lone surrogates, U+FFFD
_UNSAYABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff\ufffd]")


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One refused field: where (`loc`, and `field` without the request part), the rule, in both languages."""

    loc: tuple[str | int, ...]
    type: str
    en: str
    vi: str

    @property
    def field(self) -> str:
        parts = [str(p) for p in self.loc if p not in ("body", "query", "path", "header", "cookie")]
        return ".".join(parts) or str(self.loc[0] if self.loc else "")

    def as_dict(self) -> dict[str, Any]:
        """The shape of FastAPI's 422 items (`loc`, `msg`, `type`) plus `msg_vi` and `field`; no `input`/`ctx`."""
        return {"loc": list(self.loc), "field": self.field, "type": self.type, "msg": self.en, "msg_vi": self.vi}


def _clean_loc(loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """The location with dictionary keys (which are input) replaced by '[key]'; long parts cut."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if i + 1 < len(loc) and loc[i + 1] == "[key]":
            continue  # the refused key itself: '[key]' follows and says where
        if isinstance(part, str) and (len(part) > _MAX_LOC_PART or _UNSAYABLE.search(part)):
            part = "…"
        out.append(part)
    return tuple(out)


def _format(template: str, ctx: Mapping[str, Any]) -> str:
    values = {k: str(ctx[k])[:100] for k in _SAFE_CTX if k in ctx}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return re.sub(r"\s*\{\w+\}", "", template)


def _without_input(message: str, value: Any) -> str:
    """`message` with any copy of the refused value cut out, and no longer than _MAX_MESSAGE."""
    if isinstance(value, str) and len(value) >= 3:
        message = message.replace(repr(value), "…").replace(value, "…")
    message = re.sub(r"[\x00-\x1f\x7f]", " ", message)
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _domain_message(message: str) -> tuple[str, str]:
    """A domain rule's own message: 'vi / en' when it is bilingual, else English with a Vietnamese gist."""
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    vi, sep, en = message.partition(" / ")
    if sep and _VIETNAMESE.search(vi) and en:
        return en, vi
    return message, "giá trị không hợp lệ"


def describe(error: Mapping[str, Any]) -> InputProblem:
    """One pydantic error (with or without `input`/`ctx`) as an InputProblem, in Vietnamese and English."""
    kind = str(error.get("type", "value_error"))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind in MESSAGES:
        en_template, vi_template = MESSAGES[kind]
        en, vi = _format(en_template, ctx), _format(vi_template, ctx)
    else:  # a domain rule (value_error) or a type not worded above: its own message, input cut out
        en, vi = _domain_message(str(error.get("msg", "")))
        if not en.strip():
            en, vi = _FALLBACK[0].format(type=kind), _FALLBACK[1].format(type=kind)
    loc = _clean_loc(tuple(error.get("loc", ())))
    return InputProblem(loc, kind, _without_input(en, value), _without_input(vi, value))


def summary(problems: Iterable[InputProblem]) -> str:
    """One line for people: 'Dữ liệu không hợp lệ — field: … / Invalid input — field: …'."""
    found = list(problems)
    shown = found[:3]
    more = len(found) - len(shown)
    vi = "; ".join(f"{p.field}: {p.vi}" for p in shown) + (f" (và {more} lỗi khác)" if more else "")
    en = "; ".join(f"{p.field}: {p.en}" for p in shown) + (f" (and {more} more)" if more else "")
    return f"Dữ liệu không hợp lệ — {vi} / Invalid input — {en}"


def problems_answer(errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The body of a 422: `detail` (one item per field, FastAPI's shape without input) and `message`."""
    problems = [describe(e) for e in errors]
    return {"detail": [p.as_dict() for p in problems], "message": summary(problems)}


def said(errors: Iterable[Mapping[str, Any]], lang: str) -> str:
    """Refused fields in one language, for a form that calls the services directly ('field: rule; …')."""
    problems = [describe(e) for e in errors]
    return "; ".join(f"{p.field}: {p.vi if lang == 'vi' else p.en}" for p in problems)

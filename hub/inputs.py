"""The boundary rule, in one place: the types every input from outside the hub is read with.

Every request model, query and path parameter of the API, and the domain models that the UI fills
from its forms, use these types instead of bare `str`, `float`, `int` and `date`, so that what
PostgreSQL or the calendar arithmetic cannot hold is refused at the door with a clear 4xx — never a
`DataError` or `OverflowError` deep in a service:

- text has a length limit and no NUL (PostgreSQL refuses it in text and JSON) nor other control
  characters (tab and line breaks only in multi-line `Text`); lone surrogates are refused by pydantic;
- numbers are finite (`1e999` parses as infinity, JSON `NaN` as NaN) and integers fit a `bigint`;
- dates, times and months lie in `FIRST_DAY`..`LAST_DAY`, the span timekeeping works in (far from
  the year 1 and 9999, where converting a time zone overflows);
- free-form JSON (command arguments) obeys the same rules at every depth.

The errors carry their own type (`text_nul`, `date_range`, …); `hub.input_errors` words every
type in Vietnamese and English without repeating the input.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

#: the span of dates the hub accepts anywhere (timekeeping, reports, calendar, audit searches)
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
#: the largest id or offset: PostgreSQL's bigint
MAX_BIGINT = 2**63 - 1
#: rows skipped by a paged list at most (a larger offset is a mistake, not a page)
MAX_OFFSET = 1_000_000_000
#: free-form JSON (command arguments): nesting, members and text length at most
MAX_JSON_DEPTH = 8
MAX_JSON_ITEMS = 1_000
MAX_JSON_TEXT = 2_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(value: str, *, multiline: bool = False) -> str:
    """`value` unless it holds NUL or a control character (tab and line breaks allowed if `multiline`)."""
    if "\x00" in value:
        raise PydanticCustomError("text_nul", "must not contain the NUL character (\\0)")
    if (_CONTROL_BUT_LINES if multiline else _CONTROL).search(value):
        raise PydanticCustomError("text_control", "must not contain control characters")
    if _SURROGATE.search(value):  # pydantic refuses them in `str` fields; free-form JSON comes here
        raise PydanticCustomError("string_unicode", "must be valid Unicode text")
    return value


def _single_line(value: str) -> str:
    return check_text(value)


check_line = _single_line  # for fields with their own lengths: Annotated[str, Field(...), AfterValidator(check_line)]


def _multiline(value: str) -> str:
    return check_text(value, multiline=True)


def _secret(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("text_nul", "must not contain the NUL character (\\0)")
    return value


def check_day(value: date) -> date:
    """`value` when it lies within FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "date_range",
            "must be between {first} and {last}",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


def check_instant(value: datetime) -> datetime:
    """`value` when its own calendar date lies within FIRST_DAY..LAST_DAY (so any time zone converts)."""
    check_day(value.date())
    return value


def check_month(value: str) -> str:
    """A 'yyyy-mm' whose month lies within FIRST_DAY..LAST_DAY."""
    year, month = (int(part) for part in value.split("-"))
    if not (FIRST_DAY.year, FIRST_DAY.month) <= (year, month) <= (LAST_DAY.year, LAST_DAY.month):
        raise PydanticCustomError(
            "month_range",
            "must be between {first} and {last}",
            {"first": FIRST_DAY.strftime("%Y-%m"), "last": LAST_DAY.strftime("%Y-%m")},
        )
    return value


def check_json(value: Any, depth: int = 0) -> Any:
    """Free-form JSON held to the same rules as typed input: clean text, finite numbers, bounded size."""
    if depth > MAX_JSON_DEPTH:
        raise PydanticCustomError("json_depth", "nested deeper than {depth} levels", {"depth": MAX_JSON_DEPTH})
    if isinstance(value, str):
        if len(value) > MAX_JSON_TEXT:
            raise PydanticCustomError("too_long", "at most {max_length} characters", {"max_length": MAX_JSON_TEXT})
        check_text(value, multiline=True)
    elif isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "must be a finite number")
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_BIGINT:
        raise PydanticCustomError("less_than_equal", "must be at most {le}", {"le": MAX_BIGINT})
    elif isinstance(value, dict | list):
        members = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        if len(members) > MAX_JSON_ITEMS:
            raise PydanticCustomError("too_long", "at most {max_length} items", {"max_length": MAX_JSON_ITEMS})
        for key, member in members:
            if isinstance(key, str):
                check_json(key, depth + 1)
            check_json(member, depth + 1)
    return value


# --- text ---------------------------------------------------------------------------------------------

#: a code or identifier: unit and employee codes, usernames, device kinds, command names
Code = Annotated[str, Field(max_length=64), AfterValidator(_single_line)]
#: a name or label on one line: display names, sites, rooms, holiday names, search words
ShortText = Annotated[str, Field(max_length=200), AfterValidator(_single_line)]
#: free text that may have several lines: reasons, notes
Text = Annotated[str, Field(max_length=2000), AfterValidator(_multiline)]
#: a password or token: any character but NUL (it is hashed, never stored as text)
Secret = Annotated[str, Field(max_length=1000), AfterValidator(_secret)]

# --- numbers ------------------------------------------------------------------------------------------

#: a float that is a real number (not `1e999`, not NaN)
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
#: a database id
Id = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
#: rows of a paged list to skip
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]

# --- dates and times ----------------------------------------------------------------------------------

#: a day the hub works with (FIRST_DAY..LAST_DAY)
WorkDate = Annotated[date, AfterValidator(check_day)]
#: an instant, with or without offset, within the same span
WorkDateTime = Annotated[datetime, AfterValidator(check_instant)]
#: an instant with its offset (ISO 8601 '…+07:00' or '…Z'), within the same span
AwareWorkDateTime = Annotated[AwareDatetime, AfterValidator(check_instant)]
#: a calendar year within the span
Year = Annotated[int, Field(ge=FIRST_DAY.year, le=LAST_DAY.year)]
#: a month, 'yyyy-mm', within the span
Month = Annotated[
    str,
    Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="yyyy-mm", examples=["2026-11"]),
    AfterValidator(check_month),
]

# --- structured ---------------------------------------------------------------------------------------

#: a free-form JSON object (command arguments): the rules above at every depth
JsonObject = Annotated[dict[str, Any], AfterValidator(check_json)]


def month_bounds(month: str) -> tuple[int, int]:
    """(year, month) of a validated `Month`."""
    year, number = month.split("-")
    return int(year), int(number)

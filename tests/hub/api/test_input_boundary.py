"""Bad input on every route of the OpenAPI description: NUL characters, lone surrogates, over-long text,
`1e999`/NaN/huge integers and dates out of range, sent into every path and query parameter and every
body field (nested objects, list items, dictionary keys and values) of every route, signed in as a
system admin so that access is not what refuses them.

Each must get a 4xx (never a 5xx) that names the field, says what is wrong in Vietnamese and English,
does not echo the input back, and changes nothing in the database (a digest of every table before
and after). The same request without the poison is then accepted, so the poison is what was refused.

Generated from the app's own OpenAPI description, like test_route_auth: a route added later is
covered without touching this file, and one whose inputs do not use the shared types of
`hub.inputs` fails here (shown by test_input_boundary_meta.py).
"""

from __future__ import annotations

import itertools
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from hub.accounts import audit
from hub.accounts.principal import Role
from hub.accounts.service import GrantSpec
from hub.db import migrate, open_pool
from hub.devices.enrollment_api import Enrollment
from hub.files import ContentStore
from hub.services import HubServices
from hub.snapshots.service import SnapshotService
from tests.conftest import new_database
from tests.hub.api.conftest import ADMIN_PASSWORD, PASSWORD
from tests.hub.api.test_route_auth import full_app
from tests.hub.orgdata import seed_org
from tests.hubstack import snapshot_store
from tests.services import MosquittoBroker

# --- what is sent ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Poison:
    """One bad value. `json` is its literal JSON text in a body (1e999 and NaN have no Python spelling
    that json.dumps would write); `text` is how it goes into a URL. `traces` must not be in the answer."""

    label: str
    json: str
    text: str | None  # None: cannot be written in a URL (a lone surrogate)
    traces: tuple[str, ...]


def _text_poison(label: str, value: str, traces: tuple[str, ...]) -> Poison:
    return Poison(label, json.dumps(value), value, traces)


MARK = "ZQX"  # every poisoned string carries it: the answer must not hold it
NUL = _text_poison("NUL", f"{MARK}N\x00ul", (f"{MARK}N", "\\u0000", "\x00"))
LONG = _text_poison("100k characters", f"{MARK}L" + "x" * 100_000, (f"{MARK}L", "x" * 200))
LONG_URL = _text_poison("20k characters", f"{MARK}L" + "x" * 20_000, (f"{MARK}L", "x" * 200))  # URLs stop at 64k
SURROGATE = Poison("lone surrogate", f'"{MARK}S\\ud800"', None, (f"{MARK}S", "\\ud800"))
TEXT_POISONS = (NUL, LONG, SURROGATE)


def _number(literal: str, text: str | None = None) -> Poison:
    return Poison(literal, literal, text or literal, (literal,))


INFINITE = _number("1e999")
NEG_INFINITE = _number("-1e999")
NAN = Poison("NaN", "NaN", "nan", ('"NaN"', ":NaN"))
HUGE = _number("1" + "0" * 30)
NEG_HUGE = _number("-1" + "0" * 30)
NUMBER_POISONS = (INFINITE, NEG_INFINITE, NAN)  # a huge but finite float is a number (each field bounds it)
INTEGER_POISONS = (INFINITE, HUGE, NEG_HUGE)


def _date(value: str) -> Poison:
    return _text_poison(value, value, (value,))


DATE_POISONS = (_date("0001-01-01"), _date("9999-12-31"), NUL)
DATETIME_POISONS = (
    _date("0001-01-01T00:00:00+14:00"),  # before year 1 in UTC: overflows when converted
    _date("9999-12-31T23:59:59-14:00"),  # after year 9999 in UTC
    _date("0001-01-01T00:00:00Z"),
    _date("9999-12-31T00:00:00Z"),
    NUL,
)
MONTH_POISONS = (_date("0000-01"), _date("9999-12"), _date("0001-01"), NUL, LONG)


def poisons_for(schema: dict[str, Any], where: str) -> tuple[Poison, ...]:
    """The bad values for one field of this JSON schema (`where`: path, query or body)."""
    kind = schema.get("type")
    fmt = schema.get("format")
    found: tuple[Poison, ...] = ()
    if kind == "integer":
        found = INTEGER_POISONS
    elif kind == "number":
        found = NUMBER_POISONS
    elif kind == "string" and fmt == "date":
        found = DATE_POISONS
    elif kind == "string" and fmt == "date-time":
        found = DATETIME_POISONS
    elif kind == "string" and (fmt == "year-month" or str(schema.get("pattern", "")).startswith("^\\d{4}-(0")):
        found = MONTH_POISONS
    elif kind == "string" and fmt in ("binary", "uuid"):
        found = (NUL,) if fmt == "uuid" else ()
    elif kind == "string":
        found = TEXT_POISONS
    if where != "body":
        found = tuple(LONG_URL if p is LONG else p for p in found if p.text is not None)
    return found


# --- the OpenAPI description, read generically ------------------------------------------------------


class Spec:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """$ref followed, `X | None` unwrapped to X (sending null is not a poison)."""
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**self.document["components"]["schemas"][name], **rest}
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [s for s in schema[key] if s.get("type") != "null"]
                if len(options) == 1:
                    rest = {k: v for k, v in schema.items() if k != key}
                    return self.resolve({**rest, **options[0]})
                return {**schema, key: [self.resolve(s) for s in options]}
        return schema

    def operations(self) -> list[tuple[str, str]]:
        return [(m.upper(), p) for p, ops in self.document["paths"].items() for m in ops]

    def operation(self, method: str, path: str) -> dict[str, Any]:
        return self.document["paths"][path][method.lower()]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Case:
    """One request: the route's sample request with one field replaced by one poison."""

    method: str
    template: str
    where: str  # path, query, body
    name: str  # the parameter, or the body field as a dotted path
    poison: Poison
    path_values: dict[str, str]
    query: dict[str, str]
    body_json: str | None

    @property
    def title(self) -> str:
        return f"{self.method} {self.template} {self.where}.{self.name} = {self.poison.label}"

    def url(self) -> str:
        path = self.template
        for key, value in self.path_values.items():
            path = path.replace("{" + key + "}", quote(value, safe=""))
        return path


def _placeholder() -> str:
    return f"@@POISON-{secrets.token_hex(6)}@@"


@dataclass(frozen=True)
class Key:
    """A step into a dictionary's key."""

    def __str__(self) -> str:
        return "{key}"


@dataclass(frozen=True)
class Value:
    """A step into a dictionary's value, under a valid key."""

    key: str

    def __str__(self) -> str:
        return "{value}"


Step = str | int | Key | Value


def _body_fields(spec: Spec, schema: dict[str, Any], trail: list[Step]) -> Iterator[tuple[list[Step], dict[str, Any]]]:
    """(trail, schema) of every leaf field under `schema`: properties, list items, dictionary keys and values."""
    schema = spec.resolve(schema)
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        for name, sub in schema["properties"].items():
            yield from _body_fields(spec, sub, [*trail, name])
    elif kind == "object":  # a dictionary
        keys = {"type": "string", **spec.resolve(schema.get("propertyNames", {}))}
        key_sample = "2030-05-06" if keys.get("format") == "date" else "k"
        yield [*trail, Key()], keys
        values = schema.get("additionalProperties", True)
        if isinstance(values, dict) and values:
            yield from _body_fields(spec, values, [*trail, Value(key_sample)])
        else:  # any JSON value: text and numbers
            yield [*trail, Value(key_sample)], {"type": "string"}
            yield [*trail, Value(key_sample)], {"type": "number"}
    elif kind == "array":
        yield from _body_fields(spec, schema.get("items", {"type": "string"}), [*trail, 0])
    elif "anyOf" in schema or "oneOf" in schema:
        for option in schema.get("anyOf", schema.get("oneOf", [])):
            yield from _body_fields(spec, option, trail)
    else:
        yield trail, schema


def _set(body: Any, trail: list[Step], value: str) -> Any:
    """`body` with the field at `trail` set to `value`. The top level keeps the sample's other fields (a
    valid request); a nested object holds the poisoned field alone, so that no rule between its
    fields (e.g. 'exactly one of file or device') answers in the poison's place."""
    if not trail:
        return value
    head, rest = trail[0], trail[1:]
    if head == 0:
        return [_set(None, rest, value)]
    if isinstance(head, Key):
        return {value: "x1"}
    if isinstance(head, Value):
        return {head.key: _set(None, rest, value)}
    container = dict(body) if isinstance(body, dict) else {}
    container[str(head)] = _set(None, rest, value)
    return container


def cases_of(spec: Spec, method: str, path: str, sample: RouteSample) -> list[Case]:
    """Every (field, poison) of one route, built on its sample request."""
    op = spec.operation(method, path)
    cases = []
    for param in op.get("parameters", []):
        where, name = param["in"], param["name"]
        if where not in ("path", "query"):
            continue
        for poison in poisons_for(spec.resolve(param["schema"]), where):
            assert poison.text is not None
            path_values, query = dict(sample.path), dict(sample.query)
            (path_values if where == "path" else query)[name] = poison.text
            cases.append(Case(method, path, where, name, poison, path_values, query, sample.body_json()))
    content = op.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        for trail, schema in _body_fields(spec, content["application/json"]["schema"], []):
            name = ".".join(str(step) for step in trail)
            for poison in poisons_for(schema, "body"):
                holder = _placeholder()
                text = json.dumps(_set(sample.body, trail, holder))
                text = text.replace(json.dumps(holder), poison.json)  # a key too: poisons of keys are strings
                cases.append(Case(method, path, "body", name, poison, dict(sample.path), dict(sample.query), text))
    return cases


# --- how an answer is judged ---------------------------------------------------------------------------

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
ENGLISH = re.compile(r"\b(must|should|not|between|characters?|allowed|invalid|input|number|date|the|too)\b", re.I)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _in_order(names: list[str], loc: list[str]) -> bool:
    rest = iter(loc)
    return all(any(name == part for part in rest) for name in names)


def judge(case: Case, response: Response) -> list[str]:
    """What is wrong with the answer to one poisoned request (empty: nothing)."""
    problems = []
    status = response.status_code
    if not 400 <= status < 500 or status in (401, 403):
        problems.append(f"answered {status}: {response.text[:300]!r}")
        return problems
    text = response.text
    echoed = [t for t in case.poison.traces if t in text]
    if echoed:
        problems.append(f"echoes the input back ({echoed[0][:20]!r}…): {text[:300]!r}")
    try:
        body = response.json()
    except ValueError:
        return [*problems, f"answer is not JSON: {text[:200]!r}"]
    strings = list(_strings(body))
    if not any(VIETNAMESE.search(s) for s in strings) or not any(ENGLISH.search(s) for s in strings):
        problems.append(f"no Vietnamese and English message: {text[:300]!r}")
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, list):  # a validation answer: it names the field (every named step, in order)
        named = [p for p in case.name.split(".") if p not in ("{key}", "{value}", "0")]
        locs = [[str(x) for x in e.get("loc", [])] for e in detail if isinstance(e, dict)]
        if not any(_in_order(named, loc) for loc in locs):
            problems.append(f"does not name the field {case.name!r}: {locs}")
        for e in detail:
            if isinstance(e, dict) and ("input" in e or "ctx" in e):
                problems.append(f"holds 'input'/'ctx': {sorted(e)}")
                break
    return problems


# --- the world the requests run in ---------------------------------------------------------------------


@dataclass
class RouteSample:
    """A valid request of one route (path values, query, JSON body)."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: Any = None
    #: statuses the sample itself may get besides 2xx (a refusal that is not about the input's shape)
    accepted: tuple[int, ...] = ()

    def body_json(self) -> str | None:
        return None if self.body is None else json.dumps(self.body)


PATH_VALUES = {
    "device_id": "door-hn-01",
    "employee_code": "NV001",
    "unit_code": "DOI1",
    "period": "2025-11",
    "day": "2025-11-03",
    "year": "2030",
    "site": "Hà Nội",
}

TET_2030 = ["2030-02-01", "2030-02-02", "2030-02-03", "2030-02-04", "2030-02-05"]


def route_samples(world: World) -> dict[tuple[str, str], RouteSample]:
    """Valid requests for the routes whose inputs need more than PATH_VALUES and the schema's defaults."""
    new = secrets.token_hex(3)
    return {
        ("POST", "/api/v1/auth/sign-in"): RouteSample(body={"username": world.username, "password": PASSWORD}),
        ("POST", "/api/v1/auth/password"): RouteSample(
            body={"current_password": PASSWORD, "new_password": "mat-khau-moi-cua-toi-2"}
        ),
        ("POST", "/api/v1/users"): RouteSample(
            body={
                "username": f"moi-{new}",
                "password": "mat-khau-moi-123",
                "display_name": "Người mới",
                "employee_code": "NV003",
                "language": "vi",
                "grants": [{"role": "hr", "unit_code": "DOI1"}],
            }
        ),
        ("PATCH", "/api/v1/users/{user_id}"): RouteSample(
            body={"display_name": "Tên mới", "language": "en", "disabled": False, "employee_code": "NV002"}
        ),
        ("POST", "/api/v1/users/{user_id}/password"): RouteSample(body={"new_password": "mat-khau-moi-456"}),
        ("POST", "/api/v1/users/{user_id}/grants"): RouteSample(body={"role": "manager", "unit_code": "CHQHN"}),
        ("GET", "/api/v1/audit"): RouteSample(
            query={
                "actor": "admin",
                "action": "user.",
                "entity": "user",
                "entity_id": "1",
                "q": "quản trị",
                "from": "2025-01-01T00:00:00+07:00",
                "to": "2099-01-01T00:00:00+07:00",
                "limit": "5",
                "offset": "0",
            }
        ),  # fmt: skip
        ("GET", "/api/v1/employees"): RouteSample(
            query={"q": "Đức", "unit": "TCHQ", "active_on": "2025-11-03", "limit": "5", "offset": "0"}
        ),
        ("GET", "/api/v1/users"): RouteSample(query={"q": "admin", "limit": "5", "offset": "0"}),
        ("GET", "/api/v1/org-units"): RouteSample(query={"root": "CHQHN"}),
        ("GET", "/api/v1/ingest/rejects"): RouteSample(query={"limit": "5", "offset": "0"}),
        ("GET", "/api/v1/devices"): RouteSample(
            query={"kind": "faceid", "site": "Hà Nội", "online": "true", "limit": "5", "offset": "0"}
        ),
        ("GET", "/api/v1/devices/{device_id}/telemetry"): RouteSample(
            query={"from": "2025-11-01T00:00:00+07:00", "to": "2025-11-02T00:00:00+07:00", "limit": "5"}
        ),
        ("PATCH", "/api/v1/devices/{device_id}"): RouteSample(
            body={"site": "Hà Nội", "room": "sảnh A", "direction": "in", "kind": "faceid"}
        ),
        ("PATCH", "/api/v1/devices/{device_id}/config"): RouteSample(
            body={
                "threshold": 0.4,
                "cooldown_s": 5,
                "display_room": "p301",
                "model_pack": "yunet-sface",
                "telemetry_interval_s": 30,
                "camera": {"file": "/srv/cam.mp4", "realtime": True, "loop": False},
                "rfid": {
                    "reader": "yrm100",
                    "port": "/dev/ttyUSB0",
                    "zone": "p-301",
                    "power_dbm": 26,
                    "antennas": [{"port": 1, "zone": "p-301-trong", "power_dbm": 20}],
                    "rssi_floor_dbm": -70,
                    "dedup_s": 10,
                },
            }
        ),  # fmt: skip
        ("POST", "/api/v1/devices/{device_id}/commands"): RouteSample(
            body={"name": "ping", "args": {}, "ttl_s": 60},
            accepted=(503,),  # no broker link in this app: 503
        ),
        ("GET", "/api/v1/devices/{device_id}/commands"): RouteSample(query={"limit": "5", "offset": "0"}),
        ("GET", "/api/v1/devices/{device_id}/commands/{command_id}"): RouteSample(accepted=(404,)),
        ("PUT", "/api/v1/offices/{site}/units"): RouteSample(body={"units": ["CHQHN"]}),
        ("GET", "/api/v1/timesheets/{unit_code}/{period}"): RouteSample(query={"limit": "5", "offset": "0"}),
        ("GET", "/api/v1/units/{unit_code}/days/{day}"): RouteSample(
            query={"status": "absent", "limit": "5", "offset": "0"}
        ),
        ("POST", "/api/v1/employees/{employee_code}/corrections"): RouteSample(
            body={
                "day": "2025-11-03",
                "reason": "Quên chấm công",
                "status": "present",
                "first_in": "2025-11-03T01:00:00+00:00",
                "last_out": "2025-11-03T10:00:00+00:00",
                "late_minutes": 0,
                "early_leave_minutes": 0,
                "worked_minutes": 480,
                "worked_days": 1,
            }
        ),  # fmt: skip
        ("PUT", "/api/v1/calendar/{year}"): RouteSample(
            body={
                "tet_days": TET_2030,
                "national_day_adjacent": "2030-09-03",
                "holidays": {"2030-05-06": "Quyết định 1"},
                "days_off": {"2030-12-31": "Hoán đổi"},
                "working_days": {"2030-12-28": "Làm bù"},
                "names": {"2030-05-06": "Ngày lễ"},
            }
        ),  # fmt: skip
        ("GET", "/api/v1/reports/presence/{unit_code}"): RouteSample(query={"day": "2025-11-03", "format": "json"}),
        ("GET", "/api/v1/reports/lateness/{unit_code}"): RouteSample(
            query={"from": "2025-11-01", "to": "2025-11-30", "limit": "5", "format": "json"}
        ),
        ("GET", "/api/v1/reports/absences/{unit_code}"): RouteSample(
            query={"from": "2025-11-01", "to": "2025-11-30", "format": "json"}
        ),
        ("GET", "/api/v1/reports/timesheets/{unit_code}/{period}/export"): RouteSample(query={"format": "xlsx"}),
        ("GET", "/api/v1/reports/devices/uptime"): RouteSample(
            query={
                "from": "2025-11-01T00:00:00+07:00",
                "to": "2025-11-02T00:00:00+07:00",
                "site": "Hà Nội",
                "format": "json",
            }
        ),  # fmt: skip
        ("GET", "/api/v1/reports/devices/offline"): RouteSample(query={"site": "Hà Nội", "format": "json"}),
        ("POST", "/api/v1/devices/enrollment-tokens"): RouteSample(
            body={"device_id": f"door-moi-{new}", "kind": "faceid", "site": "Hà Nội", "room": "sảnh", "valid_hours": 2}
        ),
        # org: the organisation (hub.org.api); `{code}` is made up here (404 accepted)
        ("POST", "/api/v1/org-units"): RouteSample(
            body={"code": f"DOI-{new}", "name": "Đội mới", "kind": "team", "parent_code": "CHQHN"}
        ),
        ("POST", "/api/v1/org-units/{code}/rename"): RouteSample(body={"name": "Đội mới", "effective": "2025-11-03"}),
        ("POST", "/api/v1/org-units/{code}/move"): RouteSample(body={"parent_code": "CHQHN"}),
        ("POST", "/api/v1/org-units/{code}/merge"): RouteSample(body={"into": "CHQHN"}),
        ("POST", "/api/v1/org-units/{code}/close"): RouteSample(body={"effective": "2025-11-03"}),
        # leave (hub.leave.api); ids are made up (404 accepted), or name a request another sample made and
        # decided (409: not waiting for approval); refusals of the rules (balance, chain) are 409/422
        ("POST", "/api/v1/leave/requests"): RouteSample(
            body={
                "employee_code": "NV001",
                "leave_type": "annual",
                "start": "2030-03-04",
                "end": "2030-03-05",
                "start_part": "full",
                "end_part": "full",
                "reason": "Việc gia đình",
                "substitute_code": "NV002",
                "reference": "ĐN-01",
                "travel_days": 3.5,
                "attachments": [
                    {"filename": "giay.pdf", "content_type": "application/pdf", "data_base64": "JVBERi0xLjQK"}
                ],
            },
            accepted=(409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/leave/preview"): RouteSample(
            query={
                "employee_code": "NV001",
                "leave_type": "annual",
                "start": "2030-03-04",
                "end": "2030-03-05",
                "start_part": "full",
                "end_part": "morning",
                "travel_days": "3",
            },
            accepted=(409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/leave/requests/{request_id}/approve"): RouteSample(
            body={"comment": "Đồng ý", "work_refusal": False}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/leave/requests/{request_id}/reject"): RouteSample(
            body={"comment": "Không đồng ý", "work_refusal": True}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/leave/requests/{request_id}/return"): RouteSample(
            body={"comment": "Bổ sung giấy tờ"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/leave/requests/{request_id}/cancel"): RouteSample(
            body={"reason": "Không nghỉ nữa"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/leave/requests/{request_id}/change"): RouteSample(
            body={
                "start": "2030-03-11",
                "end": "2030-03-12",
                "start_part": "full",
                "end_part": "afternoon",
                "reason": "Đổi ngày",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/leave/requests/{request_id}/override"): RouteSample(
            body={"decision": "approve", "reason": "Quyết định của thủ trưởng"}, accepted=(404, 409)
        ),
        # a request with no permit (not approved, or its unit has no place for the date line yet): 409
        ("GET", "/api/v1/leave/requests/{request_id}/permit.pdf"): RouteSample(accepted=(404, 409)),
        ("GET", "/api/v1/leave/requests/{request_id}/attachments/{attachment_id}"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/leave/adjustments"): RouteSample(
            body={"employee_code": "NV001", "year": 2030, "days": 1.5, "reason": "Điều chỉnh", "kind": "adjustment"},
            accepted=(409, 422),
        ),
        ("POST", "/api/v1/leave/delegations"): RouteSample(
            body={
                "approver": "admin",
                "backup": "dich-danh",
                "start": "2030-09-02",  # not the leave samples' days: their approver stays admin, whatever the order
                "end": "2030-09-06",
                "reason": "Đi công tác",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        # summary reporting (hub.reporting.api); the regime of the PUT may not exist for the other routes: 404
        # the leadership screen (hub.leadership.api): a unit of the world's org, a tile
        ("GET", "/api/v1/leadership/overview"): RouteSample(query={"unit": "DOI1"}),
        ("GET", "/api/v1/leadership/records/{tile}"): RouteSample(path={"tile": "documents"}, query={"unit": "DOI1"}),
        ("GET", "/api/v1/reporting/period"): RouteSample(query={"frequency": "monthly", "key": "2026-03"}),
        ("PUT", "/api/v1/reporting/regimes/{code}"): RouteSample(
            path={"code": f"thang-{new}"},
            body={
                "valid_from": "2026-01-01",
                "name_vi": "Báo cáo tháng",
                "name_en": "Monthly report",
                "basis": "Nghị định 09/2019/NĐ-CP",
                "content": "Tình hình chung",
                "frequency": "monthly",
                "cutoff_day": 15,
                "deadline_days": 2,
                "deadline_working": True,
                "owner_unit": "CCHQNB",
                "template": {
                    "indicators": [
                        {
                            "code": "staff",
                            "name_vi": "Số cán bộ",
                            "name_en": "Staff",
                            "kind": "number",
                            "unit": "người",
                            "source": "staff_count",
                            "required": False,
                            "decimals": 0,
                        },
                        {
                            "code": "cases",
                            "name_vi": "Vụ việc",
                            "name_en": "Cases",
                            "kind": "table",
                            "total": True,
                            "columns": [
                                {
                                    "code": "count",
                                    "name_vi": "Số vụ",
                                    "name_en": "Count",
                                    "kind": "number",
                                    "unit": "vụ",
                                }
                            ],
                        },
                        {
                            "code": "per",
                            "name_vi": "Bình quân",
                            "name_en": "Per person",
                            "formula": "cases.count / staff",
                        },
                    ]
                },
                "reporters": [{"unit_code": "DOI1", "recipient_code": "CCHQNB"}],
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/reporting/regimes/{code}/periods/{period_key}/open"): RouteSample(
            path={"code": "thang", "period_key": "2026-03"}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/reporting/regimes/{code}/periods/{period_key}/missing"): RouteSample(
            path={"code": "thang", "period_key": "2026-03"}, accepted=(404,)
        ),
        ("GET", "/api/v1/reporting/regimes/{code}/periods/{period_key}/consolidated/{unit_code}.{fmt}"): RouteSample(
            path={"code": "thang", "period_key": "2026-03", "unit_code": "CCHQNB", "fmt": "pdf"}, accepted=(404,)
        ),
        ("GET", "/api/v1/reporting/reports/{report_id}.{fmt}"): RouteSample(path={"fmt": "docx"}, accepted=(404,)),
        ("POST", "/api/v1/reporting/reports/{report_id}/attachments"): RouteSample(
            body={"name": "Giải trình.pdf", "data_base64": "JVBERi0xLjQKJSBiYW8gY2FvCg=="}, accepted=(404,)
        ),
        ("GET", "/api/v1/reporting/reports/{report_id}/attachments/{attachment_id}"): RouteSample(accepted=(404,)),
        ("DELETE", "/api/v1/reporting/reports/{report_id}/attachments/{attachment_id}"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/reporting/regimes/{code}/periods/{period_key}/consolidated/{unit_code}"): RouteSample(
            path={"code": "thang", "period_key": "2026-03", "unit_code": "CCHQNB"}, accepted=(404,)
        ),
        ("GET", "/api/v1/reporting/reports"): RouteSample(query={"regime": "thang", "period_key": "2026-03"}),
        ("PATCH", "/api/v1/reporting/reports/{report_id}/values"): RouteSample(
            body={"values": {"summary": "Ổn định"}, "notes": {"summary": "Ghi chú"}}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/reporting/reports/{report_id}/return"): RouteSample(
            body={"comment": "Bổ sung"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/reporting/reports/{report_id}/accept"): RouteSample(
            body={"comment": "Đạt"}, accepted=(404, 409)
        ),
        # meeting rooms and bookings (hub.meetings.api); the room and booking ids are made up (404)
        ("GET", "/api/v1/meeting-rooms"): RouteSample(query={"office": "Trụ sở Nội Bài", "all": "true"}),
        ("GET", "/api/v1/meeting-rooms/{room_id}"): RouteSample(path={"room_id": "phong-a"}, accepted=(404,)),
        ("PUT", "/api/v1/meeting-rooms/{room_id}"): RouteSample(
            path={"room_id": "phong-a"},
            body={
                "office": "Trụ sở Nội Bài",
                "unit_code": "DOI1",
                "name": "Phòng họp A",
                "capacity": 20,
                "equipment": ["Màn hình"],
                "display_device_id": "room-a-display",
                "door_device_id": "room-a-door",
                "needs_approval": False,
                "active": True,
            },
        ),  # fmt: skip
        ("GET", "/api/v1/meeting-rooms/{room_id}/bookings"): RouteSample(
            path={"room_id": "phong-a"},
            query={"start": "2030-01-07T08:00:00+07:00", "end": "2030-01-08T08:00:00+07:00"},
            accepted=(404,),
        ),
        ("POST", "/api/v1/meeting-rooms/{room_id}/bookings"): RouteSample(
            path={"room_id": "phong-a"},
            body={
                "title": "Giao ban tuần",
                "starts_at": "2030-01-07T08:00:00+07:00",
                "ends_at": "2030-01-07T09:00:00+07:00",
                "recurrence": {"interval_days": 7, "count": 2},
            },
            accepted=(404, 409),
        ),  # fmt: skip
        ("GET", "/api/v1/meeting-rooms/{room_id}/schedule"): RouteSample(
            path={"room_id": "phong-a"}, query={"at": "2030-01-07T08:30:00+07:00"}, accepted=(404,)
        ),
        ("POST", "/api/v1/meeting-bookings/{booking_id}/cancel"): RouteSample(
            body={"whole_series": True}, accepted=(404,)
        ),
        ("POST", "/api/v1/meeting-bookings/{booking_id}/decision"): RouteSample(
            body={"approve": True, "note": "Đồng ý"}, accepted=(404, 409)
        ),
        # meetings (hub.meetings.api); the unit's staff are the test organisation's (NV001, NV002), ids made up
        ("POST", "/api/v1/meetings"): RouteSample(
            body={
                "title": "Họp giao ban",
                "unit_code": "DOI1",
                "chair_code": "NV001",
                "secretary_code": "NV002",
                "member_codes": ["NV003"],
                "guests": [{"name": "Ông Khách", "organisation": "Sở Tài chính"}],
                "starts_at": "2030-01-07T08:00:00+07:00",
                "ends_at": "2030-01-07T09:00:00+07:00",
                "video_url": "https://meet.example.gov.vn/a",
                "late_after_minutes": 5,
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/meetings"): RouteSample(
            query={"start": "2030-01-07T00:00:00+07:00", "end": "2030-01-08T00:00:00+07:00"}
        ),
        ("PUT", "/api/v1/meetings/{meeting_id}/agenda"): RouteSample(
            body={"items": [{"title": "Báo cáo", "presenter_code": "NV001", "duration_minutes": 15}]},
            accepted=(404,),
        ),
        ("POST", "/api/v1/meetings/{meeting_id}/papers"): RouteSample(
            body={
                "title": "Báo cáo",
                "filename": "bao-cao.pdf",
                "data_base64": "JVBERi0xLjQK",
                "item_id": 1,
                "restricted": True,
                "reader_codes": ["NV001"],
            },
            accepted=(404, 503),
        ),  # fmt: skip
        ("POST", "/api/v1/meetings/{meeting_id}/attendance/{participant_id}"): RouteSample(
            body={"present": True}, accepted=(404, 409)
        ),
        ("GET", "/api/v1/meetings/{meeting_id}/papers/{paper_id}"): RouteSample(accepted=(404, 503)),
        ("POST", "/api/v1/meetings/{meeting_id}/votes"): RouteSample(
            body={
                "question": "Thông qua kế hoạch",
                "secret": True,
                "item_id": 1,
                "choices": ["for", "against"],
                "quorum_pct": 50,
            },
            accepted=(403, 404),  # a meeting another sample made: this admin is not its chair
        ),  # fmt: skip
        ("POST", "/api/v1/meetings/{meeting_id}/votes/{vote_id}/ballot"): RouteSample(
            body={"choice": "for"}, accepted=(403, 404)
        ),
        ("POST", "/api/v1/meetings/{meeting_id}/votes/{vote_id}/close"): RouteSample(accepted=(403, 404)),
        ("POST", "/api/v1/meetings/{meeting_id}/status"): RouteSample(
            body={"status": "in_progress"}, accepted=(403, 404, 409)
        ),
        ("PUT", "/api/v1/meetings/{meeting_id}/current-item"): RouteSample(
            body={"item_id": 1}, accepted=(403, 404, 409)
        ),
        ("POST", "/api/v1/meetings/{meeting_id}/speakers"): RouteSample(accepted=(403, 404, 409)),
        ("PUT", "/api/v1/meetings/{meeting_id}/floor"): RouteSample(
            body={"speaker_id": 1, "minutes": 5}, accepted=(403, 404)
        ),
        ("POST", "/api/v1/meetings/{meeting_id}/tasks"): RouteSample(
            body={"title": "Hoàn thiện kế hoạch", "owner_code": "NV001", "deadline": "2030-01-15", "item_id": 1},
            accepted=(403, 404),
        ),
        ("POST", "/api/v1/meeting-tasks/{task_id}/finish"): RouteSample(body={"note": "Đã xong"}, accepted=(404,)),
        ("POST", "/api/v1/meetings/checkin"): RouteSample(body={"token": "eyJtIjoxfQ.abc.def"}, accepted=(422,)),
        # a meeting's participants (hub.meetings.participants_api); ids made up
        ("POST", "/api/v1/meetings/{meeting_id}/participants"): RouteSample(
            body={"guest_name": "Ông Phạm Văn Khách", "guest_organisation": "Sở Tài chính"}, accepted=(404, 409)
        ),
        ("DELETE", "/api/v1/meetings/{meeting_id}/participants/{participant_id}"): RouteSample(accepted=(404, 409)),
        ("GET", "/api/v1/meetings/{meeting_id}/staff-choices"): RouteSample(query={"q": "phạm"}, accepted=(404,)),
        ("POST", "/api/v1/meetings/{meeting_id}/opinions"): RouteSample(
            body={"item_id": 1, "text": "Đề nghị bổ sung\nsố liệu", "paper_id": 1}, accepted=(403, 404, 409)
        ),
        ("PUT", "/api/v1/meetings/{meeting_id}/opinions/{opinion_id}"): RouteSample(
            body={"text": "Ý kiến đã sửa", "paper_id": None}, accepted=(403, 404, 409)
        ),
        ("DELETE", "/api/v1/meetings/{meeting_id}/opinions/{opinion_id}"): RouteSample(accepted=(403, 404, 409)),
        ("GET", "/api/v1/meetings/{meeting_id}/opinions"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/meetings/{meeting_id}/floor/extend"): RouteSample(
            body={"minutes": 2}, accepted=(403, 404, 409)
        ),
        ("PUT", "/api/v1/meetings/{meeting_id}/leads/{role}"): RouteSample(
            path={"role": "secretary"}, body={"employee_code": "NV001"}, accepted=(403, 404, 409)
        ),
        # the minutes (hub.meetings.minutes_api): meeting 1 exists once the samples above made it (its chair is
        # not the system admin: 403; the minutes' state: 409), else 404
        ("PUT", "/api/v1/meetings/{meeting_id}/minutes"): RouteSample(
            body={"opening": "Thời gian: 8 giờ", "content": "Nội dung", "conclusion": "Kết luận", "base_version": 0},
            accepted=(403, 404, 409),
        ),
        ("POST", "/api/v1/meetings/{meeting_id}/minutes/submit"): RouteSample(accepted=(403, 404, 409)),
        ("POST", "/api/v1/meetings/{meeting_id}/minutes/sign"): RouteSample(accepted=(403, 404, 409)),
        ("POST", "/api/v1/meetings/{meeting_id}/minutes/return"): RouteSample(
            body={"comment": "Bổ sung phần kết luận"}, accepted=(403, 404, 409)
        ),
        ("GET", "/api/v1/meetings/{meeting_id}/minutes.pdf"): RouteSample(accepted=(403, 404, 409)),
        ("POST", "/api/v1/meetings/{meeting_id}/conclusion-notice"): RouteSample(accepted=(403, 404, 409, 503)),
        # a file upload: this sender sends no file, so the sample is refused for the missing file alone
        ("POST", "/api/v1/leave/opening-balances/{year}"): RouteSample(accepted=(422,)),
        ("GET", "/api/v1/leave/reports/{unit_code}/{year}/{report}.{fmt}"): RouteSample(
            path={"report": "taken", "fmt": "xlsx"}
        ),
        # notifications (hub.notifications.api); ids are made up (404 accepted)
        ("POST", "/api/v1/notifications/read"): RouteSample(body={"ids": [1, 2]}, accepted=(404,)),
        ("PUT", "/api/v1/notifications/preferences"): RouteSample(
            body={"email": "admin@example.org", "clear_email": False, "by_mail": {"backup.alert": True}},
            accepted=(403, 404, 422),
        ),
        # assets (hub.assets.api)
        ("POST", "/api/v1/assets"): RouteSample(
            body={
                "asset_number": f"TS-{new}",
                "name": "Máy tính xách tay",
                "category_code": "may_tinh",
                "unit_code": "DOI1",
                "cost": 25_000_000,
                "funding_source": "state_budget",
                "acquired_on": "2025-01-15",
                "business_use": False,
                "status": "in_use",
                "serial_number": "SN-1",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("PATCH", "/api/v1/assets/{asset_number}"): RouteSample(
            body={"name": "Máy in", "status": "in_store", "serial_number": "SN-2"}, accepted=(404, 409, 422)
        ),
        ("PUT", "/api/v1/asset-categories/{code}"): RouteSample(
            body={
                "name_vi": "Máy tính",
                "name_en": "Computers",
                "service_life_years": 5,
                "wear_rate_pct": 20,
                "legal_basis": "Thông tư 23/2023/TT-BTC",
                "confirmed": False,
                "valid_from": "2025-01-01",
                "note": "thử",
            },
            accepted=(409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/asset-locations"): RouteSample(
            body={"kind": "office", "code": f"TS-{new}", "name": "Trụ sở Nội Bài", "unit_code": "DOI1"},
            accepted=(404, 409, 422),
        ),
        # asset movements (hub.assets.movements.api); the asset and movement ids are made up (404 accepted)
        ("POST", "/api/v1/assets/{asset_number}/movements"): RouteSample(
            path={"asset_number": "TS-1"},
            body={
                "kind": "liquidation",
                "reason": "Hỏng không sửa được",
                "decision_number": "15/QĐ-KV1",
                "decision_date": "2025-06-30",
                "decision_signer": "Chi cục trưởng",
                "due_on": "2030-01-01",
                "exit_until": "2030-01-02",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/asset-movements/{movement_id}/approve"): RouteSample(
            body={"note": "Đồng ý"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/asset-movements/{movement_id}/reject"): RouteSample(
            body={"note": "Không"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/asset-movements/{movement_id}/cancel"): RouteSample(
            body={"note": "Hủy"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/asset-movements/{movement_id}/return"): RouteSample(
            body={"note": "Đã nhận", "location_code": "P101"}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/asset-movements"): RouteSample(query={"status": "requested", "limit": "5", "offset": "0"}),
        # inventory (hub.assets.inventory.api); session ids are made up (404 accepted), locations may not exist
        ("POST", "/api/v1/asset-inventories"): RouteSample(
            body={"location_code": "P101", "title": "Kiểm kê phòng 101", "stocktake_year": 2026},
            accepted=(404, 409, 422),
        ),
        ("GET", "/api/v1/asset-inventories"): RouteSample(query={"status": "open"}),
        ("GET", "/api/v1/asset-inventories/{inventory_id}"): RouteSample(query={"lines": "all"}, accepted=(404,)),
        ("POST", "/api/v1/asset-inventories/{inventory_id}/reads"): RouteSample(
            body={"room_code": "P101", "codes": ["3434257BF400000000BC6038", "urn:epc:id:giai:8934567.TS-1", "TS-1"]},
            accepted=(404, 409, 422),
        ),
        ("POST", "/api/v1/asset-inventories/{inventory_id}/resolve"): RouteSample(
            body={
                "outcome": "registered",
                "tag": "3434257BF400000000BC6038",
                "note": "Thẻ lạ",
                "asset": {
                    "asset_number": f"TS-{new}",
                    "name": "Máy in",
                    "category_code": "may-vi-tinh",
                    "unit_code": "DOI1",
                    "cost": 11_000_000,
                    "acquired_on": "2025-01-10",
                    "location_code": "P101",
                },
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/asset-inventories/{inventory_id}/close"): RouteSample(accepted=(404, 409)),
        ("GET", "/api/v1/asset-stocktake/{year}"): RouteSample(path={"year": "2026"}),
        ("GET", "/api/v1/asset-lookup"): RouteSample(query={"code": "urn:epc:id:giai:8934567.TS-1"}),
        ("GET", "/api/v1/assets/wear/{year}/pdf"): RouteSample(path={"year": "2025"}, query={"unit": "DOI1"}),
        ("GET", "/api/v1/assets/book/{year}/{fmt}"): RouteSample(
            path={"year": "2025", "fmt": "pdf"}, query={"unit": "DOI1"}
        ),
        ("GET", "/api/v1/assets/{asset_number}/card.pdf"): RouteSample(path={"asset_number": "TS-1"}, accepted=(404,)),
        # no file in the sample (a JSON-only check): 422 for the missing upload, 404 for a made-up attachment
        ("POST", "/api/v1/assets/{asset_number}/attachments"): RouteSample(
            path={"asset_number": "TS-1"}, query={"note": "Hóa đơn mua"}, accepted=(404, 422)
        ),
        ("GET", "/api/v1/assets/{asset_number}/attachments/{attachment_id}"): RouteSample(
            path={"asset_number": "TS-1"}, accepted=(404,)
        ),
        # door portals (hub.assets.portals.api); the location and alert ids are made up
        ("PUT", "/api/v1/asset-portals/{code}"): RouteSample(
            path={"code": "CONG-A"},
            body={
                "name": "Cổng nhà A",
                "device_id": "portal-a",
                "inner_antenna": 1,
                "outer_antenna": 2,
                "location_code": "NB-A",
                "display_device_id": "man-hinh-a",
                "window_s": 30,
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/asset-alerts"): RouteSample(query={"all": "true"}),
        # room displays (hub.displays.api): a room the meetings service does not know answers 404
        ("GET", "/api/v1/rooms/{room_id}/display"): RouteSample(path={"room_id": "p-301"}, accepted=(404,)),
        ("POST", "/api/v1/asset-alerts/{alert_id}/acknowledge"): RouteSample(
            body={"note": "Đã kiểm tra"}, accepted=(404,)
        ),
        ("PUT", "/api/v1/asset-readers/{device_id}/{antenna}"): RouteSample(
            path={"antenna": "0"}, body={"room_code": "P101"}, accepted=(404, 422)
        ),
        # documents (hub.documents.api); the test organisation has no unit with a seal: 409/422 accepted
        ("PUT", "/api/v1/documents/issuers/{unit_code}"): RouteSample(
            body={"notation": "HQKV2", "place": "Hà Nội"}, accepted=(404, 409, 422)
        ),
        ("PUT", "/api/v1/documents/series"): RouteSample(
            body={
                "unit_code": "DOI1",
                "code": "di",
                "kind": "administrative",
                "name_vi": "Văn bản đi",
                "name_en": "Outgoing",
                "notation_typed": "{type}-{issuer}",
                "notation_untyped": "{issuer}-{drafter}",
                "valid_from": "2030-01-01",
                "basis": "Nghị định 30/2020",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("POST", "/api/v1/documents/incoming"): RouteSample(
            body={
                "unit_code": "DOI1",
                "type": "CV",
                "code_number": "15",
                "code_notation": "BTC-TCHQ",
                "organ_name": "Bộ Tài chính",
                "issued_date": "2025-11-03",
                "subject": "Về việc thử",
                "secrecy": 0,
                "urgency": 0,
                "series_code": "den",
                "arrival_date": "2025-11-04",
                "language": "Tiếng Việt",
                "page_amount": 2,
                "description": "Ghi chú",
                "signer_position": "Thứ trưởng",
                "signer_name": "Nguyễn Văn A",
                "to_places": "Các Cục Hải quan",
                "due_date": "2025-11-20",
                "organ_id": "000.00.00.G12",
                "files": [{"name": "a.pdf", "data_base64": "JVBERi0xLjQK"}],
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/documents/entries/{document_id}"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/entries/{document_id}/files/{file_id}"): RouteSample(
            query={"download": "true"}, accepted=(404,)
        ),
        ("GET", "/api/v1/documents/entries/{document_id}/files/{file_id}/text"): RouteSample(accepted=(404,)),
        # the leader's instruction and its follow-up (hub.documents.handling.api); ids are made up (404)
        ("POST", "/api/v1/documents/entries/{document_id}/assignment"): RouteSample(
            body={
                "lead": {"unit_code": "DOI1", "deadline": "2030-01-10"},
                "supporting": [{"username": "chuyen-vien", "deadline": "2030-01-12"}],
                "comment": "Đội 1 chủ trì",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/documents/entries/{document_id}/assignment"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/handlers/{handler_id}/progress"): RouteSample(
            body={"note": "Đang xử lý"}, accepted=(404,)
        ),
        ("POST", "/api/v1/documents/handlers/{handler_id}/extensions"): RouteSample(
            body={"new_deadline": "2030-01-20", "reason": "Chờ số liệu"}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/documents/extensions/{extension_id}/decision"): RouteSample(
            body={"approve": True, "note": "Đồng ý"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/documents/handlers/{handler_id}/finish"): RouteSample(
            body={"note": "Đã trả lời", "reply_document_id": 1}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/documents/mine"): RouteSample(query={"finished": "true", "limit": "10"}),
        ("POST", "/api/v1/documents/outgoing"): RouteSample(
            body={
                "unit_code": "DOI1",
                "recipients": ["CHQHN"],
                "type": "QĐ",
                "subject": "Về việc thử",
                "drafter": "VP",
                "place": "Hà Nội",
                "secrecy": 0,
                "urgency": 0,
                "series_code": "di",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        # outgoing drafts, the chain, release, revocation (hub.documents.outgoing.api); ids are made up (404)
        ("POST", "/api/v1/documents/drafts"): RouteSample(
            body={
                "unit_code": "DOI1",
                "drafting_unit_code": "DOI1",
                "type": "QĐ",
                "subject": "Về việc thử",
                "signer": "lanh-dao",
                "signer_position": "PHÓ CHI CỤC TRƯỞNG",
                "signer_name": "Trần Thị Lan",
                "reviewer": "doi-truong",
                "signing_prefix": "KT.",
                "authority_title": "CHI CỤC TRƯỞNG",
                "delegation": "Giấy ủy quyền 01",
                "drafter_notation": "VP",
                "secrecy": 0,
                "urgency": 1,
                "relates_kind": "replaces",
                "relates_to": 1,
                "reply_due": "2030-01-15",
                "recipients": [{"unit_code": "CHQHN"}, {"organ_name": "Bộ Tài chính", "organ_id": "000.00.00.G12"}],
                "file": {"name": "a.pdf", "data_base64": "JVBERi0xLjQK"},
                "note": "Bản đầu",
            },
            accepted=(404, 409, 422),
        ),  # fmt: skip
        ("GET", "/api/v1/documents/drafts"): RouteSample(query={"limit": "10"}),
        ("GET", "/api/v1/documents/drafts/released"): RouteSample(query={"limit": "10"}),
        ("PATCH", "/api/v1/documents/drafts/{draft_id}"): RouteSample(
            body={
                "subject": "Về việc thử (sửa)",
                "urgency": 1,
                "reply_due": "2030-01-15",
                "recipients": [{"organ_name": "Bộ Tài chính"}],
            },
            accepted=(404, 409, 422),
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/versions"): RouteSample(
            body={"file": {"name": "a.pdf", "data_base64": "JVBERi0xLjQK"}, "note": "Lần 2"}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/documents/drafts/{draft_id}/versions/{version}"): RouteSample(
            path={"version": "1"}, accepted=(404,)
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/comments"): RouteSample(
            body={"body": "Sửa căn cứ", "version": 1}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/submit"): RouteSample(
            body={"note": "Kính trình"}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/forward"): RouteSample(
            body={"note": "Đồng ý"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/approve"): RouteSample(body={"note": "Ký"}, accepted=(404, 409)),
        ("POST", "/api/v1/documents/drafts/{draft_id}/return"): RouteSample(
            body={"note": "Sửa thể thức"}, accepted=(404, 409)
        ),
        ("POST", "/api/v1/documents/drafts/{draft_id}/release"): RouteSample(
            body={"series_code": "di", "place": "Hà Nội"}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/documents/entries/{document_id}/revocation"): RouteSample(
            body={"kind": "replaces", "reason": "Ban hành sai", "by_document_id": 2}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/documents/entries/{document_id}/links"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/registers/{unit_code}/{year}/{series_code}"): RouteSample(
            path={"series_code": "den"}, query={"limit": "5", "offset": "0"}, accepted=(404,)
        ),
        # printouts (hub.documents.printouts.api); the test organisation has no unit with a seal
        ("GET", "/api/v1/documents/registers/{unit_code}/{year}/{series_code}/book.{fmt}"): RouteSample(
            path={"series_code": "den", "fmt": "pdf"}, accepted=(404, 422)
        ),
        ("GET", "/api/v1/documents/status/{unit_code}"): RouteSample(query={"year": "2026"}, accepted=(404, 422)),
        ("GET", "/api/v1/documents/status/{unit_code}/report.{fmt}"): RouteSample(
            path={"fmt": "xlsx"}, query={"year": "2026"}, accepted=(404, 422)
        ),
        ("GET", "/api/v1/documents/status/{unit_code}/outgoing"): RouteSample(
            query={"year": "2026"}, accepted=(404, 422)
        ),
        ("GET", "/api/v1/documents/status/{unit_code}/outgoing-report.{fmt}"): RouteSample(
            path={"fmt": "pdf"}, query={"year": "2026"}, accepted=(404, 422)
        ),
        # secret documents (hub.documents.secrecy.api): clearances of accounts, grants (ids made up: 404)
        ("GET", "/api/v1/documents/clearances"): RouteSample(),
        ("PUT", "/api/v1/documents/clearances/{username}"): RouteSample(
            path={"username": "khong-co-ai"}, body={"level": 2, "basis": "QĐ 12/QĐ-HQKV2"}, accepted=(404,)
        ),
        ("GET", "/api/v1/documents/entries/{document_id}/grants"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/entries/{document_id}/grants"): RouteSample(
            body={"username": "chuyen-vien", "reason": "Phối hợp"}, accepted=(404,)
        ),
        ("DELETE", "/api/v1/documents/entries/{document_id}/grants/{username}"): RouteSample(
            path={"username": "chuyen-vien"}, accepted=(404,)
        ),
        # case files (hub.documents.casefiles.api); ids made up: 404; a list of 2030 not drafted: 404
        ("GET", "/api/v1/documents/file-lists/{unit_code}/{year}"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/file-lists/{unit_code}/{year}/list.{fmt}"): RouteSample(
            path={"fmt": "pdf"}, accepted=(404,)
        ),
        ("POST", "/api/v1/documents/file-lists/{unit_code}/{year}/headings"): RouteSample(
            body={"title": "Tổ chức cán bộ", "code": "TCCB"}
        ),
        ("POST", "/api/v1/documents/file-lists/{unit_code}/{year}/entries"): RouteSample(
            body={
                "heading_id": 999999,
                "title": "Hồ sơ quy hoạch",
                "retention": "vinh_vien",
                "responsible": "van-thu",
                "note": "Bản điện tử",
            },
            accepted=(404,),
        ),  # fmt: skip
        ("POST", "/api/v1/documents/file-lists/{unit_code}/{year}/approve"): RouteSample(
            body={"decision": "QĐ 01/QĐ-HQKV2"}, accepted=(409, 422)
        ),
        ("DELETE", "/api/v1/documents/file-list-entries/{entry_id}"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/case-files"): RouteSample(
            body={
                "unit_code": "DOI1",
                "code": f"01.{new}",
                "title": "Hồ sơ thử",
                "retention": "10",
                "kind": "general",
                "note": "Ghi chú",
            },
        ),  # fmt: skip
        ("GET", "/api/v1/documents/units/{unit_code}/case-files"): RouteSample(query={"year": "2026", "state": "open"}),
        ("GET", "/api/v1/documents/units/{unit_code}/case-files/due"): RouteSample(query={"only": "overdue"}),
        ("GET", "/api/v1/documents/case-files/{file_id}"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/case-files/{file_id}/contents.{fmt}"): RouteSample(
            path={"fmt": "xlsx"}, accepted=(404,)
        ),
        ("GET", "/api/v1/documents/case-files/{file_id}/cover.pdf"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/case-files/{file_id}/documents"): RouteSample(
            body={"document_id": 999999}, accepted=(404,)
        ),
        # a case file another sample opened may be empty, closed or not: the file's rules refuse (409/422)
        ("PUT", "/api/v1/documents/case-files/{file_id}/order"): RouteSample(
            body={"item_ids": [1, 2]}, accepted=(404, 409, 422)
        ),
        ("DELETE", "/api/v1/documents/case-files/{file_id}/items/{item_id}"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/case-files/{file_id}/close"): RouteSample(
            body={"closed_on": "2026-01-05", "pages": 10, "retention": "20", "note": "Đủ"}, accepted=(404, 409, 422)
        ),
        ("POST", "/api/v1/documents/case-files/{file_id}/reopen"): RouteSample(
            body={"reason": "Bổ sung văn bản còn thiếu — thiếu biên bản họp"}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/documents/case-files/{file_id}/history"): RouteSample(accepted=(404,)),
        ("PUT", "/api/v1/documents/case-files/{file_id}/keep"): RouteSample(
            body={"until": "2027-06-30", "basis": "CV 12/HQKV2-VP"}, accepted=(404, 409, 422)
        ),
        ("GET", "/api/v1/documents/entries/{document_id}/case-files"): RouteSample(accepted=(404,)),
        ("POST", "/api/v1/documents/handovers"): RouteSample(
            body={"unit_code": "DOI1", "case_file_ids": [999999], "note": "Nộp lưu"}, accepted=(404,)
        ),
        ("GET", "/api/v1/documents/units/{unit_code}/handovers"): RouteSample(),
        ("GET", "/api/v1/documents/handovers/{handover_id}"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/handovers/{handover_id}/list.{fmt}"): RouteSample(
            path={"fmt": "pdf"}, accepted=(404,)
        ),
        ("POST", "/api/v1/documents/handovers/{handover_id}/accept"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/handovers/{handover_id}/record.pdf"): RouteSample(accepted=(404,)),
        ("GET", "/api/v1/documents/case-files/{file_id}/package.zip"): RouteSample(accepted=(404,)),
        # files past their retention (hub.documents.casefiles.review_api): a file another sample opened is not past
        # it (409), or none is (404)
        ("GET", "/api/v1/documents/units/{unit_code}/case-files/past-retention"): RouteSample(),
        ("GET", "/api/v1/documents/units/{unit_code}/case-files/past-retention.{fmt}"): RouteSample(
            path={"fmt": "xlsx"}
        ),
        ("POST", "/api/v1/documents/case-files/{file_id}/destruction-proposal"): RouteSample(
            body={"reason": "Hết giá trị sử dụng — đề nghị Hội đồng xem xét"}, accepted=(404, 409)
        ),
        ("DELETE", "/api/v1/documents/case-files/{file_id}/destruction-proposal"): RouteSample(accepted=(404, 409)),
        # search (hub.search.api): words with diacritics and every filter
        ("GET", "/api/v1/search"): RouteSample(
            query={
                "q": "quyết định nghỉ phép",
                "kind": "document",
                "register": "den",
                "year": "2026",
                "type": "quyet_dinh",
                "unit": "CHQHN",
                "status": "incoming",
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "limit": "5",
                "offset": "0",
            },
        ),  # fmt: skip
        # a file upload: this sender sends no file, so the sample is refused for the missing file alone
        ("POST", "/api/v1/employees/import"): RouteSample(query={"create_units_under": "CHQHN"}, accepted=(422,)),
        ("POST", "/api/v1/enroll"): RouteSample(
            body={"token": "cces-enroll-" + "x" * 20, "csr_pem": "-----BEGIN CERTIFICATE REQUEST-----\n" + "A" * 120},
            accepted=(409,),  # this app's broker has no TLS listener: refused before the token is looked at
        ),
    }


def _made_up(schema: dict[str, Any]) -> str:
    """A well-formed value for a path parameter this file has no sample of (a route added later)."""
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date":
        return "2025-11-03"
    return "1" if kind == "integer" else "x1"


def sample_of(world: World, method: str, path: str) -> RouteSample:
    sample = route_samples(world).get((method, path), RouteSample())
    values = {**PATH_VALUES, "user_id": str(world.target_user_id), "grant_id": str(world.target_grant_id),
              "command_id": str(uuid.uuid4()), **sample.path}  # fmt: skip
    schemas = {
        p["name"]: world.spec.resolve(p["schema"]) for p in world.spec.operation(method, path).get("parameters", [])
    }
    sample.path = {}
    for name in re.findall(r"\{(\w+)(?::\w+)?\}", path):
        if name not in values:  # a route this file does not know: a made-up id may name nothing (404)
            values[name] = _made_up(schemas.get(name, {}))
            sample.accepted = (*sample.accepted, 404)
        sample.path[name] = values[name]
    return sample


# --- the database, before and after --------------------------------------------------------------------

#: columns that move on every signed-in request (the session's idle deadline), not a change by the input
MOVING = {"sessions": ["last_seen_at", "idle_expires_at"]}


def table_digests(database_url: str) -> dict[str, str]:
    """Row count and a digest of the rows, of every table (partitions included)."""
    found = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1"
            )
        ]
        for table in tables:
            drop = MOVING.get(table, [])
            row = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(j, '|' ORDER BY j), ''))"  # noqa: S608 - our own names
                f" FROM (SELECT (to_jsonb(t) - %s::text[])::text AS j FROM {table} t) s",
                (drop,),
            ).fetchone()
            assert row is not None
            found[table] = f"{row[0]}:{row[1]}"
    return found


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# --- fixtures ------------------------------------------------------------------------------------------


@dataclass
class World:
    app: FastAPI
    services: HubServices
    database_url: str
    spec: Spec
    target_user_id: int
    target_grant_id: int
    username: str = ""
    counter: Callable[[], int] = field(default_factory=lambda: itertools.count().__next__)

    def system_admin(self) -> TestClient:
        """A new system admin, signed in (a route that signs out or changes the password ends only theirs)."""
        admin = self.services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
        self.username = f"sa-{self.counter()}-{secrets.token_hex(2)}"
        self.services.accounts.create_user(
            admin, username=self.username, password=PASSWORD, grants=[GrantSpec(Role.SYSTEM_ADMIN)]
        )
        token = self.services.accounts.sign_in(self.username, PASSWORD).token
        client = TestClient(self.app, raise_server_exceptions=False)
        client.headers["Authorization"] = f"Bearer {token}"
        return client


def _attach_biometrics(services: HubServices, broker: MosquittoBroker, folder: Path) -> None:
    """The device-config route publishes through the biometrics runtime: a real one on Mosquitto."""
    from hub.biometrics.crypto import Sealer
    from hub.biometrics.engines import EngineCache
    from hub.biometrics.service import BiometricsService
    from hub.devices.config import DeviceConfigService
    from hub.devices.config_publisher import MqttConfigPublisher
    from hub.galleries.runtime import BiometricsRuntime
    from hub.galleries.service import GalleryService
    from protocol.broker_url import BrokerAddress

    publisher = MqttConfigPublisher(
        BrokerAddress(broker.host, broker.port, tls=False),
        f"cces-hub-config-{secrets.token_hex(3)}",
        username=broker.hub_username,
        password=broker.hub_password,
    )
    assert publisher.start(10)
    pool, sealer, engines = services.pool, Sealer(secrets.token_bytes(32)), EngineCache(folder)
    config = DeviceConfigService(pool, publisher, gallery_base_url=None, default_pack="yunet-sface", audit=audit.record)
    galleries = GalleryService(pool, sealer, engines, default_pack="yunet-sface")
    biometrics = BiometricsService(pool, sealer, engines, check_pack="yunet-sface")
    services.attach_biometrics(BiometricsRuntime(biometrics, galleries, config, publisher, 900))


@pytest.fixture(scope="module")
def world(
    postgres_server: str, mosquitto: MosquittoBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One database for the module (about 45 routes), seeded with an org, devices and a target account."""
    database_url = new_database(postgres_server)
    migrate(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)
        for device_id, site in (("door-hn-01", "Hà Nội"), ("door-hn-02", "Hà Nội")):
            conn.execute(
                "INSERT INTO devices (device_id, kind, site, online, status_at, last_seen, software_version)"
                " VALUES (%s, 'faceid', %s, true, now(), now(), '1.2.0')",
                (device_id, site),
            )
    pool = open_pool(database_url, max_size=4, name="cces-input-boundary")
    try:
        services = HubServices(pool, None)
        services.accounts.ensure_first_admin(tmp_path_factory.mktemp("admin"), ADMIN_PASSWORD)
        _attach_biometrics(services, mosquitto, tmp_path_factory.mktemp("engines"))
        data = tmp_path_factory.mktemp("data")
        services.attach_snapshots(
            SnapshotService(pool, snapshot_store(data), ContentStore(data / "files"), audit.record)
        )
        admin = services.accounts.sign_in("admin", ADMIN_PASSWORD).principal
        target = services.accounts.create_user(
            admin, username="dich-danh", password=PASSWORD, grants=[GrantSpec(Role.HR, "DOI1")]
        )
        app = full_app(services)
        app.state.enrollment = Enrollment(pool, None, "mqtt://127.0.0.1:1883")  # type: ignore[arg-type]
        yield World(app, services, database_url, Spec(app.openapi()), target.id, target.grants[0].id)
    finally:
        pool.close()


# --- the tests -----------------------------------------------------------------------------------------

SPEC = Spec(full_app(None).openapi())
ROUTES = [r for r in SPEC.operations() if r[1].startswith("/api/v1/")]


def send(client: TestClient, case: Case) -> Response:
    headers = {"content-type": "application/json"} if case.body_json is not None else {}
    return client.request(case.method, case.url(), params=case.query, content=case.body_json, headers=headers)


def check_route(
    spec: Spec, client: TestClient, database_url: str, method: str, path: str, sample: RouteSample
) -> tuple[list[str], list[Case]]:
    """Send every poison of one route; the problems found (with the tables a refused request changed)."""
    cases = cases_of(spec, method, path, sample)
    problems = []
    before = table_digests(database_url)
    for case in cases:
        problems += [f"{case.title}: {p}" for p in judge(case, send(client, case))]
    changed = changed_tables(before, table_digests(database_url))
    if changed:
        problems.append(f"{method} {path}: refused requests changed the tables {changed}")
    return problems, cases


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_bad_input_gets_a_clear_4xx_and_changes_nothing(world: World, method: str, path: str) -> None:
    client = world.system_admin()
    problems, cases = check_route(world.spec, client, world.database_url, method, path, sample_of(world, method, path))
    assert not problems, "\n".join(problems[:40]) + (f"\n… {len(problems)} in all" if len(problems) > 40 else "")
    if not cases:
        return  # a route without inputs
    sample = sample_of(world, method, path)
    plain = Case(method, path, "-", "-", NUL, sample.path, sample.query, sample.body_json())
    response = send(client, plain)
    assert response.status_code < 400 or response.status_code in sample.accepted, (
        f"the sample request itself is refused, so the poisons prove nothing: {response.status_code} {response.text}"
    )


def test_the_check_covers_every_kind_of_input() -> None:
    """The generator really reaches paths, queries, bodies, nested objects, lists and dictionaries."""
    names = {(m, p, c.where, c.name) for m, p in ROUTES for c in cases_of(SPEC, m, p, RouteSample(path=PATH_VALUES))}
    assert ("GET", "/api/v1/audit", "query", "q") in names
    assert ("GET", "/api/v1/units/{unit_code}/days/{day}", "path", "day") in names
    assert ("POST", "/api/v1/employees/{employee_code}/corrections", "body", "first_in") in names
    assert ("PUT", "/api/v1/calendar/{year}", "body", "holidays.{key}") in names
    assert ("PUT", "/api/v1/calendar/{year}", "body", "holidays.{value}") in names
    assert ("PUT", "/api/v1/calendar/{year}", "body", "tet_days.0") in names
    assert ("PATCH", "/api/v1/devices/{device_id}/config", "body", "camera.file") in names
    assert ("POST", "/api/v1/devices/{device_id}/commands", "body", "args.{value}") in names
    assert len(names) >= 130

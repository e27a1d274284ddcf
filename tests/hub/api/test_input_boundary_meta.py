"""The generated check of test_input_boundary is not satisfied by today's routes alone: a route added
later with bare `str`, `float`, `date` and `datetime` fails it, the same route with the shared types
of `hub.inputs` passes. (Its own module, so that the generated check runs on code without hub.inputs.)"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from hub.access import Action
from hub.inputs import FiniteFloat, ShortText, WorkDate, WorkDateTime
from tests.hub.api.test_input_boundary import RouteSample, Spec, World, check_route, world
from tests.hub.api.test_route_auth import full_app

__all__ = ["world"]  # the module-scoped fixture, shared

#: the rule book's entry the throw-away routes below name (anyone signed in)
ANYONE = Action("boundary_test.post", "thử", "try", roles=None)


class Careless(BaseModel):
    """A body as a route written without `hub.inputs` would take it."""

    name: str = Field(max_length=200_000)
    amount: float
    day: date


class Careful(BaseModel):
    """The same body with the shared types."""

    name: ShortText
    amount: FiniteFloat
    day: WorkDate


def test_a_route_without_the_shared_types_fails_this_check(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check is not satisfied by the routes of today alone: a route added later with bare `str`,
    `float`, `date` and `datetime` fails it; the same route with the shared types passes."""
    app = full_app(world.services)
    app.state.enrollment = world.app.state.enrollment

    @app.post("/api/v1/careless", openapi_extra=ANYONE.route())
    def careless(body: Careless, since: datetime | None = None) -> dict[str, str]:
        return {"stored": body.name[:10]}

    @app.post("/api/v1/careful", openapi_extra=ANYONE.route())
    def careful(body: Careful, since: WorkDateTime | None = None) -> dict[str, str]:
        return {"stored": body.name[:10]}

    client = TestClient(app, raise_server_exceptions=False, headers=dict(world.system_admin().headers))
    spec = Spec(app.openapi())
    sample = RouteSample(body={"name": "Nguyễn", "amount": 1.5, "day": "2025-11-03"})

    problems, _ = check_route(spec, client, world.database_url, "POST", "/api/v1/careless", sample)
    found = "\n".join(problems)
    for field_poison in ("body.name = NUL", "body.amount = 1e999", "body.amount = NaN", "body.day = 0001-01-01",
                         "body.day = 9999-12-31", "query.since = 9999-12-31T23:59:59-14:00"):  # fmt: skip
        assert f"POST /api/v1/careless {field_poison}: answered 200" in found, found

    problems, _ = check_route(spec, client, world.database_url, "POST", "/api/v1/careful", sample)
    assert problems == []


def test_what_slips_past_the_types_is_a_422_not_a_500(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The last line: PostgreSQL refusing a value (DataError) or date arithmetic overflowing is answered
    422 in Vietnamese and English, and logged as an error naming the route (it means a missing type)."""
    app = full_app(world.services)

    @app.post("/api/v1/slipped", openapi_extra=ANYONE.route())
    def slipped(body: Careless, request: Request) -> dict[str, int]:
        principal = request.state.principal
        total, _ = world.services.people.find_employees(principal, query=body.name, unit_code=None, active_on=None,
                                                        limit=1, offset=0)  # fmt: skip
        return {"total": total, "day": (body.day + timedelta(days=int(body.amount))).toordinal()}

    client = TestClient(app, raise_server_exceptions=False, headers=dict(world.system_admin().headers))
    for body in ({"name": "a\x00b", "amount": 1, "day": "2025-11-03"}, {"name": "a", "amount": 1, "day": "9999-12-31"}):
        with caplog.at_level(logging.ERROR, logger="hub.api.limits"):
            response = client.post("/api/v1/slipped", json=body)
        assert response.status_code == 422, response.text
        vi, _, en = response.json()["detail"].partition(" / ")
        assert "không hợp lệ" in vi and "Invalid input" in en and "a\\u0000b" not in response.text
        assert "POST /api/v1/slipped: input refused past the boundary types" in caplog.text
        caplog.clear()

"""Who is calling, and may they: sessions for every /api/v1 route, checked against the rule book.

The session token comes from the cookie `cces_session` (HttpOnly, SameSite=Lax, set by sign-in) or
an `Authorization: Bearer <token>` header. `guard` runs before every route of the app (an app-wide
dependency) and reads the action the route names (`openapi_extra=ACTION.route()`, declared once in
`hub/<domain>/access.py`, see hub.access): a public action passes; any other needs a live session
(401 otherwise) and, unless anyone signed in may ask, one of the action's roles (403 otherwise). A
route that names no action is refused (fail closed) and `tests/hub/api/test_route_auth.py` fails, so
a new route cannot ship unprotected. The route table is derived (`route_actions(app)`), never written.

Where the answer depends on the data (whose month, which unit, which office), the service checks the
action against its target (`hub.access.gate.check(principal, action, target)`), the same check the UI
pages reach; lists are filtered to the caller's units or offices. A system admin passes every check.
`cces access rules` prints the rule book; the README holds a copy.

OpenAPI (/api/v1/openapi.json) and /docs are public: they describe the API, they hold no data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from hub.access import ROUTE_KEY, Action, action_named, gate
from hub.accounts import access
from hub.accounts.audit import Actor
from hub.accounts.models import SignInRefused
from hub.accounts.principal import Principal, Role
from hub.services import HubServices

log = logging.getLogger(__name__)

SESSION_COOKIE = "cces_session"
API_PREFIX = "/api/v1"


def services_of(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def session_token(request: Request) -> str | None:
    """The bearer token if one is sent, else the session cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


def set_session_cookie(response: Response, token: str, services: HubServices) -> None:
    """The session cookie the API reads (HttpOnly, SameSite=Lax; Secure when CCES_SESSION_COOKIE_SECURE),
    set by the API's sign-in and by the web UI's after its own sign-in, so both hold the same session."""
    policy = services.accounts.policy
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(policy.session_max.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=policy.cookie_secure,
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def optional_principal(request: Request) -> Principal | None:
    """The caller's principal, looked up once per request."""
    if not hasattr(request.state, "principal"):
        request.state.principal = services_of(request).accounts.principal_for_session(session_token(request))
    return request.state.principal  # type: ignore[no-any-return]


def current_principal(request: Request) -> Principal:
    """The signed-in caller; 401 without a live session."""
    principal = optional_principal(request)
    if principal is None:
        raise HTTPException(
            401,
            "Chưa đăng nhập hoặc phiên đã hết hạn / Not signed in, or the session has expired",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


def request_actor(request: Request, principal: Principal) -> Actor:
    """The audit log's actor of this request (the principal and the client address)."""
    return Actor.of(principal, client_ip(request))


def require_roles(*roles: Role, what: str = "làm việc này / do this"):  # -> a FastAPI dependency
    """A dependency: the caller holds one of `roles` on some unit (or is system admin), else 403."""

    def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        access.require_role(principal, roles, what)
        return principal

    return dependency


def route_path(request: Request) -> str:
    """The matched route's path template with every include prefix ("/api/v1/devices/{device_id}")."""
    # FastAPI ≥ 0.16x keeps included routers lazily: scope["route"] is the router's own route (without
    # an include prefix) and the effective context carries the full path; older versions have only the former
    context = (request.scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(context, "path", None) or getattr(request.scope.get("route"), "path", None)
    return str(path or request.url.path)


def action_of_route(route: object) -> Action | None:
    """The action a route names in its `openapi_extra` (None: it names none)."""
    extra = getattr(route, "openapi_extra", None) or {}
    name = extra.get(ROUTE_KEY) if isinstance(extra, dict) else None
    return action_named(name) if name else None


def api_routes(app: FastAPI) -> list[tuple[str, str, object]]:
    """(method, path template, route) of every FastAPI route of the app, include prefixes applied."""
    from fastapi.routing import APIRoute

    try:  # FastAPI ≥ 0.16x keeps included routers lazily
        from fastapi.routing import iter_route_contexts

        contexts = list(iter_route_contexts(app.routes))
    except ImportError:  # pragma: no cover - older FastAPI: app.routes is already flat
        contexts = list(app.routes)
    found = []
    for context in contexts:
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            found += [(m, context.path, route) for m in sorted(route.methods)]
    return found


def route_actions(app: FastAPI) -> dict[tuple[str, str], Action | None]:
    """The route table, derived: (method, path) → the action the route names (None: it names none)."""
    return {(m, path): action_of_route(route) for m, path, route in api_routes(app)}


def guard(request: Request) -> None:
    """Applied to every route of the app: a public action passes, the rest need a session and the action's roles."""
    path = route_path(request)
    if not path.startswith(API_PREFIX):
        return  # the NiceGUI pages check the session themselves
    action = action_of_route(request.scope.get("route"))
    if action is not None and action.public:
        return
    principal = current_principal(request)
    if action is None:
        key = (request.method, path)
        log.error("route %s %s names no action (openapi_extra=ACTION.route()): refused", *key)
        raise HTTPException(403, f"route {key[0]} {key[1]} has no access rule; refused")
    gate.check(principal, action)


# --- kept for routes written against the earlier seam ------------------------------------------


@dataclass(frozen=True, slots=True)
class ActingUser:
    """The caller as earlier routes saw it; now always a signed-in principal (see `current_principal`)."""

    username: str  # recorded as author / approved_by
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)


def acting_user(principal: Annotated[Principal, Depends(current_principal)]) -> ActingUser:
    """The signed-in caller as an ActingUser (author = username). New routes use `current_principal`."""
    return ActingUser(principal.username, principal.display_name, frozenset(g.role.value for g in principal.grants))


# --- errors as HTTP answers ------------------------------------------------------------------


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SignInRefused)
    status = {"locked": 429, "disabled": 403}.get(exc.reason, 401)
    headers = {"Retry-After": str(exc.retry_after_s)} if exc.retry_after_s else None
    return JSONResponse({"detail": exc.message, "reason": exc.reason}, status_code=status, headers=headers)


def install_auth(app: FastAPI) -> None:
    """Sign-in refusals as 401/403/429 (the domain errors' kinds are mapped by hub.api.errors)."""
    app.add_exception_handler(SignInRefused, _refused)

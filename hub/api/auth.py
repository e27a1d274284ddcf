"""Who is calling, and may they: sessions for every /api/v1 route, and the one table of who may call what.

The session token comes from the cookie `cces_session` (HttpOnly, SameSite=Lax, set by sign-in) or
an `Authorization: Bearer <token>` header. `guard` runs before every route of the app (an app-wide
dependency): a route in `PUBLIC_ROUTES` passes; any other needs a live session (401 otherwise) and
the roles its `ROUTE_RULES` entry names (403 otherwise). A route in neither table is refused (fail
closed) and `tests/hub/api/test_route_auth.py` fails, so a new route cannot ship unprotected.

Where the answer depends on the data (whose month, which unit), the route checks the unit scope
itself through `HubServices.check_employee` / `check_unit` (the same checks the UI pages use),
and lists are filtered to the caller's units. A system admin passes every check; every other role
reaches the unit it is granted on and that unit's subtree.

| route | who (besides system admin) |
|---|---|
| GET /health, POST /auth/sign-in | anyone (public) |
| POST /enroll | anyone holding a valid one-time enrollment token (public route; the token is the authority) |
| GET, POST /actions/{token} (HTML pages) | anyone holding a mail's signed single-use action link (GET only shows) |
| GET /auth/me, POST /auth/sign-out, POST /auth/password | anyone signed in |
| GET /org-units | anyone signed in: their own unit and the subtrees of their grants |
| GET /org-unit-kinds, GET /org-units/{code} | anyone signed in (a unit: within their own unit and grants' subtrees) |
| POST /org-units, …/{code}/rename, /move, /merge, /close, …/import | office admin: below their unit (hub.org) |
| GET /employees/{code}/units | the employee themself; manager, HR or office admin over their unit |
| GET /calendar/{year} | anyone signed in (holidays are for everyone) |
| GET /employees/{code}/timekeeping/{period} | the employee themself; manager or HR over the employee's unit |
| GET /units/{unit}/days/{day}, GET /timesheets/{unit}/{period} | manager or HR over that unit |
| POST /employees/{code}/corrections | manager or HR over the employee's unit |
| PUT /calendar/{year} | HR (the calendar is hub-wide) |
| GET /employees | manager, HR or office admin; only employees of their units |
| POST /employees/import | HR; every row's unit must be theirs |
| devices: GET /devices…, PATCH /devices/{id}, …/config, …/commands | office admin: devices of their offices¹ |
| POST /devices/enrollment-tokens | office admin: for an office of theirs¹ (a registered id: its office too) |
| GET /offices; PUT /offices/{site}/units | GET: office admin, their offices¹ (read only); PUT: system admin only |
| users: GET/POST /users, GET/PATCH /users/{id}, …/password, …/grants | office admin: non-admins in their units |
| GET /audit | office admin: the rows about their units |
| GET /reports/… of a unit (dashboard, presence, lateness, absences, sheet export) | manager, HR, office admin over it |
| GET /reports/devices/uptime, /reports/devices/offline | manager, HR or office admin: devices of their offices¹ |
| GET /ingest/stats, GET /ingest/rejects | system admin only (rejects hold raw device payloads) |
| GET /jobs, /jobs/periodic, /jobs/{id}; POST /jobs/{id}/retry | system admin only (the job queue spans every unit) |
| GET/POST /notifications…, GET/PUT /notifications/preferences | anyone signed in: their own inbox and choices |
| GET /notifications/mail, POST /notifications/mail/{id}/retry | system admin only (the outbox spans everyone) |
| GET /attendance-events/{id}/snapshot | the person themself; manager, HR or office admin over their unit (audited) |
| GET /unknown-faces/{id}/snapshot | office admin: a door of their offices¹ (audited) |

¹ a device's office (`site`) is theirs when `site_units` maps it to a unit inside their grants' subtrees
(hub.devices.service.device_scope); lists leave other devices out, one device outside is 403 and nothing
changes; a device with no site or an unmapped one is the system admin's alone.

OpenAPI (/api/v1/openapi.json) and /docs are public: they describe the API, they hold no data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from hub.accounts import access
from hub.accounts.audit import Actor
from hub.accounts.models import AccessDenied, AccountError, SignInRefused, UnknownUser
from hub.accounts.principal import Principal, Role
from hub.api.errors import detail_answer
from hub.leave import access as leave_access
from hub.services import HubServices

log = logging.getLogger(__name__)

SESSION_COOKIE = "cces_session"
API_PREFIX = "/api/v1"

#: (method, path) callable without a session
PUBLIC_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/api/v1/health"),
        ("POST", "/api/v1/auth/sign-in"),
        ("POST", "/api/v1/enroll"),  # authorised by its one-time enrollment token
        # notification mails' action links (hub.notifications.api): the signed single-use token is the authority
        ("GET", "/api/v1/actions/{token}"),
        ("POST", "/api/v1/actions/{token}"),
    }
)


@dataclass(frozen=True, slots=True)
class RouteRule:
    """`roles` None: anyone signed in; () system admin only; else one of these roles on some unit.
    `scope` says what the route itself checks further (unit, person), for the table above and tests."""

    roles: tuple[Role, ...] | None
    scope: str = ""
    needs_role: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs_role", self.roles is not None)


SIGNED_IN = RouteRule(None)
SYSTEM_ADMIN_ONLY = RouteRule(())
DEVICE_ADMIN = RouteRule(access.DEVICE_ADMINS, "devices of their offices (site_units within their units)")
USER_ADMIN = RouteRule(access.USER_ADMINS, "office admin: accounts wholly in their units")
#: hub.api.reports.REPORT_VIEWERS (repeated here: this table must not import the routers)
REPORTS = RouteRule((Role.MANAGER, Role.HR, Role.OFFICE_ADMIN), "over that unit (reports)")
DEVICE_REPORTS = RouteRule(access.DEVICE_REPORT_VIEWERS, "devices of their offices (site_units within their units)")
#: org: hub.org.service.ORG_EDITORS (repeated here: this table must not import the routers)
ORG_EDITOR = RouteRule((Role.OFFICE_ADMIN,), "office admin: units below their grant's unit (hub.org.service)")

ROUTE_RULES: dict[tuple[str, str], RouteRule] = {
    ("POST", "/api/v1/auth/sign-out"): SIGNED_IN,
    ("GET", "/api/v1/auth/me"): SIGNED_IN,
    ("POST", "/api/v1/auth/password"): SIGNED_IN,
    ("GET", "/api/v1/org-units"): RouteRule(None, "tree limited to own unit and granted subtrees"),
    ("GET", "/api/v1/calendar/{year}"): SIGNED_IN,
    ("GET", "/api/v1/employees/{employee_code}/timekeeping/{period}"): RouteRule(
        None, "self, or manager/HR over the employee's unit"
    ),
    ("GET", "/api/v1/units/{unit_code}/days/{day}"): RouteRule(access.TIMEKEEPING_VIEWERS, "over that unit"),
    ("GET", "/api/v1/timesheets/{unit_code}/{period}"): RouteRule(access.TIMEKEEPING_VIEWERS, "over that unit"),
    ("POST", "/api/v1/employees/{employee_code}/corrections"): RouteRule(access.CORRECTORS, "over the employee's unit"),
    ("PUT", "/api/v1/calendar/{year}"): RouteRule(access.CALENDAR_EDITORS),
    ("GET", "/api/v1/employees"): RouteRule(access.PEOPLE_VIEWERS, "filtered to their units"),
    ("POST", "/api/v1/employees/import"): RouteRule(access.PEOPLE_IMPORTERS, "every row in their units"),
    ("GET", "/api/v1/ingest/stats"): SYSTEM_ADMIN_ONLY,
    ("GET", "/api/v1/ingest/rejects"): SYSTEM_ADMIN_ONLY,
    # the job queue (hub.api.jobs, issue 13 item 7)
    ("GET", "/api/v1/jobs"): SYSTEM_ADMIN_ONLY,
    ("GET", "/api/v1/jobs/periodic"): SYSTEM_ADMIN_ONLY,
    ("GET", "/api/v1/jobs/{job_id}"): SYSTEM_ADMIN_ONLY,
    ("POST", "/api/v1/jobs/{job_id}/retry"): SYSTEM_ADMIN_ONLY,
    # notifications (hub.notifications.api): one's own inbox and preferences; the outbox is the system admin's
    ("GET", "/api/v1/notifications"): RouteRule(None, "own inbox"),
    ("GET", "/api/v1/notifications/unread-count"): RouteRule(None, "own inbox"),
    ("GET", "/api/v1/notifications/categories"): SIGNED_IN,
    ("POST", "/api/v1/notifications/read"): RouteRule(None, "own notifications"),
    ("POST", "/api/v1/notifications/read-all"): RouteRule(None, "own notifications"),
    ("GET", "/api/v1/notifications/preferences"): RouteRule(None, "own preferences"),
    ("PUT", "/api/v1/notifications/preferences"): RouteRule(None, "own preferences"),
    ("GET", "/api/v1/notifications/mail"): SYSTEM_ADMIN_ONLY,
    ("POST", "/api/v1/notifications/mail/{mail_id}/retry"): SYSTEM_ADMIN_ONLY,
    # org: the organisation (hub.org.service.ACTIONS decides the scope; issue 13 item 5)
    ("GET", "/api/v1/org-unit-kinds"): SIGNED_IN,
    ("GET", "/api/v1/org-units/{code}"): RouteRule(None, "within own unit and grants' subtrees"),
    ("POST", "/api/v1/org-units"): ORG_EDITOR,
    ("POST", "/api/v1/org-units/{code}/rename"): ORG_EDITOR,
    ("POST", "/api/v1/org-units/{code}/move"): ORG_EDITOR,
    ("POST", "/api/v1/org-units/{code}/merge"): ORG_EDITOR,
    ("POST", "/api/v1/org-units/{code}/close"): ORG_EDITOR,
    ("POST", "/api/v1/org-units/import"): ORG_EDITOR,
    ("GET", "/api/v1/employees/{employee_code}/units"): RouteRule(
        None, "self, or manager/HR/office admin over the employee's unit"
    ),
    ("GET", "/api/v1/devices"): DEVICE_ADMIN,
    ("GET", "/api/v1/devices/{device_id}"): DEVICE_ADMIN,
    ("GET", "/api/v1/devices/{device_id}/telemetry"): DEVICE_ADMIN,
    ("PATCH", "/api/v1/devices/{device_id}"): DEVICE_ADMIN,
    ("GET", "/api/v1/devices/{device_id}/config"): DEVICE_ADMIN,
    ("PATCH", "/api/v1/devices/{device_id}/config"): DEVICE_ADMIN,
    ("POST", "/api/v1/devices/{device_id}/commands"): DEVICE_ADMIN,
    ("GET", "/api/v1/devices/{device_id}/commands"): DEVICE_ADMIN,
    ("GET", "/api/v1/devices/{device_id}/commands/{command_id}"): DEVICE_ADMIN,
    ("POST", "/api/v1/devices/enrollment-tokens"): DEVICE_ADMIN,
    ("GET", "/api/v1/offices"): DEVICE_ADMIN,
    ("PUT", "/api/v1/offices/{site:path}/units"): SYSTEM_ADMIN_ONLY,  # the map decides device scope
    ("GET", "/api/v1/users"): USER_ADMIN,
    ("POST", "/api/v1/users"): USER_ADMIN,
    ("GET", "/api/v1/users/{user_id}"): USER_ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): USER_ADMIN,
    ("POST", "/api/v1/users/{user_id}/password"): USER_ADMIN,
    ("POST", "/api/v1/users/{user_id}/grants"): USER_ADMIN,
    ("DELETE", "/api/v1/users/{user_id}/grants/{grant_id}"): USER_ADMIN,
    ("GET", "/api/v1/audit"): RouteRule(access.AUDIT_READERS, "office admin: rows about their units"),
    ("GET", "/api/v1/reports/dashboard/{unit_code}"): REPORTS,
    ("GET", "/api/v1/reports/presence/{unit_code}"): REPORTS,
    ("GET", "/api/v1/reports/lateness/{unit_code}"): REPORTS,
    ("GET", "/api/v1/reports/absences/{unit_code}"): REPORTS,
    ("GET", "/api/v1/reports/timesheets/{unit_code}/{period}/export"): REPORTS,
    ("GET", "/api/v1/reports/devices/uptime"): DEVICE_REPORTS,
    ("GET", "/api/v1/reports/devices/offline"): DEVICE_REPORTS,
    ("GET", "/api/v1/attendance-events/{event_id}/snapshot"): RouteRule(
        None, "self, or manager/HR/office admin over the person's unit; audited (hub.snapshots.service)"
    ),
    # --- leave (hub.leave, issue 14): the service checks self / unit / step; see hub.leave.access ---
    **{(m, f"/api/v1/leave{p}"): RouteRule(roles, scope) for m, p, roles, scope in leave_access.ROUTES},
    # --- end leave ---
    ("GET", "/api/v1/unknown-faces/{event_id}/snapshot"): RouteRule(
        access.DEVICE_ADMINS, "the door's office among theirs; audited (hub.snapshots.service)"
    ),
}


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
    policy = services.accounts_policy
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
        request.state.principal = services_of(request).principal_for_session(session_token(request))
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


def guard(request: Request) -> None:
    """Applied to every route of the app: public routes pass, the rest need a session and their rule's roles."""
    path = route_path(request)
    if not path.startswith(API_PREFIX):
        return  # the NiceGUI pages check the session themselves
    key = (request.method, path)
    if key in PUBLIC_ROUTES:
        return
    principal = current_principal(request)
    rule = ROUTE_RULES.get(key)
    if rule is None:
        log.error("route %s %s has no access rule in hub.api.auth.ROUTE_RULES: refused", *key)
        raise HTTPException(403, f"route {key[0]} {key[1]} has no access rule; refused")
    if rule.roles is not None:
        access.require_role(principal, rule.roles, f"gọi / call {key[0]} {key[1]}")


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
    """Map the accounts domain's errors to 403/422/404/401/429 (registered once on the app)."""
    app.add_exception_handler(AccessDenied, detail_answer(403))
    app.add_exception_handler(AccountError, detail_answer(422))
    app.add_exception_handler(UnknownUser, detail_answer(404))
    app.add_exception_handler(SignInRefused, _refused)

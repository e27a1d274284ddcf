"""REST for sign-in and sessions, accounts and their role grants, and the audit log search.

Sign-in answers with the session token in the body (for API clients: `Authorization: Bearer …`)
and in the `cces_session` cookie (HttpOnly, SameSite=Lax; Secure when CCES_SESSION_COOKIE_SECURE).
Who may call what is in `hub.api.auth`; the account rules in `hub.accounts.admin`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts import actions as accounts_actions
from hub.accounts.checks import GrantSpec
from hub.accounts.models import AuditEntry, AuditQuery, GrantRecord, User
from hub.accounts.principal import Principal, Role
from hub.api.auth import (
    clear_session_cookie,
    client_ip,
    current_principal,
    services_of,
    session_token,
    set_session_cookie,
)
from hub.inputs import Code, Id, Offset, Secret, ShortText, WorkDateTime

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class SignInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: ShortText = Field(min_length=1)
    password: Secret = Field(min_length=1)


class GrantOut(BaseModel):
    id: int
    role: Role
    unit_code: str | None
    unit_name: str | None
    granted_by: str
    granted_at: datetime

    @classmethod
    def of(cls, g: GrantRecord) -> GrantOut:
        return cls(
            id=g.id,
            role=g.role,
            unit_code=g.unit_code,
            unit_name=g.unit_name,
            granted_by=g.granted_by,
            granted_at=g.granted_at,
        )


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    employee_code: str | None
    employee_name: str | None
    language: str
    disabled: bool
    created_at: datetime
    created_by: str
    password_changed_at: datetime
    grants: list[GrantOut]

    @classmethod
    def of(cls, u: User) -> UserOut:
        return cls(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            employee_code=u.employee_code,
            employee_name=u.employee_name,
            language=u.language,
            disabled=u.disabled,
            created_at=u.created_at,
            created_by=u.created_by,
            password_changed_at=u.password_changed_at,
            grants=[GrantOut.of(g) for g in u.grants],
        )


class SignedInOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>' (or rely on the cookie)")
    expires_at: datetime = Field(description="absolute end of the session")
    idle_expires_at: datetime = Field(description="ends earlier if no request comes before this")
    user: UserOut


class UserPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[UserOut]


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    unit_code: Code | None = Field(default=None, description="none only for system_admin (employee: their unit)")


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Code = Field(min_length=2)
    password: Secret = Field(min_length=1, max_length=256)
    display_name: ShortText | None = None
    employee_code: Code | None = Field(default=None, max_length=32)
    language: str = Field(default="vi", pattern="^(vi|en)$")
    grants: list[GrantIn] = Field(default_factory=list, max_length=50)


class UserChanges(BaseModel):
    """Fields left out stay; `employee_code: null` unlinks the employee."""

    model_config = ConfigDict(extra="forbid")

    display_name: ShortText | None = None
    language: str | None = Field(default=None, pattern="^(vi|en)$")
    disabled: bool | None = None
    employee_code: Code | None = Field(default=None, max_length=32)


class PasswordIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    new_password: Secret = Field(min_length=1, max_length=256)


class OwnPasswordIn(PasswordIn):
    current_password: Secret = Field(min_length=1, max_length=256)


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_user_id: int | None
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any
    client_ip: str | None

    @classmethod
    def of(cls, e: AuditEntry) -> AuditEntryOut:
        return cls(
            id=e.id,
            at=e.at,
            actor=e.actor,
            actor_user_id=e.actor_user_id,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            before=e.before,
            after=e.after,
            client_ip=e.client_ip,
        )


class AuditPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEntryOut]


def accounts_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.post(
        "/auth/sign-in",
        openapi_extra=accounts_actions.SIGN_IN.route(),
        response_model=SignedInOut,
        tags=["auth"],
        responses={401: {"description": "wrong username or password"}, 429: {"description": "too many failures"}},
    )
    def sign_in(body: SignInIn, request: Request, response: Response) -> SignedInOut:
        """Sign in with username and password; a wrong username and a wrong password get the same 401.
        After too many failures: 429 with Retry-After (Vietnamese and English message)."""
        services = services_of(request)
        signed = services.accounts.sign_in(
            body.username, body.password, client_ip(request), request.headers.get("user-agent")
        )
        set_session_cookie(response, signed.token, services)
        user = services.accounts.get_user(signed.principal, signed.principal.user_id)
        return SignedInOut(
            token=signed.token,
            expires_at=signed.expires_at,
            idle_expires_at=signed.idle_expires_at,
            user=UserOut.of(user),
        )

    @router.post("/auth/sign-out", openapi_extra=accounts_actions.OWN_SESSION.route(), status_code=204, tags=["auth"])
    def sign_out(request: Request, _principal: CurrentPrincipal) -> Response:
        """End this session (the token stops working at once, on every hub node)."""
        services_of(request).accounts.sign_out(session_token(request), client_ip(request))
        response = Response(status_code=204)
        clear_session_cookie(response)
        return response

    @router.get("/auth/me", openapi_extra=accounts_actions.OWN_SESSION.route(), response_model=UserOut, tags=["auth"])
    def me(request: Request, principal: CurrentPrincipal) -> UserOut:
        """The signed-in account with its roles and units."""
        return UserOut.of(services_of(request).accounts.get_user(principal, principal.user_id))

    @router.post("/auth/password", openapi_extra=accounts_actions.OWN_SESSION.route(), status_code=204, tags=["auth"])
    def change_password(body: OwnPasswordIn, request: Request, principal: CurrentPrincipal) -> Response:
        """Change your own password (give the current one); your other sessions end."""
        services_of(request).accounts.change_own_password(
            principal, body.current_password, body.new_password, session_token(request), client_ip(request)
        )
        return Response(status_code=204)

    @router.get("/users", openapi_extra=accounts_actions.MANAGE_USERS.route(), response_model=UserPage, tags=["users"])
    def users(
        request: Request,
        principal: CurrentPrincipal,
        q: Annotated[ShortText, Query(description="words of the username, display name or employee code")] = "",
        limit: int = Query(50, ge=1, le=1000),
        offset: Offset = 0,
    ) -> UserPage:
        total, found = services_of(request).accounts.find_users(principal, q, limit, offset)
        return UserPage(total=total, limit=limit, offset=offset, items=[UserOut.of(u) for u in found])

    @router.post(
        "/users",
        openapi_extra=accounts_actions.MANAGE_USERS.route(),
        response_model=UserOut,
        status_code=201,
        tags=["users"],
    )
    def create_user(body: UserIn, request: Request, principal: CurrentPrincipal) -> UserOut:
        """A new account, optionally linked to an employee, with its role grants."""
        user = services_of(request).accounts.create_user(
            principal,
            username=body.username,
            password=body.password,
            display_name=body.display_name,
            employee_code=body.employee_code,
            grants=[GrantSpec(g.role, g.unit_code) for g in body.grants],
            language=body.language,
            client_ip=client_ip(request),
        )
        return UserOut.of(user)

    @router.get(
        "/users/{user_id}", openapi_extra=accounts_actions.MANAGE_USERS.route(), response_model=UserOut, tags=["users"]
    )
    def user(request: Request, user_id: Id, principal: CurrentPrincipal) -> UserOut:
        return UserOut.of(services_of(request).accounts.get_user(principal, user_id))

    @router.patch(
        "/users/{user_id}", openapi_extra=accounts_actions.MANAGE_USERS.route(), response_model=UserOut, tags=["users"]
    )
    def update_user(request: Request, user_id: Id, body: UserChanges, principal: CurrentPrincipal) -> UserOut:
        """Rename, disable/enable (disabling ends its sessions), link or unlink an employee."""
        changes = body.model_dump(exclude_unset=True)
        return UserOut.of(
            services_of(request).accounts.update_user(principal, user_id, client_ip=client_ip(request), **changes)
        )

    @router.post(
        "/users/{user_id}/password",
        openapi_extra=accounts_actions.MANAGE_USERS.route(),
        status_code=204,
        tags=["users"],
    )
    def reset_password(request: Request, user_id: Id, body: PasswordIn, principal: CurrentPrincipal) -> Response:
        """Set another account's password; its sessions end."""
        services_of(request).accounts.reset_password(principal, user_id, body.new_password, client_ip(request))
        return Response(status_code=204)

    @router.post(
        "/users/{user_id}/grants",
        openapi_extra=accounts_actions.MANAGE_USERS.route(),
        response_model=UserOut,
        status_code=201,
        tags=["users"],
    )
    def add_grant(request: Request, user_id: Id, body: GrantIn, principal: CurrentPrincipal) -> UserOut:
        return UserOut.of(
            services_of(request).accounts.add_grant(principal, user_id, body.role, body.unit_code, client_ip(request))
        )

    @router.delete(
        "/users/{user_id}/grants/{grant_id}",
        openapi_extra=accounts_actions.MANAGE_USERS.route(),
        response_model=UserOut,
        tags=["users"],
    )
    def remove_grant(request: Request, user_id: Id, grant_id: Id, principal: CurrentPrincipal) -> UserOut:
        return UserOut.of(services_of(request).accounts.remove_grant(principal, user_id, grant_id, client_ip(request)))

    @router.get("/audit", openapi_extra=accounts_actions.READ_AUDIT.route(), response_model=AuditPage, tags=["audit"])
    def audit_log(
        request: Request,
        principal: CurrentPrincipal,
        actor: Annotated[Code | None, Query(description="username, exact")] = None,
        action: Annotated[Code | None, Query(description="e.g. correction.create, or a prefix: sign_in.")] = None,
        entity: Annotated[Code | None, Query(description="employee, user, device, calendar…")] = None,
        entity_id: Annotated[ShortText | None, Query(max_length=128)] = None,
        from_: Annotated[WorkDateTime | None, Query(alias="from", description="inclusive")] = None,
        to: Annotated[WorkDateTime | None, Query(description="exclusive")] = None,
        q: Annotated[ShortText, Query(description="words anywhere in the row; diacritics ignored")] = "",
        limit: int = Query(50, ge=1, le=1000),
        offset: Offset = 0,
    ) -> AuditPage:
        """The audit log (nhật ký thao tác), newest first."""
        query = AuditQuery(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            since=from_,
            until=to,
            text=q,
            limit=limit,
            offset=offset,
        )
        total, found = services_of(request).accounts.search_audit(principal, query)
        return AuditPage(total=total, limit=limit, offset=offset, items=[AuditEntryOut.of(e) for e in found])

    return router

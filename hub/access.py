"""The rule book: what each domain lets whom do, declared once, checked in one place.

Each domain declares its actions next to its service (`hub/<domain>/access.py`): a name
("timekeeping.correct"), a Vietnamese and an English label, the roles that may do it and the scope
those roles reach. The service calls `gate.check(principal, action, target)` before it reads or
writes; the API's route guard (hub.api.auth) and the UI's pages (ui.shell) read the same
declarations, so a route, a page and a service cannot disagree about who may do what.

Scopes:
- OWN: the person's own record; the action's roles reach other people's records over their unit.
- UNIT: a unit and its subtree, through a grant on it or on a unit above it.
- OFFICE: devices at the offices (sites) that `site_units` maps into the caller's units.
- ADMINISTRATION: hub-wide (the calendar, the job queue): holding one of the roles is enough.

A system admin passes every check. `roles=None` means anyone signed in, `roles=()` the system admin
alone; `public=True` needs no session at all (sign-in, health, a device's one-time enrollment).
The checks build on `hub.accounts.access` (require_role, require_unit, require_employee, require_site)
and refuse with `AccessDenied` (a `hub.domain.Refused`: HTTP 403), naming what is missing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hub.accounts import access as rules
from hub.accounts.models import AccessDenied
from hub.accounts.principal import Principal, Role

#: where a route names its action: `openapi_extra={ROUTE_KEY: name}` (see `Action.route`)
ROUTE_KEY = "x-cces-action"


class Scope(StrEnum):
    OWN = "own"  # the person's own record (others' through the roles over their unit)
    UNIT = "unit"  # a unit subtree
    OFFICE = "office"  # the devices of an office (site)
    ADMINISTRATION = "administration"  # the whole administration


SCOPE_LABELS = {
    Scope.OWN: ("hồ sơ của chính mình", "own record"),
    Scope.UNIT: ("đơn vị và đơn vị cấp dưới", "unit and its sub-units"),
    Scope.OFFICE: ("thiết bị tại trụ sở của đơn vị", "devices at their units' offices"),
    Scope.ADMINISTRATION: ("toàn ngành", "whole administration"),
}

_DECLARED: dict[str, Action] = {}


@dataclass(frozen=True, slots=True)
class Action:
    """One thing a domain lets someone do. Declaring it registers it (names are unique hub-wide)."""

    name: str  # "<domain>.<verb>", e.g. "timekeeping.correct"
    vi: str  # what it is, in Vietnamese ("điều chỉnh chấm công")
    en: str  # and in English ("correct attendance")
    roles: tuple[Role, ...] | None = ()  # None: anyone signed in; (): system admin only
    scope: Scope = Scope.ADMINISTRATION
    others_only: bool = False  # never on one's own record (nobody corrects their own day)
    public: bool = False  # no session needed (its own proof instead: a password, a one-time token)
    own_refusal: str = ""  # the message when `others_only` refuses (default: a generic one)
    note: str = ""  # what the rule table shows besides roles and scope
    domain: str = field(init=False)

    def __post_init__(self) -> None:
        domain, dot, verb = self.name.partition(".")
        if not (dot and domain and verb):
            raise ValueError(f"an action's name is '<domain>.<verb>', not {self.name!r}")
        object.__setattr__(self, "domain", domain)
        earlier = _DECLARED.get(self.name)
        if earlier is not None and earlier != self:
            raise ValueError(f"action {self.name!r} is declared twice, differently")
        _DECLARED[self.name] = self

    @property
    def what(self) -> str:
        """ "vi / en", as the refusals name it."""
        return f"{self.vi} / {self.en}"

    def route(self) -> dict[str, Any]:
        """`openapi_extra` of a route that performs this action: the guard and the tests read it."""
        return {ROUTE_KEY: self.name}

    @property
    def signed_in_only(self) -> bool:
        """Anyone signed in may ask (the service narrows it to the person's own records or units)."""
        return self.roles is None or self.scope is Scope.OWN

    def who(self) -> str:
        """The roles in words ("anyone signed in", "system admin", "manager, HR …")."""
        if self.public:
            return "mọi người / anyone"
        if self.roles is None:
            return "mọi người đã đăng nhập / anyone signed in"
        return rules.role_names(self.roles)


@dataclass(frozen=True, slots=True)
class Target:
    """What an action is done to, as far as the rule needs to know: a unit, a person, an office."""

    unit_path: str | None = None  # the unit (or the person's unit)
    employee_id: int | None = None  # the person
    site: str | None = None  # an office (a device's site)
    visible_sites: Collection[str] = ()  # the offices the caller reaches (hub.devices.service.device_scope)
    is_office: bool = False

    @classmethod
    def unit(cls, unit_path: str) -> Target:
        return cls(unit_path=unit_path)

    @classmethod
    def person(cls, employee_id: int, unit_path: str) -> Target:
        return cls(unit_path=unit_path, employee_id=employee_id)

    @classmethod
    def office(cls, site: str | None, visible_sites: Collection[str]) -> Target:
        return cls(site=site, visible_sites=visible_sites, is_office=True)


class Gatekeeper:
    """The one check the services, the route guard and the pages call."""

    def allows(self, principal: Principal | None, action: Action) -> bool:
        """Whether the principal may do this anywhere at all (a page in the menu, a route's first gate)."""
        if action.public:
            return True
        if principal is None:
            return False
        if action.signed_in_only or principal.is_system_admin:
            return True
        return bool(action.roles) and principal.has_role(*action.roles)  # type: ignore[arg-type]

    def check(self, principal: Principal, action: Action, target: Target | None = None) -> None:
        """AccessDenied unless the principal may do `action` (to `target`, when given)."""
        if action.public:
            return
        roles = action.roles or ()
        if not action.signed_in_only:
            rules.require_role(principal, roles, action.what)
        if target is None:
            return
        if target.is_office:
            rules.require_site(principal, target.site, target.visible_sites, roles, action.what)
            return
        if target.employee_id is not None:
            if action.others_only and target.employee_id == principal.employee_id:
                raise AccessDenied(action.own_refusal or _own_refusal(action))
            if action.scope is Scope.OWN:
                rules.require_employee(principal, target.employee_id, target.unit_path or "", roles, action.what)
                return
        if target.unit_path is not None and action.scope in (Scope.UNIT, Scope.OWN, Scope.OFFICE):
            if action.roles is None and action.scope is not Scope.OWN:
                return  # anyone signed in, whatever the unit
            rules.require_unit(principal, target.unit_path, roles, action.what)

    def allows_on(self, principal: Principal, action: Action, target: Target | None = None) -> bool:
        """`check` as a yes/no (a page deciding what to draw)."""
        try:
            self.check(principal, action, target)
        except AccessDenied:
            return False
        return True

    def reach(self, principal: Principal, action: Action) -> tuple[str, ...] | None:
        """The unit subtrees the action's roles reach for this principal (None: every unit)."""
        return rules.scope(principal, action.roles or ())


gate = Gatekeeper()


def _own_refusal(action: Action) -> str:
    return f"Không thể {action.vi} của chính mình / You cannot {action.en} on your own record ({action.name})"


def declared() -> dict[str, Action]:
    """Every action declared so far (import the domains first: hub.domains.DOMAINS does)."""
    return dict(_DECLARED)


def action_named(name: str) -> Action:
    try:
        return _DECLARED[name]
    except KeyError:
        raise LookupError(f"no action is declared with the name {name!r}") from None


def rule_table(actions: Iterable[Action]) -> str:
    """The rule book as a Markdown table (README, `cces access rules`)."""
    lines = ["| action | what | who | scope |", "|---|---|---|---|"]
    for a in actions:
        scope_vi, scope_en = SCOPE_LABELS[a.scope]
        extra = " · chỉ người khác / others only" if a.others_only else ""
        lines.append(f"| `{a.name}` | {a.what} | {a.who()} | {scope_vi} / {scope_en}{extra} |")
    return "\n".join(lines)

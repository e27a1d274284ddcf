"""The audit log (nhật ký thao tác): who changed what, when, from where, with the state before and after.

`record` takes the connection of the change itself, so the row commits or rolls back with it: a
change without its audit row, or an audit row of a change that did not happen, cannot exist. Any
domain calls it from inside its transaction; `hub.services.HubServices` does so for the existing
change paths (corrections, calendar, imports, devices, enrollment, accounts, sign-in/out).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any, Protocol

import psycopg
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from hub.accounts import repository
from hub.accounts.models import AuditEntry, AuditQuery
from hub.accounts.principal import Principal
from hub.people.text import fold, search_terms


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, as the audit log records it: an account, or a named non-person ('cli', 'system', 'device:…')."""

    username: str
    user_id: int | None = None
    client_ip: str | None = None

    @classmethod
    def of(cls, principal: Principal, client_ip: str | None = None) -> Actor:
        # principals built for the CLI or the hub itself have no account row (user_id <= 0)
        return cls(principal.username, principal.user_id if principal.user_id > 0 else None, client_ip)


SYSTEM_ACTOR = Actor("system")
CLI_ACTOR = Actor("cli")


class ActorLike(Protocol):
    """Who acts, as the other domains take it: `Actor` fits; they keep only the username with their rows."""

    @property
    def username(self) -> str: ...


class AuditSink(Protocol):
    """Writes one audit row in the caller's transaction: `record` fits.

    Domains (biometrics, galleries, device config) take one, or None, when built, so they run
    without accounts wired (tools, tests) and write their audit rows in their own transactions.
    """

    def __call__(
        self,
        conn: psycopg.Connection,
        actor: Any,
        action: str,
        entity: str,
        entity_id: str | int | None = None,
        *,
        before: Any = None,
        after: Any = None,
        unit_path: str | None = None,
    ) -> Any: ...


def snapshot(value: Any) -> Any:
    """A JSON-able copy of a model, dataclass or mapping (dates as ISO text, enums as values)."""
    if value is None:
        return None
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    return to_jsonable_python(value)


@dataclass(frozen=True, slots=True)
class Change:
    """One audit row of `record_many`: the arguments of `record` after the actor."""

    action: str
    entity: str
    entity_id: str | int | None = None
    before: Any = None
    after: Any = None
    unit_path: str | None = None
    other_unit_path: str | None = None


def record(
    conn: psycopg.Connection,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    *,
    before: Any = None,
    after: Any = None,
    unit_path: str | None = None,
    other_unit_path: str | None = None,
) -> int:
    """Append one audit row in the caller's transaction; its id.

    `action` is '<thing>.<verb>' ('correction.create', 'sign_in.failed'); `unit_path` is the org unit
    the change concerns (office admins see the rows of their units), None for hub-wide changes;
    `other_unit_path` a second one, for a change that moves something between units (the admins of
    both see it).
    """
    change = Change(action, entity, entity_id, before, after, unit_path, other_unit_path)
    return repository.insert_audit(conn, **_row(actor, change))


def record_many(conn: psycopg.Connection, actor: Actor, changes: Sequence[Change]) -> None:
    """Append many audit rows in the caller's transaction, in one pipelined round trip (an import of
    10,000 employees writes 10,000 rows: one at a time they took longer than the import itself)."""
    repository.insert_audit_many(conn, [_row(actor, change) for change in changes])


def _row(actor: Actor, change: Change) -> dict[str, Any]:
    """The columns of one audit row, with its folded search text."""
    before_json, after_json = snapshot(change.before), snapshot(change.after)
    key = None if change.entity_id is None else str(change.entity_id)
    text = " ".join(
        part
        for part in (
            actor.username,
            change.action,
            change.entity,
            key or "",
            json.dumps(before_json, ensure_ascii=False) if before_json is not None else "",
            json.dumps(after_json, ensure_ascii=False) if after_json is not None else "",
        )
        if part
    )
    return {
        "actor": actor.username,
        "actor_user_id": actor.user_id,
        "action": change.action,
        "entity": change.entity,
        "entity_id": key,
        "unit_path": change.unit_path,
        "other_unit_path": change.other_unit_path,
        "before": before_json,
        "after": after_json,
        "client_ip": actor.client_ip,
        "search_text": fold(text),
    }


def search(
    conn: psycopg.Connection, query: AuditQuery, unit_paths: tuple[str, ...] | None = None
) -> tuple[int, list[AuditEntry]]:
    """(total, one page newest first); `unit_paths` limits to rows about those subtrees (None: all)."""
    patterns = ["%" + like_escape(t) + "%" for t in search_terms(query.text)]
    return repository.search_audit(conn, query, patterns, unit_paths)


def like_escape(term: str) -> str:
    """A term matched literally inside a LIKE pattern."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""Who may search, and which entries each kind lets a person see (the rule book, hub.access).

Searching is open to anyone signed in; what they find is what they may read. Each kind of entry names
the roles that read it over its unit and the roles that see its secret entries: the search adds both
as conditions of the query itself, so an entry a person may not read is never ranked, shown or counted.

| kind | read (over the entry's unit) | secret entries |
|---|---|---|
| document | hub.documents.access.READERS (văn thư, lãnh đạo) | hub.documents.access.SECRET_READERS (văn thư) |
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.access import Action, Scope
from hub.accounts.principal import Role
from hub.documents import access as documents_access

QUERY = Action(
    "search.query", "tìm kiếm", "search", roles=None, scope=Scope.ADMINISTRATION,
    note="anyone signed in; finds only entries they may read (per kind, before ranking)",
)  # fmt: skip

ACTIONS = (QUERY,)


@dataclass(frozen=True, slots=True)
class KindRule:
    read: tuple[Role, ...]
    secret: tuple[Role, ...]


KINDS: dict[str, KindRule] = {
    "document": KindRule(documents_access.READERS, documents_access.SECRET_READERS),
}

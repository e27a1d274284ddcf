"""Who may search, and which entries each kind lets a person see (the rule book, hub.access).

Searching is open to anyone signed in; what they find is what they may read. Each kind of entry names
the roles that read its entries without secrecy over their unit, and for its secret entries a function
naming the ones this person may see (for documents: cleared for the level and involved,
hub.documents.secrecy). The search adds both as conditions of the query itself, so an entry a person may
not read is never ranked, shown or counted.

| kind | read (over the entry's unit), no secrecy | secret entries |
|---|---|---|
| document | hub.documents.access.READERS (văn thư, lãnh đạo) | hub.documents.secrecy.rules.visible_secret_ids |
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
    #: "module:function" `(conn, principal) -> list[ref_id]`: the secret entries this person may see (loaded
    #: when searching, so importing the rule book stays cheap); None: the kind has no secret entries
    secret_refs: str | None = None


KINDS: dict[str, KindRule] = {
    "document": KindRule(documents_access.READERS, "hub.documents.secrecy.rules:visible_secret_ids"),
}

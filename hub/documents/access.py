"""Who may do what with registers and numbers, declared once; hub.documents.service enforces it, the
API's route table (hub.api.auth) repeats ROUTES.

| action | who (besides system admin) |
|---|---|
| see the document types and a unit's series | anyone signed in |
| register an incoming or outgoing document (take a number) | văn thư (clerk) over the unit |
| read a unit's registers | văn thư or lãnh đạo (manager) over the unit |
| see secret entries | văn thư over the unit (item 6 narrows this to cleared people) |
| configure a unit's series, its notation and place | office admin over the unit |
| configure the default series of every unit | system admin |
"""

from __future__ import annotations

from hub.accounts.principal import Role

REGISTRARS = (Role.CLERK,)  # take numbers: register incoming and outgoing documents
READERS = (Role.CLERK, Role.MANAGER)  # read a unit's registers
SECRET_READERS = (Role.CLERK,)  # see secret entries in a register (until item 6's clearances)
CONFIGURERS = (Role.OFFICE_ADMIN,)  # a unit's series, notation and place

#: action → (roles, scope), as the rule book (hub.domains, when it lands) lists them
ACTIONS: dict[str, tuple[tuple[Role, ...], str]] = {
    "documents.register_incoming": (REGISTRARS, "over the registering unit"),
    "documents.register_outgoing": (REGISTRARS, "over the issuing unit"),
    "documents.read_register": (READERS, "over the unit"),
    "documents.configure_unit": (CONFIGURERS, "over the unit"),
    "documents.configure_defaults": ((), "system admin"),
}

#: the API's routes under /api/v1/documents → (roles the route needs, or None: anyone signed in; scope)
ROUTES: tuple[tuple[str, str, tuple[Role, ...] | None, str], ...] = (
    ("GET", "/types", None, "anyone signed in"),
    ("GET", "/series", None, "anyone signed in; ?unit= the series a unit uses"),
    ("PUT", "/series", CONFIGURERS, "office admin over the unit; the defaults (no unit): system admin"),
    ("PUT", "/issuers/{unit_code}", CONFIGURERS, "office admin over the unit"),
    ("POST", "/incoming", REGISTRARS, "văn thư over the unit"),
    ("POST", "/outgoing", REGISTRARS, "văn thư over the unit"),
    ("GET", "/registers/{unit_code}/{year}", READERS, "văn thư or manager over the unit"),
    ("GET", "/registers/{unit_code}/{year}/{series_code}", READERS, "văn thư or manager over the unit"),
    ("GET", "/entries/{document_id}", READERS, "văn thư or manager over the document's unit"),
)

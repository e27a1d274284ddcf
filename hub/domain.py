"""The errors every domain raises, by kind: the API maps the kind to its HTTP status once (hub.api.errors).

A domain's own errors derive from one of these kinds (`class UnknownDevice(NotFound)`), so a new
domain needs no entry in any table to answer 404, 403, 409, 410, 422 or 503. The message is
Vietnamese first, English second (`"Không có thiết bị … / No device …"`); `bilingual` joins the two.

Each kind also derives from the built-in exception that code written before it caught (`NotFound`
is a `LookupError`, `Invalid` a `ValueError`, `Refused` a `PermissionError`), so such code goes on
working.
"""

from __future__ import annotations

from typing import ClassVar


def bilingual(vi: str, en: str) -> str:
    """One message for both languages, Vietnamese first: "vi / en"."""
    return f"{vi} / {en}"


class DomainError(Exception):
    """A refusal by a domain rule; `status` is what the API answers (its message is the `detail`)."""

    status: ClassVar[int] = 400
    kind: ClassVar[str] = "error"

    def __init__(self, message: str = "", *, vi: str | None = None, en: str | None = None) -> None:
        if vi is not None and en is not None and not message:
            message = bilingual(vi, en)
        super().__init__(message)
        self.message = message

    @property
    def detail(self) -> str:
        return str(self)


class NotFound(DomainError, LookupError):
    """No such thing (404): an unknown code, id or name."""

    status = 404
    kind = "not_found"


class Refused(DomainError, PermissionError):
    """The caller may not do this (403): the message names the role, unit or office missing."""

    status = 403
    kind = "refused"


class Conflict(DomainError):
    """The thing is not in a state that allows this (409): taken, already done, changed meanwhile."""

    status = 409
    kind = "conflict"


class Gone(NotFound):
    """It existed and cannot be had any more (410): deleted by retention or erasure."""

    status = 410
    kind = "gone"


class Invalid(DomainError, ValueError):
    """The input breaks a rule (422): nothing was written."""

    status = 422
    kind = "invalid"


class Unavailable(DomainError, RuntimeError):
    """A part this needs is not running in this hub process (503): the broker, the face models, a store."""

    status = 503
    kind = "unavailable"


KINDS: tuple[type[DomainError], ...] = (NotFound, Refused, Conflict, Gone, Invalid, Unavailable)

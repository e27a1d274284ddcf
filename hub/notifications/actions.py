"""Action links (liên kết thao tác): the actions domains declare, and the signed tokens mails carry.

A domain declares an action once (`register_action(ActionSpec(...))`, at import of its module). A
notification sent with `action=ActionRequest(name, params)` stores one row per recipient in
`notification_actions` (random id, the recipient, the parameters, an expiry); the mail carries
`<CCES_PUBLIC_URL>/api/v1/actions/<token>`, the token being that id signed with itsdangerous (a key in the data
dir's secrets, or CCES_NOTIFY_ACTION_SECRET shared by every hub process). A tampered or foreign token is
refused before the database is asked. GET shows what will happen and a button; only POST acts (mail
scanners and link previews fetch with GET), in the transaction that marks the row used: a second use is
refused, and so is one after the expiry.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

from hub.notifications.models import CODE_FORM, ActionLinkError, ActionSpec

_ACTIONS: dict[str, ActionSpec] = {}
SALT = "cces.notifications.action"
ACTION_PATH = "/api/v1/actions"  # under the API prefix: every route there is in the guard's tables


def register_action(spec: ActionSpec) -> None:
    """Declare an action (once per name; registering the same spec again is allowed: reloads, tests)."""
    if not CODE_FORM.match(spec.name):
        raise ValueError(f"action name {spec.name!r} must look like 'domain.verb'")
    known = _ACTIONS.get(spec.name)
    if known is not None and known is not spec and known.perform is not spec.perform:
        raise ValueError(f"action {spec.name!r} is declared twice")
    _ACTIONS[spec.name] = spec


def action_spec(name: str) -> ActionSpec | None:
    return _ACTIONS.get(name)


def declared_actions() -> list[ActionSpec]:
    return [_ACTIONS[n] for n in sorted(_ACTIONS)]


class ActionSigner:
    """Signs an action link's id into a URL-safe token and reads it back (BadSignature → ActionLinkError)."""

    def __init__(self, secret: str) -> None:
        if len(secret) < 16:
            raise ValueError("the action link secret must hold at least 16 characters")
        self._serializer = URLSafeSerializer(secret, salt=SALT)

    def token(self, action_id: UUID) -> str:
        return self._serializer.dumps(action_id.hex)

    def action_id(self, token: str) -> UUID:
        try:
            if len(token) > 200:
                raise BadSignature("too long")
            return UUID(hex=str(self._serializer.loads(token)))
        except (BadSignature, ValueError, TypeError) as exc:
            raise ActionLinkError(
                "invalid",
                "Liên kết không hợp lệ (có thể đã bị sửa hoặc sao chép thiếu)",
                "This link is not valid (it may have been altered or copied incompletely)",
            ) from exc

    def path(self, action_id: UUID) -> str:
        return f"{ACTION_PATH}/{self.token(action_id)}"


def load_or_create_secret(secrets_dir: Path, configured: str | None) -> str:
    """The configured secret, else one kept in `<secrets>/notify-action-secret` (made once)."""
    if configured:
        return configured
    path = secrets_dir / "notify-action-secret"
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()

"""REST for device commands: send one (it goes out over MQTT with an expiry), list them with replies.

Mounted on the devices router (`/api/v1/devices/{id}/commands`). Sending answers 202: the command
is stored and the broker has it; the device's reply arrives later and is read with GET. Until it
does, the hub sends it again when the device comes back online and every minute while it is
online (`attempts`, `last_sent_at`), up to `expires_at`; then its state reads `expired`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.commands.repository import CommandRecord
from hub.commands.service import DEFAULT_TTL_S, CommandsUnavailable, InvalidCommand, UnknownCommand
from hub.devices import access as devices_access
from hub.inputs import Code, JsonObject, Offset
from hub.services import HubServices
from protocol.commands import COMMAND_NAMES, MAX_TTL_S

DeviceId = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[a-z0-9-]{3,64}$")]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class CommandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Code = Field(description=f"one of: {', '.join(COMMAND_NAMES)}")
    args: JsonObject = Field(default_factory=dict, description="the command's arguments (see the contract)")
    ttl_s: int = Field(default=DEFAULT_TTL_S, ge=1, le=MAX_TTL_S, description="seconds the command stays valid")


class CommandOut(BaseModel):
    id: UUID
    device_id: str
    name: str
    args: dict[str, Any]
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    state: str  # pending | replied | expired (its expires_at passed with no reply: it will not be sent again)
    attempts: int = Field(description="times the broker took it: 1 when sent, +1 each time it was sent again")
    last_sent_at: datetime
    replied_at: datetime | None
    ok: bool | None
    code: str | None  # why not ok: expired, unknown_command, bad_args, unavailable, failed
    error: str | None
    result: dict[str, Any] | None

    @classmethod
    def of(cls, c: CommandRecord) -> CommandOut:
        return cls(
            id=c.id,
            device_id=c.device_id,
            name=c.name,
            args=c.args,
            issued_by=c.issued_by,
            issued_at=c.issued_at,
            expires_at=c.expires_at,
            state=c.state,
            attempts=c.attempts,
            last_sent_at=c.last_sent_at,
            replied_at=c.replied_at,
            ok=c.reply_ok,
            code=c.reply_code,
            error=c.reply_error,
            result=c.reply,
        )


class CommandPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CommandOut]


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def add_command_routes(router: APIRouter) -> None:
    """The command routes, on the devices router (prefix /api/v1)."""

    @router.post(
        "/devices/{device_id}/commands",
        openapi_extra=devices_access.COMMAND.route(),
        response_model=CommandOut,
        status_code=202,
    )
    def send_command(
        request: Request,
        device_id: DeviceId,
        body: CommandIn,
        principal: CurrentPrincipal,  # device commands: system admin / office admin of the device's office
    ) -> CommandOut:
        """Send a command (QoS 1, MQTT v5 message expiry where the broker speaks v5, `expires_at` always).

        422: unknown name or arguments that do not fit it; 404: unknown device; 403: a device outside the
        caller's offices; 503: the hub has no broker connection (nothing stored in any of these)."""
        try:
            record = _services(request).devices.send_command(principal, device_id, body.name, body.args, body.ttl_s)
        except InvalidCommand as exc:
            raise HTTPException(422, str(exc)) from exc
        except CommandsUnavailable as exc:
            raise HTTPException(503, str(exc)) from exc
        return CommandOut.of(record)

    @router.get("/devices/{device_id}/commands", openapi_extra=devices_access.VIEW.route(), response_model=CommandPage)
    def list_commands(
        request: Request,
        device_id: DeviceId,
        principal: CurrentPrincipal,
        limit: int = Query(50, ge=1, le=1000),
        offset: Offset = 0,
    ) -> CommandPage:
        """The device's commands, newest first, each with its state and reply."""
        total, items = _services(request).devices.commands(principal, device_id, limit, offset)
        return CommandPage(total=total, limit=limit, offset=offset, items=[CommandOut.of(c) for c in items])

    @router.get(
        "/devices/{device_id}/commands/{command_id}",
        openapi_extra=devices_access.VIEW.route(),
        response_model=CommandOut,
    )
    def get_command(request: Request, device_id: DeviceId, command_id: UUID, principal: CurrentPrincipal) -> CommandOut:
        try:
            return CommandOut.of(_services(request).devices.command(principal, device_id, command_id))
        except UnknownCommand as exc:
            raise HTTPException(404, str(exc)) from exc

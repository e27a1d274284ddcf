"""`GET /api/v1/rooms/{room_id}/display`: a room's display state, the JSON its displays get over MQTT."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, services_of
from hub.displays import access
from protocol.display import RoomDisplayState
from protocol.topics import ROOM_ID_PATTERN

RoomId = Annotated[str, Path(pattern=ROOM_ID_PATTERN, max_length=64, description="[a-z0-9-]{1,64}")]


def displays_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["rooms"])

    @router.get("/rooms/{room_id}/display", openapi_extra=access.VIEW.route())
    def room_display(
        room_id: RoomId, request: Request, principal: Annotated[Principal, Depends(current_principal)]
    ) -> RoomDisplayState:
        """What the room's displays show now (the retained `cces/v1/rooms/{room_id}/display`); 404: no such room."""
        return services_of(request).displays.state(principal, room_id)

    return router

"""REST for door portals (issue 16 item 6).

| route | answer |
|---|---|
| GET /api/v1/asset-portals | the portals of the caller's units |
| PUT /api/v1/asset-portals/{code} | configure one: reader, inner and outer antennas, exit location, display, window |
| GET /api/v1/asset-alerts?all= | alerts of assets leaving without an approved movement (open ones by default) |
| POST /api/v1/asset-alerts/{id}/acknowledge | handled, with a note |
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.assets import access
from hub.assets.portals.service import PortalService
from hub.inputs import Code, Id, ShortText, Text

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
DEVICE = r"^[a-z0-9-]{3,64}$"


def _svc(request: Request) -> PortalService:
    return services_of(request).asset_portals


class PortalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    device_id: str = Field(pattern=DEVICE, max_length=64)
    inner_antenna: int = Field(ge=0, le=64)
    outer_antenna: int = Field(ge=0, le=64)
    location_code: Code
    display_device_id: str | None = Field(None, pattern=DEVICE, max_length=64)
    window_s: int = Field(30, ge=2, le=600)


class PortalOut(BaseModel):
    code: str
    name: str
    device_id: str
    inner_antenna: int
    outer_antenna: int
    location_code: str
    display_device_id: str | None
    window_s: int


class AlertOut(BaseModel):
    id: int
    portal_code: str
    portal_name: str
    asset_number: str
    asset_name: str
    epc: str
    passed_at: datetime
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    note: str | None


class AckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = None


def portals_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["assets"])

    @router.get("/asset-portals", response_model=list[PortalOut], openapi_extra=access.VIEW.route())
    def portals(request: Request, principal: CurrentPrincipal) -> list[PortalOut]:
        return [PortalOut(**{f: p[f] for f in PortalOut.model_fields}) for p in _svc(request).portals(principal)]

    @router.put("/asset-portals/{code}", status_code=204, openapi_extra=access.READERS.route())
    def save(request: Request, code: Annotated[Code, Path()], body: PortalIn, principal: CurrentPrincipal) -> Response:
        _svc(request).save_portal(principal, request_actor(request, principal), {"code": code, **body.model_dump()})
        return Response(status_code=204)

    @router.get("/asset-alerts", response_model=list[AlertOut], openapi_extra=access.ALERTS.route())
    def alerts(request: Request, principal: CurrentPrincipal, all: bool = False) -> list[AlertOut]:
        found = _svc(request).alerts(principal, open_only=not all)
        return [AlertOut(**{f: a[f] for f in AlertOut.model_fields}) for a in found]

    @router.post("/asset-alerts/{alert_id}/acknowledge", status_code=204, openapi_extra=access.ALERTS.route())
    def acknowledge(
        request: Request, alert_id: Annotated[Id, Path()], body: AckIn, principal: CurrentPrincipal
    ) -> Response:
        _svc(request).acknowledge(principal, request_actor(request, principal), alert_id, body.note)
        return Response(status_code=204)

    return router

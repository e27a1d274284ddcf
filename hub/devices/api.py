"""REST for the device registry: list and filter, one device with its liveness and last metrics,
its telemetry history over a bounded span, and an admin's edit of where it is and what it does.

Every route answers for the devices of the caller's offices only (a device's site mapped to their
units, hub.devices.service.device_scope): the list leaves the others out, a single device outside
them is 403 and nothing is changed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor
from hub.commands.api import add_command_routes
from hub.devices import access as devices_access
from hub.devices.config import ConfigState, DesiredConfigChanges
from hub.devices.models import DeviceChanges, DeviceRecord, TelemetryPoint
from hub.inputs import Code, Offset, ShortText, WorkDateTime
from hub.services import HubServices

DeviceId = Annotated[str, Path(min_length=3, max_length=64, pattern=r"^[a-z0-9-]{3,64}$")]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


class DeviceOut(BaseModel):
    device_id: str
    kind: str
    site: str | None
    room: str | None
    direction: str | None  # door direction: "in", "out", or null when the door serves both ways
    online: bool  # from the retained status message or the Last Will
    status_at: datetime | None  # when the hub received that status
    last_seen: datetime | None  # the hub's clock, last time it heard anything from the device
    software_version: str | None
    created_at: datetime
    model_pack: str | None  # as the device's heartbeat reports it

    @classmethod
    def of(cls, d: DeviceRecord) -> DeviceOut:
        return cls(
            device_id=d.device_id,
            kind=d.kind,
            site=d.site,
            room=d.room,
            direction=d.direction,
            online=d.online,
            status_at=d.status_at,
            last_seen=d.last_seen,
            software_version=d.software_version,
            created_at=d.created_at,
            model_pack=d.model_pack,
        )


class TelemetryOut(BaseModel):
    ts: datetime  # the device's clock
    received_at: datetime  # the hub's clock
    uptime_s: float
    software_version: str
    outbox_pending: int
    outbox_bytes: int
    telemetry_dropped: int
    metrics: dict[str, Any]

    @classmethod
    def of(cls, t: TelemetryPoint) -> TelemetryOut:
        return cls(
            ts=t.ts,
            received_at=t.received_at,
            uptime_s=t.uptime_s,
            software_version=t.software_version,
            outbox_pending=t.outbox_pending,
            outbox_bytes=t.outbox_bytes,
            telemetry_dropped=t.telemetry_dropped,
            metrics=t.metrics,
        )


class DeviceDetailOut(DeviceOut):
    last_heartbeat: datetime | None  # `ts` of the newest telemetry
    latest_telemetry: TelemetryOut | None


class DevicePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[DeviceOut]


class TelemetryPage(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    device_id: str
    from_: datetime = Field(alias="from")
    to: datetime
    limit: int
    items: list[TelemetryOut]  # newest first; `len(items) == limit` means there may be older points


class DeviceConfigOut(BaseModel):
    device_id: str
    threshold: float | None  # null: the device's own setting
    cooldown_s: float | None
    camera: dict[str, Any] | None
    display_room: str | None
    model_pack: str | None
    telemetry_interval_s: float | None
    rfid: dict[str, Any] | None  # the RFID reader's settings (protocol.config.RfidConfig)
    updated_by: str | None
    updated_at: datetime | None
    desired_version: int  # the config version last published to the device
    published_at: datetime | None
    applied_version: int | None  # as the device's latest heartbeat reports it (null: never reported)
    desired_gallery_version: str | None
    applied_gallery_version: str | None
    in_sync: bool

    @classmethod
    def of(cls, state: ConfigState) -> DeviceConfigOut:
        d = state.desired
        return cls(
            device_id=state.device_id,
            threshold=d.threshold,
            cooldown_s=d.cooldown_s,
            camera=d.camera,
            display_room=d.display_room,
            model_pack=d.model_pack,
            telemetry_interval_s=d.telemetry_interval_s,
            rfid=d.rfid,
            updated_by=d.updated_by,
            updated_at=d.updated_at,
            desired_version=state.desired_version,
            published_at=state.published_at,
            applied_version=state.applied_version,
            desired_gallery_version=state.desired_gallery_version,
            applied_gallery_version=state.applied_gallery_version,
            in_sync=state.in_sync,
        )


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def devices_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["devices"])

    @router.get("/devices", openapi_extra=devices_access.VIEW.route(), response_model=DevicePage)
    def devices(
        request: Request,
        principal: CurrentPrincipal,
        kind: Annotated[Code | None, Query(max_length=32, description="faceid, rfid, display, generic")] = None,
        site: Annotated[ShortText | None, Query(max_length=128, description="office / site, exact")] = None,
        online: Annotated[bool | None, Query(description="only those online (true) or offline (false)")] = None,
        limit: int = Query(50, ge=1, le=1000),
        offset: Offset = 0,
    ) -> DevicePage:
        """The devices of the caller's offices (all of them for a system admin), by device id."""
        total, found = _services(request).devices.find(
            principal, kind=kind, site=site, online=online, limit=limit, offset=offset
        )
        return DevicePage(total=total, limit=limit, offset=offset, items=[DeviceOut.of(d) for d in found])

    @router.get("/devices/{device_id}", openapi_extra=devices_access.VIEW.route(), response_model=DeviceDetailOut)
    def device(request: Request, device_id: DeviceId, principal: CurrentPrincipal) -> DeviceDetailOut:
        detail = _services(request).devices.detail(principal, device_id)
        latest = detail.latest
        return DeviceDetailOut(
            **DeviceOut.of(detail.device).model_dump(),
            last_heartbeat=latest.ts if latest else None,
            latest_telemetry=TelemetryOut.of(latest) if latest else None,
        )

    @router.get(
        "/devices/{device_id}/telemetry",
        openapi_extra=devices_access.VIEW.route(),
        response_model=TelemetryPage,
        response_model_by_alias=True,
    )
    def telemetry(
        request: Request,
        device_id: DeviceId,
        principal: CurrentPrincipal,
        from_: Annotated[WorkDateTime | None, Query(alias="from", description="default: a day before 'to'")] = None,
        to: Annotated[WorkDateTime | None, Query(description="exclusive; default: now")] = None,
        limit: int = Query(1000, ge=1, le=10_000),
    ) -> dict[str, Any]:
        """Heartbeats with from <= ts < to, newest first. The span is at most 92 days, so only the
        partitions (or chunks) of that span are read."""
        start, end, points = _services(request).devices.telemetry(principal, device_id, from_, to, limit)
        return {
            "device_id": device_id,
            "from": start,
            "to": end,
            "limit": limit,
            "items": [TelemetryOut.of(p) for p in points],
        }

    @router.patch("/devices/{device_id}", openapi_extra=devices_access.CHANGE.route(), response_model=DeviceOut)
    def edit_device(
        request: Request,
        device_id: DeviceId,
        changes: DeviceChanges,
        principal: CurrentPrincipal,  # who may: hub.api.auth.ROUTE_RULES, and the device's office theirs
    ) -> DeviceOut:
        """Change site, room, door direction or kind; fields left out stay, `null` clears site/room/direction.
        A new site must be one of the caller's offices too (403 otherwise)."""
        actor = request_actor(request, principal)
        return DeviceOut.of(_services(request).devices.update(principal, device_id, changes, actor))

    @router.get(
        "/devices/{device_id}/config", openapi_extra=devices_access.VIEW.route(), response_model=DeviceConfigOut
    )
    def device_config(request: Request, device_id: DeviceId, principal: CurrentPrincipal) -> DeviceConfigOut:
        """The desired config (and its version) next to the version the device's heartbeat says it runs."""
        return DeviceConfigOut.of(_services(request).devices.config_state(principal, device_id))

    @router.patch(
        "/devices/{device_id}/config", openapi_extra=devices_access.CHANGE.route(), response_model=DeviceConfigOut
    )
    def edit_device_config(
        request: Request,
        device_id: DeviceId,
        changes: DesiredConfigChanges,
        principal: CurrentPrincipal,  # who may: hub.api.auth.ROUTE_RULES, and the device's office theirs
    ) -> DeviceConfigOut:
        """Change threshold, cooldown, camera, display room, model pack or heartbeat interval; `null`
        returns a field to the device's own setting. Published at once (retained, new version)."""
        state = _services(request).devices.update_config(
            principal, device_id, changes, request_actor(request, principal)
        )
        return DeviceConfigOut.of(state)

    add_command_routes(router)  # POST/GET /devices/{id}/commands (hub.commands.api)
    return router

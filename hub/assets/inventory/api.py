"""REST for inventory sessions (kiểm kê, issue 16 item 5) and the fixed readers' rooms.

| route | answer |
|---|---|
| GET /api/v1/asset-inventories?status= | sessions over the caller's units, newest first |
| POST /api/v1/asset-inventories | start one `{location_code (none: whole administration), title, stocktake_year}` |
| GET /api/v1/asset-inventories/{id}?lines=differences|all|none | live: per room found, missing, moved, unknown |
| POST /api/v1/asset-inventories/{id}/reads | a handheld's codes (EPC hex, EPC URI, asset number) in a room |
| POST /api/v1/asset-inventories/{id}/resolve | settle a difference: moved, missing, registered (an unknown tag) |
| POST /api/v1/asset-inventories/{id}/close | freeze it with its counts |
| GET /api/v1/asset-inventories/{id}/differences.pdf, /minutes.pdf | the difference report, the minutes |
| GET /api/v1/asset-lookup?code= | what a scanned code (EPC hex, QR text, asset number) names: the asset or none |
| GET /api/v1/asset-stocktake/{year} | the yearly stocktake's progress per office |
| PUT /api/v1/asset-readers/{device_id}/{antenna} | which room a fixed reader's antenna (0: all) reads |
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.assets import access
from hub.assets.api import AssetIn, AssetOut
from hub.assets.inventory.models import Inventory, Reconciliation
from hub.assets.inventory.service import MAX_CODES, InventoryService
from hub.assets.models import AssetInput
from hub.inputs import Code, Id, ShortText, Text

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
InventoryId = Annotated[Id, Path()]
DeviceId = Annotated[str, Path(pattern=r"^[a-z0-9-]{3,64}$")]


def _svc(request: Request) -> InventoryService:
    return services_of(request).asset_inventory


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InventoryIn(_In):
    location_code: Code | None = None
    title: ShortText
    stocktake_year: int | None = Field(None, ge=2000, le=2200)


class ReadsIn(_In):
    room_code: Code | None = None
    codes: list[Annotated[ShortText, Field(min_length=1)]] = Field(min_length=1, max_length=MAX_CODES)


class RegisterIn(AssetIn):
    location_code: Code | None = None


class ResolveIn(_In):
    outcome: Literal["moved", "missing", "registered"]
    asset_number: Code | None = None
    tag: Annotated[ShortText, Field(min_length=1)] | None = None
    note: Text | None = None
    asset: RegisterIn | None = None


class ReaderIn(_In):
    room_code: Code


class InventoryOut(BaseModel):
    id: int
    title: str
    location_code: str | None
    location_name: str | None
    stocktake_year: int | None
    status: str
    started_by: str
    started_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    summary: dict | None

    @classmethod
    def of(cls, i: Inventory) -> InventoryOut:
        return cls(**{f: getattr(i, f) for f in cls.model_fields})


class LineOut(BaseModel):
    state: str
    tag: str | None
    asset_number: str | None
    asset_name: str | None
    registered_code: str | None
    resolution: str | None


class RoomOut(BaseModel):
    code: str | None
    name: str
    counts: dict[str, int]
    lines: list[LineOut]


class LiveOut(BaseModel):
    inventory: InventoryOut
    totals: dict[str, int]
    unresolved: int
    reads: int
    rooms: list[RoomOut]


class ReadsOut(BaseModel):
    taken: int
    unknown: int


class LookupOut(BaseModel):
    code: str
    tag: str = Field(description="the read's key: the asset's EPC hex, else the code as read")
    asset: AssetOut | None = Field(description="none: a tag no asset has (register it in an inventory)")


class ProgressOut(BaseModel):
    office_code: str
    office_name: str
    assets: int
    found: int
    resolved: int
    sessions_open: int
    sessions_closed: int


def _live(result: Reconciliation, lines: str) -> LiveOut:
    def keep(state: str) -> bool:
        return lines == "all" or (lines == "differences" and state != "found")

    return LiveOut(
        inventory=InventoryOut.of(result.inventory),
        totals=result.totals,
        unresolved=result.unresolved,
        reads=result.reads,
        rooms=[
            RoomOut(
                code=r.code,
                name=r.name,
                counts=r.counts,
                lines=[LineOut(**{f: getattr(x, f) for f in LineOut.model_fields}) for x in r.lines if keep(x.state)],
            )
            for r in result.rooms
        ],
    )


def _pdf(data: bytes, name: str) -> Response:
    return Response(
        data, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def inventory_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["assets"])

    @router.get("/asset-inventories", response_model=list[InventoryOut], openapi_extra=access.VIEW.route())
    def sessions(
        request: Request, principal: CurrentPrincipal, status: Literal["open", "closed"] | None = None
    ) -> list[InventoryOut]:
        return [InventoryOut.of(i) for i in _svc(request).listing(principal, status)]

    @router.post(
        "/asset-inventories", response_model=InventoryOut, status_code=201, openapi_extra=access.INVENTORY.route()
    )
    def start(request: Request, body: InventoryIn, principal: CurrentPrincipal) -> InventoryOut:
        actor = request_actor(request, principal)
        made = _svc(request).start(principal, actor, body.location_code, body.title, body.stocktake_year)
        return InventoryOut.of(made)

    @router.get("/asset-inventories/{inventory_id}", response_model=LiveOut, openapi_extra=access.VIEW.route())
    def live(
        request: Request,
        inventory_id: InventoryId,
        principal: CurrentPrincipal,
        lines: Literal["differences", "all", "none"] = "differences",
    ) -> LiveOut:
        """Takes in the fixed readers' new reads, then: per room the counts and (by `lines`) the assets and tags."""
        return _live(_svc(request).live(principal, inventory_id), lines)

    @router.post(
        "/asset-inventories/{inventory_id}/reads", response_model=ReadsOut, openapi_extra=access.INVENTORY.route()
    )
    def reads(request: Request, inventory_id: InventoryId, body: ReadsIn, principal: CurrentPrincipal) -> ReadsOut:
        actor = request_actor(request, principal)
        taken, unknown = _svc(request).add_reads(principal, actor, inventory_id, body.room_code, body.codes)
        return ReadsOut(taken=taken, unknown=unknown)

    @router.post("/asset-inventories/{inventory_id}/resolve", status_code=204, openapi_extra=access.INVENTORY.route())
    def resolve(request: Request, inventory_id: InventoryId, body: ResolveIn, principal: CurrentPrincipal) -> Response:
        register = AssetInput(**body.asset.model_dump()) if body.asset is not None else None
        _svc(request).resolve(
            principal,
            request_actor(request, principal),
            inventory_id,
            body.outcome,
            asset_number=body.asset_number,
            tag=body.tag,
            note=body.note,
            register=register,
        )
        return Response(status_code=204)

    @router.post(
        "/asset-inventories/{inventory_id}/close", response_model=InventoryOut, openapi_extra=access.INVENTORY.route()
    )
    def close(request: Request, inventory_id: InventoryId, principal: CurrentPrincipal) -> InventoryOut:
        return InventoryOut.of(_svc(request).close(principal, request_actor(request, principal), inventory_id))

    @router.get("/asset-inventories/{inventory_id}/differences.pdf", openapi_extra=access.VIEW.route())
    def differences(request: Request, inventory_id: InventoryId, principal: CurrentPrincipal) -> Response:
        return _pdf(_svc(request).paper(principal, inventory_id, "differences"), f"chenh-lech-{inventory_id}.pdf")

    @router.get("/asset-inventories/{inventory_id}/minutes.pdf", openapi_extra=access.VIEW.route())
    def minutes(request: Request, inventory_id: InventoryId, principal: CurrentPrincipal) -> Response:
        return _pdf(_svc(request).paper(principal, inventory_id, "minutes"), f"bien-ban-kiem-ke-{inventory_id}.pdf")

    @router.get("/asset-lookup", response_model=LookupOut, openapi_extra=access.VIEW.route())
    def lookup(
        request: Request, principal: CurrentPrincipal, code: Annotated[ShortText, Query(min_length=1)]
    ) -> LookupOut:
        """A handheld's or a phone camera's code: an EPC's hex, the EPC URI a label's QR code holds, or an asset
        number. 403 for an asset of a unit the caller does not see."""
        found = _svc(request).lookup(principal, code)
        return LookupOut(
            code=found.code, tag=found.tag, asset=AssetOut.of(found.asset) if found.asset is not None else None
        )

    @router.get("/asset-stocktake/{year}", response_model=list[ProgressOut], openapi_extra=access.VIEW.route())
    def stocktake(
        request: Request, principal: CurrentPrincipal, year: Annotated[int, Path(ge=2000, le=2200)]
    ) -> list[ProgressOut]:
        """Per office: assets on the register, found in a session of the year's stocktake, settled, sessions."""
        found = _svc(request).stocktake(principal, year)
        return [ProgressOut(**{f: getattr(p, f) for f in ProgressOut.model_fields}) for p in found]

    @router.put("/asset-readers/{device_id}/{antenna}", status_code=204, openapi_extra=access.READERS.route())
    def reader(
        request: Request,
        device_id: DeviceId,
        antenna: Annotated[int, Path(ge=0, le=64)],
        body: ReaderIn,
        principal: CurrentPrincipal,
    ) -> Response:
        _svc(request).set_reader(principal, request_actor(request, principal), device_id, antenna, body.room_code)
        return Response(status_code=204)

    return router

"""REST for asset movements (issue 16 item 7).

| route | answer |
|---|---|
| GET /api/v1/assets/{number}/movements | the asset's movements, newest first |
| POST /api/v1/assets/{number}/movements | a check-out (done at once) or a request: 201; 409 one already open; 422 |
| GET /api/v1/asset-movements?status=&limit=&offset= | the caller's units' movements (waiting: status=requested) |
| POST /api/v1/asset-movements/{id}/approve, /reject | decide a request (not one's own: 403); 409 not waiting |
| POST /api/v1/asset-movements/{id}/cancel | withdraw a request |
| POST /api/v1/asset-movements/{id}/return | the asset of a check-out, repair or loan is back |
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.assets import access
from hub.assets.movements.models import Movement, MovementInput
from hub.assets.movements.service import MovementsService
from hub.inputs import Code, Id, ShortText, Text, WorkDate

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
AssetNumber = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
MovementId = Annotated[Id, Path()]
Kind = Literal["checkout", "transfer", "repair", "loan", "liquidation"]


def _svc(request: Request) -> MovementsService:
    return services_of(request).asset_movements


class MovementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    reason: Text
    employee_code: Code | None = None
    location_code: Code | None = None
    unit_code: Code | None = None
    party: ShortText | None = None
    due_on: WorkDate | None = None
    exit_until: WorkDate | None = None
    decision_number: ShortText | None = None
    decision_date: WorkDate | None = None
    decision_signer: ShortText | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = None


class ReturnIn(DecisionIn):
    location_code: Code | None = None


class MovementOut(BaseModel):
    id: int
    asset_number: str
    asset_name: str
    unit_code: str
    kind: str
    status: str
    employee_code: str | None
    employee_name: str | None
    location_code: str | None
    location_name: str | None
    to_unit_code: str | None
    party: str | None
    decision_number: str | None
    decision_date: date | None
    decision_signer: str | None
    reason: str
    due_on: date | None
    exit_until: date | None
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    returned_by: str | None
    returned_at: datetime | None

    @classmethod
    def of(cls, m: Movement) -> MovementOut:
        return cls(**{f: getattr(m, f) for f in cls.model_fields})


def movements_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["assets"])

    @router.get("/assets/{asset_number}/movements", response_model=list[MovementOut], openapi_extra=access.VIEW.route())
    def asset_movements(request: Request, asset_number: AssetNumber, principal: CurrentPrincipal) -> list[MovementOut]:
        return [MovementOut.of(m) for m in _svc(request).of_asset(principal, asset_number)]

    @router.post(
        "/assets/{asset_number}/movements",
        response_model=MovementOut,
        status_code=201,
        openapi_extra=access.MOVE.route(),
    )
    def record_movement(
        request: Request, asset_number: AssetNumber, body: MovementIn, principal: CurrentPrincipal
    ) -> MovementOut:
        """A check-out takes effect at once; a transfer, repair, loan or liquidation waits for approval."""
        inp = MovementInput(**body.model_dump())
        return MovementOut.of(_svc(request).request(principal, request_actor(request, principal), asset_number, inp))

    @router.get("/asset-movements", response_model=list[MovementOut], openapi_extra=access.VIEW.route())
    def list_movements(
        request: Request,
        principal: CurrentPrincipal,
        status: Literal["requested", "approved", "rejected", "cancelled", "returned"] | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[MovementOut]:
        return [MovementOut.of(m) for m in _svc(request).listing(principal, status, limit, offset)]

    @router.post(
        "/asset-movements/{movement_id}/approve", response_model=MovementOut, openapi_extra=access.APPROVE_MOVE.route()
    )
    def approve(
        request: Request, movement_id: MovementId, body: DecisionIn, principal: CurrentPrincipal
    ) -> MovementOut:
        actor = request_actor(request, principal)
        return MovementOut.of(_svc(request).approve(principal, actor, movement_id, body.note))

    @router.post(
        "/asset-movements/{movement_id}/reject", response_model=MovementOut, openapi_extra=access.APPROVE_MOVE.route()
    )
    def reject(request: Request, movement_id: MovementId, body: DecisionIn, principal: CurrentPrincipal) -> MovementOut:
        actor = request_actor(request, principal)
        return MovementOut.of(_svc(request).reject(principal, actor, movement_id, body.note))

    @router.post("/asset-movements/{movement_id}/cancel", response_model=MovementOut, openapi_extra=access.MOVE.route())
    def cancel(request: Request, movement_id: MovementId, body: DecisionIn, principal: CurrentPrincipal) -> MovementOut:
        actor = request_actor(request, principal)
        return MovementOut.of(_svc(request).cancel(principal, actor, movement_id, body.note))

    @router.post("/asset-movements/{movement_id}/return", response_model=MovementOut, openapi_extra=access.MOVE.route())
    def return_asset(
        request: Request, movement_id: MovementId, body: ReturnIn, principal: CurrentPrincipal
    ) -> MovementOut:
        actor = request_actor(request, principal)
        return MovementOut.of(_svc(request).return_(principal, actor, movement_id, body.location_code, body.note))

    return router

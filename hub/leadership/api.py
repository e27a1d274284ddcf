"""REST for the leadership screen under /api/v1/leadership (issue 18 item 5): today's overview of a unit's
subtree split by its sub-units, and the records behind a tile's figures. Who may: hub.leadership.access (the
service refuses a unit outside the caller's scope with 403)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.inputs import Code
from hub.leadership import access
from hub.leadership.models import FIGURES, TILE_LABELS, WARNINGS, Overview, Records, Tile
from hub.leadership.service import LeadershipService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
UnitQuery = Annotated[Code | None, Query(alias="unit", description="the unit's code (none: the caller's scope)")]
TileName = Annotated[Tile, Path(description="documents, meetings, presence, assets, reports or tasks")]


def _leadership(request: Request) -> LeadershipService:
    return request.app.state.services.leadership  # type: ignore[no-any-return]


def overview_out(o: Overview) -> dict[str, Any]:
    return {
        "unit": asdict(o.focus) if o.focus else None,
        "parent": asdict(o.parent) if o.parent else None,
        "day": o.day,
        "as_of": o.as_of,
        "figures": [
            {"key": k, "tile": t.value, "vi": vi, "en": en, "warning": k in WARNINGS}
            for k, (t, vi, en) in FIGURES.items()
        ],
        "tiles": [{"key": t.value, "vi": vi, "en": en} for t, (vi, en) in TILE_LABELS.items()],
        "totals": o.totals,
        "rows": [
            {
                "unit": asdict(r.unit),
                "direct": r.direct,
                "figures": r.figures,
                "drill": None if r.direct else f"/api/v1/leadership/overview?unit={r.unit.code}",
            }
            for r in o.rows
        ],  # fmt: skip
    }


def records_out(r: Records) -> dict[str, Any]:
    return {
        "unit": asdict(r.unit), "tile": r.tile.value, "day": r.day, "truncated": r.truncated,
        "items": [
            {"figure": i.figure, "title": i.title, "unit_code": i.unit_code, "unit_name": i.unit_name, "when": i.when,
             "status_vi": i.status_vi, "status_en": i.status_en, "link": i.link, "details": i.details}
            for i in r.items
        ],
    }  # fmt: skip


def leadership_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/leadership", tags=["leadership"])

    @router.get("/overview", openapi_extra=access.VIEW.route())
    def overview(request: Request, principal: CurrentPrincipal, unit: UnitQuery = None) -> dict[str, Any]:
        return overview_out(_leadership(request).overview(principal, unit))

    @router.get("/records/{tile}", openapi_extra=access.VIEW.route())
    def records(
        request: Request, tile: TileName, principal: CurrentPrincipal, unit: UnitQuery = None
    ) -> dict[str, Any]:
        return records_out(_leadership(request).records(principal, tile.value, unit))

    return router

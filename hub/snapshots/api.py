"""Face snapshots of door events over HTTP: the JPEG, for those who may see it, every opening audited.

The service decides who may (hub.snapshots.service): the person themself or a manager, HR or office
admin over the person's unit for an attendance snapshot; an office admin of the door's office for an
unknown face. A snapshot deleted by retention or erasure answers 410 with the reason, in Vietnamese
and English; the image is never cached by the browser or a proxy.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.snapshots import access as snapshots_access
from hub.snapshots.service import SnapshotRemoved, SnapshotsUnavailable, UnknownSnapshot
from hub.snapshots.store import SnapshotKind


class Problem(BaseModel):
    detail: str
    reason: str | None = None


_ANSWERS = {
    200: {"content": {"image/jpeg": {}}, "description": "the snapshot (JPEG); the opening is in the audit log"},
    404: {"model": Problem, "description": "no such event, or it came without a snapshot"},
    410: {"model": Problem, "description": "deleted (reason: retention, erasure) or not readable on this hub"},
    503: {"model": Problem, "description": "this hub process keeps no snapshots (ask another)"},
}


def _snapshot(request: Request, principal: Principal, kind: SnapshotKind, event_id: UUID) -> Response:
    try:
        opened = services_of(request).open_event_snapshot(principal, kind, event_id, request_actor(request, principal))
    except UnknownSnapshot as exc:
        return JSONResponse(Problem(detail=str(exc)).model_dump(), 404)
    except SnapshotRemoved as exc:
        return JSONResponse(Problem(detail=str(exc), reason=exc.reason).model_dump(), 410)
    except SnapshotsUnavailable:
        detail = "Máy chủ này không lưu ảnh chụp / This hub process keeps no snapshots"
        return JSONResponse(Problem(detail=detail, reason="unavailable").model_dump(), 503)
    return Response(opened.jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store, private"})


def snapshots_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["snapshots"])

    @router.get(
        "/attendance-events/{event_id}/snapshot",
        openapi_extra=snapshots_access.OPEN_ATTENDANCE.route(),
        response_class=Response,
        responses=_ANSWERS,
    )
    def attendance_snapshot(
        event_id: UUID, request: Request, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Response:
        """The face snapshot of one attendance event: the person, or manager/HR/office admin over their unit."""
        return _snapshot(request, principal, "attendance", event_id)

    @router.get(
        "/unknown-faces/{event_id}/snapshot",
        openapi_extra=snapshots_access.OPEN_UNKNOWN.route(),
        response_class=Response,
        responses=_ANSWERS,
    )
    def unknown_face_snapshot(
        event_id: UUID, request: Request, principal: Annotated[Principal, Depends(current_principal)]
    ) -> Response:
        """The snapshot of one unknown face at a door: the office admins of the door's office."""
        return _snapshot(request, principal, "unknown_face", event_id)

    return router

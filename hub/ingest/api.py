"""The hub's health and ingest routes (GET /api/v1/health, /ingest/stats, /ingest/rejects)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.ingest import access as ingest_access
from hub.services import HubServices


class IngestStats(BaseModel):
    accepted: int
    duplicates: int
    rejected: int


class IngestHealthDetail(BaseModel):
    writer_alive: bool
    writer_restarts: int
    writer_last_error: str | None
    backlog: int  # messages received and not yet committed
    last_commit_age_s: float


class Health(BaseModel):
    status: str
    database: str
    mqtt: str
    ingest: str  # "ok", "n/a" (API-only node), "down: …" (writer dead, being restarted), "stuck: …"
    ingest_detail: IngestHealthDetail | None = None
    version: str


class IngestReject(BaseModel):
    id: int
    received_at: datetime
    topic: str
    device_id: str | None
    reason: str
    detail: str
    payload_base64: str  # at most the first 64 KiB of what was received
    payload_size: int  # bytes received
    payload_sha256: str  # of everything received
    payload_truncated: bool


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1")

    @router.get(
        "/health", openapi_extra=ingest_access.HEALTH.route(), response_model=Health, responses={503: {"model": Health}}
    )
    def health(request: Request) -> JSONResponse:
        """200 when the database, the broker link and ingest are up; 503 naming the part that is down or stuck."""
        report = _services(request).ingest_figures.health()
        return JSONResponse(report.as_dict(), status_code=200 if report.ok else 503)

    @router.get("/ingest/stats", openapi_extra=ingest_access.STATS.route(), response_model=IngestStats)
    def ingest_stats(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> IngestStats:
        """Totals over all ingest workers, counted in the same transactions as the rows."""
        return IngestStats(**_services(request).ingest_figures.stats(principal))

    @router.get("/ingest/rejects", openapi_extra=ingest_access.REJECTS.route(), response_model=list[IngestReject])
    def ingest_rejects(
        request: Request,
        principal: Annotated[Principal, Depends(current_principal)],
        limit: int = Query(50, ge=1, le=1000),
        offset: int = Query(0, ge=0, le=1_000_000),
        before_id: int | None = Query(None, ge=1, le=2**62, description="page on: the last id of the previous page"),
        max_bytes: int = Query(
            1_048_576, ge=1024, le=16_777_216, description="stop once this many payload bytes are in the page"
        ),
    ) -> list[IngestReject]:
        """Dead-lettered payloads, newest first, with the reason each was refused.

        A page holds at most `limit` rows and about `max_bytes` of payload (always at least one row);
        ask for the next with `before_id` = the last id received.
        """
        return [
            IngestReject(
                id=r.id,
                received_at=r.received_at,
                topic=r.topic,
                device_id=r.device_id,
                reason=r.reason,
                detail=r.detail,
                payload_base64=base64.b64encode(r.payload).decode(),
                payload_size=r.payload_size,
                payload_sha256=r.payload_sha256,
                payload_truncated=r.payload_size > len(r.payload),
            )
            for r in _services(request).ingest_figures.recent_rejects(principal, limit, max_bytes, before_id, offset)
        ]

    return router

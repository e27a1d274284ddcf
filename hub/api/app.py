"""The FastAPI application: REST under /api/v1, OpenAPI at /docs, the NiceGUI UI on `/`."""

from __future__ import annotations

import base64
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from hub.api.accounts import accounts_router
from hub.api.auth import guard, install_auth
from hub.api.devices import devices_router
from hub.api.errors import install_error_handlers
from hub.api.jobs import jobs_router
from hub.api.limits import BodyLimits, install_boundary
from hub.api.offices import offices_router
from hub.api.outage import install_outage_handler
from hub.api.people import people_router
from hub.api.reports import install_report_errors, reports_router
from hub.api.security import install_security
from hub.api.snapshots import snapshots_router
from hub.api.timekeeping import timekeeping_router
from hub.leave.api import install_leave_errors, leave_router
from hub.notifications.api import install_notifications
from hub.org.api import org_router  # org: the organisation (issue 13 item 5)
from hub.services import HubServices, cces_version


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

    @router.get("/health", response_model=Health, responses={503: {"model": Health}})
    def health(request: Request) -> JSONResponse:
        """200 when the database, the broker link and ingest are up; 503 naming the part that is down or stuck."""
        report = _services(request).health()
        return JSONResponse(report.as_dict(), status_code=200 if report.ok else 503)

    @router.get("/ingest/stats", response_model=IngestStats)
    def ingest_stats(request: Request) -> IngestStats:
        """Totals over all ingest workers, counted in the same transactions as the rows."""
        return IngestStats(**_services(request).ingest_stats())

    @router.get("/ingest/rejects", response_model=list[IngestReject])
    def ingest_rejects(
        request: Request,
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
            for r in _services(request).recent_rejects(limit, max_bytes, before_id, offset)
        ]

    return router


def create_app(services: HubServices, limits: BodyLimits | None = None) -> FastAPI:
    """The API app; `limits` from HubSettings (None: the settings' defaults, as in tests)."""
    limits = limits or BodyLimits.defaults()
    app = FastAPI(
        title="CCES hub",
        version=cces_version(),
        docs_url="/docs",
        openapi_url="/api/v1/openapi.json",
        dependencies=[Depends(guard)],  # every route: a session and its rule's roles (hub.api.auth)
    )
    app.state.services = services
    app.include_router(api_router())
    app.include_router(accounts_router())
    app.include_router(people_router(limits))
    app.include_router(devices_router())
    app.include_router(offices_router())
    app.include_router(timekeeping_router())
    app.include_router(reports_router())
    app.include_router(snapshots_router())
    app.include_router(jobs_router())  # the job queue (issue 13 item 7)
    app.include_router(leave_router())  # leave (hub.leave, issue 14)
    install_leave_errors(app)
    install_notifications(app)  # notifications: /api/v1/notifications and the action links /api/v1/actions/{token}
    app.include_router(org_router(limits))  # org: the organisation (issue 13 item 5)
    install_error_handlers(app)
    install_report_errors(app)
    install_auth(app)
    install_security(app)  # cross-site refusals and security headers (hub.api.security)
    install_outage_handler(app)
    install_boundary(app, limits)  # body size limit, NUL in URLs, the last-line input handlers
    return app

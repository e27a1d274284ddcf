"""The FastAPI application: REST under /api/v1, OpenAPI at /docs, the NiceGUI UI on `/`.

Only assembly lives here: each domain's routes are in hub/<domain>/api.py, included from hub.domains.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from fastapi import APIRouter, Depends, FastAPI

from hub.api.auth import guard, install_auth
from hub.api.errors import install_error_handlers
from hub.api.limits import BodyLimits, install_boundary
from hub.api.outage import install_outage_handler
from hub.api.security import install_security
from hub.domains import DOMAINS, load
from hub.services import HubServices, cces_version


def router_of(factory: Callable[..., APIRouter], limits: BodyLimits) -> APIRouter:
    """A domain's router from its factory, which takes the body limits or nothing."""
    return factory(limits) if inspect.signature(factory).parameters else factory()


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
    for domain in DOMAINS:  # every domain's routers (hub.domains); the guard reads each route's action
        for factory in domain.api:
            app.include_router(router_of(load(factory), limits))
    install_error_handlers(app)
    install_auth(app)
    install_security(app)  # cross-site refusals and security headers (hub.api.security)
    install_outage_handler(app)
    install_boundary(app, limits)  # body size limit, NUL in URLs, the last-line input handlers
    return app

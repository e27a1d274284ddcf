"""REST of the PDF viewer in the tablet page (issue 17 item 3): a paper's pages drawn on the hub.

| route | answer |
|---|---|
| GET /api/v1/meetings/{meeting_id}/papers/{paper_id}/pages | how many pages it has |
| GET /api/v1/meetings/{meeting_id}/papers/{paper_id}/pages/{page}?width= | that page as a PNG, 400–2000 px wide |

The same access as opening the paper (a restricted one: its readers, the chair, the secretary; 403 for anyone else);
a restricted paper's pages carry the viewer's watermark; a paper that is not a PDF answers 409 (download it). The
routes are plain functions: FastAPI runs them in its thread pool, off the event loop (hub.meetings.paper_pages).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, services_of
from hub.inputs import Id
from hub.meetings import access
from hub.meetings.paper_pages import MAX_PAGES, MAX_WIDTH, MIN_WIDTH
from hub.meetings.service import MeetingsService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
MeetingId = Annotated[Id, Path()]
PaperId = Annotated[Id, Path()]
DEFAULT_WIDTH = 1000


def _svc(request: Request) -> MeetingsService:
    return services_of(request).meetings


class PagesOut(BaseModel):
    paper_id: int
    pages: int


def page_url(meeting_id: int, paper_id: int, page: int, width: int = DEFAULT_WIDTH) -> str:
    """Where a page's image is (the tablet page's viewer loads it with the session's cookie)."""
    return f"/api/v1/meetings/{meeting_id}/papers/{paper_id}/pages/{page}?width={width}"


def viewer_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["meetings"])

    @router.get(
        "/meetings/{meeting_id}/papers/{paper_id}/pages", response_model=PagesOut,
        openapi_extra=access.ATTEND.route(),
    )  # fmt: skip
    def pages(request: Request, meeting_id: MeetingId, paper_id: PaperId, principal: CurrentPrincipal) -> PagesOut:
        return PagesOut(paper_id=paper_id, pages=_svc(request).paper_page_count(principal, meeting_id, paper_id))

    @router.get(
        "/meetings/{meeting_id}/papers/{paper_id}/pages/{page}", openapi_extra=access.ATTEND.route(),
        response_class=Response, responses={200: {"content": {"image/png": {}}}},
    )  # fmt: skip
    def page(
        request: Request, meeting_id: MeetingId, paper_id: PaperId, page: Annotated[int, Path(ge=1, le=MAX_PAGES)],
        principal: CurrentPrincipal, width: Annotated[int, Query(ge=MIN_WIDTH, le=MAX_WIDTH)] = DEFAULT_WIDTH,
    ) -> Response:  # fmt: skip
        image = _svc(request).paper_page(principal, meeting_id, paper_id, page, width)
        return Response(
            image.png, media_type="image/png",
            headers={
                "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
                "X-Page-Count": str(image.pages),
            },
        )  # fmt: skip

    return router

"""REST for search: `GET /api/v1/search?q=…` with filters; ranked hits with highlighted snippets, only
of entries the caller may read (hub.search.access), the count too."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from hub.accounts.principal import Principal
from hub.api.auth import current_principal
from hub.inputs import Code, WorkDate
from hub.search import access
from hub.search.models import COUNT_CAP, MAX_PAGE, MAX_QUERY, Hit, Page
from hub.search.models import Query as SearchQuery
from hub.search.service import SearchService

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
Key = Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9_]{0,31}$")]


def _search(request: Request) -> SearchService:
    return request.app.state.services.search  # type: ignore[no-any-return]


class HitOut(BaseModel):
    kind: str
    ref_id: int
    unit_code: str
    title: str
    snippet: str  # HTML: escaped text, the matched words in <mark>
    rank: float
    register_code: str | None  # documents: the series (den, di, mat, sao)
    year: int | None
    type_key: str | None
    status: str | None
    day: date | None
    deadline: date | None
    secrecy: int

    @classmethod
    def of(cls, hit: Hit) -> HitOut:
        values = {k: getattr(hit, k) for k in cls.model_fields if k != "register_code"}
        return cls(**values, register_code=hit.register)


class PageOut(BaseModel):
    total: int
    more: bool  # more than `total` (counting stops at 10,000)
    hits: list[HitOut]

    @classmethod
    def of(cls, page: Page) -> PageOut:
        return cls(total=page.total, more=page.more, hits=[HitOut.of(h) for h in page.hits])


def search_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["search"])

    @router.get("/search", openapi_extra=access.QUERY.route(), response_model=PageOut)
    def search(
        request: Request, principal: CurrentPrincipal,
        q: Annotated[str, Query(max_length=MAX_QUERY, description="words, with or without diacritics")] = "",
        kind: Key = None, register: Key = None, type: Key = None, status: Key = None,
        year: Annotated[int | None, Query(ge=1990, le=2200)] = None,
        unit: Annotated[Code | None, Query(description="a unit and the units below it")] = None,
        date_from: WorkDate | None = None, date_to: WorkDate | None = None,
        deadline_from: WorkDate | None = None, deadline_to: WorkDate | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
        offset: Annotated[int, Query(ge=0, le=COUNT_CAP)] = 0,
    ) -> PageOut:  # fmt: skip
        """Search every kind of entry the caller may read: ranked, with highlighted snippets."""
        query = SearchQuery(
            text=q, kind=kind, register=register, year=year, type_key=type, unit_code=unit, status=status,
            date_from=date_from, date_to=date_to, deadline_from=deadline_from, deadline_to=deadline_to,
            limit=limit, offset=offset,
        )  # fmt: skip
        return PageOut.of(_search(request).search(principal, query))

    return router

"""REST for the asset register (issue 16 items 1–2).

| route | answer |
|---|---|
| GET /api/v1/assets?q=&unit=&status=&category=&limit=&offset= | a page of the caller's units' assets and the total |
| POST /api/v1/assets | create: 201; 409 number taken; 422 a wrong field |
| GET /api/v1/assets/{number} | the asset, its EPC, remaining value today, wear schedule and history |
| PATCH /api/v1/assets/{number} | change fields (audited, in the history); 404, 409, 422 |
| POST /api/v1/assets/import | CSV/XLSX; each row created whole or rejected with its reason |
| GET /api/v1/assets/wear/{year}[/xlsx, /pdf] | the wear table of a year at 31 December (JSON totals / XLSX / PDF) |
| GET /api/v1/assets/book/{year}/{xlsx,pdf} | the fixed-asset book (sổ tài sản cố định) of a year |
| GET /api/v1/assets/{number}/card.pdf | the asset card (thẻ tài sản cố định) |
| GET, PUT /api/v1/asset-categories[/{code}] | the categories with rates and legal basis; PUT: system admin |
| GET, POST /api/v1/asset-locations | offices → buildings → floors → rooms |

Who may: hub.assets.access (each route names its action; the service checks the unit).
Errors: `{"detail": "vi / en"}`; nothing changes then.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor, services_of
from hub.api.limits import BodyLimits
from hub.assets import access
from hub.assets.checks import today
from hub.assets.importing import ASSET_COLUMNS
from hub.assets.models import AssetInput, Category, Status
from hub.assets.schemas import (
    AssetDetailOut,
    AssetIn,
    AssetOut,
    AssetPage,
    AssetPatch,
    AttachmentOut,
    CategoryIn,
    CategoryOut,
    HistoryOut,
    ImportOut,
    LocationIn,
    LocationOut,
    RowErrorOut,
    WearTableOut,
    WearYearOut,
    category_out,
)
from hub.assets.service import AssetsService
from hub.inputs import Code, ShortText
from hub.people.sheet_process import read_upload

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
AssetNumber = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]


XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _svc(request: Request) -> AssetsService:
    return services_of(request).assets


def assets_router(limits: BodyLimits) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["assets"])

    @router.get("/assets", response_model=AssetPage, openapi_extra=access.VIEW.route())
    def list_assets(
        request: Request,
        principal: CurrentPrincipal,
        q: Annotated[str, Query(max_length=200)] = "",
        unit: Annotated[Code | None, Query()] = None,
        status: Status | None = None,
        category: Annotated[Code | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> AssetPage:
        """Search by number, name or serial (every word, marks optional), within the caller's units."""
        rows, total = _svc(request).search(principal, q, unit_code=unit, status=status, category=category,
                                           limit=limit, offset=offset)  # fmt: skip
        return AssetPage(total=total, items=[AssetOut.of(a) for a in rows])

    @router.post("/assets", response_model=AssetOut, status_code=201, openapi_extra=access.EDIT.route())
    def create_asset(request: Request, body: AssetIn, principal: CurrentPrincipal) -> AssetOut:
        inp = AssetInput(**body.model_dump())
        return AssetOut.of(_svc(request).create(principal, request_actor(request, principal), inp))

    @router.post(
        "/assets/import", response_model=ImportOut, max_body_size=limits.upload, openapi_extra=access.EDIT.route()
    )
    async def import_assets(request: Request, file: UploadFile, principal: CurrentPrincipal) -> ImportOut:
        """CSV (UTF-8) or XLSX: asset number, name, category, unit, cost, acquisition date (+ funding source,
        custodian, location, business use, status, serial). Within the employee import's limits (CCES_IMPORT_…)."""
        services = services_of(request)
        data = await file.read(services.import_limits.max_file_bytes + 1)
        rows, ignored = await run_in_threadpool(
            read_upload, file.filename or "", data, services.import_limits, ASSET_COLUMNS
        )
        report = await run_in_threadpool(
            services.assets.import_assets, principal, request_actor(request, principal), rows, ignored
        )
        return ImportOut(
            rows=report.rows, created=report.created, created_numbers=report.created_numbers,
            rejected=[RowErrorOut(row=e.row, column=e.column, reason=e.reason) for e in report.rejected],
            ignored_columns=report.ignored_columns, summary=report.summary(),
        )  # fmt: skip

    @router.get("/assets/wear/{year}", response_model=WearTableOut, openapi_extra=access.VIEW.route())
    def wear_table(
        request: Request,
        principal: CurrentPrincipal,
        year: Annotated[int, Path(ge=1950, le=2200)],
        unit: Annotated[Code | None, Query()] = None,
    ) -> WearTableOut:
        """Totals of the year's wear table (31 December); the lines: …/xlsx."""
        out = WearTableOut(year=year, assets=0, cost=0, opening=0, wear=0, closing=0, remaining=0)
        for r in _svc(request).wear_rows(principal, year, unit):
            out.assets += 1
            out.cost += r.cost
            out.opening += r.opening
            out.wear += r.wear
            out.closing += r.closing
            out.remaining += r.remaining
        return out

    @router.get("/assets/wear/{year}/xlsx", openapi_extra=access.VIEW.route())
    def wear_table_xlsx(
        request: Request,
        principal: CurrentPrincipal,
        year: Annotated[int, Path(ge=1950, le=2200)],
        unit: Annotated[Code | None, Query()] = None,
    ) -> Response:
        data = _svc(request).wear_xlsx(principal, year, unit)
        return Response(
            data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="bang-hao-mon-{year}.xlsx"'},
        )

    @router.get("/assets/wear/{year}/pdf", openapi_extra=access.VIEW.route())
    def wear_table_pdf(
        request: Request,
        principal: CurrentPrincipal,
        year: Annotated[int, Path(ge=1950, le=2200)],
        unit: Annotated[Code | None, Query()] = None,
    ) -> Response:
        data = _svc(request).wear_pdf(principal, year, unit)
        return Response(data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="bang-hao-mon-{year}.pdf"'})  # fmt: skip

    @router.get("/assets/book/{year}/{fmt}", openapi_extra=access.VIEW.route())
    def fixed_asset_book(
        request: Request,
        principal: CurrentPrincipal,
        year: Annotated[int, Path(ge=1950, le=2200)],
        fmt: Literal["xlsx", "pdf"],
        unit: Annotated[Code | None, Query()] = None,
    ) -> Response:
        """Sổ tài sản cố định of the year: per asset the increase, the year's wear, accumulated, the decrease."""
        data = _svc(request).book(principal, year, unit, fmt)
        media = "application/pdf" if fmt == "pdf" else XLSX_MEDIA
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="so-tscd-{year}.{fmt}"'})  # fmt: skip

    @router.get("/assets/{asset_number}/card.pdf", openapi_extra=access.VIEW.route())
    def asset_card(request: Request, asset_number: AssetNumber, principal: CurrentPrincipal) -> Response:
        """Thẻ tài sản cố định: the particulars, the wear year by year, the history."""
        data = _svc(request).card_pdf(principal, asset_number)
        name = f"the-tscd-{asset_number}.pdf"
        return Response(data, media_type="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    @router.get("/assets/{asset_number}", response_model=AssetDetailOut, openapi_extra=access.VIEW.route())
    def asset_detail(request: Request, asset_number: AssetNumber, principal: CurrentPrincipal) -> AssetDetailOut:
        svc = _svc(request)
        asset = svc.get(principal, asset_number)
        return AssetDetailOut(
            asset=AssetOut.of(asset),
            remaining_value=svc.remaining_value(asset, today(svc.now())),
            method="depreciation" if asset.business_use else "wear",
            schedule=[WearYearOut(**{f: getattr(y, f) for f in WearYearOut.model_fields}) for y in svc.schedule(asset)],
            history=[HistoryOut(at=h.at, actor=h.actor, action=h.action, changes=h.changes)
                     for h in svc.history(principal, asset_number)],
            attachments=[AttachmentOut.of(a) for a in svc.attachments.listing(principal, asset_number)],
        )  # fmt: skip

    @router.post(
        "/assets/{asset_number}/attachments", response_model=AttachmentOut, status_code=201,
        max_body_size=limits.upload, openapi_extra=access.EDIT.route(),
    )  # fmt: skip
    async def add_attachment(
        request: Request,
        asset_number: AssetNumber,
        file: UploadFile,
        principal: CurrentPrincipal,
        note: Annotated[ShortText | None, Query()] = None,
    ) -> AttachmentOut:
        """A file kept with the record (invoice, hand-over minutes, photo, warranty): PDF, JPEG, PNG, TIFF or
        Office, within the documents' size limit (CCES_DOCUMENTS_MAX_FILE_MB), its type read from its bytes."""
        svc = _svc(request)
        data = await file.read(svc.attachments.rules.max_bytes + 1)
        added = await run_in_threadpool(
            svc.attachments.add, principal, request_actor(request, principal), asset_number,
            file.filename or "", data, note,
        )  # fmt: skip
        return AttachmentOut.of(added)

    @router.get("/assets/{asset_number}/attachments/{attachment_id}", openapi_extra=access.VIEW.route())
    def attachment(
        request: Request,
        asset_number: AssetNumber,
        attachment_id: Annotated[int, Path(ge=1, le=2**62)],
        principal: CurrentPrincipal,
    ) -> Response:
        found, data = _svc(request).attachments.read(principal, asset_number, attachment_id)
        disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
        return Response(data, media_type=found.content_type, headers={"Content-Disposition": disposition})

    @router.patch("/assets/{asset_number}", response_model=AssetOut, openapi_extra=access.EDIT.route())
    def update_asset(
        request: Request, asset_number: AssetNumber, body: AssetPatch, principal: CurrentPrincipal
    ) -> AssetOut:
        fields = body.model_dump(exclude_unset=True, exclude={"clear"})
        inp = AssetInput(**fields, clear=frozenset(body.clear))
        return AssetOut.of(_svc(request).update(principal, request_actor(request, principal), asset_number, inp))

    @router.get("/asset-categories", response_model=list[CategoryOut], openapi_extra=access.CATEGORIES_VIEW.route())
    def categories(request: Request) -> list[CategoryOut]:
        """Categories with service life, rate, legal basis; `confirmed` false: not yet checked against the text."""
        return [category_out(c) for c in _svc(request).categories()]

    @router.put("/asset-categories/{code}", response_model=CategoryOut, openapi_extra=access.CATEGORIES.route())
    def save_category(
        request: Request, code: Annotated[Code, Path()], body: CategoryIn, principal: CurrentPrincipal
    ) -> CategoryOut:
        """Load or correct a row of TT 23/2023 Appendix I (system admin; audited)."""
        category = Category(code=code, **body.model_dump())
        _svc(request).save_category(principal, request_actor(request, principal), category)
        return category_out(category)

    @router.get("/asset-locations", response_model=list[LocationOut], openapi_extra=access.VIEW.route())
    def locations(request: Request, principal: CurrentPrincipal) -> list[LocationOut]:
        found = _svc(request).locations(principal)
        codes = {loc.id: loc.code for loc in found}
        return [
            LocationOut(
                code=loc.code,
                kind=loc.kind,
                name=loc.name,
                path_name=loc.path_name,
                unit_code=loc.unit_code,
                parent_code=codes.get(loc.parent_id) if loc.parent_id else None,
            )  # fmt: skip
            for loc in found
        ]

    @router.post(
        "/asset-locations", response_model=LocationOut, status_code=201, openapi_extra=access.LOCATIONS.route()
    )
    def create_location(request: Request, body: LocationIn, principal: CurrentPrincipal) -> LocationOut:
        loc = _svc(request).create_location(
            principal, request_actor(request, principal), body.kind, body.code, body.name, body.parent_code,
            body.unit_code,
        )  # fmt: skip
        return LocationOut(code=loc.code, kind=loc.kind, name=loc.name, path_name=loc.path_name,
                           unit_code=loc.unit_code, parent_code=body.parent_code)  # fmt: skip

    return router

"""REST for offices (trụ sở) and the org units (đơn vị) they serve: the `site_units` map.

The map decides which people an office's door gallery holds and which devices an office admin
reaches, so only a system admin changes it (an office admin must never pull another unit's office
into their own scope); an office admin reads the offices of their own device scope.

A site label is free text (spaces, diacritics, even "/"): clients URL-encode it in the path; the
route takes the rest of the path up to "/units", so an encoded "/" reaches it whole.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from hub.accounts.principal import Principal
from hub.api.auth import current_principal, request_actor
from hub.galleries import access as offices_access
from hub.galleries.offices import MAX_SITE_LENGTH, InvalidGalleryChange, Office, UnknownUnitCodes
from hub.inputs import Code, ShortText
from hub.services import HubServices

CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
SiteLabel = Annotated[
    ShortText, Path(min_length=1, max_length=MAX_SITE_LENGTH, description="office label, URL-encoded")
]


class OfficeUnitOut(BaseModel):
    code: str
    name: str


class OfficeOut(BaseModel):
    site: str
    units: list[OfficeUnitOut]  # each with its whole subtree
    devices: int
    online: int
    allowances: int  # people allowed at this office outside their units

    @classmethod
    def of(cls, o: Office) -> OfficeOut:
        units = [OfficeUnitOut(code=u.code, name=u.name) for u in o.units]
        return cls(site=o.site, units=units, devices=o.devices, online=o.online, allowances=o.allowances)


class SiteUnitsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    units: list[Code] = Field(max_length=500, description="org unit codes; [] unmaps the office")


class SiteUnitsOut(BaseModel):
    site: str
    units: list[str]  # the codes now mapped, in tree order


def _services(request: Request) -> HubServices:
    return request.app.state.services  # type: ignore[no-any-return]


def offices_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["offices"])

    @router.get("/offices", openapi_extra=offices_access.VIEW.route(), response_model=list[OfficeOut])
    def offices(request: Request, principal: CurrentPrincipal) -> list[OfficeOut]:
        """Offices with their units and device counts: every one for a system admin, an office admin's own."""
        return [OfficeOut.of(o) for o in _services(request).offices.offices(principal)]

    @router.put(
        "/offices/{site:path}/units", openapi_extra=offices_access.ASSIGN_UNITS.route(), response_model=SiteUnitsOut
    )
    def set_units(request: Request, site: SiteLabel, body: SiteUnitsIn, principal: CurrentPrincipal) -> SiteUnitsOut:
        """Replace the units an office serves (system admin; audited). Unknown codes: 422 naming them,
        nothing changed."""
        try:
            codes = _services(request).offices.set_site_units(
                principal, site, body.units, request_actor(request, principal)
            )
        except UnknownUnitCodes as exc:
            raise HTTPException(422, {"message": str(exc), "unknown_units": exc.codes}) from exc
        except InvalidGalleryChange as exc:
            raise HTTPException(422, str(exc)) from exc
        return SiteUnitsOut(site=site.strip(), units=codes)

    return router

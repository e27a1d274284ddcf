"""Face enrollment (đăng ký khuôn mặt) of one person: consent, photos checked one by one, erasure on request.

A photo is accepted only with a recorded consent and only when it shows one face, large and sharp
enough and looking straight ahead; otherwise the officer reads why, in their language. Kept face
crops are shown from the hub's sealed store; erasure removes every crop and embedding and the
office galleries are rebuilt, so the person also disappears from the door terminals; the face snapshots
of the person's check-ins are deleted with them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from uuid import UUID

from nicegui import run, ui
from nicegui.events import UploadEventArguments

from hub.accounts.models import AccessDenied
from hub.biometrics import access as biometrics_access
from hub.biometrics.models import Consent, PhotoRecord
from hub.biometrics.service import CONSENT_BASES, PhotoOutcome
from hub.people.models import Employee
from hub.people.service import UnknownEmployee
from hub.services import HubServices
from ui.components.camera import camera_capture
from ui.components.format import NOTHING, local_time
from ui.i18n import N_
from ui.shell import PageContext, forbidden, module_page

MAX_PHOTO_BYTES = 10 * 1024 * 1024

FACEID_ID = N_("Mã FaceID")  # as ui.pages.people says it

#: the legal basis of a consent (hub.biometrics.service.CONSENT_BASES)
BASIS_TEXTS = {
    "written_consent": N_("Văn bản đồng ý có chữ ký"),
    "electronic_consent": N_("Đồng ý điện tử"),
    "legal_obligation": N_("Nghĩa vụ theo quy định pháp luật"),
}


def register(services: HubServices) -> None:
    @module_page("/people/{employee_code}/enrollment", text_key=N_("Đăng ký khuôn mặt"), icon="face",
                 action=biometrics_access.ENROLL, order=22, in_nav=False)  # fmt: skip
    def enrollment(ctx: PageContext, employee_code: str) -> None:
        _enrollment(ctx, employee_code)


def _enrollment(ctx: PageContext, employee_code: str) -> None:
    t = ctx.t
    try:
        employee = ctx.services.people.employee(ctx.principal, employee_code, biometrics_access.ENROLL)
    except UnknownEmployee:
        ui.label(t(N_("Không có cán bộ mã {code}.")).format(code=employee_code)).classes("text-negative").mark(
            "unknown-employee"
        )
        return
    except AccessDenied:
        forbidden(ctx)
        return
    with ui.row().classes("items-center gap-2"):
        ui.link(employee.full_name, f"/people/{employee.employee_code}").mark("person-link")
        ui.icon("chevron_right")
        ui.label(t(N_("Đăng ký khuôn mặt"))).classes("text-xl font-bold")
    ui.label(f"{employee.employee_code} · {employee.unit_name} · {t(FACEID_ID)}: {employee.person_id}").classes(
        "text-grey-7"
    )
    try:
        ctx.services.biometrics.consents(ctx.principal, employee.id)
    except RuntimeError as exc:  # an API-only node or a hub without model packs
        ui.label(t(N_("Máy chủ này không chạy chức năng sinh trắc học ({error}).")).format(error=exc)).classes(
            "text-negative"
        ).mark("no-biometrics")
        return

    @ui.refreshable
    def consent_card() -> None:
        _consent(ctx, employee, consent_card.refresh)

    @ui.refreshable
    def photos_card() -> None:
        _photos(ctx, employee, photos_card.refresh)

    consent_card()
    _add_photos(ctx, employee, photos_card.refresh)
    photos_card()
    _erase(ctx, employee, lambda: (consent_card.refresh(), photos_card.refresh()))


def current_consent(consents: list[Consent]) -> Consent | None:
    live = [c for c in consents if c.withdrawn_at is None]
    return max(live, key=lambda c: c.recorded_at) if live else None


def _consent(ctx: PageContext, employee: Employee, refresh: Any) -> None:
    t = ctx.t
    consent = current_consent(ctx.services.biometrics.consents(ctx.principal, employee.id))
    with ui.card().classes("w-full").mark("consent"):
        ui.label(t(N_("Sự đồng ý xử lý dữ liệu sinh trắc học"))).classes("font-bold")
        if consent is None:
            ui.label(t(N_("Chưa ghi nhận sự đồng ý: chưa thể nhận ảnh của người này."))).classes("text-warning").mark(
                "consent-none"
            )
        else:
            ui.label(
                t(N_("Đã đồng ý ({basis}{reference}), ghi nhận bởi {by} lúc {at}.")).format(
                    basis=t(BASIS_TEXTS.get(consent.basis, consent.basis)),
                    reference=f", {consent.reference}" if consent.reference else "",
                    by=consent.recorded_by,
                    at=local_time(consent.recorded_at, seconds=False),
                )
            ).classes("text-positive").mark("consent-given")
            return
        with ui.row().classes("w-full items-end gap-2 flex-wrap"):
            basis = ui.select({b: t(BASIS_TEXTS[b]) for b in CONSENT_BASES}, value=CONSENT_BASES[0],
                              label=t(N_("Căn cứ"))).classes("w-64").mark("consent-basis")  # fmt: skip
            reference = ui.input(t(N_("Số văn bản / ghi chú"))).props("maxlength=200").classes("w-64")
            reference.mark("consent-reference")

            def record() -> None:
                try:
                    ctx.services.biometrics.record_consent(
                        ctx.principal, employee.id, basis.value, ctx.actor(), (reference.value or "").strip() or None
                    )
                except ValueError as exc:
                    ui.notify(str(exc), type="negative")
                    return
                ui.notify(t(N_("Đã ghi nhận sự đồng ý.")), type="positive")
                refresh()

            ui.button(t(N_("Ghi nhận đồng ý")), icon="how_to_reg", on_click=record).props("unelevated").mark(
                "record-consent"
            )


def _add_photos(ctx: PageContext, employee: Employee, refresh_photos: Any) -> None:
    t = ctx.t
    with ui.card().classes("w-full").mark("add-photos"):
        ui.label(t(N_("Thêm ảnh"))).classes("font-bold")
        ui.label(t(N_("Ảnh chân dung một người, nhìn thẳng, đủ sáng (JPEG/PNG, tối đa 10 MB mỗi ảnh)."))).classes(
            "text-grey-7 text-sm"
        )
        results = ui.column().classes("w-full gap-1").mark("photo-results")

        async def check(name: str, data: bytes) -> None:
            if len(data) > MAX_PHOTO_BYTES:
                outcome_text, ok = (
                    t(N_("{name}: không nhận — {reason}")).format(name=name, reason=t(N_("Ảnh lớn hơn 10 MB."))),
                    False,
                )
            else:
                outcome: PhotoOutcome = await run.io_bound(
                    ctx.services.biometrics.add_photo, ctx.principal, employee.id, data, ctx.actor()
                )
                ok = outcome.accepted
                reason = outcome.message_vi if ctx.lang == "vi" else outcome.message_en
                outcome_text = (
                    t(N_("{name}: đã nhận.")).format(name=name)
                    if ok
                    else t(N_("{name}: không nhận — {reason}")).format(name=name, reason=reason)
                )
            with results:
                with ui.row().classes("items-center gap-2 no-wrap"):
                    ui.icon("check_circle" if ok else "error").classes("text-positive" if ok else "text-negative")
                    ui.label(outcome_text).classes("text-positive" if ok else "text-negative").mark(
                        "photo-accepted" if ok else "photo-refused"
                    )
            if ok:
                refresh_photos()

        async def uploaded(event: UploadEventArguments) -> None:
            await check(event.file.name, await event.file.read())

        async def taken(data: bytes) -> None:
            await check(t(N_("Ảnh chụp")), data)

        with ui.row().classes("w-full gap-6 flex-wrap items-start"):
            ui.upload(multiple=True, auto_upload=True, on_upload=uploaded, max_file_size=MAX_PHOTO_BYTES).props(
                'accept="image/jpeg,image/png" flat bordered'
            ).classes("w-full sm:w-96").mark("photo-upload")
            with ui.column().classes("w-full sm:w-96"):
                camera_capture(ctx.lang, taken)


def _photos(ctx: PageContext, employee: Employee, refresh: Any) -> None:
    t = ctx.t
    photos = ctx.services.biometrics.photos(ctx.principal, employee.id)
    with ui.card().classes("w-full").mark("photos"):
        ui.label(t(N_("Ảnh đã nhận ({count})")).format(count=len(photos))).classes("font-bold").mark("photo-count")
        if not photos:
            ui.label(t(N_("Chưa có ảnh nào."))).classes("text-grey-7")
            return
        with ui.row().classes("gap-3 flex-wrap"):
            for photo in photos:
                _photo_tile(ctx, photo, refresh)


def _photo_tile(ctx: PageContext, photo: PhotoRecord, refresh: Any) -> None:
    t = ctx.t
    crop = ctx.services.biometrics.photo_crop(ctx.principal, photo.id)
    with ui.card().classes("p-2 items-center w-40").mark("photo-tile"):
        ui.image(f"data:image/jpeg;base64,{base64.b64encode(crop).decode()}").classes("w-36 h-36 rounded")
        ui.label(
            t(N_("{px} px · nét {sharp} · nghiêng {yaw}°")).format(
                px=round(photo.face_px), sharp=round(photo.sharpness), yaw=round(photo.yaw)
            )
        ).classes("text-xs text-grey-7 text-center")
        ui.label(local_time(photo.added_at, seconds=False) if photo.added_at else NOTHING).classes("text-xs")

        def delete() -> None:
            ctx.services.biometrics.delete_photo(ctx.principal, UUID(str(photo.id)), ctx.actor())
            ui.notify(t(N_("Đã xóa ảnh.")))
            refresh()

        ui.button(
            t(N_("Xóa")),
            icon="delete",
            on_click=lambda: _confirm(ctx, t(N_("Xóa ảnh này?")), t(N_("Xóa")), "confirm-delete-photo", delete),
        ).props("flat dense color=negative").mark("delete-photo")


def _confirm(ctx: PageContext, question: str, action: str, marker: str, on_yes: Callable[[], None]) -> None:
    """Ask `question` in a dialog; `on_yes` runs only when the red `action` button (marked `marker`) is pressed."""

    def yes() -> None:
        dialog.close()
        on_yes()

    with ui.dialog() as dialog, ui.card():
        ui.label(question)
        with ui.row():
            ui.button(ctx.t(N_("Hủy")), on_click=dialog.close).props("flat")
            ui.button(action, on_click=yes).props("unelevated color=negative").mark(marker)
    dialog.open()


def _erase(ctx: PageContext, employee: Employee, refresh: Any) -> None:
    t = ctx.t
    with ui.card().classes("w-full border-negative").mark("erase"):
        ui.label(t(N_("Xóa toàn bộ dữ liệu sinh trắc học"))).classes("font-bold text-negative")
        ui.label(
            t(
                N_(
                    "Theo yêu cầu của người lao động: xóa mọi ảnh và vector khuôn mặt cùng "
                    "ảnh chụp khi chấm công, rút lại sự đồng ý; thiết bị cửa nhận thư viện "
                    "mới không còn người này."
                )
            )
        ).classes("text-sm")
        outcome = ui.label().mark("erase-outcome")

        def ask() -> None:
            _confirm(
                ctx,
                t(N_("Xóa vĩnh viễn toàn bộ dữ liệu khuôn mặt của {name}? Không thể hoàn tác.")).format(
                    name=employee.full_name
                ),
                t(N_("Xóa toàn bộ dữ liệu sinh trắc học")),
                "confirm-erase",
                erase,
            )

        def erase() -> None:
            report = ctx.services.biometrics.erase(ctx.principal, employee.id, ctx.actor())
            outcome.text = t(
                N_(
                    "Đã xóa {photos} ảnh, {embeddings} vector và {snapshots} ảnh chụp khi "
                    "chấm công; đã rút {consents} sự đồng ý."
                )
            ).format(
                photos=report.photos_removed,
                embeddings=report.embeddings_removed,
                snapshots=report.snapshots_removed,
                consents=report.consents_withdrawn,
            )
            refresh()

        ui.button(t(N_("Xóa toàn bộ dữ liệu sinh trắc học")), icon="delete_forever", on_click=ask).props(
            "outline color=negative"
        ).mark("erase-button")

"""The grants of one secret document, on its page (/documents/entry, issue 15 item 6): who a cleared lãnh đạo
over the registering unit let see it besides those involved (their names, when, by whom, withdrawn ones too),
the form that grants it to one more cleared account, and a button withdrawing each grant in force.

The same service calls as `GET/POST/DELETE /api/v1/documents/entries/{id}/grants`
(hub.documents.secrecy.service.SecrecyService): the rule book decides who may
(hub.documents.secrecy.access.GRANT_SECRET: a lãnh đạo over the unit, cleared for the document's level) and the
service checks again, audits, and refuses bad input in its words (Vietnamese / English), nothing written. A
person the service refuses the list to sees no panel at all."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from hub.access import gate
from hub.documents.models import Document
from hub.documents.secrecy import access
from hub.documents.secrecy.models import Grant
from hub.domain import DomainError
from ui.components.format import local_time
from ui.components.states import empty_state
from ui.i18n import N_, pgettext
from ui.shell import PageContext

#: the longest username (hub.documents.secrecy.api: ^[a-z0-9][a-z0-9._-]{1,63}$) and reason the service takes
MAX_USERNAME = 64
MAX_REASON = 500

#: texts shown inside composed lines (a constant, so that Babel extracts them)
GRANTED = pgettext("docs: grant", "cho phép xem từ")
BY = N_("người cho phép")
WITHDRAWN = N_("đã thu hồi lúc")
WITHDRAWN_BY = N_("người thu hồi")
REASON = N_("Lý do")


def grants_panel(ctx: PageContext, doc: Document, reload: Callable[[], None]) -> None:
    """The panel, for a secret document and a person the service lets see its grants; nothing otherwise."""
    if not doc.secrecy or not gate.allows(ctx.principal, access.GRANT_SECRET):
        return
    secrecy = ctx.services.documents.secrecy
    try:
        found = secrecy.grants(ctx.principal, doc.id)  # the service's own check (the unit, the clearance)
    except DomainError:
        return
    t = ctx.t
    with ui.card().classes("w-full mt-4").mark("docs-grants"):
        ui.label(t(N_("Người được cho phép xem văn bản mật"))).classes("text-xl")
        ui.label(
            t(
                N_(
                    "Ngoài những người liên quan, lãnh đạo đơn vị có thể cho phép thêm người đã được cấp quyền tiếp"
                    " cận văn bản mật ở mức này xem văn bản. Mọi lần cho phép, thu hồi đều được ghi nhật ký."
                )
            )
        ).classes("text-sm text-grey-8 max-w-4xl")
        problem = ui.label().classes("text-negative").mark("docs-grant-problem")

        def run(call: Callable[[], object]) -> None:
            problem.set_text("")
            try:
                call()
            except DomainError as exc:
                problem.set_text(str(exc))  # the service's words, Vietnamese / English; nothing was written
                return
            reload()

        if not found:
            empty_state(t(N_("Chưa cho phép thêm ai xem văn bản này.")), marker="docs-grants-empty")
        for g in found:
            _grant_row(ctx, g, lambda name=g.username: run(lambda: secrecy.revoke(ctx.principal, doc.id, name)))
        with ui.row().classes("items-end gap-4 flex-wrap").mark("docs-grant-form"):
            username = ui.input(t(N_("Tên đăng nhập"))).props(f"dense maxlength={MAX_USERNAME}").classes("w-56")
            username.mark("docs-grant-username")
            reason = ui.input(t(N_("Lý do (không bắt buộc)"))).props(f"dense maxlength={MAX_REASON}")
            reason.classes("w-96").mark("docs-grant-reason")

            def grant() -> None:
                name = (username.value or "").strip()
                if not name:
                    problem.set_text(t(N_("Hãy nhập tên đăng nhập.")))
                    return
                run(lambda: secrecy.grant(ctx.principal, doc.id, name, reason.value or None))

            ui.button(t(N_("Cho phép xem")), icon="person_add", on_click=grant).mark("docs-grant-button")


def _grant_row(ctx: PageContext, g: Grant, revoke: Callable[[], None]) -> None:
    t = ctx.t
    with ui.row().classes("items-center gap-4 w-full").mark(f"docs-grant-{g.id}"):
        who = f"{g.display_name} ({g.username})"
        when = f"{t(GRANTED)} {local_time(g.granted_at, seconds=False)}, {t(BY)}: {g.granted_by_name or g.granted_by}"
        ui.label(f"{who} — {when}").classes("font-bold" if g.revoked_at is None else "text-grey-7 line-through")
        if g.reason:
            ui.label(f"{t(REASON)}: {g.reason}").classes("text-sm")
        if g.revoked_at is not None:
            by = g.revoked_by_name or g.revoked_by or ""
            ui.label(f"{t(WITHDRAWN)} {local_time(g.revoked_at, seconds=False)}, {t(WITHDRAWN_BY)}: {by}").classes(
                "text-sm text-grey-7"
            ).mark(f"docs-grant-withdrawn-{g.id}")
        else:
            ui.button(t(N_("Thu hồi")), icon="person_remove", on_click=revoke).props("dense flat").mark(
                f"docs-grant-revoke-{g.username}"
            )

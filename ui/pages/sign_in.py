"""Sign-in and sign-out: the only admin pages drawn without the shell (nobody is signed in yet).

Nothing is kept for a visitor who has not signed in: the language they pick on the form travels in
the address (`?lang=en`), not in the browser's server-side storage, so anonymous requests leave no
file behind. Signing out is a POST (or the button of a signed-in page, over its own connection);
`GET /sign-out` only asks, so a link or an image on another site cannot sign anyone out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from nicegui import app, ui

from hub.accounts.models import SignInRefused
from hub.api.auth import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from hub.api.security import CROSS_SITE_REFUSED, foreign_request
from hub.services import HubServices
from ui import shell
from ui.i18n import N_, t


def refusal_text(reason: str, retry_after_s: int | None, lang: str) -> str:
    """The message for a refused sign-in: it never says whether the username exists."""
    if reason == "locked":
        minutes = max(1, -(-(retry_after_s or 60) // 60))
        return t(N_("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."), lang).format(minutes=minutes)
    if reason == "disabled":
        return t(N_("Tài khoản đã bị khóa. Liên hệ quản trị đơn vị."), lang)
    return t(N_("Tên đăng nhập hoặc mật khẩu không đúng."), lang)


def register(services: HubServices) -> None:
    @ui.page(shell.SIGN_IN_PATH)
    def sign_in_page(request: Request, next: str = "/", lang: str | None = None) -> RedirectResponse | None:  # noqa: A002
        target = shell.safe_next(next)
        if shell.current_principal(services, request) is not None:
            return RedirectResponse(target, status_code=303)
        chosen = lang if lang in shell.LANGUAGES else None
        language = chosen or shell.current_lang()
        client_ip = request.client.host if request.client else None
        user_agent = request.headers.get("user-agent")
        title = t(N_("Đăng nhập"), language)
        ui.page_title(f"{title} · CCES")
        ui.colors(primary=shell.PRIMARY_COLOUR)
        ui.query("body").classes("bg-grey-2")

        with ui.column().classes("w-full items-center p-4"):
            with ui.card().classes("w-full max-w-sm mt-4 sm:mt-16 gap-3"):
                with ui.row().classes("w-full items-center justify-between"):
                    ui.label(t(N_("Đăng nhập"), language)).classes("text-2xl font-bold text-primary")

                    def switch(event: Any) -> None:  # in the address: nothing stored for a visitor
                        ui.navigate.to(f"{shell.SIGN_IN_PATH}?next={quote(target, safe='')}&lang={event.value}")

                    ui.toggle({"vi": "VI", "en": "EN"}, value=language, on_change=switch).props("dense").mark(
                        "language"
                    )
                ui.label(t(N_("Hệ thống điều hành tập trung Hải quan"), language)).classes("text-grey-7")
                username = (
                    ui.input(t(N_("Tên đăng nhập"), language))
                    .props("autofocus autocomplete=username name=username outlined")
                    .classes("w-full")
                    .mark("username")
                )
                password = (
                    ui.input(t(N_("Mật khẩu"), language), password=True, password_toggle_button=True)
                    .props("autocomplete=current-password name=password outlined")
                    .classes("w-full")
                    .mark("password")
                )
                error = ui.label().classes("text-negative").mark("sign-in-error")
                error.set_visibility(False)

                def submit() -> None:
                    name = (username.value or "").strip()
                    secret = password.value or ""
                    if not name or not secret:
                        error.text = t(N_("Nhập tên đăng nhập và mật khẩu."), language)
                        error.set_visibility(True)
                        return
                    try:
                        signed = services.accounts.sign_in(name, secret, client_ip, user_agent)
                    except SignInRefused as exc:  # shown in the user's language, nothing else
                        password.value = ""
                        error.text = refusal_text(exc.reason, exc.retry_after_s, language)
                        error.set_visibility(True)
                        return
                    shell.start_session(signed.token)
                    if chosen:  # signed in now: the language picked on the form stays with this browser
                        shell.set_lang(chosen)
                    ui.navigate.to(f"{shell.SIGNED_IN_PATH}?next={quote(target, safe='')}")

                password.on("keydown.enter", submit)
                username.on("keydown.enter", submit)
                ui.button(t(N_("Đăng nhập"), language), on_click=submit).props("unelevated").classes("w-full").mark(
                    "sign-in"
                )
        return None

    @app.get(shell.SIGNED_IN_PATH, include_in_schema=False)
    def signed_in(request: Request, next: str = "/") -> Response:  # noqa: A002
        """After the form's sign-in (over the page's websocket, which cannot set cookies): the browser's
        session token moves from its server-side storage into the API's HttpOnly cookie, which is the
        browser's sign-in from then on (pages and API alike). Refused when another site sent the browser."""
        if foreign_request(request) is not None:
            return PlainTextResponse(CROSS_SITE_REFUSED, status_code=403)
        response = RedirectResponse(shell.safe_next(next), status_code=303)
        token = shell.session_token()
        if token and services.accounts.principal_for_session(token) is not None:
            set_session_cookie(response, token, services)
        return response

    @app.get(shell.SIGNED_OUT_PATH, include_in_schema=False)
    def signed_out(request: Request, lang: str = "vi") -> RedirectResponse:
        """After the sign-out button: the browser forgets its API cookie once the session has ended (a
        live session's cookie is left alone, so a link from elsewhere signs nobody out), then the form."""
        form = f"{shell.SIGN_IN_PATH}?lang={lang}" if lang in shell.LANGUAGES and lang != "vi" else shell.SIGN_IN_PATH
        response = RedirectResponse(form, status_code=303)
        if not services.accounts.session_is_live(request.cookies.get(SESSION_COOKIE)):
            clear_session_cookie(response)
        return response

    @ui.page(shell.SIGN_OUT_PATH)
    def sign_out_page(request: Request) -> RedirectResponse | None:
        """Only asks (a GET changes nothing): the button signs out over the page's own connection."""
        principal = shell.current_principal(services, request)
        if principal is None:
            return RedirectResponse(shell.SIGN_IN_PATH, status_code=303)
        language = shell.current_lang(principal)
        ui.page_title(f"{t(shell.SIGN_OUT, language)} · CCES")
        ui.colors(primary=shell.PRIMARY_COLOUR)
        ui.query("body").classes("bg-grey-2")
        with ui.column().classes("w-full items-center p-4"):
            with ui.card().classes("w-full max-w-sm mt-4 sm:mt-16 gap-3").mark("sign-out-question"):
                ui.label(t(N_("Đăng xuất khỏi CCES?"), language)).classes("text-xl font-bold text-primary")
                ui.label(principal.display_name).classes("text-grey-7")
                with ui.row().classes("w-full justify-end gap-2"):
                    ui.link(t(N_("Quay lại"), language), "/").classes("self-center")
                    leave = ui.button(t(shell.SIGN_OUT, language), on_click=lambda: shell.sign_out_here(language))
                    leave.props("unelevated").mark("sign-out")
        return None

    @app.post(shell.SIGN_OUT_PATH, include_in_schema=False)
    def sign_out(request: Request) -> RedirectResponse:
        """Revokes this browser's session at the hub, clears its cookie and storage, then the form.
        (A POST: another site's POST is refused by hub.api.security before it gets here. Registered after
        the GET page of the same path: NiceGUI's `ui.page` removes every earlier route of its path.)"""
        shell.end_session(services, request)
        response = RedirectResponse(shell.SIGN_IN_PATH, status_code=303)
        clear_session_cookie(response)
        return response

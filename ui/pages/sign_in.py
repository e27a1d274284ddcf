"""Sign-in and sign-out: the only admin pages drawn without the shell (nobody is signed in yet)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from hub.accounts.models import SignInRefused
from hub.api.auth import clear_session_cookie, set_session_cookie
from hub.services import HubServices
from ui import shell
from ui.i18n import register_texts, t

register_texts(
    {
        "sign_in_title": {"vi": "Đăng nhập", "en": "Sign in"},
        "sign_in_subtitle": {
            "vi": "Hệ thống điều hành tập trung Hải quan",
            "en": "Customs Central Executive System",
        },
        "username": {"vi": "Tên đăng nhập", "en": "Username"},
        "password": {"vi": "Mật khẩu", "en": "Password"},
        "sign_in_button": {"vi": "Đăng nhập", "en": "Sign in"},
        "sign_in_missing": {
            "vi": "Nhập tên đăng nhập và mật khẩu.",
            "en": "Enter your username and password.",
        },
        "sign_in_bad_credentials": {
            "vi": "Tên đăng nhập hoặc mật khẩu không đúng.",
            "en": "Wrong username or password.",
        },
        "sign_in_locked": {
            "vi": "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
            "en": "Too many failed sign-ins. Try again in {minutes} minutes.",
        },
        "sign_in_disabled": {
            "vi": "Tài khoản đã bị khóa. Liên hệ quản trị đơn vị.",
            "en": "This account is disabled. Contact your office administrator.",
        },
        "signed_out": {"vi": "Bạn đã đăng xuất.", "en": "You have signed out."},
    }
)


def refusal_text(reason: str, retry_after_s: int | None, lang: str) -> str:
    """The message for a refused sign-in: it never says whether the username exists."""
    if reason == "locked":
        minutes = max(1, -(-(retry_after_s or 60) // 60))
        return t("sign_in_locked", lang).format(minutes=minutes)
    if reason == "disabled":
        return t("sign_in_disabled", lang)
    return t("sign_in_bad_credentials", lang)


def register(services: HubServices) -> None:
    @ui.page(shell.SIGN_IN_PATH)
    def sign_in_page(request: Request, next: str = "/", lang: str | None = None) -> RedirectResponse | None:  # noqa: A002
        target = shell.safe_next(next)
        if lang in shell.LANGUAGES:
            shell.set_lang(lang)
        if shell.current_principal(services, request) is not None:
            return RedirectResponse(target, status_code=303)
        language = shell.current_lang()
        client_ip = request.client.host if request.client else None
        user_agent = request.headers.get("user-agent")
        ui.page_title(f"{t('sign_in_title', language)} · CCES")
        ui.colors(primary=shell.PRIMARY_COLOUR)
        ui.query("body").classes("bg-grey-2")

        with ui.column().classes("w-full items-center p-4"):
            with ui.card().classes("w-full max-w-sm mt-4 sm:mt-16 gap-3"):
                with ui.row().classes("w-full items-center justify-between"):
                    ui.label(t("sign_in_title", language)).classes("text-2xl font-bold text-primary")

                    def switch(event: Any) -> None:
                        shell.set_lang(event.value)
                        ui.navigate.reload()

                    ui.toggle({"vi": "VI", "en": "EN"}, value=language, on_change=switch).props("dense").mark(
                        "language"
                    )
                ui.label(t("sign_in_subtitle", language)).classes("text-grey-7")
                username = (
                    ui.input(t("username", language))
                    .props("autofocus autocomplete=username name=username outlined")
                    .classes("w-full")
                    .mark("username")
                )
                password = (
                    ui.input(t("password", language), password=True, password_toggle_button=True)
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
                        error.text = t("sign_in_missing", language)
                        error.set_visibility(True)
                        return
                    try:
                        signed = services.sign_in(name, secret, client_ip, user_agent)
                    except SignInRefused as exc:  # shown in the user's language, nothing else
                        password.value = ""
                        error.text = refusal_text(exc.reason, exc.retry_after_s, language)
                        error.set_visibility(True)
                        return
                    shell.start_session(signed.token)
                    ui.navigate.to(f"{shell.SIGNED_IN_PATH}?next={quote(target, safe='')}")

                password.on("keydown.enter", submit)
                username.on("keydown.enter", submit)
                ui.button(t("sign_in_button", language), on_click=submit).props("unelevated").classes("w-full").mark(
                    "sign-in"
                )
        return None

    @app.get(shell.SIGNED_IN_PATH, include_in_schema=False)
    def signed_in(next: str = "/") -> RedirectResponse:  # noqa: A002
        """After the form's sign-in (over the page's websocket, which cannot set cookies): the browser's
        session token also goes into the API's HttpOnly cookie, so the API answers this browser too."""
        response = RedirectResponse(shell.safe_next(next), status_code=303)
        token = shell.session_token()
        if token and services.principal_for_session(token) is not None:
            set_session_cookie(response, token, services)
        return response

    @ui.page(shell.SIGN_OUT_PATH)
    def sign_out_page(request: Request) -> RedirectResponse:
        """Revokes this browser's session at the hub (the UI's and the API cookie's), then back to the form."""
        shell.end_session(services, request)
        response = RedirectResponse(shell.SIGN_IN_PATH, status_code=303)
        clear_session_cookie(response)
        return response

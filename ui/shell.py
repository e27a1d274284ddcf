"""The frame every admin page is drawn in: sign-in check, role check, header, navigation, language switch.

Pages are modules that register themselves with `module_page`: the shell owns who may see a page
and how it is framed, so a page function only draws its content for a `PageContext`.

One session per browser, the API's: the principal is rebuilt on every page load from the HttpOnly
`cces_session` cookie (checked in PostgreSQL), and an open page asks the database every few seconds
whether that session still holds (without counting it as use), so signing out anywhere, a revoked
or an expired session signs the page out too. NiceGUI's own `session` cookie only names the
browser's server-side storage (the language chosen, and the token between the form's sign-in and
`/sign-in/done`, which moves it into the cookie): on its own it signs nobody in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from hub.access import Action, gate
from hub.accounts.audit import Actor
from hub.accounts.principal import Principal, Role
from hub.api.auth import SESSION_COOKIE
from hub.domains import NavLink
from hub.services import HubServices
from ui import i18n
from ui.components.bell import notification_bell
from ui.i18n import N_

SESSION_KEY = "cces_session"  # the session token, in app.storage.user (server side, per browser)
LANG_KEY = "cces_lang"  # the language this browser chose; else the user's own
LANGUAGES = ("vi", "en")
SIGN_IN_PATH = "/sign-in"
SIGN_OUT_PATH = "/sign-out"
#: after the sign-out button (which revoked the session): the browser drops its dead cookie
SIGNED_OUT_PATH = "/sign-out/done"
#: after the UI's sign-in: sets the API's session cookie from this browser's session, then goes on
SIGNED_IN_PATH = "/sign-in/done"
#: how often an open page asks whether its session still holds (more often when sessions idle out sooner)
SESSION_CHECK_S = 10.0
PRIMARY_COLOUR = "#0b4f8a"

APP_NAME = "CCES"
NAV_MENU = N_("Danh mục")
SIGN_OUT = N_("Đăng xuất")
LANGUAGE = N_("Ngôn ngữ")
ALL = N_("Tất cả")  # a filter's "any" choice, for the pages
FORBIDDEN_TITLE = N_("Không có quyền truy cập")
FORBIDDEN_TEXT = N_("Tài khoản của bạn không được cấp quyền xem trang này. Liên hệ quản trị đơn vị nếu bạn cần quyền.")
BACK_HOME = N_("Về trang chủ")


@dataclass(frozen=True)
class PageContext:
    """What a page function gets: who is looking, the hub's services and the language to speak."""

    principal: Principal
    services: HubServices
    lang: str  # "vi" | "en"

    def t(self, key: str) -> str:
        return i18n.t(key, self.lang)

    def actor(self) -> Actor:
        """Who the audit log records for a change made from this page (with the browser's address)."""
        return Actor.of(self.principal, client_ip())


def client_ip() -> str | None:
    """The address of the browser of the current page or event (as the server sees it)."""
    try:
        return ui.context.client.ip or None
    except RuntimeError:  # no page context (background task)
        return None


@dataclass(frozen=True)
class NavEntry:
    path: str
    text_key: str
    icon: str
    allowed: Callable[[Principal], bool]
    order: int
    in_nav: bool
    action: Action | None = None  # the rule book's action that decides `allowed` (None: a predicate of its own)
    params: tuple[str, ...] = ()  # the page function's parameters (path and query), e.g. ("unit", "month")
    english: str = ""  # a domain's NavLink says its own English (hub/ declares both languages, ui/ has no catalogue)

    def title(self, lang: str) -> str:
        """How the entry is named in `lang`: its text through the catalogue, or a NavLink's own two wordings."""
        if self.english:
            return self.text_key if lang == i18n.SOURCE_LANGUAGE else self.english
        return i18n.t(self.text_key, lang)


# The page registry, like NiceGUI's own route table: filled by `module_page` at registration,
# keyed by path so registering the pages again (tests, reload) replaces rather than duplicates.
_PAGES: dict[str, NavEntry] = {}


def install(services: HubServices) -> None:
    """Give the shell the services its pages use (before the pages are served)."""
    app.state.cces_services = services


def _services() -> HubServices:
    services = getattr(app.state, "cces_services", None)
    if services is None:
        raise RuntimeError("ui.shell.install(services) was not called before serving pages")
    return services


# --- access predicates for `allowed=` ---------------------------------------------------------


def signed_in(_principal: Principal) -> bool:
    """Every signed-in user (home, their own attendance)."""
    return True


def any_role(*roles: Role) -> Callable[[Principal], bool]:
    """Allowed when the principal holds one of `roles` on some unit (a system admin always is)."""

    def allowed(principal: Principal) -> bool:
        return principal.is_system_admin or principal.has_role(*roles)

    return allowed


# --- session -----------------------------------------------------------------------------------


def current_principal(services: HubServices, request: Request) -> Principal | None:
    """The signed-in principal of this browser, or None (no session, expired or revoked): the session
    of its API cookie, whether it signed in on the form (through `/sign-in/done`) or through the API."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return services.accounts.principal_for_session(cookie) if cookie else None


def session_token() -> str | None:
    """The token the form's sign-in left for `/sign-in/done`, taken out of the browser's storage."""
    return app.storage.user.pop(SESSION_KEY, None)


def start_session(token: str) -> None:
    """Keep the form's new session until `/sign-in/done` puts it into the cookie (a WebSocket event
    cannot set cookies)."""
    app.storage.user[SESSION_KEY] = token


def end_session(services: HubServices, request: Request | None = None) -> None:
    """Sign out this browser: the session is revoked at the hub, not only forgotten here (with the
    API cookie's session, when `request` carries one), and the browser's storage is emptied (its file goes)."""
    token = app.storage.user.pop(SESSION_KEY, None)
    cookie = request.cookies.get(SESSION_COOKIE) if request is not None else None
    for held in {token, cookie} - {None}:
        services.accounts.sign_out(held, client_ip())
    app.storage.user.clear()


def watch_session(services: HubServices, request: Request) -> None:
    """On an open page: back to the sign-in form as soon as the page's session no longer holds."""
    token = request.cookies.get(SESSION_COOKIE)
    idle_s = services.accounts.policy.session_idle.total_seconds()

    def check() -> None:
        if not services.accounts.session_is_live(token):
            timer.deactivate()
            ui.navigate.to(sign_in_url(request))

    timer = ui.timer(min(SESSION_CHECK_S, max(0.2, idle_s / 10)), check, immediate=False)


def current_lang(principal: Principal | None = None) -> str:
    chosen = app.storage.user.get(LANG_KEY)
    if chosen in LANGUAGES:
        return chosen
    if principal is not None and principal.language in LANGUAGES:
        return principal.language
    return "vi"


def set_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    app.storage.user[LANG_KEY] = lang


def safe_next(target: str | None) -> str:
    """A local path to return to after signing in; anything else (another site) becomes '/'."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sign_in_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{SIGN_IN_PATH}?next={quote(here, safe='')}" if here != "/" else SIGN_IN_PATH


# --- the frame ---------------------------------------------------------------------------------


def registered_pages() -> list[NavEntry]:
    """Every page registered with `module_page`, by path (menu or not; e.g. for a bench opening them all)."""
    return [_PAGES[path] for path in sorted(_PAGES)]


def forget_pages(*paths: str) -> None:
    """Take pages and navigation entries out of the registry again (a domain unregistered: a plug-in, a test's)."""
    for path in paths:
        _PAGES.pop(path, None)


def nav_entries(principal: Principal) -> list[NavEntry]:
    """The navigation this principal sees: only the pages it is allowed to open."""
    return sorted((e for e in _PAGES.values() if e.in_nav and e.allowed(principal)), key=lambda e: (e.order, e.path))


def _draw_frame(ctx: PageContext, entry: NavEntry) -> ui.column:
    """Header, navigation drawer (beside the content on wide screens, a slide-in menu on a phone)."""
    ui.colors(primary=PRIMARY_COLOUR)
    ui.query("body").classes("bg-grey-1")
    drawer = ui.left_drawer(bordered=True).props("width=240 breakpoint=1024").classes("bg-white p-0")
    with drawer:
        with ui.list().props("padding").classes("w-full").mark("nav"):
            for item in nav_entries(ctx.principal):
                active = item.path == entry.path
                with (
                    ui.link(target=item.path)
                    .classes(
                        "flex items-center gap-3 px-4 py-2 no-underline rounded-r-full "
                        + ("bg-blue-1 text-primary font-bold" if active else "text-grey-9")
                    )
                    .mark(f"nav-{item.path}")
                ):
                    ui.icon(item.icon).classes("text-xl")
                    ui.label(item.title(ctx.lang))
    with ui.header(elevated=True).classes("items-center gap-2 px-2 py-1 bg-primary"):
        ui.button(icon="menu", on_click=drawer.toggle).props(
            f'flat round dense color=white aria-label="{ctx.t(NAV_MENU)}"'
        ).classes("lg:hidden").mark("nav-toggle")
        ui.link(APP_NAME, "/").classes("text-white text-lg font-bold no-underline")
        ui.label(entry.title(ctx.lang)).classes("text-white max-sm:hidden")
        ui.space()

        if ctx.principal.user_id > 0:  # notifications (hub.notifications): the bell, its unread count live
            notification_bell(ctx.services, ctx.principal, ctx.lang)

        def switch_language(event: Any) -> None:
            if event.value and event.value != ctx.lang:
                set_lang(event.value)
                ui.navigate.reload()

        ui.toggle({"vi": "VI", "en": "EN"}, value=ctx.lang, on_change=switch_language).props(
            f"dense unelevated toggle-color=white toggle-text-color=primary color=primary text-color=white"
            f' aria-label="{ctx.t(LANGUAGE)}"'
        ).mark("language")
        with ui.button(icon="account_circle").props("flat dense color=white no-caps").mark("user-menu"):
            ui.label(ctx.principal.display_name).classes("max-sm:hidden ml-1")
            with ui.menu():
                ui.item(ctx.principal.username).props("dense").classes("text-grey-7")
                ui.menu_item(ctx.t(SIGN_OUT), on_click=lambda: sign_out_here(ctx.lang)).mark("sign-out")
    return ui.column().classes("w-full max-w-screen-xl mx-auto p-2 sm:p-4 gap-4")


def sign_out_here(lang: str) -> None:
    """The sign-out button: revokes the session at the hub at once (over the page's own connection,
    which another site cannot drive), then `/sign-out/done` drops the dead cookie; the sign-in form
    goes on in the page's language `lang` (from the address: the browser's storage is emptied)."""
    end_session(_services(), ui.context.client.request)
    ui.navigate.to(f"{SIGNED_OUT_PATH}?lang={lang}")


def forbidden(ctx: PageContext) -> None:
    """What a signed-in user sees on a page their roles do not allow (the data is never drawn), answered
    with HTTP 403 when the page is being built (a later refusal, e.g. after a click, only draws it)."""
    client = ui.context.client
    if not client.has_socket_connection:
        client.status_code = 403
    with ui.card().classes("w-full max-w-lg mx-auto mt-8 items-center text-center").mark("forbidden"):
        ui.icon("block").classes("text-5xl text-negative")
        ui.label(ctx.t(FORBIDDEN_TITLE)).classes("text-xl font-bold")
        ui.label(ctx.t(FORBIDDEN_TEXT))
        ui.link(ctx.t(BACK_HOME), "/")


def may(action: Action) -> Callable[[Principal], bool]:
    """Allowed when the rule book lets the principal do `action` somewhere (hub.access.gate.allows)."""

    def allowed(principal: Principal) -> bool:
        return gate.allows(principal, action)

    return allowed


def add_nav_links(links: Iterable[NavLink]) -> None:
    """Navigation entries a domain declares besides its pages (hub.domains.Domain.nav)."""
    for link in links:
        _PAGES[link.path] = NavEntry(
            link.path, link.vi, link.icon, may(link.action), link.order, True, link.action, english=link.en
        )


def module_page(
    path: str,
    *,
    text_key: str,
    icon: str,
    allowed: Callable[[Principal], bool] | None = None,
    action: Action | None = None,
    order: int,
    in_nav: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: registers a NiceGUI page at `path` whose function takes (ctx: PageContext, **path/query params).

    Who may open it: the rule book's `action` (hub.access; the same rule the API's routes and the
    services check), or, for a page no single action covers, an `allowed(principal)` predicate.
    The shell redirects to /sign-in when not signed in (coming back afterwards), shows a 403 page
    when the principal may not, draws header + responsive navigation (only entries the
    principal is allowed) + language switch, then calls the function inside the content area.
    The function may be async (e.g. to `await ui.context.client.connected()`)."""

    if (allowed is None) == (action is None):
        raise TypeError(f"page {path}: give either action= (the rule book's) or allowed=")
    check = allowed if allowed is not None else may(action)  # type: ignore[arg-type]

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "ctx"]
        entry = NavEntry(path, text_key, icon, check, order, in_nav, action, tuple(p.name for p in own))
        _PAGES[path] = entry
        own_names = {p.name for p in own}

        def prepare(request: Request) -> tuple[PageContext, ui.column] | RedirectResponse:
            services = _services()
            principal = current_principal(services, request)
            if principal is None:
                return RedirectResponse(sign_in_url(request), status_code=303)
            ctx = PageContext(principal, services, current_lang(principal))
            ui.page_title(f"{ctx.t(text_key)} · CCES")
            watch_session(services, request)
            return ctx, _draw_frame(ctx, entry)

        def arguments(request: Request, kwargs: dict[str, Any]) -> dict[str, Any]:
            passed = {k: v for k, v in kwargs.items() if k in own_names}
            if "request" in own_names:
                passed["request"] = request
            return passed

        if inspect.iscoroutinefunction(func):

            async def page(request: Request, **kwargs: Any) -> RedirectResponse | None:
                prepared = prepare(request)
                if isinstance(prepared, RedirectResponse):
                    return prepared
                ctx, content = prepared
                with content:
                    if not entry.allowed(ctx.principal):
                        forbidden(ctx)
                    else:
                        await func(ctx, **arguments(request, kwargs))
                return None

        else:

            def page(request: Request, **kwargs: Any) -> RedirectResponse | None:  # type: ignore[misc]
                prepared = prepare(request)
                if isinstance(prepared, RedirectResponse):
                    return prepared
                ctx, content = prepared
                with content:
                    if not entry.allowed(ctx.principal):
                        forbidden(ctx)
                    else:
                        func(ctx, **arguments(request, kwargs))
                return None

        request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
        page.__signature__ = inspect.Signature([request_param, *(p for p in own if p.name != "request")])  # type: ignore[attr-defined]
        page.__name__ = f"page_{func.__name__}"
        ui.page(path)(page)
        return func

    return decorator

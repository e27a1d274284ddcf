"""UI texts, Vietnamese first, English second: gettext catalogues (Babel), and the earlier dictionaries.

Two ways live side by side while the pages are converted one at a time: the dictionaries that page
modules register (`register_texts`, read with `t(key, lang)`), and gettext catalogues compiled
with Babel (`translator(lang)`, below), which a translator edits with standard tools.
"""

from __future__ import annotations

import functools
import gettext
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

TEXTS: dict[str, dict[str, str]] = {
    "title": {"vi": "CCES — Hệ thống điều hành tập trung", "en": "CCES — Central Executive System"},
    "health": {"vi": "Tình trạng hệ thống", "en": "System health"},
    "database": {"vi": "Cơ sở dữ liệu", "en": "Database"},
    "broker": {"vi": "Kết nối MQTT", "en": "MQTT link"},
    "ingest": {"vi": "Tiếp nhận sự kiện", "en": "Event ingest"},
    "accepted": {"vi": "Đã lưu", "en": "Accepted"},
    "duplicates": {"vi": "Trùng lặp", "en": "Duplicates"},
    "rejected": {"vi": "Bị từ chối", "en": "Rejected"},
    "devices": {"vi": "Thiết bị", "en": "Devices"},
    "device_id": {"vi": "Mã thiết bị", "en": "Device id"},
    "kind": {"vi": "Loại", "en": "Kind"},
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "offline": {"vi": "Mất kết nối", "en": "Offline"},
    "last_seen": {"vi": "Lần cuối", "en": "Last seen"},
    "api_docs": {"vi": "Tài liệu API", "en": "API documentation"},
    "ok": {"vi": "Bình thường", "en": "OK"},
}


def register_texts(texts: dict[str, dict[str, str]]) -> None:
    """Add a page module's texts; each needs Vietnamese, and a key may not change meaning."""
    for key, entry in texts.items():
        if "vi" not in entry:
            raise ValueError(f"UI text {key!r} has no Vietnamese version")
        known = TEXTS.get(key)
        if known is not None and known != entry:
            raise ValueError(f"UI text {key!r} is already registered with other wording: {known}")
        TEXTS[key] = entry


def t(key: str, lang: str = "vi") -> str:
    """A dictionary key's text; any other string is a Vietnamese source text, looked up in the catalogue.

    So a page's `ctx.t` (and every component given it as `t`) speaks both while the modules are converted:
    a converted module passes its Vietnamese texts (`_ = t` then `_("Trang sau")`, which Babel extracts)."""
    entry = TEXTS.get(key)
    if entry is None and CONTEXT in key:  # a text marked with its context (`pgettext` below)
        context, _, message = key.partition(CONTEXT)
        return translator(lang).pgettext(context, message)
    if entry is None:
        if _looks_like_a_key(key):
            if strict():
                raise UnknownTextKey(key)
            _warn_unknown_key(key)
        return translator(lang).gettext(key)
    return entry.get(lang) or entry["vi"]


#: set to 1 (the tests do, for every process they start) and a key nobody registered raises instead of being shown
STRICT_ENV = "CCES_I18N_STRICT"


def strict() -> bool:
    """Whether an unregistered text key raises (`CCES_I18N_STRICT=1`): read here only, at each such key."""
    return os.environ.get(STRICT_ENV) == "1"


class UnknownTextKey(LookupError):
    """A dotted text key nobody registered reached `t()` in strict mode: the screen would have shown the raw key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"UI text key {key!r} is not registered: the screen would show the key itself")
        self.key = key


_KEY = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def _looks_like_a_key(text: str) -> bool:
    """A dotted lower-case word (`leave.approve`) is a dictionary key nobody registered, not a source text."""
    return _KEY.fullmatch(text) is not None


@functools.cache
def _warn_unknown_key(key: str) -> None:
    """Once per key: a screen would show the raw key, which is a bug to find in the log, not on a screen."""
    log.warning("UI text key %r is not registered: the screen shows the key itself", key)


# --- gettext catalogues (Babel) ----------------------------------------------------------------
#
# Texts written in the code in Vietnamese (the source language) and marked for extraction; English
# is a translation in ui/locale/en/LC_MESSAGES/cces.po, which a translator edits with any gettext
# tool (Poedit, Weblate, Lokalize). `cces i18n extract` collects the marked texts into
# ui/locale/cces.pot and merges them into each language's .po; `cces i18n compile` writes the .mo
# files read here. In a page:
#
#     _ = i18n.translator(ctx.lang).gettext
#     ui.label(_("Thiết bị"))
#     ui.label(i18n.translator(ctx.lang).ngettext("{n} thiết bị", "{n} thiết bị", n).format(n=n))
#
# and for a text defined before the language is known (a module constant): `TITLE = N_("Thiết bị")`,
# shown as `_(TITLE)`. A component handed the page's `t` (a `Translate`) binds it as `_ = t`: `t` gives a
# dictionary key's text and looks any other string up in the catalogue. The dictionaries of
# `register_texts` keep working beside the catalogues until every module has been converted.

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "cces"
SOURCE_LANGUAGE = "vi"
#: the languages with a catalogue (besides the source language, whose texts are the code's own)
TRANSLATIONS = ("en",)


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a text for extraction where it is defined; it is translated where it is shown (`_(TEXT)`)."""
    return message


#: between a text's context and the text, as gettext itself joins them in a compiled catalogue
CONTEXT = "\x04"


def pgettext(context: str, message: str) -> str:
    """Mark a text with a context (msgctxt) where it is defined, for Babel (its default `pgettext` keyword): the same
    Vietnamese said otherwise in English elsewhere ('Đăng nhập' is the button 'Sign in' and the audit row 'Signed
    in'). Returns the context and the text as one string, which `t()` translates (a `Translate` shows the text)."""
    return f"{context}{CONTEXT}{message}"


@functools.cache
def translator(lang: str, localedir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (`<localedir>/<lang>/LC_MESSAGES/cces.mo`).

    Vietnamese, the source language, needs none: its texts are the code's own. A language whose
    catalogue is missing is logged (once) and shown the Vietnamese texts rather than failing a page."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, localedir, languages=[lang])
    except OSError:
        log.error(
            "no compiled catalogue for language %r in %s (run `cces i18n compile`): its pages show Vietnamese",
            lang,
            localedir,
        )
        return gettext.NullTranslations()


#: each language's name, for a language switch that spells them out (shown through `translator(lang)`)
LANGUAGE_NAMES = {"vi": N_("Tiếng Việt"), "en": N_("Tiếng Anh")}

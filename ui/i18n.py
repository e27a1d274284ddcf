"""UI texts, Vietnamese first, English second: gettext catalogues (Babel), which a translator edits with
standard tools (Poedit, Weblate, Lokalize).

The texts are written in the code in Vietnamese, the source language, and English is a translation in
ui/locale/en/LC_MESSAGES/cces.po. A domain outside ui/ (a plug-in) adds a catalogue of its own
(`add_catalogue`, from its `Domain.catalogue`), consulted after the UI's.
"""

from __future__ import annotations

import functools
import gettext
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)


def t(key: str, lang: str = "vi") -> str:
    """A Vietnamese source text in `lang`, from the catalogue (with its context when marked by `pgettext` below).

    A page's `ctx.t` (and every component given it as `t`) is this: a module marks its texts where it writes them
    (`N_("Trang sau")`, `pgettext("menu", "Tài sản")`, which Babel extracts) and shows them through `t`. A dotted
    lower-case word (`leave.approve`) is a key of the dictionaries this replaced: nobody defines it any more."""
    if CONTEXT in key:  # a text marked with its context (`pgettext` below)
        context, _, message = key.partition(CONTEXT)
        return translator(lang).pgettext(context, message)
    if _looks_like_a_key(key):
        if strict():
            raise UnknownTextKey(key)
        _warn_unknown_key(key)
    return translator(lang).gettext(key)


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
# shown as `_(TITLE)`, or through the page's `t` (a `Translate`), which a component may bind as `_ = t`.

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


#: the catalogues domains outside ui/ add (name → folder of `<lang>/LC_MESSAGES/<name>.mo`), like the page registry
_DOMAIN_CATALOGUES: dict[str, Path] = {}


def add_catalogue(name: str, localedir: Path) -> None:
    """A domain's own compiled catalogues (`<localedir>/<lang>/LC_MESSAGES/<name>.mo`), consulted after the UI's;
    adding one again replaces it (the tests, a reload)."""
    _DOMAIN_CATALOGUES[name] = localedir
    translator.cache_clear()


def remove_catalogue(name: str) -> None:
    if _DOMAIN_CATALOGUES.pop(name, None) is not None:
        translator.cache_clear()


@functools.cache
def translator(lang: str, localedir: Path = LOCALE_DIR) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (`<localedir>/<lang>/LC_MESSAGES/cces.mo`), then the domains' own.

    Vietnamese, the source language, needs none: its texts are the code's own. A language whose
    catalogue is missing is logged (once) and shown the Vietnamese texts rather than failing a page."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    try:
        found = gettext.translation(DOMAIN, localedir, languages=[lang])
    except OSError:
        log.error(
            "no compiled catalogue for language %r in %s (run `cces i18n compile`): its pages show Vietnamese",
            lang,
            localedir,
        )
        found = gettext.NullTranslations()
    for name, folder in _DOMAIN_CATALOGUES.items():
        try:
            found.add_fallback(gettext.translation(name, folder, languages=[lang]))
        except OSError:
            log.error("domain %r has no compiled catalogue for language %r in %s", name, lang, folder)
    return found


#: each language's name, for a language switch that spells them out (shown through `translator(lang)`)
LANGUAGE_NAMES = {"vi": N_("Tiếng Việt"), "en": N_("Tiếng Anh")}

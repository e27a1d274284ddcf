"""The UI's gettext catalogues (issue 13 item 8): Vietnamese in the code, English in a .po a translator
edits with standard tools, compiled by Babel and read by `ui.i18n.translator` — through the real
`cces i18n` commands, which run Babel's own `pybabel`.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from cces.i18n_command import check
from ui import i18n

ROOT = Path(__file__).resolve().parents[2]

PAGE = """
from ui.i18n import N_, translator

TITLE = N_("Chấm công hôm nay")


def draw(lang: str, n: int) -> list[str]:
    tr = translator(lang)
    return [
        tr.gettext(TITLE),
        tr.ngettext("{n} thiết bị mất kết nối", "{n} thiết bị mất kết nối", n).format(n=n),
        tr.pgettext("nút", "Lưu"),
    ]
"""
ENGLISH = {
    "Chấm công hôm nay": "Today's attendance",
    "{n} thiết bị mất kết nối": ("{n} device offline", "{n} devices offline"),
    "Lưu": "Save",
}


def cces_i18n(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cces", "i18n", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def translate_as_a_translator_would(po: Path) -> None:
    """Fill the English catalogue with Babel's own reader and writer (what Poedit or Weblate do to the file)."""
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    for message in catalogue:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in ENGLISH:
            message.string = ENGLISH[key]
    with po.open("wb") as handle:
        write_po(handle, catalogue)


def test_a_translated_text_round_trips_through_the_standard_tools(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    (root / "ui").mkdir(parents=True)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    (root / "ui" / "page.py").write_text(PAGE, encoding="utf-8")

    extracted = cces_i18n("extract", "--root", str(root))
    assert extracted.returncode == 0, extracted.stderr
    template = (root / "ui/locale/cces.pot").read_text(encoding="utf-8")
    assert 'msgid "Chấm công hôm nay"' in template and 'msgctxt "nút"' in template
    po = root / "ui/locale/en/LC_MESSAGES/cces.po"
    assert 'msgid "Lưu"' in po.read_text(encoding="utf-8")
    untranslated = cces_i18n("check", "--root", str(root))
    assert untranslated.returncode == 1 and "3 text(s) not translated" in untranslated.stdout

    translate_as_a_translator_would(po)
    not_compiled = cces_i18n("check", "--root", str(root))
    assert not_compiled.returncode == 1 and "run `cces i18n compile`" in not_compiled.stdout
    compiled = cces_i18n("compile", "--root", str(root))
    assert compiled.returncode == 0, compiled.stderr
    assert "3 of 3 messages (100%) translated" in compiled.stdout + compiled.stderr
    report = cces_i18n("check", "--root", str(root), "--json")
    assert report.returncode == 0 and json.loads(report.stdout) == {"ok": True, "messages": 3, "problems": []}

    locale = root / "ui" / "locale"
    english, vietnamese = i18n.translator("en", locale), i18n.translator("vi", locale)
    assert english.gettext("Chấm công hôm nay") == "Today's attendance"
    assert english.ngettext("{n} thiết bị mất kết nối", "{n} thiết bị mất kết nối", 1) == "{n} device offline"
    assert english.ngettext("{n} thiết bị mất kết nối", "{n} thiết bị mất kết nối", 3) == "{n} devices offline"
    assert english.pgettext("nút", "Lưu") == "Save"
    assert english.gettext("Một câu chưa có trong danh mục") == "Một câu chưa có trong danh mục"
    assert vietnamese.gettext("Chấm công hôm nay") == "Chấm công hôm nay"  # the source language: as written

    # the code gains a text: check names it, extract adds it, the translations made so far stay
    (root / "ui" / "page.py").write_text(PAGE.replace('"Lưu"', '"Lưu lại"'), encoding="utf-8")
    behind = cces_i18n("check", "--root", str(root))
    assert behind.returncode == 1 and "'Lưu lại'" in behind.stdout
    assert cces_i18n("extract", "--root", str(root)).returncode == 0
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    assert catalogue.get("Chấm công hôm nay").string == "Today's attendance"
    new = catalogue.get("Lưu lại", context="nút")
    assert new is not None and (not new.string or new.fuzzy)  # to translate (or review Babel's guess)


def test_the_shipped_catalogues_are_in_step_with_the_code() -> None:
    """Every text marked in ui/ is in ui/locale/cces.pot and translated in English, and the .mo is compiled."""
    report = check(ROOT)
    assert report.problems == [], "\n".join(report.problems)
    assert report.messages >= 2
    assert i18n.translator("en").gettext(i18n.LANGUAGE_NAMES["en"]) == "English"
    assert i18n.translator("vi").gettext(i18n.LANGUAGE_NAMES["vi"]) == "Tiếng Việt"


def test_a_language_without_a_catalogue_shows_vietnamese_and_says_so(tmp_path: Path, caplog) -> None:  # noqa: ANN001
    assert i18n.translator("en", tmp_path).gettext("Tiếng Anh") == "Tiếng Anh"
    assert "no compiled catalogue for language 'en'" in caplog.text


def test_a_domain_of_its_own_adds_its_catalogue_after_the_uis(tmp_path: Path) -> None:
    """A plug-in's texts (hub.domains.Domain.catalogue): consulted where the UI's catalogue has no such text."""
    own = Catalog(locale="en", domain="plugin")
    own.add("Chỉ số riêng", "Own figure")
    own.add("Duyệt", "Plug-in wording")  # the UI's own wording wins: the domain's is only a fallback
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    with (tmp_path / "en" / "LC_MESSAGES" / "plugin.mo").open("wb") as handle:
        write_mo(handle, own)
    assert i18n.t("Chỉ số riêng", "en") == "Chỉ số riêng"
    i18n.add_catalogue("plugin", tmp_path)
    try:
        assert i18n.t("Chỉ số riêng", "en") == "Own figure" and i18n.t("Chỉ số riêng") == "Chỉ số riêng"
        assert i18n.t("Duyệt", "en") == "Approve"
    finally:
        i18n.remove_catalogue("plugin")
    assert i18n.t("Chỉ số riêng", "en") == "Chỉ số riêng"


def test_a_folder_that_is_no_checkout_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = cces_i18n("extract", "--root", str(tmp_path))
    assert result.returncode == 2 and "no babel.cfg" in result.stderr and "Traceback" not in result.stderr


def test_an_unregistered_text_key_is_logged_so_a_raw_key_on_a_screen_is_found(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(i18n.STRICT_ENV)  # as a running hub does: logged, the key shown (the tests run strict)
    with caplog.at_level(logging.WARNING, logger="ui.i18n"):
        assert i18n.t("leave.no_such_text_key_for_this_test") == "leave.no_such_text_key_for_this_test"
        assert i18n.t("Duyệt", "en") == "Approve"
    warned = [r.getMessage() for r in caplog.records]
    assert warned == [
        "UI text key 'leave.no_such_text_key_for_this_test' is not registered: the screen shows the key itself"
    ]


def test_the_tests_run_strict_so_an_unregistered_text_key_fails_the_test_that_shows_it() -> None:
    assert i18n.strict(), "tests/conftest.py sets CCES_I18N_STRICT=1 for every test process"
    with pytest.raises(i18n.UnknownTextKey, match="leave.no_such_key_in_strict_mode"):
        i18n.t("leave.no_such_key_in_strict_mode", "en")
    assert i18n.t("Duyệt", "en") == "Approve"  # a Vietnamese source text is no key
    assert i18n.t(i18n.pgettext("audit action", "Đăng nhập"), "en") == "Signed in"  # a text with its context
    assert i18n.t(i18n.pgettext("audit action", "Đăng nhập"), "vi") == "Đăng nhập"

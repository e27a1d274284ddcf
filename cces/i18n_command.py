"""`cces i18n extract|compile|check`: the UI's gettext catalogues with Babel's standard tools.

Vietnamese is the source language: the texts in the code are Vietnamese, marked with `_()`,
`N_()`, `ngettext()`, `pgettext()` (the default gettext keywords); English is a translation.
The commands work on a source checkout (the folder holding `babel.cfg`) and run Babel's own
`pybabel` there, so a translator or a developer can equally run it by hand:

    pybabel extract -F babel.cfg -o ui/locale/cces.pot --project CCES .      # cces i18n extract, 1st half
    pybabel update -i ui/locale/cces.pot -d ui/locale -D cces -l en          # … 2nd half (init the first time)
    pybabel compile -d ui/locale -D cces --statistics                        # cces i18n compile

`cces i18n check` says what is out of step (a marked text missing from the template or a catalogue,
an untranslated or fuzzy entry, a .mo older than its .po) and exits 1 when anything is.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cces.errors import UserError

LOCALE_DIR = Path("ui/locale")  # relative to the source root
DOMAIN = "cces"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: the languages with a catalogue (ui.i18n.TRANSLATIONS; repeated: the parser must not import ui)
TRANSLATIONS = ("en",)
PYBABEL = "from babel.messages.frontend import main; main()"
PYBABEL_TIMEOUT_S = 300


def source_root(explicit: Path | None = None) -> Path:
    """The source checkout to work on: `explicit`, else the one this `ui` package was loaded from."""
    if explicit is None:
        spec = importlib.util.find_spec("ui")
        if spec is None or spec.origin is None:
            raise UserError("cces i18n: the ui package is not installed; give the source checkout with --root")
        explicit = Path(spec.origin).resolve().parent.parent
    if not (explicit / "babel.cfg").is_file():
        raise UserError(f"cces i18n works on a source checkout: no babel.cfg in {explicit} (give one with --root)")
    return explicit


def catalogue_path(lang: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def pybabel(root: Path, *args: str) -> str:
    """Run Babel's command line in `root`; its output, or UserError with what it said."""
    if importlib.util.find_spec("babel") is None:
        raise UserError("cces i18n needs Babel: pip install 'babel>=2.14' (in the test extra: pip install -e .[test])")
    result = subprocess.run(
        [sys.executable, "-c", PYBABEL, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=PYBABEL_TIMEOUT_S,
    )
    if result.returncode != 0:
        said = (result.stderr.strip() or result.stdout.strip()).splitlines()
        raise UserError(f"pybabel {args[0]} failed: {said[-1] if said else f'exit code {result.returncode}'}")
    return result.stdout + result.stderr


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return "0.0.0"


def extract(root: Path, template: Path = TEMPLATE) -> None:
    """Collect the marked texts into the template, then merge it into each language's catalogue."""
    (root / template).parent.mkdir(parents=True, exist_ok=True)
    pybabel(
        root, "extract", "-F", "babel.cfg", "-o", str(template), "--project", "CCES", "--version", _version(),
        "--copyright-holder", "CCES", "--sort-by-file", ".",
    )  # fmt: skip
    for lang in TRANSLATIONS:
        action = "update" if (root / catalogue_path(lang)).is_file() else "init"
        pybabel(root, action, "-i", str(template), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang)


def compile_catalogues(root: Path) -> str:
    """Write each language's .mo from its .po (fuzzy entries left out, as gettext does); Babel's statistics."""
    return pybabel(root, "compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "--statistics")


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    messages: int = 0  # marked texts in the code

    def as_dict(self) -> dict[str, Any]:
        return {"ok": not self.problems, "messages": self.messages, "problems": self.problems}


def _keys(catalogue: Any) -> set[tuple[str, str | None]]:
    """(msgid, context) of every entry but the header; a plural entry by its singular."""
    keys = set()
    for message in catalogue:
        if message.id:
            keys.add((message.id[0] if isinstance(message.id, tuple) else message.id, message.context))
    return keys


def _read(path: Path) -> Any:
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle)


def check(root: Path) -> CheckReport:
    """Everything out of step between the code, the template, the catalogues and their compiled files."""
    from babel.messages.mofile import write_mo

    report = CheckReport()
    with tempfile.TemporaryDirectory(prefix="cces-i18n-") as scratch:
        fresh = Path(scratch) / "fresh.pot"
        pybabel(root, "extract", "-F", "babel.cfg", "-o", str(fresh), "--project", "CCES", ".")
        marked = _keys(_read(fresh))
    report.messages = len(marked)
    if not (root / TEMPLATE).is_file():
        report.problems.append(f"{TEMPLATE} is missing: run `cces i18n extract`")
        return report
    in_template = _keys(_read(root / TEMPLATE))
    if missing := sorted(k[0] for k in marked - in_template):
        report.problems.append(
            f"{TEMPLATE} lacks {len(missing)} text(s) of the code, e.g. {missing[0]!r}: run `cces i18n extract`"
        )
    if stale := sorted(k[0] for k in in_template - marked):
        report.problems.append(
            f"{TEMPLATE} holds {len(stale)} text(s) the code no longer has, e.g. {stale[0]!r}: run `cces i18n extract`"
        )
    for lang in TRANSLATIONS:
        po_path, mo_path = catalogue_path(lang), catalogue_path(lang, ".mo")
        if not (root / po_path).is_file():
            report.problems.append(f"{po_path} is missing: run `cces i18n extract`")
            continue
        catalogue = _read(root / po_path)
        if missing := sorted(k[0] for k in marked - _keys(catalogue)):
            report.problems.append(
                f"{po_path} lacks {len(missing)} text(s), e.g. {missing[0]!r}: run `cces i18n extract`"
            )
        entries = [m for m in catalogue if m.id]
        untranslated = [m.id for m in entries if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
        if untranslated:
            first = untranslated[0][0] if isinstance(untranslated[0], tuple) else untranslated[0]
            report.problems.append(f"{po_path}: {len(untranslated)} text(s) not translated, e.g. {first!r}")
        if fuzzy := [m for m in entries if m.fuzzy]:
            report.problems.append(f"{po_path}: {len(fuzzy)} fuzzy translation(s) to review, e.g. {fuzzy[0].id!r}")
        compiled = io.BytesIO()
        write_mo(compiled, catalogue)
        if not (root / mo_path).is_file() or (root / mo_path).read_bytes() != compiled.getvalue():
            report.problems.append(f"{mo_path} is not compiled from {po_path}: run `cces i18n compile`")
    return report


# --- the command line ---------------------------------------------------------------------------


def cmd_i18n_extract(args: argparse.Namespace) -> int:
    root = source_root(args.root)
    extract(root)
    print(f"{root / TEMPLATE} and {', '.join(str(root / catalogue_path(lang)) for lang in TRANSLATIONS)} updated")
    return 0


def cmd_i18n_compile(args: argparse.Namespace) -> int:
    print(compile_catalogues(source_root(args.root)).strip())
    return 0


def cmd_i18n_check(args: argparse.Namespace) -> int:
    report = check(source_root(args.root))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            print(problem)
        if not report.problems:
            print(f"catalogues in step with the code ({report.messages} texts)")
    return 0 if not report.problems else 1


def add_i18n_commands(add: Callable[..., argparse.ArgumentParser], sub: argparse._SubParsersAction) -> None:
    """`cces i18n …` on the main parser (`add` is cces.cli's helper)."""
    i18n = add("i18n", None, "the UI's translation catalogues (gettext, Babel): Vietnamese source, English translation")
    i18n_sub = i18n.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    for name, handler, help_text in (
        ("extract", cmd_i18n_extract, "collect the marked texts into ui/locale/cces.pot and merge it into each .po"),
        ("compile", cmd_i18n_compile, "compile each ui/locale/<lang>/LC_MESSAGES/cces.po into the .mo the hub reads"),
        (
            "check",
            cmd_i18n_check,
            "say what is out of step (missing, untranslated, fuzzy, not compiled); exit 1 if any",
        ),
    ):
        p = add(name, handler, help_text, i18n_sub)
        p.add_argument("--root", type=Path, metavar="DIR", help="the source checkout (default: the one installed)")
        if name == "check":
            p.add_argument("--json", action="store_true", help="print the report as JSON")

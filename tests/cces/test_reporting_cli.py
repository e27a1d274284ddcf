"""`cces reporting period` through the real command: the cut-off of every frequency (Decree 09/2019 Art. 12,
DOMAIN.md §2), across year boundaries and leap years, and periods that do not exist (one line, exit 2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cces.cli import main

CASES = [
    # the worked example of DOMAIN.md §2
    ("monthly", "2026-03", "2026-02-15", "2026-03-14"),
    # the monthly report for 01/2026 starts in the previous year
    ("monthly", "2026-01", "2025-12-15", "2026-01-14"),
    ("monthly", "2026-02", "2026-01-15", "2026-02-14"),
    ("monthly", "2026-12", "2026-11-15", "2026-12-14"),
    # leap year: February's 29th lies inside the 03/2024 period (29 days of February data)
    ("monthly", "2024-03", "2024-02-15", "2024-03-14"),
    ("monthly", "2028-03", "2028-02-15", "2028-03-14"),
    ("quarterly", "2026-Q1", "2025-12-15", "2026-03-14"),
    ("quarterly", "2026-Q2", "2026-03-15", "2026-06-14"),
    ("quarterly", "2026-Q3", "2026-06-15", "2026-09-14"),
    ("quarterly", "2026-Q4", "2026-09-15", "2026-12-14"),
    ("quarterly", "2024-Q1", "2023-12-15", "2024-03-14"),
    ("half-year", "2026-H1", "2025-12-15", "2026-06-14"),
    ("nine-month", "2026-9M", "2025-12-15", "2026-09-14"),
    # the yearly period crosses the year
    ("yearly", "2026", "2025-12-15", "2026-12-14"),
    ("yearly", "2024", "2023-12-15", "2024-12-14"),
    ("yearly", "2001", "2000-12-15", "2001-12-14"),
]

REFUSED = [
    ("monthly", "2026-13"),
    ("monthly", "2026-00"),
    ("monthly", "2026-3"),
    ("quarterly", "2026-Q5"),
    ("quarterly", "2026-Q0"),
    ("half-year", "2026-H2"),  # Decree 09 has no second six-month report: the yearly one covers it
    ("monthly", "2026-Q1"),  # a period of another frequency
    ("quarterly", "2026-03"),
    ("yearly", "2026-H1"),
    ("nine-month", "2026"),
    ("yearly", "20266"),
    ("yearly", "1999"),
    ("monthly", "tháng ba"),
    ("monthly", ""),
    ("monthly", "2026-03 "),
    ("weekly", "2026-03"),  # not a frequency of Decree 09
]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.mark.parametrize(("freq", "period", "start", "end"), CASES)
def test_period_cutoff(cli, freq: str, period: str, start: str, end: str) -> None:
    code, out, err = cli("reporting", "period", "--frequency", freq, "--period", period, "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {"start": start, "end": end}


@pytest.mark.parametrize(("freq", "period"), REFUSED)
def test_a_period_that_does_not_exist_is_one_line_and_exit_2(cli, freq: str, period: str) -> None:
    code, out, err = cli("reporting", "period", "--frequency", freq, "--period", period, "--json")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert " / " in lines[0] and ("kỳ báo cáo" in lines[0] or "tần suất" in lines[0])


def test_the_cutoff_day_is_data_and_without_json_a_line_for_people(cli) -> None:
    code, out, _ = cli("reporting", "period", "--frequency", "monthly", "--period", "2026-03")
    assert code == 0 and out.startswith("2026-03: 15/02/2026 – 14/03/2026")
    code, out, _ = cli("reporting", "period", "--frequency", "monthly", "--period", "2026-03", "--cutoff-day", "1",
                       "--json")  # fmt: skip
    assert json.loads(out) == {"start": "2026-02-01", "end": "2026-02-28"}
    code, _, err = cli("reporting", "period", "--frequency", "monthly", "--period", "2026-03", "--cutoff-day", "31")
    assert code == 2 and "1..28" in err


def test_the_installed_entry_point(tmp_path) -> None:  # noqa: ANN001
    """The same through a separate process (`python -m cces`), as a person at the keyboard runs it."""
    ok = subprocess.run(
        [sys.executable, "-m", "cces", "reporting", "period", "--frequency", "monthly", "--period", "2026-01",
         "--json"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"start": "2025-12-15", "end": "2026-01-14"}
    bad = subprocess.run(
        [sys.executable, "-m", "cces", "reporting", "period", "--frequency", "quarterly", "--period", "2026-Q5",
         "--json"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "2026-Q5" in bad.stderr

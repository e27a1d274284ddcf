"""Read an employee file for the hub: XLSX in a child process with a memory and time limit.

`hub.people.sheets` reads a sheet row by row and stops at the caps, but openpyxl still builds
some parts of a workbook whole before the first row: its styles (a 41 KB file with 100,000 cell
formats took 138 MB and 7 s), and a row's cells (one row of a million empty cells, 9 KB zipped,
took 300 MB). No cap on the rows can bound those, so an XLSX file is read by `python -m
hub.people.sheet_process` under `RLIMIT_AS` and `RLIMIT_CPU`: a file that needs more is
refused with a clear message and the hub's own memory does not move. A CSV file is read in
the calling process (its text is at most the file size).

The child answers with JSON on stdout; its text cells go through a table of distinct strings, so
that a file repeating one long shared string in every row does not grow on the way back.
"""

from __future__ import annotations

import json
import logging
import math
import resource
import subprocess
import sys
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from hub.people.sheets import (
    EMPLOYEE_COLUMNS,
    Cell,
    ImportFileError,
    ImportLimits,
    SheetColumns,
    SourceRow,
    check_size,
    read_csv,
    read_xlsx_here,
)

log = logging.getLogger(__name__)
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding `hub`: the child imports the same code
_STDERR_SHOWN = 2_000  # characters of a failed child's stderr put in the log


def read_employee_file(
    path: Path, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS
) -> tuple[list[SourceRow], list[str]]:
    """Rows of a .csv or .xlsx file and the columns it has that are not ours (the size checked before reading)."""
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise ImportFileError(f"{path.name}: cần tệp .csv hoặc .xlsx / expected a .csv or .xlsx file")
    check_size(path.stat().st_size, limits)
    return read_upload(path.name, path.read_bytes(), limits, columns)


def read_upload(
    filename: str, data: bytes, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS
) -> tuple[list[SourceRow], list[str]]:
    """An uploaded file by its name: .xlsx/.xlsm as a workbook, anything else as CSV."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return read_xlsx(data, limits, columns)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise ImportFileError(
            "chỉ đọc được tệp .xlsx hoặc .csv; trong Excel hãy lưu lại dạng .xlsx / only .xlsx and .csv files are"
            " read; save it again as .xlsx from Excel"
        )
    return read_csv(data, limits, columns)


def read_xlsx(
    data: bytes, limits: ImportLimits, columns: SheetColumns = EMPLOYEE_COLUMNS
) -> tuple[list[SourceRow], list[str]]:
    """`hub.people.sheets.read_xlsx_here` run in a child process within `limits`' memory and time."""
    check_size(len(data), limits)
    try:
        done = subprocess.run(
            [sys.executable, "-m", __name__, json.dumps(asdict(limits)), json.dumps(columns.as_json())],
            input=data,
            capture_output=True,
            cwd=_PACKAGE_ROOT,
            timeout=limits.reader_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise _too_costly(limits) from exc
    if done.returncode != 0 or not done.stdout:
        log.warning(
            "the XLSX reader exited with %s: %s",
            done.returncode,
            done.stderr.decode(errors="replace")[-_STDERR_SHOWN:],
        )
        raise _too_costly(limits)
    answer = json.loads(done.stdout)
    if "error" in answer:
        raise ImportFileError(answer["error"])
    return decode(answer)


def _too_costly(limits: ImportLimits) -> ImportFileError:
    mb = limits.reader_memory_bytes // (1024 * 1024)
    s = f"{limits.reader_seconds:g}"
    return ImportFileError(
        f"bảng tính cần hơn {mb} MB bộ nhớ hoặc {s} giây để đọc; hãy mở bằng Excel, chỉ giữ danh sách rồi lưu lại"
        f" / reading the workbook needs more than {mb} MB of memory or {s} s; open it in Excel, keep only the"
        " list and save it again"
    )


# --- the answer on the wire: JSON, text cells by their index in a table of distinct strings ---------


def encode(rows: list[SourceRow], ignored: list[str]) -> dict[str, Any]:
    strings: dict[str, int] = {}

    def cell(value: Cell) -> Any:
        if isinstance(value, str):
            return {"s": strings.setdefault(value, len(strings))}
        if isinstance(value, datetime):
            return {"dt": value.isoformat()}
        if isinstance(value, date):
            return {"d": value.isoformat()}
        if isinstance(value, time):
            return {"t": value.isoformat()}
        if isinstance(value, timedelta):
            return {"td": value.total_seconds()}
        if isinstance(value, float) and not math.isfinite(value):
            return {"f": repr(value)}
        return value  # None, bool, int, float

    encoded = [[row.number, {column: cell(v) for column, v in row.values.items()}] for row in rows]
    return {"strings": list(strings), "rows": encoded, "ignored": ignored}


def decode(answer: dict[str, Any]) -> tuple[list[SourceRow], list[str]]:
    strings: list[str] = answer["strings"]

    def cell(value: Any) -> Cell:
        if not isinstance(value, dict):
            return value  # type: ignore[no-any-return]
        ((kind, raw),) = value.items()
        if kind == "s":
            return strings[raw]
        if kind == "dt":
            return datetime.fromisoformat(raw)
        if kind == "d":
            return date.fromisoformat(raw)
        if kind == "t":
            return time.fromisoformat(raw)
        if kind == "td":
            return timedelta(seconds=raw)
        return float(raw)

    rows = [SourceRow(number, {column: cell(v) for column, v in values.items()}) for number, values in answer["rows"]]
    return rows, list(answer["ignored"])


# --- the child ---------------------------------------------------------------------------------


def main() -> int:
    """Read the workbook on stdin within the limits given as JSON in argv[1]; the answer on stdout."""
    limits = ImportLimits(**json.loads(sys.argv[1]))
    columns = EMPLOYEE_COLUMNS
    if len(sys.argv) > 2:
        known = json.loads(sys.argv[2])
        columns = SheetColumns(tuple(known["required"]), dict(known["header"]))
    memory = limits.reader_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = math.ceil(limits.reader_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    data = sys.stdin.buffer.read(limits.max_file_bytes + 1)
    try:
        answer = encode(*read_xlsx_here(data, limits, columns))
    except ImportFileError as exc:
        answer = {"error": str(exc)}
    sys.stdout.buffer.write(json.dumps(answer, ensure_ascii=False).encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The staff import carries what leave needs: ngày bắt đầu công tác (service start) and the working
condition (art. 113), from their Vietnamese headers and values; a blank cell keeps what is stored."""

from __future__ import annotations

from datetime import date

import psycopg

from hub.people.importing import import_employees
from hub.people.sheets import EMPLOYEE_COLUMNS
from hub.people.text import fold


def facts(conn: psycopg.Connection, code: str) -> tuple[date | None, str]:
    row = conn.execute("SELECT service_start, working_condition FROM employees WHERE employee_code = %s", (code,))
    found = row.fetchone()
    assert found is not None
    return found[0], found[1]


def test_service_start_and_working_condition_are_imported(org: psycopg.Connection) -> None:
    base = {"full_name": "Phạm Thu Hà", "unit_code": "DOI1"}
    report = import_employees(
        org,
        [
            base | {"employee_code": "NV010", "person_id": "nv-0010", "service_start": "15/09/2021",
                    "working_condition": "Nặng nhọc"},
            base | {"employee_code": "NV011", "person_id": "nv-0011", "working_condition": "đặc biệt nặng nhọc"},
            base | {"employee_code": "NV012", "person_id": "nv-0012", "working_condition": "rất nặng"},
        ],
    )  # fmt: skip
    assert report.inserted == 2 and [(e.row, e.column) for e in report.rejected] == [(4, "working_condition")]
    assert facts(org, "NV010") == (date(2021, 9, 15), "heavy")
    assert facts(org, "NV011") == (None, "especially_heavy")
    # a later file without those columns keeps them
    again = import_employees(org, [base | {"employee_code": "NV010", "person_id": "nv-0010"}])
    assert again.updated == 1 and facts(org, "NV010") == (date(2021, 9, 15), "heavy")
    changed = import_employees(org, [base | {"employee_code": "NV010", "person_id": "nv-0010",
                                             "working_condition": "bình thường"}])  # fmt: skip
    assert changed.updated == 1 and facts(org, "NV010") == (date(2021, 9, 15), "normal")


def test_the_vietnamese_headers_are_recognised() -> None:
    names = ["Ngày bắt đầu công tác", "Điều kiện lao động", "Từ ngày"]
    columns = [EMPLOYEE_COLUMNS.header.get(fold(n).replace("_", " ")) for n in names]
    assert columns == ["service_start", "working_condition", "active_from"]

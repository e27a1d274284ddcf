"""The org-unit tree (materialized path) and employee search, on a real database."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from hub.people import repository
from hub.people.models import UnitKind
from hub.people.service import InvalidUnit, UnknownUnit, create_unit, find_employees, unit_tree


def test_tree_nests_units_and_paths_follow_ids(org: psycopg.Connection) -> None:
    roots = unit_tree(org)
    assert [r.unit.code for r in roots] == ["TCHQ"]
    assert [c.unit.code for c in roots[0].children] == ["CHQHCM", "CHQHN"]
    hanoi = roots[0].children[1]
    team = hanoi.children[0].children[0]
    assert team.unit.code == "DOI1" and team.unit.kind is UnitKind.TEAM and team.unit.depth == 3
    assert team.unit.path == f"{hanoi.children[0].unit.path}{team.unit.id}/"
    assert [n.unit.code for n in unit_tree(org, "CHQHN")] == ["CHQHN"]


def test_a_moved_unit_takes_its_subtree_along(org: psycopg.Connection) -> None:
    org.execute(
        "UPDATE org_units SET parent_id = (SELECT id FROM org_units WHERE code = 'CHQHCM') WHERE code = 'CCHQNB'"
    )
    hcm = repository.unit_by_code(org, "CHQHCM")
    team = repository.unit_by_code(org, "DOI1")
    assert hcm and team and team.path.startswith(hcm.path)
    with pytest.raises(psycopg.errors.RaiseException, match="own subtree"):
        org.execute(
            "UPDATE org_units SET parent_id = (SELECT id FROM org_units WHERE code = 'DOI1') WHERE code = 'CHQHCM'"
        )


def test_unit_levels_are_enforced(org: psycopg.Connection) -> None:
    with pytest.raises(InvalidUnit, match="cannot sit under"):
        create_unit(org, "X1", "Cục lạc chỗ", UnitKind.DEPARTMENT, "CCHQNB")
    with pytest.raises(InvalidUnit, match="needs a parent"):
        create_unit(org, "X2", "Đội mồ côi", UnitKind.TEAM)
    with pytest.raises(UnknownUnit):
        create_unit(org, "X3", "Đội", UnitKind.TEAM, "NOPE")
    team = create_unit(org, "DOI9", "Đội Kiểm soát", UnitKind.TEAM, "CHQHCM")  # a team straight under a department
    assert team.parent_id == repository.unit_by_code(org, "CHQHCM").id  # type: ignore[union-attr]


def test_search_ignores_diacritics_and_case(org: psycopg.Connection) -> None:
    total, found = find_employees(org, query="nguyen DUC")
    assert total == 1 and found[0].full_name == "Nguyễn Văn Đức"
    assert [e.employee_code for e in find_employees(org, query="đạt")[1]] == ["NV003"]
    assert find_employees(org, query="nv-0002")[1][0].employee_code == "NV002"
    assert find_employees(org, query="100%")[0] == 0  # LIKE wildcards in the query are literal


def test_search_by_subtree_with_pagination(org: psycopg.Connection) -> None:
    total, page = find_employees(org, unit_code="CHQHN", limit=1)
    assert total == 2 and [e.employee_code for e in page] == ["NV002"]
    assert [e.employee_code for e in find_employees(org, unit_code="CHQHN", limit=1, offset=1)[1]] == ["NV001"]
    assert find_employees(org, unit_code="CHQHN", offset=5) == (2, [])
    assert find_employees(org, unit_code="DOI1")[0] == 1


def test_search_by_employment_date(org: psycopg.Connection) -> None:
    org.execute("UPDATE employees SET active_to = '2025-06-30' WHERE employee_code = 'NV003'")
    assert find_employees(org, active_on=date(2025, 7, 1))[0] == 2
    assert find_employees(org, active_on=date(2025, 6, 30))[0] == 3

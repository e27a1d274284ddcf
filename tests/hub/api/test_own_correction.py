"""Nobody corrects their own attendance (issue 12, item 7): the UI never offered it, and the API
answered 201; the timekeeping service refuses it now, so both say 403, in Vietnamese and English,
and nothing is written."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from hub.accounts.principal import Role
from hub.timekeeping.engine import DayStatus
from hub.timekeeping.service import OwnCorrection, record_correction
from tests.hub.api.conftest import Api

BODY = {"day": "2025-11-04", "status": "present", "reason": "Quên chấm công, tự sửa"}


def _written(org: psycopg.Connection) -> tuple[int, int]:
    corrections = org.execute("SELECT count(*) FROM timekeeping_corrections").fetchone()
    audited = org.execute("SELECT count(*) FROM audit_log WHERE action = 'correction.create'").fetchone()
    assert corrections is not None and audited is not None
    return corrections[0], audited[0]


def test_a_manager_cannot_correct_their_own_attendance_through_the_api(api: Api, org: psycopg.Connection) -> None:
    manager = api.client_as("truongdoi", (Role.MANAGER, "CCHQNB"), employee="NV002")  # NV002 works in CCHQNB
    own = manager.post("/api/v1/employees/NV002/corrections", json=BODY)
    assert own.status_code == 403, own.text
    assert "chấm công của chính mình" in own.json()["detail"] and "your own attendance" in own.json()["detail"]
    assert _written(org) == (0, 0)
    # the same manager corrects someone else of the unit
    assert manager.post("/api/v1/employees/NV001/corrections", json=BODY).status_code == 201
    assert _written(org) == (1, 1)


def test_hr_with_the_widest_grant_cannot_correct_themself_either(api: Api, org: psycopg.Connection) -> None:
    hr = api.client_as("nhansu", (Role.HR, "TCHQ"), employee="NV003")
    assert hr.post("/api/v1/employees/NV003/corrections", json=BODY).status_code == 403
    assert _written(org) == (0, 0)


def test_the_timekeeping_service_refuses_it_for_every_caller(api: Api, org: psycopg.Connection) -> None:
    api.client_as("truongdoi", (Role.MANAGER, "CCHQNB"), employee="NV002")
    with pytest.raises(OwnCorrection, match="your own attendance"):
        record_correction(org, "NV002", day=date(2025, 11, 4), status=DayStatus.PRESENT, reason="x", author="truongdoi")
    assert _written(org) == (0, 0)

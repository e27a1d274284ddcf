"""Roles and unit scope through the real API: who sees whose month, which units a manager reaches,
who corrects, edits the calendar, manages devices and accounts, reads the audit log; sign-in,
sign-out, session expiry and the sign-in rate limit, all on real PostgreSQL.

The org (tests/hub/orgdata.py): TCHQ → CHQHN → CCHQNB → DOI1, and TCHQ → CHQHCM.
NV001 works in DOI1, NV002 in CCHQNB (both under CHQHN), NV003 in CHQHCM.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from hub.accounts.models import AccountsPolicy
from hub.accounts.principal import Role
from hub.settings import HubSettings
from tests.hub.api.conftest import PASSWORD, Api, make_api
from tests.hub.orgdata import add_event

MONTH = "2025-11"


def test_an_employee_opens_their_own_month_but_not_another_persons(api: Api) -> None:
    me = api.client_as("nv001", (Role.EMPLOYEE, None), employee="NV001")
    own = me.get(f"/api/v1/employees/NV001/timekeeping/{MONTH}")
    assert own.status_code == 200 and own.json()["employee"]["employee_code"] == "NV001"
    other = me.get(f"/api/v1/employees/NV002/timekeeping/{MONTH}")
    assert other.status_code == 403 and "another person" in other.json()["detail"]
    assert me.get("/api/v1/units/DOI1/days/2025-11-03").status_code == 403  # not even their own unit's day
    assert me.get(f"/api/v1/timesheets/DOI1/{MONTH}").status_code == 403
    assert me.get("/api/v1/employees").status_code == 403
    body = {"day": "2025-11-04", "status": "present", "reason": "tự sửa"}
    assert me.post("/api/v1/employees/NV001/corrections", json=body).status_code == 403  # nobody corrects themself
    assert [u["code"] for u in me.get("/api/v1/org-units").json()] == ["DOI1"]  # their own unit only
    me_info = me.get("/api/v1/auth/me").json()
    assert me_info["employee_code"] == "NV001" and [g["role"] for g in me_info["grants"]] == ["employee"]


def test_a_manager_of_a_unit_sees_its_subtree_only(api: Api, org: psycopg.Connection) -> None:
    add_event(org, "nv-0001", datetime(2025, 11, 3, 8, 30), "in")
    boss = api.client_as("truongchq", (Role.MANAGER, "CHQHN"))
    staff = boss.get("/api/v1/employees").json()
    assert staff["total"] == 2 and {e["employee_code"] for e in staff["items"]} == {"NV001", "NV002"}
    page = boss.get("/api/v1/employees", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [e["employee_code"] for e in page["items"]] == ["NV001"]  # ordered by unit path
    assert boss.get("/api/v1/employees", params={"unit": "CHQHCM"}).status_code == 403
    assert boss.get("/api/v1/employees", params={"unit": "DOI1"}).json()["total"] == 1

    day = boss.get("/api/v1/units/CHQHN/days/2025-11-03")
    assert day.status_code == 200 and day.json()["total"] == 2
    assert boss.get("/api/v1/units/DOI1/days/2025-11-03").status_code == 200  # a sub-unit
    assert boss.get("/api/v1/units/CHQHCM/days/2025-11-03").status_code == 403  # unit B
    assert boss.get("/api/v1/units/TCHQ/days/2025-11-03").status_code == 403  # the parent is not theirs
    assert boss.get(f"/api/v1/timesheets/CCHQNB/{MONTH}").status_code == 200
    assert boss.get(f"/api/v1/timesheets/CHQHCM/{MONTH}").status_code == 403
    assert boss.get(f"/api/v1/employees/NV001/timekeeping/{MONTH}").status_code == 200
    assert boss.get(f"/api/v1/employees/NV003/timekeeping/{MONTH}").status_code == 403
    assert boss.get("/api/v1/units/NOPE/days/2025-11-03").status_code == 404
    tree = boss.get("/api/v1/org-units").json()
    assert [u["code"] for u in tree] == ["CHQHN"] and tree[0]["children"][0]["code"] == "CCHQNB"
    assert boss.get("/api/v1/org-units", params={"root": "CHQHCM"}).status_code == 403


def test_a_manager_with_two_units_gets_one_list_paged_across_both(api: Api) -> None:
    both = api.client_as("hai-don-vi", (Role.MANAGER, "DOI1"), (Role.MANAGER, "CHQHCM"))
    staff = both.get("/api/v1/employees").json()
    assert staff["total"] == 2 and {e["employee_code"] for e in staff["items"]} == {"NV001", "NV003"}
    second = both.get("/api/v1/employees", params={"limit": 1, "offset": 1}).json()
    assert second["total"] == 2 and len(second["items"]) == 1
    first = both.get("/api/v1/employees", params={"limit": 1, "offset": 0}).json()
    assert {first["items"][0]["employee_code"], second["items"][0]["employee_code"]} == {"NV001", "NV003"}


def test_corrections_need_a_manager_or_hr_over_the_employees_unit(api: Api, org: psycopg.Connection) -> None:
    body = {"day": "2025-11-04", "status": "present", "reason": "Quên chấm công ra, đã xác minh"}
    boss = api.client_as("truongdoi", (Role.MANAGER, "DOI1"))
    made = boss.post("/api/v1/employees/NV001/corrections", json=body)
    assert made.status_code == 201 and made.json()["author"] == "truongdoi"
    assert boss.post("/api/v1/employees/NV002/corrections", json=body).status_code == 403  # NV002 is above DOI1
    hr = api.client_as("tccb-hcm", (Role.HR, "CHQHCM"))
    assert hr.post("/api/v1/employees/NV003/corrections", json=body).status_code == 201
    assert hr.post("/api/v1/employees/NV001/corrections", json=body).status_code == 403
    clerk = api.client_as("vanthu", (Role.CLERK, "TCHQ"))
    assert clerk.post("/api/v1/employees/NV001/corrections", json=body).status_code == 403
    assert org.execute("SELECT count(*) FROM timekeeping_corrections").fetchone() == (2,)


def test_calendar_edits_need_hr_and_everyone_reads_it(api: Api) -> None:
    body = {"days_off": {"2026-01-02": "Hoán đổi"}, "working_days": {"2026-01-10": "Làm bù cho 2/1"}}
    boss = api.client_as("sep", (Role.MANAGER, "TCHQ"))
    assert boss.put("/api/v1/calendar/2026", json=body).status_code == 403
    assert boss.get("/api/v1/calendar/2026").status_code == 200
    hr = api.client_as("tccb", (Role.HR, "TCHQ"))
    saved = hr.put("/api/v1/calendar/2026", json=body)
    assert saved.status_code == 200 and saved.json()["author"] == "tccb"


def test_devices_and_enrollment_need_an_admin(api: Api) -> None:
    office = api.client_as("qtdv", (Role.OFFICE_ADMIN, "CHQHN"))
    assert office.get("/api/v1/devices").status_code == 200
    boss = api.client_as("sep2", (Role.MANAGER, "TCHQ"))
    assert boss.get("/api/v1/devices").status_code == 403
    assert boss.patch("/api/v1/devices/door-x-01", json={"site": "x"}).status_code == 403


def test_an_office_admin_manages_accounts_within_their_units_only(api: Api) -> None:
    office = api.client_as("qtdv-hn", (Role.OFFICE_ADMIN, "CHQHN"))
    new = {"username": "nv001", "password": PASSWORD, "employee_code": "NV001", "grants": [{"role": "employee"}]}
    created = office.post("/api/v1/users", json=new)
    assert created.status_code == 201, created.text
    user = created.json()
    assert user["employee_name"] == "Nguyễn Văn Đức" and user["display_name"] == "Nguyễn Văn Đức"
    assert [(g["role"], g["unit_code"]) for g in user["grants"]] == [("employee", "DOI1")]
    granted = office.post(f"/api/v1/users/{user['id']}/grants", json={"role": "manager", "unit_code": "DOI1"})
    assert granted.status_code == 201 and len(granted.json()["grants"]) == 2
    # no escalation, nothing outside their units
    assert (
        office.post(
            f"/api/v1/users/{user['id']}/grants", json={"role": "office_admin", "unit_code": "DOI1"}
        ).status_code
        == 403
    )
    assert (
        office.post(f"/api/v1/users/{user['id']}/grants", json={"role": "manager", "unit_code": "CHQHCM"}).status_code
        == 403
    )
    outside = {**new, "username": "nv003", "employee_code": "NV003"}
    assert office.post("/api/v1/users", json=outside).status_code == 403
    admin_user = office.get("/api/v1/users", params={"q": "admin"}).json()
    assert admin_user["total"] == 0  # the system admin is not in their units
    listed = office.get("/api/v1/users").json()
    assert {u["username"] for u in listed["items"]} == {"qtdv-hn", "nv001"}
    assert office.get("/api/v1/users/1").status_code == 403  # admin's account
    # bad input: a clear 422, nothing written
    weak = office.post("/api/v1/users", json={**new, "username": "x2", "employee_code": None, "password": "123"})
    assert weak.status_code == 422 and "8" in weak.json()["detail"]
    taken = office.post(
        "/api/v1/users", json={**new, "employee_code": None, "grants": [{"role": "clerk", "unit_code": "DOI1"}]}
    )
    assert taken.status_code == 422 and "taken" in taken.json()["detail"]
    bad_role = office.post("/api/v1/users", json={**new, "username": "x3", "grants": [{"role": "king"}]})
    assert bad_role.status_code == 422
    # disabling ends that account's sessions at once
    nv001 = api.sign_in("nv001")
    assert nv001.get("/api/v1/auth/me").status_code == 200
    disabled = office.patch(f"/api/v1/users/{user['id']}", json={"disabled": True})
    assert disabled.status_code == 200 and disabled.json()["disabled"]
    assert nv001.get("/api/v1/auth/me").status_code == 401
    again = TestClient(api.app).post("/api/v1/auth/sign-in", json={"username": "nv001", "password": PASSWORD})
    assert again.status_code == 403 and again.json()["reason"] == "disabled"


def test_sign_in_sets_an_httponly_cookie_and_sign_out_revokes_the_session(api: Api) -> None:
    api.client_as("nv002", (Role.EMPLOYEE, None), employee="NV002")
    client = TestClient(api.app)
    response = client.post("/api/v1/auth/sign-in", json={"username": "  NV002 ", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("cces_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    token = response.json()["token"]
    assert response.json()["user"]["username"] == "nv002"
    bearer = {"Authorization": f"Bearer {token}"}
    assert TestClient(api.app).get("/api/v1/auth/me", headers=bearer).status_code == 200
    assert client.get("/api/v1/auth/me").json()["employee_code"] == "NV002"
    assert client.post("/api/v1/auth/sign-out").status_code == 204
    assert TestClient(api.app).get("/api/v1/auth/me", headers=bearer).status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401


def test_changing_ones_password_ends_the_other_sessions(api: Api) -> None:
    first = api.client_as("doi-mk", (Role.EMPLOYEE, None), employee="NV003")
    second = api.sign_in("doi-mk")
    wrong = first.post("/api/v1/auth/password", json={"current_password": "sai", "new_password": "mat-khau-moi-99"})
    assert wrong.status_code == 422
    changed = first.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "mat-khau-moi-99"}
    )
    assert changed.status_code == 204
    assert first.get("/api/v1/auth/me").status_code == 200  # this session stays
    assert second.get("/api/v1/auth/me").status_code == 401  # the others end
    api.sign_in("doi-mk", "mat-khau-moi-99")


def test_audit_rows_record_before_and_after_and_are_searchable(
    api: Api, client: TestClient, org: psycopg.Connection
) -> None:
    url = "/api/v1/employees/NV001/corrections"
    first = {"day": "2025-11-04", "status": "present", "reason": "Quên chấm công ra"}
    assert client.post(url, json=first).status_code == 201
    assert client.post(url, json={**first, "status": "absent", "reason": "Đi muộn không phép"}).status_code == 201
    assert client.post("/api/v1/employees/NV003/corrections", json=first).status_code == 201
    assert client.put("/api/v1/calendar/2026", json={"days_off": {"2026-01-02": "Hoán đổi"}}).status_code == 200
    assert client.put("/api/v1/calendar/2026", json={"days_off": {"2026-01-05": "Khác"}}).status_code == 200

    found = client.get("/api/v1/audit", params={"action": "correction.create", "entity_id": "NV001"}).json()
    assert found["total"] == 2
    newest, oldest = found["items"]
    assert oldest["before"] is None and oldest["after"]["status"] == "present"
    assert newest["before"]["status"] == "present" and newest["after"]["status"] == "absent"
    assert newest["actor"] == "admin" and newest["client_ip"] == "testclient" and newest["actor_user_id"] == 1
    calendar = client.get("/api/v1/audit", params={"entity": "calendar"}).json()["items"][0]
    assert calendar["before"]["version"] == 1 and calendar["after"]["version"] == 2
    assert calendar["after"]["decisions"]["days_off"] == {"2026-01-05": "Khác"}

    # free text ignores diacritics and case; several words must all occur
    assert client.get("/api/v1/audit", params={"q": "di muon KHONG phep"}).json()["total"] == 1
    assert client.get("/api/v1/audit", params={"q": "quen cham cong NV003"}).json()["total"] == 1
    # by actor, by an action prefix, by date range, paginated
    assert client.get("/api/v1/audit", params={"actor": "admin", "action": "sign_in."}).json()["total"] >= 1
    now = datetime.now(UTC)
    window = {"from": (now - timedelta(minutes=5)).isoformat(), "to": (now + timedelta(minutes=1)).isoformat()}
    everything = client.get("/api/v1/audit", params=window).json()
    assert everything["total"] >= 6
    assert client.get("/api/v1/audit", params={"to": (now - timedelta(hours=1)).isoformat()}).json()["total"] == 0
    pages = [client.get("/api/v1/audit", params={**window, "limit": 2, "offset": o}).json()["items"] for o in (0, 2)]
    assert len(pages[0]) == 2 and {e["id"] for e in pages[0]}.isdisjoint({e["id"] for e in pages[1]})

    # an office admin reads the rows of their units only; an employee none
    office = api.client_as("qtdv", (Role.OFFICE_ADMIN, "CHQHN"))
    theirs = office.get("/api/v1/audit", params={"action": "correction.create"}).json()
    assert theirs["total"] == 2 and {e["entity_id"] for e in theirs["items"]} == {"NV001"}
    plain = api.client_as("nv002", (Role.EMPLOYEE, None), employee="NV002")
    assert plain.get("/api/v1/audit").status_code == 403


def test_a_refused_change_leaves_no_audit_row(client: TestClient, org: psycopg.Connection) -> None:
    before = org.execute("SELECT count(*) FROM audit_log").fetchone()
    bad = client.post(
        "/api/v1/employees/NV001/corrections", json={"day": "2999-01-01", "status": "present", "reason": "x"}
    )
    assert bad.status_code == 422
    assert client.patch("/api/v1/devices/door-zz-99", json={"site": "x"}).status_code == 404
    assert org.execute("SELECT count(*) FROM audit_log").fetchone() == before


def test_device_patch_and_import_are_audited(client: TestClient, org: psycopg.Connection) -> None:
    org.execute("INSERT INTO devices (device_id, kind, site) VALUES ('door-a-01', 'faceid', 'Hà Nội')")
    assert client.patch("/api/v1/devices/door-a-01", json={"site": "Nội Bài", "direction": "in"}).status_code == 200
    row = client.get("/api/v1/audit", params={"entity": "device", "entity_id": "door-a-01"}).json()["items"][0]
    assert row["action"] == "device.update"
    assert row["before"] == {"kind": "faceid", "site": "Hà Nội", "room": None, "direction": None}
    assert row["after"] == {"kind": "faceid", "site": "Nội Bài", "room": None, "direction": "in"}
    csv = "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID\nNV201,Phan Văn Trị,DOI1,nv-0201\n"
    assert (
        client.post("/api/v1/employees/import", files={"file": ("ds.csv", csv.encode(), "text/csv")}).status_code == 200
    )
    imported = client.get("/api/v1/audit", params={"action": "employee.import"}).json()["items"][0]
    assert imported["after"]["inserted"] == 1 and imported["after"]["employee_codes"] == ["NV201"]


def test_an_hr_import_outside_their_units_is_refused_whole(api: Api, org: psycopg.Connection) -> None:
    hr = api.client_as("tccb-hn", (Role.HR, "CHQHN"))
    mixed = "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID\nNV301,A B,DOI1,nv-0301\nNV302,C D,CHQHCM,nv-0302\n"
    refused = hr.post("/api/v1/employees/import", files={"file": ("ds.csv", mixed.encode(), "text/csv")})
    assert refused.status_code == 403 and "[3]" in refused.json()["detail"]
    assert org.execute("SELECT count(*) FROM employees WHERE employee_code LIKE 'NV30%'").fetchone() == (0,)
    mine = "Mã nhân viên,Họ và tên,Mã đơn vị,Mã FaceID\nNV301,A B,DOI1,nv-0301\n"
    assert (
        hr.post("/api/v1/employees/import", files={"file": ("ds.csv", mine.encode(), "text/csv")}).json()["inserted"]
        == 1
    )


# --- sessions expire, sign-in is rate limited (short times through the settings) ---------------


@pytest.fixture
def quick_api(database_url: str, org: psycopg.Connection, tmp_path: Path):
    settings = HubSettings(
        data_dir=tmp_path,
        session_idle_minutes=2 / 60,  # 2 s
        session_max_hours=6 / 3600,  # 6 s
        signin_max_failures=3,
        signin_max_failures_per_ip=1000,
        # a long window, so that three slow hashes on a loaded machine still fall within it; the lock
        # itself ends `lockout` after the last failure
        signin_window_minutes=10,
        signin_lockout_minutes=6 / 60,
    )
    yield from make_api(database_url, tmp_path, AccountsPolicy.from_settings(settings.accounts))


def test_a_session_ends_when_idle_and_at_its_lifetime_even_when_busy(quick_api: Api) -> None:
    idle = quick_api.client_as("nv001", (Role.EMPLOYEE, None), employee="NV001")
    busy = quick_api.sign_in("nv001")
    started = time.monotonic()
    while time.monotonic() - started < 3.0:  # requests keep `busy` alive past the idle time
        assert busy.get("/api/v1/auth/me").status_code == 200
        time.sleep(0.5)
    assert idle.get("/api/v1/auth/me").status_code == 401  # 3 s without a request > 2 s idle
    while time.monotonic() - started < 6.5:
        busy.get("/api/v1/auth/me")
        time.sleep(0.5)
    assert busy.get("/api/v1/auth/me").status_code == 401  # 6 s absolute lifetime


def test_sign_in_is_locked_after_repeated_failures_and_unlocks_after_the_window(quick_api: Api) -> None:
    quick_api.client_as("nv001", (Role.EMPLOYEE, None), employee="NV001")
    client = TestClient(quick_api.app)

    def attempt(username: str, password: str):
        return client.post("/api/v1/auth/sign-in", json={"username": username, "password": password})

    wrong_password = attempt("nv001", "sai-mat-khau")
    unknown_user = attempt("khong-ton-tai", "sai-mat-khau")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json() == unknown_user.json()  # no user enumeration
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong_password.json()["detail"] and "Wrong" in wrong_password.text
    assert attempt("nv001", "sai-2").status_code == 401
    assert attempt("nv001", "sai-3").status_code == 401
    locked = attempt("nv001", PASSWORD)  # the right password is refused while locked
    assert locked.status_code == 429 and locked.json()["reason"] == "locked"
    assert int(locked.headers["retry-after"]) >= 1
    assert "thử lại sau" in locked.json()["detail"] and "try again" in locked.json()["detail"]
    assert attempt("khong-ton-tai", "x").status_code == 401  # another username is not locked by nv001's failures
    time.sleep(6.5)
    assert attempt("nv001", PASSWORD).status_code == 200
    audit = quick_api.services.accounts.search_audit(quick_api.admin, _query(entity_id="nv001"))[1]
    assert [e.action for e in audit][:2] == ["sign_in.locked", "sign_in.failed"]


def test_the_per_address_limit_catches_guessing_across_usernames(
    database_url: str, org: psycopg.Connection, tmp_path: Path
) -> None:
    from hub.accounts.models import SignInRefused

    policy = AccountsPolicy(max_failures_per_user=100, max_failures_per_ip=4, failure_window=timedelta(minutes=1))
    running = make_api(database_url, tmp_path, policy)
    api = next(running)
    try:
        client = TestClient(api.app)
        for i in range(4):
            assert client.post("/api/v1/auth/sign-in", json={"username": f"u{i}", "password": "x"}).status_code == 401
        assert client.post("/api/v1/auth/sign-in", json={"username": "u9", "password": "x"}).status_code == 429
        # another address is not affected
        with pytest.raises(SignInRefused) as refused:
            api.services.accounts.sign_in("u9", "x", client_ip="10.0.0.9")
        assert refused.value.reason == "bad_credentials"
    finally:
        running.close()


def _query(**filters: object):
    from hub.accounts.models import AuditQuery

    return AuditQuery(**filters)  # type: ignore[arg-type]

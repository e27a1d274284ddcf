"""Account administration rules: validation, no escalation, the last system admin stays."""

from __future__ import annotations

import psycopg
import pytest

from hub.accounts.models import AccessDenied, AccountError, AuditQuery, UnknownUser
from hub.accounts.principal import Principal, Role
from hub.accounts.service import GrantSpec
from hub.services import HubServices
from tests.hub.conftest import ADMIN_PASSWORD, PASSWORD


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": "a"}, "2–64 characters"),
        ({"username": "có dấu"}, "2–64 characters"),
        ({"password": "short"}, "at least 8"),
        ({"password": "nguoi-dung"}, "cannot be the username"),
        ({"employee_code": "NV999"}, "no employee has the code 'NV999'"),
        ({"grants": [GrantSpec(Role.MANAGER)]}, "needs a unit"),
        ({"grants": [GrantSpec(Role.SYSTEM_ADMIN, "TCHQ")]}, "takes no unit"),
        ({"grants": [GrantSpec(Role.MANAGER, "NOPE")]}, "no org unit has the code 'NOPE'"),
        ({"grants": [GrantSpec("king", "TCHQ")]}, "unknown role 'king'"),
        ({"language": "fr"}, "language"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_is_written(
    services: HubServices, admin: Principal, org: psycopg.Connection, changes: dict, message: str
) -> None:
    values = {"username": "nguoi-dung", "password": PASSWORD, **changes}
    with pytest.raises(AccountError, match=message):
        services.accounts.create_user(admin, **values)
    assert org.execute("SELECT count(*) FROM users").fetchone() == (1,)
    assert services.accounts.search_audit(admin, AuditQuery(action="user.create"))[0] == 0


def test_one_account_per_employee(services: HubServices, admin: Principal) -> None:
    services.accounts.create_user(admin, username="duc", password=PASSWORD, employee_code="NV001")
    with pytest.raises(AccountError, match="already has an account"):
        services.accounts.create_user(admin, username="duc2", password=PASSWORD, employee_code="NV001")


def test_the_last_system_admin_cannot_be_disabled_or_lose_the_role(services: HubServices, admin: Principal) -> None:
    with pytest.raises(AccountError, match="own account"):
        services.accounts.update_user(admin, admin.user_id, disabled=True)
    second = services.accounts.create_user(
        admin, username="admin2", password=PASSWORD, grants=[GrantSpec(Role.SYSTEM_ADMIN)]
    )
    other = services.accounts.sign_in("admin2", PASSWORD).principal
    services.accounts.update_user(other, admin.user_id, disabled=True)  # two admins: one may go
    with pytest.raises(AccountError, match="last enabled system admin"):
        services.accounts.remove_grant(other, second.id, second.grants[0].id)
    services.accounts.update_user(other, admin.user_id, disabled=False)
    assert services.accounts.remove_grant(other, second.id, second.grants[0].id).grants == ()


def test_an_office_admin_cannot_touch_admins_or_reach_outside(services: HubServices, admin: Principal) -> None:
    services.accounts.create_user(
        admin, username="qt", password=PASSWORD, grants=[GrantSpec(Role.OFFICE_ADMIN, "CHQHN")]
    )
    office = services.accounts.sign_in("qt", PASSWORD).principal
    with pytest.raises(AccessDenied):
        services.accounts.reset_password(office, admin.user_id, "mat-khau-moi-99")
    with pytest.raises(AccessDenied):
        services.accounts.get_user(office, admin.user_id)
    mixed = services.accounts.create_user(
        admin, username="hai-noi", password=PASSWORD,
        grants=[GrantSpec(Role.MANAGER, "DOI1"), GrantSpec(Role.MANAGER, "CHQHCM")],
    )  # fmt: skip
    assert services.accounts.get_user(office, mixed.id).username == "hai-noi"  # visible: partly theirs
    with pytest.raises(AccessDenied, match="outside your units"):
        services.accounts.update_user(office, mixed.id, disabled=True)  # not wholly theirs
    with pytest.raises(AccessDenied):
        services.accounts.create_user(
            office, username="lonely", password=PASSWORD
        )  # no employee, no grant in their units
    with pytest.raises(UnknownUser):
        services.accounts.get_user(admin, 999)
    # the admin still signs in: nothing above changed its password
    assert services.accounts.sign_in("admin", ADMIN_PASSWORD).principal.is_system_admin


def test_a_reset_password_ends_the_accounts_sessions(services: HubServices, admin: Principal) -> None:
    user = services.accounts.create_user(admin, username="lan", password=PASSWORD, employee_code="NV002")
    token = services.accounts.sign_in("lan", PASSWORD).token
    services.accounts.reset_password(admin, user.id, "mat-khau-moi-99")
    assert services.accounts.principal_for_session(token) is None
    assert services.accounts.sign_in("lan", "mat-khau-moi-99").principal.username == "lan"
    entry = services.accounts.search_audit(admin, AuditQuery(action="user.password_reset"))[1][0]
    assert entry.after == {"sessions_ended": 1} and "mat-khau" not in str(entry.after)

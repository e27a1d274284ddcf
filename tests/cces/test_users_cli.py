"""`cces users …` end to end on a real, migrated database (in-process `main`); the accounts it makes sign in."""

from __future__ import annotations

import io
import json

import psycopg
import pytest

from cces.cli import main
from hub.db import open_pool
from hub.services import HubServices
from tests.hub.orgdata import seed_org


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], database_url: str):
    """Run `cces ARGS` (with `stdin` text) against the test's database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("CCES_DATABASE_URL", database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        seed_org(conn)

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def signs_in(database_url: str, username: str, password: str) -> bool:
    from hub.accounts.models import SignInRefused

    pool = open_pool(database_url, 2, name="cces-cli-test")
    try:
        HubServices(pool, None).accounts.sign_in(username, password)
        return True
    except SignInRefused:
        return False
    finally:
        pool.close()


def test_add_list_passwd_grant_disable(cli, database_url: str) -> None:
    code, out, err = cli(
        "users", "add", "lan", "--role", "manager", "--unit", "CCHQNB", "--employee", "NV002", "--password-stdin",
        stdin="mat-khau-cua-lan\n",
    )  # fmt: skip
    assert code == 0, err
    assert "lan" in out and "manager@CCHQNB" in out
    assert signs_in(database_url, "lan", "mat-khau-cua-lan")

    code, out, _ = cli("users", "add", "qt", "--role", "system_admin", "--json")  # no tty, no stdin: generated
    created = json.loads(out)
    assert code == 0 and created["grants"] == [
        {"id": created["grants"][0]["id"], "role": "system_admin", "unit_code": None}
    ]
    assert signs_in(database_url, "qt", created["password"])

    code, out, _ = cli("users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(out)}
    assert code == 0 and set(listed) == {"lan", "qt"}
    assert listed["lan"]["employee_code"] == "NV002" and listed["lan"]["display_name"] == "Trần Thị Lan"

    assert cli("users", "passwd", "lan", "--password-stdin", stdin="mat-khau-moi-cua-lan\n")[0] == 0
    assert signs_in(database_url, "lan", "mat-khau-moi-cua-lan")
    assert not signs_in(database_url, "lan", "mat-khau-cua-lan")

    assert cli("users", "grant", "lan", "--role", "hr", "--unit", "CHQHN")[0] == 0
    assert cli("users", "disable", "lan")[0] == 0
    assert not signs_in(database_url, "lan", "mat-khau-moi-cua-lan")
    assert "(disabled)" in cli("users", "list")[1]

    with psycopg.connect(database_url) as conn:
        actions = conn.execute("SELECT action FROM audit_log WHERE actor = 'cli' ORDER BY id").fetchall()
    assert [a for (a,) in actions] == [
        "user.create", "user.create", "user.password_reset", "grant.create", "user.update",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "x1", "--role", "manager", "--password-stdin"], "mat-khau-dai-du\n", "needs a unit"),
        (["users", "add", "x1", "--role", "hr", "--unit", "NOPE", "--password-stdin"], "mat-khau-dai-du\n", "NOPE"),
        (["users", "add", "x1", "--role", "hr", "--unit", "DOI1", "--password-stdin"], "ngan\n", "at least 8"),
        (["users", "add", "x1", "--role", "hr", "--unit", "DOI1", "--password-stdin"], "", "no password"),
        (["users", "passwd", "nobody", "--password-stdin"], "mat-khau-dai-du\n", "no account is named"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(cli, args: list[str], stdin: str, message: str) -> None:
    code, out, err = cli(*args, stdin=stdin)
    assert code == 2 and message in err and "Traceback" not in err, err

"""`cces users …`: accounts from the command line, with the machine operator's authority.

Whoever can run `cces` on the hub machine can read its database anyway, so these commands act
as a system admin (audited as actor 'cli'). Passwords come from stdin (`--password-stdin`), a
prompt on a terminal, or are generated and printed once.

Module-level imports stay light: `cces` on a device (no hub dependencies) builds this parser too.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from cces.errors import UserError

ROLES = ("system_admin", "office_admin", "hr", "manager", "asset_officer", "clerk", "employee")


def _cli_principal() -> Any:
    from hub.accounts.principal import Principal

    return Principal.tool("cli", "Dòng lệnh / command line")


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated?) from stdin, a terminal prompt, or generated."""
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UserError("--password-stdin: no password on standard input")
        return line, False
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu / password: ")
        if first != getpass.getpass("Nhập lại / again: "):
            raise UserError("the two passwords differ")
        return first, False
    from hub.accounts.credentials import generate_password

    return generate_password(), True


def _run(args: argparse.Namespace, action: Callable[[Any, Any, Any], int]) -> int:
    """Open the migrated database and run `action(conn, policy, cli principal)`; account errors exit 2."""
    import psycopg

    from cces.context import hub_settings, migrated_database
    from hub.accounts.models import AccessDenied, AccountError, AccountsPolicy, UnknownUser

    policy = AccountsPolicy.from_settings(hub_settings(args).accounts)
    with migrated_database(args) as url, psycopg.connect(url, autocommit=True) as conn:
        try:
            return action(conn, policy, _cli_principal())
        except (AccountError, AccessDenied, UnknownUser) as exc:
            raise UserError(str(exc)) from exc


def _user_json(user: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "employee_code": user.employee_code,
        "disabled": user.disabled,
        "created_at": user.created_at.isoformat(),
        "grants": [{"id": g.id, "role": g.role.value, "unit_code": g.unit_code} for g in user.grants],
    }


def cmd_users_add(args: argparse.Namespace) -> int:
    from hub.accounts import admin

    password, generated = _password(args)

    def add(conn: Any, policy: Any, cli: Any) -> int:
        user = admin.create_user(
            conn, policy, cli, username=args.username, password=password, display_name=args.display_name,
            employee_code=args.employee, grants=[admin.GrantSpec(args.role, args.unit)],
        )  # fmt: skip
        if args.json:
            print(json.dumps({**_user_json(user), "password": password if generated else None}, ensure_ascii=False))
        else:
            grants = ", ".join(f"{g.role.value}@{g.unit_code or '*'}" for g in user.grants)
            print(f"account {user.username} created ({grants})")
            if generated:
                print(f"password: {password}  (shown once)")
        return 0

    return _run(args, add)


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from hub.accounts import admin

    password, generated = _password(args)

    def passwd(conn: Any, policy: Any, cli: Any) -> int:
        user = admin.user_by_username(conn, args.username)
        admin.reset_password(conn, policy, cli, user.id, password)
        print(f"password of {user.username} changed; its sessions ended")
        if generated:
            print(f"password: {password}  (shown once)")
        return 0

    return _run(args, passwd)


def cmd_users_list(args: argparse.Namespace) -> int:
    from hub.accounts import admin

    def listing(conn: Any, _policy: Any, _cli: Any) -> int:
        users = admin.all_users(conn)
        if args.json:
            print(json.dumps([_user_json(u) for u in users], ensure_ascii=False))
            return 0
        for u in users:
            grants = ", ".join(f"{g.role.value}@{g.unit_code or '*'}" for g in u.grants) or "-"
            state = " (disabled)" if u.disabled else ""
            print(f"{u.username}{state}\t{u.display_name}\t{u.employee_code or '-'}\t{grants}")
        return 0

    return _run(args, listing)


def cmd_users_grant(args: argparse.Namespace) -> int:
    from hub.accounts import admin

    def grant(conn: Any, _policy: Any, cli: Any) -> int:
        user = admin.add_grant(conn, cli, admin.user_by_username(conn, args.username).id, args.role, args.unit)
        print(f"{user.username}: " + ", ".join(f"{g.role.value}@{g.unit_code or '*'}" for g in user.grants))
        return 0

    return _run(args, grant)


def cmd_users_disable(args: argparse.Namespace) -> int:
    from hub.accounts import admin

    def disable(conn: Any, _policy: Any, cli: Any) -> int:
        user = admin.user_by_username(conn, args.username)
        admin.update_user(conn, cli, user.id, disabled=not args.enable)
        print(f"{user.username} {'enabled' if args.enable else 'disabled (its sessions ended)'}")
        return 0

    return _run(args, disable)


def add_users_commands(
    add: Callable[..., argparse.ArgumentParser],
    sub: argparse._SubParsersAction,
    hub_config: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `cces users add|passwd|list|grant|disable` with cli.build_parser's helpers."""
    users = add("users", None, "accounts of the web UI and API (tài khoản)", sub)
    users_sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    p = add("add", cmd_users_add, "create an account with one role", users_sub)
    hub_config(p)
    p.add_argument("username", help="2–64 characters a-z 0-9 . _ -")
    p.add_argument("--role", required=True, choices=ROLES, help="its role")
    p.add_argument("--unit", metavar="CODE", help="org unit the role covers (with its subtree); not for system_admin")
    p.add_argument("--employee", metavar="CODE", help="link the account to this employee")
    p.add_argument("--display-name", help="shown name (default: the employee's name or the username)")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin (else prompt/generate)")
    p.add_argument("--json", action="store_true", help="print the account as JSON")

    p = add("passwd", cmd_users_passwd, "set an account's password (its sessions end)", users_sub)
    hub_config(p)
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin (else prompt/generate)")

    p = add("list", cmd_users_list, "list the accounts and their roles", users_sub)
    hub_config(p)
    p.add_argument("--json", action="store_true", help="print as JSON")

    p = add("grant", cmd_users_grant, "give an account another role", users_sub)
    hub_config(p)
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--unit", metavar="CODE", help="org unit the role covers; not for system_admin")

    p = add("disable", cmd_users_disable, "disable an account (or --enable it again)", users_sub)
    hub_config(p)
    p.add_argument("username")
    p.add_argument("--enable", action="store_true", help="enable instead")

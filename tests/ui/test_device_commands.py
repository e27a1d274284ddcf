"""The device page's command list: how often each command was sent, and an unanswered one ending as expired."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from nicegui import ui

from hub.accounts.principal import Role
from hub.commands import repository as commands_repo
from tests.hub.devices.sites import map_sites
from tests.hubstack import provision
from tests.ui.conftest import table_rows


@pytest.fixture
def commanded(ui_database_url: str) -> dict[str, uuid.UUID]:
    """door-hq-01 at the office of CHQHN with three commands: one its device never answered (expired
    a minute ago, after one send), one answered after three sends, one still waiting."""
    provision(ui_database_url, "door-hq-01")
    now = datetime.now(UTC)
    ids = {"expired": uuid.uuid4(), "replied": uuid.uuid4(), "pending": uuid.uuid4()}
    with psycopg.connect(ui_database_url, autocommit=True) as conn:
        conn.execute("UPDATE devices SET kind = 'faceid', site = 'Trụ sở Cục'")
        map_sites(conn, {"Trụ sở Cục": ["CHQHN"]})
        for minutes, key in [(10, "expired"), (5, "replied"), (1, "pending")]:
            issued = now - timedelta(minutes=minutes)
            expires = now - timedelta(minutes=1) if key == "expired" else now + timedelta(minutes=5)
            commands_repo.insert_command(conn, ids[key], "door-hq-01", "ping", {}, "admin", issued, expires)
        conn.execute("UPDATE device_commands SET attempts = 3 WHERE id = %s", (ids["replied"],))
        commands_repo.store_reply(conn, ids["replied"], True, None, None, {"pong": True})
    return ids


async def test_the_command_list_shows_sends_and_an_unanswered_command_as_expired(
    commanded: dict[str, uuid.UUID], sign_in
) -> None:
    user = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))
    await user.open("/devices/door-hq-01")
    rows = {r["id"]: r for r in await table_rows(user, "command-history")}
    shown = {key: (rows[str(i)]["state"], rows[str(i)]["attempts"]) for key, i in commanded.items()}
    assert shown == {
        "expired": ("Hết hạn, không có trả lời", 1),
        "replied": ("Đã trả lời", 3),
        "pending": ("Đang chờ trả lời", 1),
    }
    with user:
        (table,) = [e for e in user.find(marker="command-history").elements if isinstance(e, ui.table)]
    assert "Số lần gửi" in [c["label"] for c in table.columns]

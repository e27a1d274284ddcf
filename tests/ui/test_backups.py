"""The backups page: a system admin sees the last backup's time and size, the recent runs and the alert when
the last one failed; nobody else may open it. Real PostgreSQL, NiceGUI's simulated user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nicegui.testing.user import User

from hub.accounts.principal import Role
from hub.backup.archive import Created
from hub.backup.service import BackupConfig
from hub.services import HubServices
from tests.ui.conftest import open_refused, table_rows


async def test_a_system_admin_sees_the_last_backup_and_the_alert_of_a_failed_one(
    sign_in: Callable[..., object], ui_services: HubServices
) -> None:
    backups = ui_services.backups
    backups.config = BackupConfig(to=Path("/srv/backups"), passphrase="x" * 12)
    started = datetime.now(UTC) - timedelta(hours=2)
    created = Created(Path("/srv/backups/cces-backup-20261205T010000Z"), Path("s"), {}, 3 * 1024 * 1024, 4.0)
    backups.record("schedule", started, created)
    user: User = await sign_in((Role.SYSTEM_ADMIN, None))  # type: ignore[operator]
    await user.open("/backups")
    await user.should_see(marker="backups-last-time")
    await user.should_see("Dung lượng: 3.0 MB")
    await user.should_see("Mỗi 24 giờ vào /srv/backups; giữ 7 ngày, 4 tuần, 12 tháng gần nhất")
    rows = await table_rows(user, "backups-recent")
    assert [(r["trigger"], r["result"], r["size"]) for r in rows] == [("Lịch định kỳ", "Thành công", "3.0 MB")]

    backups.record("command", datetime.now(UTC), error="pg_dump failed: disk full")
    await user.open("/backups")
    await user.should_see(marker="backups-alert")
    await user.should_see("pg_dump failed: disk full")
    rows = await table_rows(user, "backups-recent")
    assert [(r["trigger"], r["result"]) for r in rows][0] == ("Lệnh cces backup", "Thất bại")


async def test_only_a_system_admin_opens_the_backups_page(sign_in: Callable[..., object]) -> None:
    user: User = await sign_in((Role.OFFICE_ADMIN, "CHQHN"))  # type: ignore[operator]
    await open_refused(user, "/backups")

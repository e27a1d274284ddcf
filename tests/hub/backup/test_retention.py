"""Retention keeps the right backups: restic's daily/weekly/monthly rule, in the agency's days (pure function)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.backup.models import RetentionPolicy
from hub.backup.retention import LOCAL_TZ, backups_to_keep
from hub.backup.service import apply_retention

POLICY = RetentionPolicy(daily=7, weekly=4, monthly=12)


def daily_backups(days: int, end: datetime, hour: int = 20) -> list[datetime]:
    """One backup a day at `hour` UTC for `days` days up to `end`."""
    last = end.replace(hour=hour, minute=0, second=0, microsecond=0)
    return [last - timedelta(days=i) for i in range(days)]


def test_nothing_to_keep_from_nothing() -> None:
    assert backups_to_keep([], POLICY) == (set(), set())


def test_a_single_backup_is_always_kept_even_by_a_policy_of_zeros() -> None:
    only = datetime(2026, 12, 5, 1, tzinfo=UTC)
    assert backups_to_keep([only], RetentionPolicy(0, 0, 0)) == ({only}, set())


def test_the_newest_is_kept_by_a_policy_of_zeros_and_nothing_else() -> None:
    taken = daily_backups(10, datetime(2026, 12, 5, tzinfo=UTC))
    kept, removed = backups_to_keep(taken, RetentionPolicy(0, 0, 0))
    assert kept == {max(taken)} and len(removed) == 9


def test_a_year_of_daily_backups_keeps_7_days_4_weeks_12_months() -> None:
    end = datetime(2026, 12, 5, tzinfo=UTC)  # a Saturday
    taken = daily_backups(400, end)
    kept, removed = backups_to_keep(taken, POLICY)
    assert kept | removed == set(taken) and not kept & removed
    local = sorted((t.astimezone(LOCAL_TZ) for t in kept), reverse=True)
    days = {t.date() for t in local}
    # the 7 newest days
    assert {(end.astimezone(LOCAL_TZ) + timedelta(hours=20) - timedelta(days=i)).date() for i in range(7)} <= days
    # 4 ISO weeks and 12 months are represented, each by its newest backup
    weeks = {t.isocalendar()[:2] for t in local}
    months = {(t.year, t.month) for t in local}
    assert len(months) >= 12 and len(weeks) >= 4
    for t in kept:
        same_month = [u for u in taken if (u.astimezone(LOCAL_TZ).year, u.astimezone(LOCAL_TZ).month) ==
                      (t.astimezone(LOCAL_TZ).year, t.astimezone(LOCAL_TZ).month)]  # fmt: skip
        if t not in daily_backups(7, end) and not any(t == max(w) for w in _weeks(taken).values()):
            assert t == max(same_month), "a monthly keeper is its month's newest"
    # overlapping rules: 7 days + (4 weeks − this week's) + (12 months − this month) at most
    assert len(kept) <= 7 + 4 + 12


def _weeks(taken: list[datetime]) -> dict[tuple[int, int], list[datetime]]:
    weeks: dict[tuple[int, int], list[datetime]] = {}
    for t in taken:
        weeks.setdefault(t.astimezone(LOCAL_TZ).isocalendar()[:2], []).append(t)
    return weeks


def test_several_backups_a_day_keep_the_newest_of_each_day() -> None:
    base = datetime(2026, 12, 1, 1, tzinfo=UTC)  # 08:00 in Hanoi
    taken = [base + timedelta(days=d, hours=h) for d in range(3) for h in (0, 4, 8)]
    kept, _ = backups_to_keep(taken, RetentionPolicy(daily=3, weekly=0, monthly=0))
    assert kept == {base + timedelta(days=d, hours=8) for d in range(3)}


def test_days_are_the_agencys_not_utcs() -> None:
    # 16:30 and 17:30 UTC on one UTC day are two local days (23:30 and 00:30 in Hanoi)
    a = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
    b = datetime(2026, 12, 1, 17, 30, tzinfo=UTC)
    kept, removed = backups_to_keep([a, b], RetentionPolicy(daily=2, weekly=0, monthly=0))
    assert kept == {a, b} and not removed
    kept_utc, removed_utc = backups_to_keep([a, b], RetentionPolicy(daily=2, weekly=0, monthly=0), tz=UTC)
    assert kept_utc == {b} and removed_utc == {a}  # in UTC they are one day: its newest only


def test_gaps_count_days_that_have_backups_not_calendar_days() -> None:
    # backups on days 0, 10, 20, 30 (newest first 30): daily=3 keeps three of them although they span 20 days
    base = datetime(2026, 1, 1, 5, tzinfo=UTC)
    taken = [base + timedelta(days=d) for d in (0, 10, 20, 30)]
    kept, removed = backups_to_keep(taken, RetentionPolicy(daily=3, weekly=0, monthly=0))
    assert kept == set(taken[1:]) and removed == {taken[0]}


def test_weekly_keeps_the_newest_of_each_iso_week() -> None:
    monday = datetime(2026, 11, 2, 3, tzinfo=UTC)  # ISO week 45
    taken = [monday + timedelta(days=d) for d in range(21)]  # three weeks, Mon..Sun each
    kept, _ = backups_to_keep(taken, RetentionPolicy(daily=0, weekly=3, monthly=0))
    assert kept == {monday + timedelta(days=6), monday + timedelta(days=13), monday + timedelta(days=20)}


def test_weekly_across_a_year_boundary_uses_iso_weeks() -> None:
    # 2026-12-28 (Mon) … 2027-01-03 (Sun) is ISO week 2026-W53: one bucket across the new year
    taken = [datetime(2026, 12, 28, 3, tzinfo=UTC) + timedelta(days=d) for d in range(7)]
    kept, _ = backups_to_keep(taken, RetentionPolicy(daily=0, weekly=1, monthly=0))
    assert kept == {datetime(2027, 1, 3, 3, tzinfo=UTC)}
    kept_m, _ = backups_to_keep(taken, RetentionPolicy(daily=0, weekly=0, monthly=2))
    assert kept_m == {datetime(2026, 12, 31, 3, tzinfo=UTC), datetime(2027, 1, 3, 3, tzinfo=UTC)}


def test_monthly_keeps_the_newest_of_each_month_back_12_months() -> None:
    taken = [
        datetime(2025 + (m - 1) // 12, (m - 1) % 12 + 1, day, 3, tzinfo=UTC) for m in range(1, 25) for day in (1, 15)
    ]
    kept, removed = backups_to_keep(taken, RetentionPolicy(daily=0, weekly=0, monthly=12))
    assert kept == {datetime(2026, m, 15, 3, tzinfo=UTC) for m in range(1, 13)}
    assert len(removed) == len(taken) - 12


def test_rules_overlap_a_backup_kept_by_two_rules_is_one_backup() -> None:
    taken = daily_backups(3, datetime(2026, 12, 5, tzinfo=UTC))
    kept, removed = backups_to_keep(taken, POLICY)
    assert kept == set(taken) and not removed


def test_order_and_duplicates_do_not_matter() -> None:
    taken = daily_backups(40, datetime(2026, 12, 5, tzinfo=UTC))
    forward = backups_to_keep(taken, POLICY)
    assert backups_to_keep(list(reversed(taken)), POLICY) == forward
    assert backups_to_keep(taken + taken[:5], POLICY) == forward


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        backups_to_keep([datetime(2026, 12, 5)], POLICY)


@pytest.mark.parametrize("days", [1, 6, 7, 8, 29, 31, 62, 365, 800])
@pytest.mark.parametrize(
    "policy", [RetentionPolicy(7, 4, 12), RetentionPolicy(1, 0, 0), RetentionPolicy(0, 2, 0), RetentionPolicy(3, 0, 6)]
)
def test_invariants_over_many_histories(days: int, policy: RetentionPolicy) -> None:
    taken = daily_backups(days, datetime(2026, 12, 5, tzinfo=UTC))
    kept, removed = backups_to_keep(taken, policy)
    assert kept | removed == set(taken) and not kept & removed
    assert max(taken) in kept
    assert len(kept) <= max(1, min(days, policy.daily + policy.weekly + policy.monthly))
    # keeping again what was kept removes nothing more (retention is stable from one run to the next)
    assert backups_to_keep(list(kept), policy) == (kept, set())


def test_apply_retention_deletes_folders_and_their_secrets_kept_apart(tmp_path: Path) -> None:
    to, secrets_to = tmp_path / "backups", tmp_path / "secrets"
    to.mkdir()
    secrets_to.mkdir()
    end = datetime(2026, 12, 5, 12, tzinfo=UTC)
    names = []
    for t in daily_backups(10, end, hour=1):
        name = f"cces-backup-{t:%Y%m%dT%H%M%SZ}"
        (to / name).mkdir()
        (to / name / "manifest.json").write_text("{}")
        (secrets_to / f"{name}.secrets.enc").write_bytes(b"x")
        names.append(name)
    (to / "cces-backup-20261201T000000Z.partial").mkdir()  # interrupted days ago: cleared
    (to / f"cces-backup-{end:%Y%m%dT%H%M%SZ}.partial").mkdir()  # being written now: left alone
    (to / "notes.txt").write_text("not a backup")
    removed = apply_retention(to, secrets_to, RetentionPolicy(daily=3, weekly=0, monthly=0), end)
    assert sorted(p.name for p in to.iterdir()) == sorted(
        [*names[:3], f"cces-backup-{end:%Y%m%dT%H%M%SZ}.partial", "notes.txt"]
    )
    assert sorted(p.name for p in secrets_to.iterdir()) == sorted(f"{n}.secrets.enc" for n in names[:3])
    assert set(removed) == {*names[3:], "cces-backup-20261201T000000Z.partial"}

"""Which backups a retention policy keeps: a pure function, tested on many cases.

The rule is restic's `--keep-daily/-weekly/-monthly`: going from the newest backup to the oldest, the
newest backup of each of the last `daily` calendar days that have a backup is kept, likewise of the last
`weekly` ISO weeks and `monthly` months; a backup kept by any rule is kept. Days, weeks and months are the
agency's (Asia/Ho_Chi_Minh), not UTC's. The newest backup is always kept, whatever the policy says, so a
retention run can never leave nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from hub.backup.models import RetentionPolicy
from hub.localtime import LOCAL_TZ


def _rules(tz: ZoneInfo) -> list[tuple[str, Callable[[datetime], Hashable]]]:
    return [
        ("daily", lambda t: t.astimezone(tz).date()),
        ("weekly", lambda t: t.astimezone(tz).isocalendar()[:2]),
        ("monthly", lambda t: (t.astimezone(tz).year, t.astimezone(tz).month)),
    ]


def backups_to_keep(
    taken: Sequence[datetime], policy: RetentionPolicy, tz: ZoneInfo = LOCAL_TZ
) -> tuple[set[datetime], set[datetime]]:
    """(kept, removed) of the backups taken at these times (aware datetimes, any order, no duplicates)."""
    if any(t.tzinfo is None for t in taken):
        raise ValueError("backup times must carry their time zone")
    newest_first = sorted(set(taken), reverse=True)
    kept: set[datetime] = set(newest_first[:1])
    for rule, bucket in _rules(tz):
        limit = getattr(policy, rule)
        seen: list[Hashable] = []
        for t in newest_first:
            if len(seen) >= limit:
                break
            key = bucket(t)
            if key not in seen:
                seen.append(key)
                kept.add(t)
    return kept, set(newest_first) - kept

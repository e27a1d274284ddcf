"""Time to compute a month's timesheet for 10,000 employees (~440,000 raw FaceID events).

    python -m bench.timesheet [--employees 10000] [--year 2025 --month 3] [--units 50] [--json]

Synthetic but shaped like the real thing: office hours, most people on time, some late or
leaving early, forgotten check-outs, lunch-time door passes, approved leave and trips, a few
manager corrections, known door direction for half the staff. Only `month_sheet` is timed —
generating the events is not. The goal is ≤ 2 s on the reference machine (2 cores).
"""

from __future__ import annotations

import argparse
import json
import random
import time as clock
from datetime import date, datetime, timedelta, timezone

from hub.timekeeping import (
    Absence,
    AbsenceKind,
    Correction,
    DayStatus,
    Punch,
    StaffMember,
    WorkCalendar,
    month_days,
    month_sheet,
    office_hours,
)

HANOI = timezone(timedelta(hours=7))


def synthesise(
    employees: int, year: int, month: int, calendar: WorkCalendar, seed: int = 7
) -> tuple[
    list[StaffMember], dict[str, list[Punch]], dict[str, dict[date, list[Absence]]], dict[str, list[Correction]]
]:
    rng = random.Random(seed)
    schedule = office_hours()
    staff = [StaffMember(f"P{i:05d}", f"Nhân viên {i}", schedule) for i in range(employees)]
    days = [d for d in month_days(year, month) if calendar.is_working_day(d)]
    midnights = {d: datetime(d.year, d.month, d.day, tzinfo=HANOI).timestamp() for d in days}
    punches: dict[str, list[Punch]] = {}
    absences: dict[str, dict[date, list[Absence]]] = {}
    corrections: dict[str, list[Correction]] = {}
    made_at = datetime(year, month, 28, 9, 0, tzinfo=HANOI)
    for member in staff:
        known = rng.random() < 0.5
        events: list[Punch] = []
        for d in days:
            base = midnights[d]
            roll = rng.random()
            if roll < 0.01:
                absences.setdefault(member.person_id, {})[d] = [Absence(kind=AbsenceKind.LEAVE)]
                continue
            if roll < 0.015:
                absences.setdefault(member.person_id, {})[d] = [Absence(kind=AbsenceKind.BUSINESS_TRIP)]
                continue
            if roll < 0.02:
                continue  # absent
            arrive = base + 8 * 3600 + rng.gauss(-6 * 60, 6 * 60) + (rng.random() < 0.04) * rng.uniform(300, 3600)
            leave = base + 17 * 3600 + abs(rng.gauss(8 * 60, 10 * 60)) - (rng.random() < 0.03) * 3600
            events.append((arrive, "in" if known else None))
            if rng.random() < 0.08:  # out for lunch and back
                events.append((base + 12 * 3600 + rng.uniform(0, 600), "out" if known else None))
                events.append((base + 12.9 * 3600 + rng.uniform(0, 600), "in" if known else None))
            if rng.random() > 0.02:  # 2 % forget to check out
                events.append((leave, "out" if known else None))
            elif rng.random() < 0.5:
                corrections.setdefault(member.person_id, []).append(
                    Correction(
                        person_id=member.person_id,
                        day=d,
                        status=DayStatus.PRESENT,
                        reason="Quên chấm công ra",
                        author="manager",
                        made_at=made_at,
                    )
                )
        rng.shuffle(events)  # as a repository might return them: the engine sorts
        punches[member.person_id] = events
    return staff, punches, absences, corrections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--month", type=int, default=3)
    parser.add_argument("--units", type=int, default=50, help="the staff is split into this many sheets")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    calendar = WorkCalendar()
    staff, punches, absences, corrections = synthesise(args.employees, args.year, args.month, calendar)
    events = sum(len(p) for p in punches.values())
    size = -(-len(staff) // args.units)
    started, cpu = clock.perf_counter(), clock.process_time()
    sheets = [
        month_sheet(
            f"Đơn vị {u}",
            args.year,
            args.month,
            staff[u * size : (u + 1) * size],
            punches,
            calendar,
            absences=absences,
            corrections=corrections,
        )
        for u in range(args.units)
    ]
    seconds, cpu_seconds = clock.perf_counter() - started, clock.process_time() - cpu
    rows = sum(len(s.rows) for s in sheets)
    figures = {
        "employees": rows,
        "events": events,
        "person_days": rows * len(sheets[0].days),
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['employees']} employees, {events} events, {figures['person_days']} person-days: "
            f"{seconds:.3f} s for the month's timesheets ({cpu_seconds:.3f} s CPU)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Travel days added to annual leave (ngày đi đường; Labour Code 2019 Art. 113(3)).

DOMAIN.md §11.1 states the rule as: "Travel days beyond 2 (round trip, by road, rail or water) are
added, once a year", and tags its wording [U] (only Art. 113(1) is [T]). So it is data, per leave
type (`leave_types.travel_days_free`: NULL for a type that adds none, 2 for annual leave;
`travel_times_per_year`: 1; `travel_basis`), and per request: the person declares the days of travel
of the round trip (`travel_days`, 0–10, in half days) and the request gets
`travel_days_added = max(0, declared − free)`, at most the request's working days, only while the
person has fewer than `travel_times_per_year` other pending or approved requests of that year that
got travel days. The request's dates cover the whole absence (travel included); the balance is
charged its working days less the travel days added.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.leave.models import LeaveError, LeaveType

#: the most travel days a request may declare (a round trip inside Vietnam; an input limit)
MAX_TRAVEL_DAYS = 10.0


@dataclass(frozen=True, slots=True)
class Travel:
    declared: float  # the round trip's days of travel the person gave
    added: float  # added to the leave: not charged to the balance
    note_vi: str
    note_en: str


def check_declared(days: float) -> float:
    """The declared travel days: 0 to 10, in half days; refused otherwise (Vietnamese / English)."""
    if not 0 <= days <= MAX_TRAVEL_DAYS or (days * 2) != int(days * 2):
        raise LeaveError(
            f"ngày đi đường từ 0 đến {MAX_TRAVEL_DAYS:g}, theo nửa ngày /"
            f" travel days are 0 to {MAX_TRAVEL_DAYS:g}, in half days"
        )
    return float(days)


def travel_added(kind: LeaveType, declared: float, working_days: float, used_this_year: int) -> Travel:
    """How many of the declared travel days a request gets added, and why (for the form and the API)."""
    declared = check_declared(declared)
    if declared == 0:
        return Travel(0.0, 0.0, "", "")
    if kind.travel_days_free is None:
        return Travel(
            declared, 0.0, f"{kind.name_vi}: không tính ngày đi đường", f"{kind.name_en}: no travel days are added"
        )
    if used_this_year >= kind.travel_times_per_year:
        return Travel(
            declared, 0.0,
            f"ngày đi đường chỉ tính {kind.travel_times_per_year} lần một năm: năm nay đã tính",
            f"travel days are added {kind.travel_times_per_year} time(s) a year: already added this year",
        )  # fmt: skip
    added = min(max(0.0, declared - kind.travel_days_free), working_days)
    return Travel(
        declared, added,
        f"đi đường {declared:g} ngày, quá {kind.travel_days_free:g} ngày: cộng thêm {added:g} ngày"
        f" ({kind.travel_basis or 'Bộ luật Lao động 2019, Điều 113'})",
        f"{declared:g} days of travel, beyond {kind.travel_days_free:g}: {added:g} days added",
    )  # fmt: skip

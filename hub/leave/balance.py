"""A person's annual-leave balance for a year, with the explanation shown on screen.

    remaining = entitled (base + seniority, prorated) + carried over − lapsed + adjustments − taken − pending

- carried over: days a closed year passed on (`leave_adjustments` kind `carry_over`), possibly with an
  expiry date. Days taken are used from the carried days first; carried days not used by the expiry
  lapse (Odoo's and Frappe's "carry-forward expiry").
- adjustments: HR corrections and opening balances (imported), each with its reason.
- taken / pending: working days of approved / waiting requests of a type that deducts the balance,
  booked to the year of the request's first day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from hub.leave.entitlement import Entitlement


@dataclass(frozen=True, slots=True)
class Adjustment:
    kind: str  # adjustment | opening | carry_over
    days: float
    reason: str
    expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Taken:
    first_day: date
    days: float


@dataclass(frozen=True, slots=True)
class Balance:
    year: int
    base_days: float
    seniority_days: float
    entitled_days: float
    carried_over_days: float
    lapsed_days: float
    adjusted_days: float
    taken_days: float
    pending_days: float
    remaining_days: float
    explanation: tuple[tuple[str, str], ...]  # (Vietnamese, English) lines

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "base_days": self.base_days,
            "seniority_days": self.seniority_days,
            "entitled_days": self.entitled_days,
            "carried_over_days": self.carried_over_days,
            "lapsed_days": self.lapsed_days,
            "adjusted_days": self.adjusted_days,
            "taken_days": self.taken_days,
            "pending_days": self.pending_days,
            "remaining_days": self.remaining_days,
            "explanation_vi": [vi for vi, _ in self.explanation],
            "explanation_en": [en for _, en in self.explanation],
        }


def _r(value: float) -> float:
    return round(value + 0.0, 1)


def balance(
    ent: Entitlement,
    adjustments: Iterable[Adjustment] = (),
    taken: Iterable[Taken] = (),
    pending_days: float = 0.0,
    as_of: date | None = None,
    *,
    explain: bool = True,
) -> Balance:
    """The balance of `ent.year` on `as_of` (default: today is not known here — no lapse applied)."""
    carried = adjusted = 0.0
    expiries: list[tuple[date, float]] = []
    for a in adjustments:
        if a.kind == "carry_over":
            carried += a.days
            if a.expires_on is not None:
                expiries.append((a.expires_on, a.days))
        else:
            adjusted += a.days
    taken_list = sorted(taken, key=lambda t: t.first_day)
    taken_days = sum(t.days for t in taken_list)
    lapsed = 0.0
    if as_of is not None:
        used_carried = 0.0
        for expiry, days in sorted(expiries):
            if as_of <= expiry:
                continue
            used_before = sum(t.days for t in taken_list if t.first_day <= expiry) - used_carried
            use = min(days, max(0.0, used_before))
            used_carried += use
            lapsed += days - use
    remaining = ent.entitled_days + carried - lapsed + adjusted - taken_days - pending_days
    if not explain:
        return Balance(
            ent.year, ent.base_days, ent.seniority_days, ent.entitled_days, _r(carried), _r(lapsed), _r(adjusted),
            _r(taken_days), _r(pending_days), _r(remaining), (),
        )  # fmt: skip
    lines = list(ent.notes)
    if ent.prorated or ent.entitled_days != ent.base_days + ent.seniority_days:
        lines.append((f"Được hưởng {ent.entitled_days:g} ngày", f"Entitled to {ent.entitled_days:g} days"))
    if carried:
        lines.append((f"Chuyển từ năm trước {carried:g} ngày", f"Carried over {carried:g} days"))
    if lapsed:
        lines.append((f"Hết hạn (không dùng kịp) {lapsed:g} ngày", f"Lapsed (not used in time) {lapsed:g} days"))
    for a in adjustments:
        if a.kind != "carry_over":
            label = ("Số dư đầu kỳ", "Opening balance") if a.kind == "opening" else ("Điều chỉnh", "Adjustment")
            lines.append((f"{label[0]} {a.days:+g}: {a.reason}", f"{label[1]} {a.days:+g}: {a.reason}"))
    lines.append((f"Đã nghỉ {taken_days:g} ngày", f"Taken {taken_days:g} days"))
    if pending_days:
        lines.append((f"Đang chờ duyệt {pending_days:g} ngày", f"Waiting for approval {pending_days:g} days"))
    lines.append((f"Còn lại {_r(remaining):g} ngày", f"Remaining {_r(remaining):g} days"))
    return Balance(
        ent.year,
        ent.base_days,
        ent.seniority_days,
        ent.entitled_days,
        _r(carried),
        _r(lapsed),
        _r(adjusted),
        _r(taken_days),
        _r(pending_days),
        _r(remaining),
        tuple(lines),
    )


def carry_over(remaining_days: float, cap: float | None) -> float:
    """Days a closed year passes on: what is left (never negative), up to the policy's cap."""
    left = max(0.0, remaining_days)
    return _r(min(left, cap) if cap is not None else left)

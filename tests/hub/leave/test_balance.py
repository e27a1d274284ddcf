"""The balance with its explanation: entitled, carried over (and lapsing), adjustments, taken, pending."""

from __future__ import annotations

from datetime import date

from hub.leave.balance import Adjustment, Taken, balance, carry_over
from hub.leave.entitlement import LeavePolicy, entitlement

LAW = LeavePolicy()


def ent(**kwargs: object):  # type: ignore[no-untyped-def]
    return entitlement(LAW, 2026, "normal", date(2015, 6, 1), None, None)


def test_remaining_is_entitled_plus_carried_plus_adjusted_minus_taken_and_pending() -> None:
    b = balance(
        ent(),
        [Adjustment("carry_over", 3, "năm 2025"), Adjustment("adjustment", -1, "trừ 1 ngày nghỉ năm trước")],
        [Taken(date(2026, 2, 2), 2), Taken(date(2026, 6, 1), 1.5)],
        pending_days=2,
    )
    assert (b.base_days, b.seniority_days, b.entitled_days) == (12, 2, 14)
    assert (b.carried_over_days, b.adjusted_days, b.taken_days, b.pending_days) == (3, -1, 3.5, 2)
    assert b.remaining_days == 14 + 3 - 1 - 3.5 - 2
    vi = [v for v, _ in b.explanation]
    assert vi[0].startswith("Cơ bản 12") and vi[-1] == "Còn lại 10.5 ngày"
    assert any("trừ 1 ngày" in v for v in vi)
    assert b.as_dict()["remaining_days"] == 10.5


def test_carried_days_lapse_after_their_expiry_unless_used_first() -> None:
    carried = [Adjustment("carry_over", 5, "năm 2025", expires_on=date(2026, 3, 31))]
    taken = [Taken(date(2026, 2, 10), 2), Taken(date(2026, 5, 4), 3)]
    before = balance(ent(), carried, taken, as_of=date(2026, 3, 31))
    assert before.lapsed_days == 0 and before.remaining_days == 14 + 5 - 5
    after = balance(ent(), carried, taken, as_of=date(2026, 4, 1))
    assert after.lapsed_days == 3 and after.remaining_days == 14 + 5 - 3 - 5
    assert any("Lapsed" in en for _, en in after.explanation)


def test_carry_over_is_what_is_left_up_to_the_cap() -> None:
    assert carry_over(4.5, None) == 4.5
    assert carry_over(4.5, 3) == 3
    assert carry_over(-2, 3) == 0

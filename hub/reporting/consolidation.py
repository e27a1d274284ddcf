"""Consolidation of one receiving unit's reports of a period (issue 18 item 3, the first part): each direct
reporter's part (its status and values), the sum of every number indicator over the parts that were sent
(submitted or accepted), formulas computed again over the sums, tables put together with their totals, and the
same sums for the previous period and the same period a year before.

Computed when asked, from the stored reports: a report corrected (returned, changed, sent again) is in the next
consolidation without anything to refresh. A receiving unit sums only the units that report to it directly;
a unit in between reports for its whole subtree (its figures are pre-filled over the subtree), so a level is
never counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.reporting.models import Report, ReportStatus
from hub.reporting.template import Template, compute

SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class Part:
    report_id: int
    unit_code: str
    unit_name: str
    status: ReportStatus
    values: dict[str, Any]  # formulas computed; empty when not sent


@dataclass(frozen=True, slots=True)
class Consolidation:
    regime: str
    period_key: str
    unit_code: str
    template: Template | None
    parts: tuple[Part, ...]
    values: dict[str, Any]  # sums, formulas over the sums, tables joined
    totals: dict[str, float | None]
    previous: dict[str, Any]  # the same for the previous period ({} when none)
    last_year: dict[str, Any]  # and for the same period a year before
    version_id: int | None = None  # the regime version the reports of the period were opened on


def combine(template: Template, parts: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, float | None]]:
    """The sums of the number indicators, the joined tables, and the formulas computed over them."""
    raw: dict[str, Any] = {}
    for ind in template.indicators:
        if ind.formula:
            continue
        if ind.kind == "number":
            nums = [p[ind.code] for p in parts if isinstance(p.get(ind.code), int | float)]
            raw[ind.code] = sum(nums) if nums else None
        elif ind.kind == "table":
            raw[ind.code] = [row for p in parts for row in (p.get(ind.code) or [])]
    computed = compute(template, raw)
    totals = computed.pop("__totals__")
    return computed, totals


def parts_of(reports: list[Report], values: dict[int, dict[str, Any]], template: Template) -> tuple[Part, ...]:
    out = []
    for r in reports:
        shown: dict[str, Any] = {}
        if r.status in SENT:
            shown = compute(template, values.get(r.id, {}))
            shown.pop("__totals__", None)
        out.append(Part(r.id, r.unit_code, r.unit_name, r.status, shown))
    return tuple(out)

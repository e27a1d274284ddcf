"""ECharts option builders shared by the attendance, reports and dashboard pages.

Plain dictionaries in, plain dictionaries out: a page builds the options from its data, hands
them to `ui.echart`, and to update a live chart replaces `chart.options[...]` and calls
`chart.update()`. Keeping the shapes here means every page's charts look and behave alike
(labels readable on a phone, the same status colours everywhere).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: one colour per attendance outcome, the same on every chart
STATUS_COLOURS: Mapping[str, str] = {
    "present": "#2e7d32",
    "late": "#f9a825",
    "left_early": "#ef6c00",
    "missing_checkin": "#8e24aa",
    "missing_checkout": "#8e24aa",
    "absent": "#c62828",
    "on_leave": "#1565c0",
    "business_trip": "#00838f",
    "holiday": "#757575",
    "day_off": "#9e9e9e",
    "pending": "#bdbdbd",
    "not_employed": "#e0e0e0",
    "online": "#2e7d32",
    "offline": "#c62828",
}


def bar_chart(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    horizontal: bool = False,
    stacked: bool = False,
    colours: Mapping[str, str] | None = None,
    value_name: str = "",
) -> dict[str, Any]:
    """A bar chart with one series per key of `series` (legend = the keys, already translated)."""
    category_axis = {"type": "category", "data": list(categories), "axisLabel": {"interval": 0, "overflow": "truncate"}}
    value_axis = {"type": "value", "name": value_name, "minInterval": 1}
    if horizontal:
        category_axis["inverse"] = True  # the first category at the top, as in a ranking
        category_axis["axisLabel"]["width"] = 140
    else:
        category_axis["axisLabel"].update({"rotate": 30 if len(categories) > 6 else 0, "width": 90})
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"show": len(series) > 1, "type": "scroll", "bottom": 0},
        "grid": {"containLabel": True, "left": 8, "right": 16, "top": 24, "bottom": 32 if len(series) > 1 else 8},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": list(values),
                **({"stack": "total"} if stacked else {}),
                **({"itemStyle": {"color": colours[name]}} if colours and name in colours else {}),
            }
            for name, values in series.items()
        ],
    }


def pie_chart(slices: Mapping[str, float], *, colours: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A doughnut of named parts (names already translated); empty parts are left out."""
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
        "legend": {"type": "scroll", "bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "70%"],
                "avoidLabelOverlap": True,
                "label": {"show": False},
                "data": [
                    {
                        "name": name,
                        "value": value,
                        **({"itemStyle": {"color": colours[name]}} if colours and name in colours else {}),
                    }
                    for name, value in slices.items()
                    if value
                ],
            }
        ],
    }


def line_chart(
    categories: Sequence[str], series: Mapping[str, Sequence[float]], *, value_name: str = ""
) -> dict[str, Any]:
    """A line per key of `series` over `categories` (e.g. days of a month)."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"show": len(series) > 1, "bottom": 0},
        "grid": {"containLabel": True, "left": 8, "right": 16, "top": 24, "bottom": 32},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": {"type": "value", "name": value_name, "minInterval": 1},
        "series": [
            {"name": name, "type": "line", "data": list(values), "smooth": True} for name, values in series.items()
        ],
    }

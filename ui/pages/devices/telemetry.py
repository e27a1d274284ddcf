"""A device's heartbeats over the last day: frame rate, backlog and uptime, oldest first on the axis."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from hub.devices.models import TelemetryPoint
from ui.components.labels.telemetry import metric_label
from ui.components.states import empty_state
from ui.i18n import N_
from ui.shell import PageContext

#: the charts' newest heartbeats (a day at one heartbeat every two minutes)
TELEMETRY_POINTS = 720


def telemetry_charts(ctx: PageContext, device_id: str) -> None:
    t = ctx.t
    _start, _end, points = ctx.services.devices.telemetry(ctx.principal, device_id, limit=TELEMETRY_POINTS)
    ui.label(t(N_("Tín hiệu 24 giờ qua"))).classes("text-base font-bold")
    if not points:
        empty_state(t(N_("Chưa nhận được tín hiệu nào.")), icon="monitor_heart", marker="no-telemetry")
        return
    points = list(reversed(points))

    def series(name: str, value: Callable[[TelemetryPoint], Any]) -> tuple[str, list[dict[str, Any]]]:
        data = [[p.ts.isoformat(), value(p)] for p in points]
        return name, [{"name": name, "type": "line", "showSymbol": False, "data": data}]

    charts = [
        series(t(N_("Sự kiện chờ gửi")), lambda p: p.outbox_pending),
        series(t(N_("Thời gian chạy (giờ)")), lambda p: round(p.uptime_s / 3600, 2)),
    ]
    if any(isinstance(p.metrics.get("faceid.fps"), (int, float)) for p in points):
        charts.insert(0, series(metric_label(t, "faceid.fps"), lambda p: p.metrics.get("faceid.fps")))
    with ui.row().classes("w-full gap-4 flex-wrap"):
        for title, data in charts:
            with ui.card().classes("w-full md:w-[calc(50%-0.5rem)]"):
                ui.echart(
                    {
                        "title": {"text": title, "textStyle": {"fontSize": 13}},
                        "tooltip": {"trigger": "axis"},
                        "grid": {"left": 48, "right": 16, "top": 36, "bottom": 28},
                        "xAxis": {"type": "time"},
                        "yAxis": {"type": "value"},
                        "series": data,
                    }
                ).classes("w-full h-56").mark("telemetry-chart")

"""A device's configuration: what admins set (its version) beside what the device reports running,
and the form that changes the match threshold and cooldown (published at once)."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from pydantic import ValidationError

from hub.accounts.models import AccessDenied
from hub.devices.config import DesiredConfigChanges
from hub.input_errors import said
from ui.components.facts import facts
from ui.components.format import NOTHING, Translate, local_time
from ui.components.labels.devices import READER_KINDS
from ui.i18n import N_
from ui.shell import PageContext


def camera_text(t: Translate, camera: dict[str, Any] | None) -> str:
    """'Tệp video /data/door.mp4 (phát lặp lại)' or 'Thiết bị ghi hình 0', not the stored JSON."""
    if not camera:
        return t(N_("mặc định của thiết bị"))
    if camera.get("file"):
        text = t(N_("Tệp video {file}")).format(file=camera["file"])
    else:
        text = t(N_("Thiết bị ghi hình {device}")).format(device=camera.get("device", NOTHING))
    notes = [t(N_("phát lặp lại"))] if camera.get("loop") else []
    if camera.get("realtime") is False:
        notes.append(t(N_("không theo thời gian thực")))
    return f"{text} ({', '.join(notes)})" if notes else text


def rfid_text(t: Translate, rfid: dict[str, Any] | None) -> str:
    """'mô-đun nối tiếp YRM100 tại /dev/ttyUSB0, Vùng đọc p-301, Công suất phát (dBm) 26, 2 ăng-ten'."""
    if not rfid:
        return t(N_("mặc định của thiết bị"))
    parts = []
    if rfid.get("reader"):
        parts.append(t(READER_KINDS.get(rfid["reader"], rfid["reader"])))
    if rfid.get("port"):
        parts.append(t(N_("tại {port}")).format(port=rfid["port"]))
    head = " ".join(parts)
    facts_ = [head] if head else []
    for key, label in (
        ("zone", N_("Vùng đọc")),
        ("power_dbm", N_("Công suất phát (dBm)")),
        ("rssi_floor_dbm", N_("Ngưỡng RSSI tối thiểu (dBm)")),
        ("dedup_s", N_("Cửa sổ lọc trùng (giây)")),
    ):
        if rfid.get(key) is not None:
            value = rfid[key]
            facts_.append(f"{t(label)} {value:g}" if isinstance(value, float | int) else f"{t(label)} {value}")
    if rfid.get("antennas"):
        facts_.append(t(N_("{n} ăng-ten")).format(n=len(rfid["antennas"])))
    return ", ".join(facts_) or t(N_("mặc định của thiết bị"))


def config_section(ctx: PageContext, device_id: str, kind: str | None = None) -> None:
    t = ctx.t
    try:
        state = ctx.services.devices.config_state(ctx.principal, device_id)
    except RuntimeError:  # this hub process runs no biometrics / device config (API-only node)
        return
    d = state.desired
    ui.label(t(N_("Cấu hình"))).classes("text-base font-bold")
    with ui.card().classes("w-full").mark("device-config"):
        ui.label(
            t(N_("Thiết bị đã áp dụng cấu hình.")) if state.in_sync else t(N_("Thiết bị chưa áp dụng cấu hình mới."))
        ).classes("text-positive" if state.in_sync else "text-warning").mark("config-sync")
        with ui.row().classes("w-full gap-8 flex-wrap"):
            with ui.column().classes("min-w-64"):
                ui.label(t(N_("Cấu hình mong muốn"))).classes("font-bold")
                facts(
                    [
                        (t(N_("Phiên bản cấu hình")), str(state.desired_version)),
                        (t(N_("Gói mô hình")), d.model_pack or t(N_("mặc định của thiết bị"))),
                        (
                            t(N_("Ngưỡng nhận dạng (cosine)")),
                            f"{d.threshold:g}" if d.threshold is not None else t(N_("mặc định của thiết bị")),
                        ),
                        (
                            t(N_("Giãn cách chấm công (giây)")),
                            f"{d.cooldown_s:g}" if d.cooldown_s is not None else t(N_("mặc định của thiết bị")),
                        ),
                        (t(N_("Máy ảnh")), camera_text(t, d.camera)),
                        *([(t(N_("Đầu đọc RFID")), rfid_text(t, d.rfid))] if kind == "rfid" or d.rfid else []),
                        (t(N_("Phiên bản thư viện khuôn mặt")), state.desired_gallery_version or NOTHING),
                        (t(N_("Đã phát lúc")), local_time(state.published_at)),
                        (t(N_("Người sửa")), f"{d.updated_by or NOTHING} · {local_time(d.updated_at)}"),
                    ],
                    marker="config-desired",
                )
            with ui.column().classes("min-w-64"):
                ui.label(t(N_("Thiết bị đang dùng"))).classes("font-bold")
                facts(
                    [
                        (t(N_("Phiên bản cấu hình")), str(state.applied_version) if state.applied_version else NOTHING),
                        (t(N_("Phiên bản thư viện khuôn mặt")), state.applied_gallery_version or NOTHING),
                    ],
                    marker="config-applied",
                )
        _config_form(ctx, device_id, d.threshold, d.cooldown_s)
        if kind == "rfid" or d.rfid:
            _rfid_form(ctx, device_id, d.rfid or {})


def _config_form(ctx: PageContext, device_id: str, threshold: float | None, cooldown_s: float | None) -> None:
    """Empty means the device's default."""
    t = ctx.t
    with ui.expansion(t(N_("Sửa cấu hình nhận dạng")), icon="tune").classes("w-full").mark("edit-config"):
        with ui.row().classes("items-end gap-2 flex-wrap"):
            threshold_in = ui.number(
                t(N_("Ngưỡng nhận dạng (cosine)")), value=threshold, min=-0.99, max=0.99, step=0.01, format="%.3f"
            )
            threshold_in.classes("w-56").mark("config-threshold")
            cooldown_in = ui.number(t(N_("Giãn cách chấm công (giây)")), value=cooldown_s, min=0, max=86_400, step=1)
            cooldown_in.classes("w-56").mark("config-cooldown")

            def save() -> None:
                try:
                    changes = DesiredConfigChanges(threshold=threshold_in.value, cooldown_s=cooldown_in.value)
                    ctx.services.devices.update_config(ctx.principal, device_id, changes, ctx.actor())
                except (ValueError, AccessDenied) as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                ui.notify(t(N_("Đã lưu.")), type="positive")
                ui.navigate.reload()

            ui.button(t(N_("Lưu")), on_click=save).props("unelevated").mark("save-config")


def _rfid_form(ctx: PageContext, device_id: str, rfid: dict[str, Any]) -> None:
    """Zone, power, RSSI floor and window; the reader kind, port and antennas stay as they are (API)."""
    t = ctx.t
    with ui.expansion(t(N_("Sửa cấu hình đầu đọc RFID")), icon="sensors").classes("w-full").mark("edit-rfid"):
        with ui.row().classes("items-end gap-2 flex-wrap"):
            zone_in = ui.input(t(N_("Vùng đọc")), value=rfid.get("zone") or "").classes("w-56").mark("rfid-zone")
            power_in = ui.number(t(N_("Công suất phát (dBm)")), value=rfid.get("power_dbm"), min=0, max=33, step=0.5)
            power_in.classes("w-56").mark("rfid-power")
            floor_in = ui.number(
                t(N_("Ngưỡng RSSI tối thiểu (dBm)")), value=rfid.get("rssi_floor_dbm"), min=-128, max=20, step=1
            )
            floor_in.classes("w-56").mark("rfid-rssi-floor")
            dedup_in = ui.number(t(N_("Cửa sổ lọc trùng (giây)")), value=rfid.get("dedup_s"), min=0.1, max=3600, step=1)
            dedup_in.classes("w-56").mark("rfid-dedup")

            def save() -> None:
                values = {
                    **rfid,
                    "zone": (zone_in.value or "").strip() or None,
                    "power_dbm": power_in.value,
                    "rssi_floor_dbm": floor_in.value,
                    "dedup_s": dedup_in.value,
                }
                try:
                    changes = DesiredConfigChanges.model_validate({"rfid": values})
                    ctx.services.devices.update_config(ctx.principal, device_id, changes, ctx.actor())
                except ValidationError as exc:  # the rule, in the reader's language (a bad zone, say)
                    ui.notify(said(exc.errors(include_url=False), ctx.lang), type="negative", multi_line=True)
                    return
                except (ValueError, AccessDenied) as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                ui.notify(t(N_("Đã lưu.")), type="positive")
                ui.navigate.reload()

            ui.button(t(N_("Lưu")), on_click=save).props("unelevated").mark("save-rfid")

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
from ui.shell import PageContext


def camera_text(t: Translate, camera: dict[str, Any] | None) -> str:
    """'Tệp video /data/door.mp4 (phát lặp lại)' or 'Thiết bị ghi hình 0', not the stored JSON."""
    if not camera:
        return t("config_default")
    if camera.get("file"):
        text = t("camera_file").format(file=camera["file"])
    else:
        text = t("camera_device").format(device=camera.get("device", NOTHING))
    notes = [t("camera_loop")] if camera.get("loop") else []
    if camera.get("realtime") is False:
        notes.append(t("camera_not_realtime"))
    return f"{text} ({', '.join(notes)})" if notes else text


def rfid_text(t: Translate, rfid: dict[str, Any] | None) -> str:
    """'mô-đun nối tiếp YRM100 tại /dev/ttyUSB0, Vùng đọc p-301, Công suất phát (dBm) 26, 2 ăng-ten'."""
    if not rfid:
        return t("config_default")
    parts = []
    if rfid.get("reader"):
        parts.append(t(f"rfid_kind_{rfid['reader']}"))
    if rfid.get("port"):
        parts.append(t("rfid_at").format(port=rfid["port"]))
    head = " ".join(parts)
    facts_ = [head] if head else []
    for key, label in (("zone", "rfid_zone"), ("power_dbm", "rfid_power"), ("rssi_floor_dbm", "rfid_rssi_floor"),
                       ("dedup_s", "rfid_dedup")):  # fmt: skip
        if rfid.get(key) is not None:
            value = rfid[key]
            facts_.append(f"{t(label)} {value:g}" if isinstance(value, float | int) else f"{t(label)} {value}")
    if rfid.get("antennas"):
        facts_.append(t("rfid_antennas").format(n=len(rfid["antennas"])))
    return ", ".join(facts_) or t("config_default")


def config_section(ctx: PageContext, device_id: str, kind: str | None = None) -> None:
    t = ctx.t
    try:
        state = ctx.services.devices.config_state(ctx.principal, device_id)
    except RuntimeError:  # this hub process runs no biometrics / device config (API-only node)
        return
    d = state.desired
    ui.label(t("config")).classes("text-base font-bold")
    with ui.card().classes("w-full").mark("device-config"):
        ui.label(t("config_in_sync") if state.in_sync else t("config_pending")).classes(
            "text-positive" if state.in_sync else "text-warning"
        ).mark("config-sync")
        with ui.row().classes("w-full gap-8 flex-wrap"):
            with ui.column().classes("min-w-64"):
                ui.label(t("desired")).classes("font-bold")
                facts(
                    [
                        (t("config_version"), str(state.desired_version)),
                        (t("model_pack"), d.model_pack or t("config_default")),
                        (t("threshold"), f"{d.threshold:g}" if d.threshold is not None else t("config_default")),
                        (t("cooldown_s"), f"{d.cooldown_s:g}" if d.cooldown_s is not None else t("config_default")),
                        (t("camera"), camera_text(t, d.camera)),
                        *([(t("rfid_reader"), rfid_text(t, d.rfid))] if kind == "rfid" or d.rfid else []),
                        (t("gallery_version"), state.desired_gallery_version or NOTHING),
                        (t("published_at"), local_time(state.published_at)),
                        (t("updated_by"), f"{d.updated_by or NOTHING} · {local_time(d.updated_at)}"),
                    ],
                    marker="config-desired",
                )
            with ui.column().classes("min-w-64"):
                ui.label(t("applied")).classes("font-bold")
                facts(
                    [
                        (t("config_version"), str(state.applied_version) if state.applied_version else NOTHING),
                        (t("gallery_version"), state.applied_gallery_version or NOTHING),
                    ],
                    marker="config-applied",
                )
        _config_form(ctx, device_id, d.threshold, d.cooldown_s)
        if kind == "rfid" or d.rfid:
            _rfid_form(ctx, device_id, d.rfid or {})


def _config_form(ctx: PageContext, device_id: str, threshold: float | None, cooldown_s: float | None) -> None:
    """Empty means the device's default."""
    t = ctx.t
    with ui.expansion(t("edit_config"), icon="tune").classes("w-full").mark("edit-config"):
        with ui.row().classes("items-end gap-2 flex-wrap"):
            threshold_in = ui.number(t("threshold"), value=threshold, min=-0.99, max=0.99, step=0.01, format="%.3f")
            threshold_in.classes("w-56").mark("config-threshold")
            cooldown_in = ui.number(t("cooldown_s"), value=cooldown_s, min=0, max=86_400, step=1)
            cooldown_in.classes("w-56").mark("config-cooldown")

            def save() -> None:
                try:
                    changes = DesiredConfigChanges(threshold=threshold_in.value, cooldown_s=cooldown_in.value)
                    ctx.services.devices.update_config(ctx.principal, device_id, changes, ctx.actor())
                except (ValueError, AccessDenied) as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                ui.notify(t("saved"), type="positive")
                ui.navigate.reload()

            ui.button(t("save"), on_click=save).props("unelevated").mark("save-config")


def _rfid_form(ctx: PageContext, device_id: str, rfid: dict[str, Any]) -> None:
    """Zone, power, RSSI floor and window; the reader kind, port and antennas stay as they are (API)."""
    t = ctx.t
    with ui.expansion(t("edit_rfid"), icon="sensors").classes("w-full").mark("edit-rfid"):
        with ui.row().classes("items-end gap-2 flex-wrap"):
            zone_in = ui.input(t("rfid_zone"), value=rfid.get("zone") or "").classes("w-56").mark("rfid-zone")
            power_in = ui.number(t("rfid_power"), value=rfid.get("power_dbm"), min=0, max=33, step=0.5)
            power_in.classes("w-56").mark("rfid-power")
            floor_in = ui.number(t("rfid_rssi_floor"), value=rfid.get("rssi_floor_dbm"), min=-128, max=20, step=1)
            floor_in.classes("w-56").mark("rfid-rssi-floor")
            dedup_in = ui.number(t("rfid_dedup"), value=rfid.get("dedup_s"), min=0.1, max=3600, step=1)
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
                ui.notify(t("saved"), type="positive")
                ui.navigate.reload()

            ui.button(t("save"), on_click=save).props("unelevated").mark("save-rfid")

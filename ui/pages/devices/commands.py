"""A device's commands: the command form (one field per argument) and the latest commands with
their state and reply, refreshed every few seconds — shown when this hub node has the command
channel (an API-only node has none)."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from hub.accounts.models import AccessDenied
from protocol.commands import MAX_TTL_S
from ui.components.command_form import CommandForm, CommandFormError
from ui.components.format import NOTHING, Translate, local_time
from ui.components.labels.commands import command_label, refusal_label, state_label
from ui.components.tables import columns, data_table
from ui.i18n import N_, pgettext
from ui.shell import PageContext

#: a command waits this long for its device unless the admin says otherwise
DEFAULT_TTL_S = 300
#: commands listed under the form (newest first)
HISTORY_ROWS = 20
#: how often the list asks for new replies
REFRESH_S = 3.0
#: a reply is cut to this many characters in the list
REPLY_CHARS = 160


def commands_section(ctx: PageContext, device_id: str) -> None:
    if not hasattr(ctx.services.devices, "send_command"):
        return
    t = ctx.t
    ui.label(t(pgettext("devices: commands", "Lệnh"))).classes("text-base font-bold")
    with ui.card().classes("w-full").mark("device-commands"):
        with ui.row().classes("w-full items-start gap-2 flex-wrap"):
            form = CommandForm(t, ctx.lang, marker="command")
            ttl = ui.number(t(N_("Hiệu lực (giây)")), value=DEFAULT_TTL_S, min=1, max=MAX_TTL_S, step=1, precision=0)
            ttl.classes("w-32").mark("command-ttl")

            def send() -> None:
                try:
                    name, arguments = form.value()
                except CommandFormError as exc:
                    ui.notify(str(exc), type="negative", multi_line=True)
                    return
                try:
                    ctx.services.devices.send_command(
                        ctx.principal, device_id, name, arguments, int(ttl.value or DEFAULT_TTL_S)
                    )
                except (ValueError, LookupError, RuntimeError, AccessDenied) as exc:  # InvalidCommand, UnknownDevice, …
                    ui.notify(t(N_("Không gửi được lệnh: {error}")).format(error=exc), type="negative", multi_line=True)
                    return
                ui.notify(t(N_("Đã gửi lệnh «{name}».")).format(name=command_label(t, name)), type="positive")
                show_history(load_history())

            ui.button(t(N_("Gửi lệnh")), icon="send", on_click=send).props("unelevated").mark("send-command")

        cols = columns(
            t,
            [
                ("issued_at", N_("Gửi lúc")),
                ("name", N_("Lệnh")),
                ("issued_by", N_("Người gửi")),
                ("state", pgettext("devices: status", "Trạng thái")),
                ("attempts", N_("Số lần gửi"), "right"),
                ("reply", N_("Trả lời")),
            ],
        )
        history = data_table(cols, [], row_key="id", marker="command-history")

        def load_history() -> list[dict[str, Any]]:
            _total, commands = ctx.services.devices.commands(ctx.principal, device_id, limit=HISTORY_ROWS)
            return [
                {
                    "id": str(c.id),
                    "name": command_label(t, c.name),
                    "issued_at": local_time(c.issued_at),
                    "issued_by": c.issued_by,
                    "state": state_label(t, c.state),
                    "attempts": c.attempts,
                    "reply": reply_text(t, c),
                }
                for c in commands
            ]

        def show_history(rows: list[dict[str, Any]]) -> None:
            history.rows = rows
            history.update()

        async def refresh_history() -> None:  # the query runs off the event loop
            show_history(await run.io_bound(load_history))

        show_history(load_history())
        ui.timer(REFRESH_S, refresh_history)


def reply_text(t: Translate, c: Any) -> str:
    """'Đã thực hiện — pong: True' or why the device refused, in words; cut to a line (`c`: a stored
    command with its reply, as `services.device_commands` lists them)."""
    if c.replied_at is None:
        return NOTHING
    if c.reply_ok:
        result = "; ".join(f"{k}: {v}" for k, v in (c.reply or {}).items())
        text = f"{t('reply_ok')} — {result}" if result else t(N_("Đã thực hiện"))
    else:
        text = f"{refusal_label(t, c.reply_code)}: {c.reply_error}" if c.reply_error else refusal_label(t, c.reply_code)
    return text if len(text) <= REPLY_CHARS else text[: REPLY_CHARS - 1] + "…"

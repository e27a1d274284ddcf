"""Load after connect: a heavy page sends its frame at once and its figures once the browser is there.

A department's month takes about a second to compute and a page must answer within NiceGUI's
response timeout; computing it before the frame is sent would also keep the person looking at a
blank tab. So the page draws its frame, shows a spinner (marked "loading", which the page-open
bench waits on), and runs the computation off the UI loop after the websocket connected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import context, run, ui


async def load_after_connect(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in a worker thread once the browser is connected, with a spinner meanwhile.

    Returns None when the client went away (or the hub is stopping) before the result came."""
    spinner = ui.spinner(size="lg").mark("loading")
    try:
        await context.client.connected()
        return await run.io_bound(fn, *args)
    finally:
        spinner.delete()

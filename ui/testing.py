"""Helpers for NiceGUI's simulated user (nicegui.testing.User), shared by the UI tests and `cces bench ui_pages`."""

from __future__ import annotations

from typing import Any

from nicegui.testing.user import User


async def open_page(user: User, path: str) -> int:
    """`user.open(path)`, refused pages included; returns the page's HTTP status.

    The simulated user opens only pages answered with 200, while the shell answers a refused page with
    403 and still draws the refusal; this lets the user open it as it is, to look at what it shows."""
    client = user.http_client
    statuses: list[int] = []
    get = client.get

    async def get_any(*args: Any, **kwargs: Any) -> Any:
        response = await get(*args, **kwargs)
        statuses.append(response.status_code)
        if response.status_code == 403:
            response.status_code = 200
        return response

    client.get = get_any  # type: ignore[method-assign]
    try:
        await user.open(path)
    finally:
        del client.get
    return statuses[-1]

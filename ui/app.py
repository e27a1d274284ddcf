"""Mount the UI on the hub's FastAPI app (same process, same port)."""

from __future__ import annotations

from fastapi import FastAPI
from nicegui import ui

from hub.services import HubServices
from ui import home


def mount_ui(app: FastAPI, services: HubServices, storage_secret: str) -> None:
    home.register(services)
    ui.run_with(app, title="CCES", language="vi", storage_secret=storage_secret, show_welcome_message=False)

"""Wiring (issue 13 item 4): one MQTT client factory — no module of the hub makes a paho client but hub.mqtt, so
every hub client gets the same login, TLS, protocol version and reconnect backoff from the settings; one local
time zone — no module names it but hub.localtime."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "hub"


def paho_clients_made_in(path: Path) -> list[int]:
    """Lines calling `<something>.Client(` or `Client(` where the module imports paho."""
    source = path.read_text(encoding="utf-8")
    if "paho" not in source:
        return []
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name == "Client":
                lines.append(node.lineno)
    return lines


def test_only_hub_mqtt_makes_paho_clients() -> None:
    made = {str(p.relative_to(HUB.parent)): lines for p in HUB.rglob("*.py") if (lines := paho_clients_made_in(p))}
    assert set(made) == {"hub/mqtt.py"}, made


def test_the_local_time_zone_is_named_once() -> None:
    named = [
        str(path.relative_to(ROOT))
        for folder in ("hub", "ui", "cces", "bench")
        for path in (ROOT / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value == "Asia/Ho_Chi_Minh"
    ]
    assert named == ["hub/localtime.py"]

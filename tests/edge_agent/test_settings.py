"""Agent settings: TOML file, env overrides, one-line errors naming the file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from edge_agent.main import run_agent
from edge_agent.settings import AgentSettings, ConfigError

GOOD = """
device_id = "door-hq-01"
mqtt_url = "mqtt://127.0.0.1:1883"
username = "door-hq-01"
password = "s3cret"
data_dir = "/var/lib/cces-agent"
[simulated]
enabled = true
interval_s = 0.5
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("CCES_AGENT_"):
            monkeypatch.delenv(key)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agent.toml"
    path.write_text(text)
    return path


def test_loads_the_example(tmp_path: Path) -> None:
    s = AgentSettings.load(write(tmp_path, GOOD))
    assert s.device_id == "door-hq-01"
    assert s.password is not None and s.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(s)
    assert s.outbox_path == Path("/var/lib/cces-agent/outbox.sqlite3")
    assert (s.broker.host, s.broker.port, s.broker.tls) == ("127.0.0.1", 1883, False)
    assert (s.mqtt_username, s.mqtt_password) == ("door-hq-01", "s3cret")
    assert s.simulated.enabled and s.simulated.interval_s == 0.5
    assert s.simulated.event_type == "attendance.face" and s.simulated.count is None
    assert (s.telemetry_interval_s, s.outbox_max_bytes, s.max_inflight) == (30, 64 * 1024 * 1024, 200)
    assert s.software_version


def test_env_overrides_toml_including_nested(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCES_AGENT_PASSWORD", "from-env")
    monkeypatch.setenv("CCES_AGENT_SIMULATED__INTERVAL_S", "2.5")
    monkeypatch.setenv("CCES_AGENT_MQTT_URL", "mqtts://broker.example:8884")
    s = AgentSettings.load(write(tmp_path, GOOD))
    assert s.password is not None and s.password.get_secret_value() == "from-env"
    assert s.simulated.interval_s == 2.5
    assert s.simulated.enabled  # the rest of [simulated] still comes from the file
    assert (s.broker.host, s.broker.port, s.broker.tls) == ("broker.example", 8884, True)


def test_env_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCES_AGENT_DEVICE_ID", "door-env-01")
    assert AgentSettings.load(None).device_id == "door-env-01"


def test_default_tls_port() -> None:
    s = AgentSettings(device_id="abc", mqtt_url="mqtts://hub.example")
    assert (s.broker.port, s.broker.tls) == (8883, True)


def test_credentials_from_the_url_when_not_given() -> None:
    s = AgentSettings(device_id="abc", mqtt_url="mqtt://abc:p%40ss@hub.example:1883")
    assert (s.mqtt_username, s.mqtt_password, s.broker.url) == ("abc", "p@ss", "mqtt://hub.example:1883")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found: .*nope.toml"):
        AgentSettings.load(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (GOOD.replace('"door-hq-01"', '"Door HQ/01"', 1), "device_id"),
        (GOOD.replace("mqtt://127.0.0.1:1883", "http://x"), "mqtt_url"),
        (GOOD.replace("interval_s = 0.5", "interval_s = -1"), "simulated.interval_s"),
        (GOOD + "\nteleemtry_interval_s = 5\n", "teleemtry_interval_s"),
        (GOOD.replace("[simulated]", "[simulated]\nbogus = 1"), "simulated.bogus"),
        ('mqtt_url = "mqtt://h:1883"\n', "device_id"),
    ],
)
def test_bad_values_name_file_and_field_on_one_line(tmp_path: Path, text: str, field: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        AgentSettings.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert f"{field}:" in message


def test_bad_toml_syntax(tmp_path: Path) -> None:
    path = write(tmp_path, 'device_id = "unterminated\n')
    with pytest.raises(ConfigError, match=f"cannot read config file {path}") as info:
        AgentSettings.load(path)
    assert "\n" not in str(info.value)


def test_config_error_is_a_value_error_from_run_agent(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="config file not found"):
        run_agent(tmp_path / "missing.toml")

"""The settings in sections (issue 13 item 4): every `CCES_…` name the README lists still sets its value,
a TOML file in sections works, an older flat TOML file too, and a mistake names the setting three ways."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import SecretStr

from hub.settings import FLAT_NAMES, SECTIONS, TOP_LEVEL, ConfigError, HubSettings, flat_names

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_HUB = {"CCES_CONFIG", "CCES_TESTDATA", "CCES_TEST_WORKERS"}  # the config file's path; the tests' own
#: values a plain "default + 1" cannot give (checked formats), and what else must be set with them
SPECIAL: dict[str, tuple[str, dict[str, str]]] = {
    "database_url": ("postgresql://cces:pw@db.example:5432/cces", {}),
    "mqtt_url": ("mqtts://broker.example:8883", {}),
    "device_mqtt_url": ("mqtt://devices.example:1883", {}),
    "mqtt_version": ("5", {"CCES_MQTT_URL": "mqtt://broker.example:1883"}),
    "assets_gs1_company_prefix": ("8930001", {}),
    "documents_ocr_languages": ("vie+eng", {}),
    "trusted_proxies": ("10.0.0.1, 10.1.0.0/16", {}),
    "metrics_trusted": ("192.0.2.7", {}),
    "smtp_username": ("cces-mail", {}),
    "role": ("ingest", {}),
    "log_level": ("DEBUG", {}),
}


def readme_env_names() -> set[str]:
    """Every hub env name the README spells, with `CCES_X_Y` / `_Z` shorthands expanded."""
    text = README.read_text(encoding="utf-8")
    known = {f"CCES_{flat.upper()}" for flat in FLAT_NAMES} | {f"CCES_{name.upper()}" for name in TOP_LEVEL}
    names = {
        n
        for n in re.findall(r"`(CCES_[A-Z0-9_]*[A-Z0-9])`", text)
        if not n.startswith("CCES_AGENT_") and "__" not in n  # the agent's; the section form (tested below)
    }
    for first, rest in re.findall(r"`(CCES_[A-Z0-9_]+)`((?:\s*/\s*`_[A-Z0-9_]+`)+)", text):
        for suffix in re.findall(r"`(_[A-Z0-9_]+)`", rest):
            cuts = [first[:i] + suffix for i, ch in enumerate(first) if ch == "_" and i > 4]
            matching = [name for name in cuts if name in known]
            assert matching, f"README's {first} / `{suffix}` names no setting"
            names.update(matching)
    return names - NOT_HUB


def a_value(flat: str, section: str, field: str) -> tuple[str, object, dict[str, str]]:
    """An env string that differs from the default, what it must become, and other env it needs."""
    if flat in SPECIAL:
        raw, extra = SPECIAL[flat]
        return raw, raw, extra
    info = SECTIONS[section].model_fields[field]
    default = SECTIONS[section]().__getattribute__(field)
    if typing.get_origin(info.annotation) is typing.Literal:
        other = next(choice for choice in typing.get_args(info.annotation) if choice != default)
        return other, other, {}
    kind = [a for a in typing.get_args(info.annotation) if a is not type(None)] or [info.annotation]
    kind0 = kind[0]
    if kind0 is bool:
        return ("false" if default else "true"), not default, {}
    if kind0 in (int, float):
        bounds = {type(m).__name__: m for m in info.metadata}
        high = getattr(bounds.get("Le"), "le", None)
        base = default if default is not None else getattr(bounds.get("Ge"), "ge", 0)
        value = base - 1 if high is not None and base + 1 > high else base + 1
        return str(value), kind0(value), {}
    if kind0 is SecretStr:
        return "a-secret-of-twenty-chars", "a-secret-of-twenty-chars", {}
    if kind0 is Path:
        return f"/srv/cces/{field}", Path(f"/srv/cces/{field}"), {}
    return f"value-of-{field}", f"value-of-{field}", {}


def plain(value: object) -> object:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def test_the_readme_lists_only_names_the_hub_reads() -> None:
    known = {f"CCES_{flat.upper()}" for flat in FLAT_NAMES} | {f"CCES_{name.upper()}" for name in TOP_LEVEL}
    assert readme_env_names() - known == set()


@pytest.mark.parametrize(("flat", "section", "field"), sorted(flat_names()))
def test_every_flat_env_name_sets_its_sectioned_value(
    flat: str, section: str, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, expected, extra = a_value(flat, section, field)
    for name, value in {f"CCES_{flat.upper()}": raw, **extra}.items():
        monkeypatch.setenv(name, raw if name == f"CCES_{flat.upper()}" else value)
    got = plain(getattr(getattr(HubSettings.load(), section), field))
    if flat in ("trusted_proxies", "metrics_trusted"):
        expected = [item.strip() for item in str(raw).split(",")]
    assert got == expected and got != plain(getattr(SECTIONS[section](), field))


def test_every_name_the_readme_lists_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    names = readme_env_names()
    assert len(names) > 60  # the README's tables, not a handful
    by_env = {f"CCES_{flat.upper()}": (flat, section, field) for flat, section, field in flat_names()}
    for env in sorted(names):
        if env in by_env:
            flat, section, field = by_env[env]
            raw, expected, extra = a_value(flat, section, field)
            with monkeypatch.context() as m:
                for name, value in extra.items():
                    m.setenv(name, value)
                m.setenv(env, raw)
                got = plain(getattr(getattr(HubSettings.load(), section), field))
            assert got == expected or flat in ("trusted_proxies", "metrics_trusted"), env
        else:  # a top-level name
            name = env.removeprefix("CCES_").lower()
            raw = SPECIAL.get(name, ("/srv/cces-data", {}))[0] if name != "worker_name" else "node-7"
            with monkeypatch.context() as m:
                m.setenv(env, raw)
                assert str(getattr(HubSettings.load(), name)) == raw, env


def test_a_toml_file_in_sections_and_env_over_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "hub.toml"
    config.write_text(
        'data_dir = "/srv/cces"\nrole = "api"\n'
        '[database]\nurl = "postgresql://cces@db/cces"\npool_max_size = 40\n'
        '[mqtt]\nurl = "mqtts://broker:8883"\nversion = "5"\nclient_id = "hub-a"\n'
        '[http]\nport = 9090\ntrusted_proxies = ["10.0.0.1"]\n'
        '[mail]\nhost = "smtp.example"\nsender = "CCES <cces@customs.example>"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("CCES_POOL_MAX_SIZE", "50")  # a flat env name over the file's section
    monkeypatch.setenv("CCES_MQTT__CLIENT_ID", "hub-b")  # the section form of env
    s = HubSettings.load(config, http_port=9191)  # a command's own option over both
    assert (s.data_dir, s.role) == (Path("/srv/cces"), "api")
    assert (s.database.url, s.database.pool_max_size) == ("postgresql://cces@db/cces", 50)
    assert (s.mqtt.url, s.mqtt.version, s.mqtt.client_id) == ("mqtts://broker:8883", "5", "hub-b")
    assert (s.http.port, s.http.trusted_proxies) == (9191, ["10.0.0.1"])
    assert (s.mail.host, s.mail.domain) == ("smtp.example", "customs.example")


def test_an_older_flat_toml_file_still_works(tmp_path: Path) -> None:
    config = tmp_path / "old.toml"
    config.write_text('pool_max_size = 30\nsmtp_from = "x@y.example"\nhttp_port = 8181\n', encoding="utf-8")
    s = HubSettings.load(config)
    assert (s.database.pool_max_size, s.mail.sender, s.http.port) == (30, "x@y.example", 8181)


def test_a_mistake_names_the_flat_name_the_env_name_and_the_section(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[database]\npool_max_size = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'pool_max_size' \(CCES_POOL_MAX_SIZE, \[database\] pool_max_size\)"):
        HubSettings.load(config)
    config.write_text("[database]\npool_size = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="pool_size"):
        HubSettings.load(config)

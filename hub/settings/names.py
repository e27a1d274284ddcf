"""Every setting's flat name (`pool_max_size`, `CCES_POOL_MAX_SIZE`) mapped to its section and field, and the
settings sources that read the constructor, the TOML file and the environment through that map, so no
deployment's environment or older TOML file breaks when a setting moves into a section."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    TomlConfigSettingsSource,
)

from hub.settings.base import ENV_PREFIX, Section
from hub.settings.model import HubSettings

SECTIONS: dict[str, type[Section]] = {
    name: info.annotation
    for name, info in HubSettings.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, Section)
}
TOP_LEVEL = tuple(name for name in HubSettings.model_fields if name not in SECTIONS)


def _flat_names() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for section, model in SECTIONS.items():
        for field, info in model.model_fields.items():
            flat = model.flat_name(field, info)
            if flat in names or flat in TOP_LEVEL or flat in SECTIONS:
                raise RuntimeError(f"two settings have the flat name {flat!r}")  # caught by any import in tests
            names[flat] = (section, field)
    return names


FLAT_NAMES: Mapping[str, tuple[str, str]] = _flat_names()


def flat_names() -> Iterator[tuple[str, str, str]]:
    """(flat name, section, field) of every sectioned setting; its env name is CCES_ + the flat name, upper."""
    for flat, (section, field) in FLAT_NAMES.items():
        yield flat, section, field


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Flat names (`pool_max_size`) moved into their sections (`database.pool_max_size`); sections and
    top-level names kept. Within one source a flat name and its section form: the later one wins."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key in FLAT_NAMES:
            section, field = FLAT_NAMES[key]
            section_dict(out, section)[field] = value
        elif key in SECTIONS and isinstance(value, Mapping | BaseModel):
            given = value.model_dump(exclude_unset=True) if isinstance(value, BaseModel) else dict(value)
            section_dict(out, key).update(given)
        else:
            out[key] = value  # a top-level setting, or an unknown name extra="forbid" refuses by name
    return out


def section_dict(out: dict[str, Any], section: str) -> dict[str, Any]:
    current = out.get(section)
    if not isinstance(current, dict):
        current = out[section] = {}
    return current


def describe_location(loc: tuple[str, ...]) -> str | None:
    """'pool_max_size' (CCES_POOL_MAX_SIZE, [database] pool_max_size) for an error at database.pool_max_size."""
    if not loc or (len(loc) == 1 and loc[0] in SECTIONS):
        return None
    if loc[0] in SECTIONS and len(loc) >= 2:
        section, field = loc[0], loc[1]
        model = SECTIONS[section]
        info = model.model_fields.get(field)
        flat = model.flat_name(field, info) if info is not None else field
        return f"'{flat}' ({ENV_PREFIX}{flat.upper()}, [{section}] {field})"
    return f"'{'.'.join(loc)}' ({ENV_PREFIX}{loc[0].upper()})"


class Nested(PydanticBaseSettingsSource):
    """Another source (the constructor's arguments) with its flat names put into sections."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self._inner = inner

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # unused: __call__ gives the whole dict

    def __call__(self) -> dict[str, Any]:
        return nest(self._inner())


class NestedToml(TomlConfigSettingsSource):
    """The TOML file (`toml_file`), in sections or with the flat names of older files."""

    def __call__(self) -> dict[str, Any]:
        return nest(super().__call__())


class Environment(PydanticBaseSettingsSource):
    """CCES_<FLAT NAME> (every name the hub ever read) and CCES_<SECTION>__<FIELD>, case-insensitive; the
    section form wins when both are set."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env = {key.upper(): value for key, value in os.environ.items() if key.upper().startswith(ENV_PREFIX)}
        out: dict[str, Any] = {}
        for name in TOP_LEVEL:
            if (value := env.get(f"{ENV_PREFIX}{name.upper()}")) is not None:
                out[name] = value
        for flat, (section, field) in FLAT_NAMES.items():
            value = env.get(f"{ENV_PREFIX}{section.upper()}__{field.upper()}", env.get(f"{ENV_PREFIX}{flat.upper()}"))
            if value is not None:
                section_dict(out, section)[field] = value
        return out

"""What every section of the settings stands on: the env prefix, the error a person fixes, the `Section`
base that knows its fields' flat names, and the validators several sections share."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any, ClassVar

import platformdirs
from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo

ENV_PREFIX = "CCES_"


class ConfigError(ValueError):
    """A configuration a person must fix; its message is one line naming what is wrong."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("cces", appauthor=False))


def flat(name: str) -> Any:
    """The flat name of a section's field when it is not `<section prefix><field>` (its env name since ever)."""
    return {"flat": name}


def address_list(value: object) -> object:
    """'10.0.0.1, 10.1.0.0/16' (env) or a TOML list; each an IP address or network, nothing else."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return value
    cleaned = [str(item).strip() for item in items if str(item).strip()]
    for item in cleaned:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/24)") from None
    return cleaned


class Section(BaseModel):
    """One section of the settings. `FLAT_PREFIX` + the field's name is its flat (env) name unless the field
    names another (`json_schema_extra={"flat": …}`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
    FLAT_PREFIX: ClassVar[str] = ""

    @classmethod
    def flat_name(cls, field: str, info: FieldInfo) -> str:
        extra = info.json_schema_extra
        if isinstance(extra, dict) and isinstance(extra.get("flat"), str):
            return str(extra["flat"])
        return f"{cls.FLAT_PREFIX}{field}"

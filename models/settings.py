"""Where model packs live: `CCES_MODELS_DIR`, else `<user data dir>/cces/models`.

A small settings object instead of a module-level constant, so tests and devices point it
elsewhere through the environment and nothing is read at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_PACK = "yunet-sface"


def default_models_dir() -> Path:
    try:  # platformdirs comes with the hub; a device without it uses the XDG default directly
        from platformdirs import user_data_dir

        return Path(user_data_dir("cces", appauthor=False)) / "models"
    except ImportError:
        return Path.home() / ".local" / "share" / "cces" / "models"


class ModelsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CCES_", extra="ignore")

    models_dir: Path = Field(default_factory=default_models_dir, description="folder holding one folder per pack")

    def pack_dir(self, pack_id: str) -> Path:
        return self.models_dir / pack_id

"""Loaded model packs at the hub, one `FaceEngine` per pack, made on first use.

The hub checks photos with one pack and embeds crops with every pack its devices run; loading
a pack costs ~0.2 s and tens of MB, so each is loaded once per process. onnxruntime sessions
may be run from several threads, so one engine serves the API and the gallery builder.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from models.errors import ModelsError

if TYPE_CHECKING:  # insightface and onnxruntime load with the first pack (seconds), not with the hub
    from models.engine import FaceEngine


class PackUnavailable(RuntimeError):
    """The pack is not installed at the hub (install it with `cces models install PACK`)."""


class EngineCache:
    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._engines: dict[str, FaceEngine] = {}
        self._lock = threading.Lock()

    def get(self, pack_id: str) -> FaceEngine:
        from models.engine import FaceEngine

        with self._lock:
            engine = self._engines.get(pack_id)
            if engine is None:
                try:
                    engine = FaceEngine(self.models_dir / pack_id)
                except ModelsError as exc:
                    raise PackUnavailable(
                        f"model pack {pack_id} is not usable at the hub ({exc}); run `cces models install {pack_id}`"
                    ) from exc
                self._engines[pack_id] = engine
            return engine

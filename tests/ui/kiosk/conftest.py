"""Fixtures of the kiosk screens' tests: a real agent screen feed fed by the real pipeline, and the
standalone terminal app (`cces terminal`'s pages) under NiceGUI's simulated user.

The hub-served pages are tested with `ui_user` (tests/ui/conftest.py), which registers every
page of the hub's UI, kiosk screens included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import numpy as np
import pytest
from nicegui.testing.user import User

from edge_agent.screen import ScreenFeed, ScreenServer
from edge_agent.settings import ScreenSettings
from tests.services import free_port
from tests.ui.conftest import simulated_app

NAMES = {"obama": "Barack Obama", "biden": "Joe Biden"}


@pytest.fixture(scope="session")
def door_pipeline(models_dir: Path, testdata_dir: Path):  # -> tuple[FaceEngine, Gallery]
    """The yunet-sface engine and a gallery of `enroll/` in which two people have display names."""
    from models.engine import FaceEngine
    from models.enrollment import gallery_from_folder
    from models.gallery import Gallery

    engine = FaceEngine(models_dir / "yunet-sface")
    plain = gallery_from_folder(engine, testdata_dir / "faces" / "enroll")
    return engine, Gallery(plain.person_ids, plain.matrix, NAMES)


def walk_past(feed: ScreenFeed, door_pipeline, image_path: Path, frames: int = 8) -> None:
    """Someone standing in front of the camera for `frames` frames: the door's real pipeline decides."""
    from devices.camera.video_file import Frame
    from models.images import read_image
    from models.stream import FaceStream
    from models.tracking import TrackPolicy

    engine, gallery = door_pipeline
    stream = FaceStream(engine, gallery, TrackPolicy(threshold=engine.threshold))
    image = read_image(image_path)
    for index in range(frames):
        result = stream.process(image, index, index * 0.1)
        feed.on_frame(Frame(index, index * 0.1, image), result, gallery)


@pytest.fixture
def agent_screen() -> Iterator[ScreenServer]:
    """An agent's screen feed server (door-sim-01, direction in) on a free port; feed it with `walk_past`."""
    feed = ScreenFeed(ScreenSettings(greeting_s=30), device_id="door-sim-01", direction="in", hub_link=lambda: False)
    server = ScreenServer(feed, "127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def standalone_user() -> Callable[[str], AbstractAsyncContextManager[User]]:
    """`async with standalone_user(agent_url) as user`: the `cces terminal` app, simulated."""
    from ui.kiosk.terminal import register_standalone

    return lambda agent_url: simulated_app(lambda: register_standalone(agent_url))


def is_jpeg(data: bytes) -> bool:
    import cv2

    return data[:2] == b"\xff\xd8" and cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) is not None

"""The door screen's feed: the real agent with the real faceid capability on the real clip.

No hub and no broker: the agent's MQTT link points at a port where nothing listens, as on a door
whose network is down. The screen must still greet the people of the clip by the names their
gallery carries, and serve the camera preview with the faces boxed.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from edge_agent.agent import Agent
from edge_agent.settings import AgentSettings, ScreenSettings
from tests.edge_agent.helpers import wait_until
from tests.services import free_port

pytestmark = pytest.mark.timeout(180)

CLIP = "short_hamilton_clip.mp4"
NAMES = {"obama": "Barack Obama", "lin_manuel_miranda": "Lin-Manuel Miranda", "alex_lacamoire": "Alex Lacamoire"}


@pytest.fixture(scope="module")
def named_gallery(models_dir: Path, testdata_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An encrypted gallery built from `enroll/` with a names.json giving three people display names."""
    from models.engine import FaceEngine
    from models.enrollment import build_gallery_file

    photos = tmp_path_factory.mktemp("photos")
    for person in (testdata_dir / "faces" / "enroll").iterdir():
        shutil.copytree(person, photos / person.name)
    (photos / "names.json").write_text(json.dumps(NAMES), encoding="utf-8")
    out = tmp_path_factory.mktemp("gallery") / "gallery.bin"
    build_gallery_file(FaceEngine(models_dir / "yunet-sface"), photos, out)
    return out


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def agent_settings(tmp_path: Path, models_dir: Path, gallery: Path, clip: Path, screen_port: int) -> AgentSettings:
    return AgentSettings(
        device_id="door-screen-01",
        mqtt_url=f"mqtt://127.0.0.1:{free_port()}",  # nothing listens: the hub is unreachable
        data_dir=tmp_path,
        reconnect_max_delay_s=1,
        faceid={
            "enabled": True,
            "models_dir": models_dir,
            "gallery_file": gallery,
            "direction": "in",
            "camera": {"file": clip, "realtime": True},
        },
        screen={"enabled": True, "port": screen_port, "max_fps": 10, "preview_width": 480},
    )


def box_edge_distance(image: np.ndarray, box: list[float], colour: tuple[int, int, int]) -> float:
    """How far from `colour` the box's top edge is: the best of the rows around it (JPEG blurs a thin line)."""
    x1, y1, x2, _ = (round(v) for v in box)
    target = np.array(colour, dtype=float)
    rows = range(max(y1 - 2, 0), min(y1 + 3, image.shape[0]))
    return min(float(np.abs(image[y, x1 + 3 : x2 - 3].reshape(-1, 3).mean(axis=0) - target).max()) for y in rows)


def test_the_screen_greets_the_people_of_the_clip_by_name_with_no_hub(
    models_dir: Path, testdata_dir: Path, named_gallery: Path, tmp_path: Path
) -> None:
    import cv2

    from edge_agent.screen import BOX_COLOURS

    port = free_port()
    clip = testdata_dir / "faces" / "video" / CLIP
    agent = Agent(agent_settings(tmp_path, models_dir, named_gallery, clip, port))
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    greetings: dict[int, dict[str, Any]] = {}
    boxed_frames: list[tuple[dict[str, Any], np.ndarray]] = []
    states: list[dict[str, Any]] = []
    try:
        assert wait_until(agent.started.is_set, 30), "agent did not start"
        faceid = agent.capabilities[0]
        status, _, body = get(f"{base}/state.json")
        assert status == 200

        def poll() -> bool:
            status, _, body = get(f"{base}/state.json")
            assert status == 200, body
            state = json.loads(body)
            states.append(state)
            for greeting in state["recent"]:
                greetings[greeting["seq"]] = greeting
            if state["faces"] and len(boxed_frames) < 40:
                status, headers, jpeg = get(f"{base}/frame.jpg")
                if status == 200 and int(headers["X-Frame"]) == state["frame"]:
                    boxed_frames.append((state, cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)))
            return faceid.metrics()["state"] in ("finished", "failed")

        finished = wait_until(poll, 90, 0.1)
        assert finished and faceid.metrics()["state"] == "finished", faceid.metrics()
        poll()
    finally:
        stop.set()
        thread.join(30)

    recognised = [g for g in greetings.values() if g["kind"] == "recognised"]
    by_person = {g["person_id"]: g for g in recognised}
    assert "obama" in by_person, f"no greeting for obama: {sorted(by_person)}"
    assert by_person["obama"]["name"] == "Barack Obama", "the name comes from the device's gallery"
    assert set(by_person) <= set(NAMES), f"greeted people not in the clip: {set(by_person) - set(NAMES)}"
    for greeting in recognised:
        assert greeting["direction"] == "in" and greeting["name"] == NAMES[greeting["person_id"]]
    assert all(g["person_id"] is None and g["name"] is None for g in greetings.values() if g["kind"] == "unknown")

    last = states[-1]
    assert last["source"] == "agent" and last["device_id"] == "door-screen-01"
    assert last["hub_link"] == "offline", "no broker: the screen says so, and greets anyway"
    assert last["camera"] == "ended" and last["frame"] == 275
    assert (last["frame_width"], last["frame_height"]) == (480, 270), "preview downscaled from 640x360"

    assert boxed_frames, "never caught a preview frame with a face in it"
    checked = 0
    for state, image in boxed_frames:
        assert image is not None and image.shape[:2] == (270, 480), "a valid JPEG of the preview size"
        for face in state["faces"]:
            x1, y1, x2, y2 = face["box"]
            if x2 - x1 < 12 or y1 < 2 or x1 < 2 or x2 > 478:
                continue  # too small or on the edge to measure the line
            assert box_edge_distance(image, face["box"], BOX_COLOURS[face["kind"]]) < 40, face
            checked += 1
    assert checked > 0, "no box could be checked"


def test_no_frame_before_the_camera_and_a_clear_404(tmp_path: Path) -> None:
    from edge_agent.screen import ScreenFeed, ScreenServer

    server = ScreenServer(ScreenFeed(ScreenSettings(), device_id="door-x-01"), "127.0.0.1", free_port())
    server.start()
    try:
        status, _, body = get(f"{server.url}/frame.jpg")
        assert status == 404 and "no camera frame yet" in body.decode()
        status, _, body = get(f"{server.url}/state.json")
        state = json.loads(body)
        assert status == 200 and state["frame"] == 0 and state["greeting"] is None and state["camera"] == "none"
        assert get(f"{server.url}/other")[0] == 404
    finally:
        server.stop()


def test_preview_frames_are_encoded_at_most_max_fps(testdata_dir: Path) -> None:
    """However often a viewer asks and however fast the camera runs, at most `max_fps` JPEGs a second."""
    from devices.camera.video_file import VideoFile
    from edge_agent.screen import ScreenFeed
    from models.gallery import Gallery
    from models.stream import FrameResult

    feed = ScreenFeed(ScreenSettings(max_fps=5))
    gallery = Gallery([], np.zeros((0, 128), np.float32))
    frames = VideoFile(testdata_dir / "faces" / "video" / CLIP).frames()
    served: set[int] = set()
    started = time.monotonic()
    while time.monotonic() - started < 1.0:
        feed.on_frame(next(frames), FrameResult([], []), gallery)
        latest = feed.frame_jpeg()
        assert latest is not None and latest[1][:2] == b"\xff\xd8"
        served.add(latest[0])
        time.sleep(0.005)
    assert feed.state().frame > 20, "the camera ran faster than the preview"
    assert 3 <= len(served) <= 6, f"{len(served)} distinct previews in a second at max_fps=5"


def test_a_taken_port_leaves_the_door_recording(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The screen is secondary: when its port is taken the agent logs why and keeps recording."""
    import socket

    from edge_agent.screen import start_screen

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = AgentSettings(device_id="door-busy-01", data_dir=tmp_path, screen={"enabled": True, "port": port})
        assert start_screen(settings, [], lambda: False) is None
    assert "set [screen] port" in caplog.text


def test_screen_config_errors_name_the_field(tmp_path: Path) -> None:
    from edge_agent.settings import ConfigError

    base = 'device_id = "door-cfg-02"\n[screen]\nenabled = true\n'
    cases = {"port = 70000\n": "screen.port", "colour = 1\n": "screen.colour", "max_fps = 0\n": "max_fps"}
    for extra, message in cases.items():
        path = tmp_path / "agent.toml"
        path.write_text(base + extra)
        with pytest.raises(ConfigError, match=message):
            AgentSettings.load(path)
    path.write_text(base)
    screen = AgentSettings.load(path).screen
    assert (screen.host, screen.port, screen.max_fps, screen.greeting_s) == ("127.0.0.1", 8765, 10.0, 5.0)

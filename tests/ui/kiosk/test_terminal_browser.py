"""The door as installed, in a real headless Chromium: `cces agent` (faceid on the test clip, screen
feed on) and `cces terminal` as their own processes, no broker and no hub anywhere.

The browser must show a greeting with a name from the device's gallery, "Đã chấm công vào",
and a live preview image that actually loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import free_port, wait_for_port
from tests.ui.browser.waits import page_text, wait_until

pytestmark = [pytest.mark.timeout(180), pytest.mark.slow]

NAMES = {"obama": "Barack Obama", "lin_manuel_miranda": "Lin-Manuel Miranda", "alex_lacamoire": "Alex Lacamoire"}
CLIP = "short_hamilton_clip.mp4"


def write_agent_config(tmp_path: Path, models_dir: Path, photos: Path, clip: Path, screen_port: int) -> Path:
    config = tmp_path / "agent.toml"
    config.write_text(
        "\n".join(
            [
                'device_id = "door-kiosk-01"',
                f'mqtt_url = "mqtt://127.0.0.1:{free_port()}"',  # nothing listens: no hub, no broker
                f'data_dir = "{tmp_path / "data"}"',
                "reconnect_max_delay_s = 2",
                "[faceid]",
                "enabled = true",
                f'models_dir = "{models_dir}"',
                f'gallery_dir = "{photos}"',
                'direction = "in"',
                "cooldown_s = 5",
                "[faceid.camera]",
                f'file = "{clip}"',
                "realtime = true",
                "loop = true",
                "[screen]",
                "enabled = true",
                f"port = {screen_port}",
                "greeting_s = 8",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return config


def test_the_door_screen_in_chromium_greets_by_name_with_no_hub(
    browser, models_dir: Path, testdata_dir: Path, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    photos = tmp_path / "photos"
    shutil.copytree(testdata_dir / "faces" / "enroll", photos)
    (photos / "names.json").write_text(json.dumps(NAMES), encoding="utf-8")
    screen_port, page_port = free_port(), free_port()
    config = write_agent_config(tmp_path, models_dir, photos, testdata_dir / "faces" / "video" / CLIP, screen_port)
    logs = {name: open(tmp_path / f"{name}.log", "wb") for name in ("agent", "terminal")}  # noqa: SIM115
    # NiceGUI takes PYTEST_CURRENT_TEST to mean "inside a NiceGUI test" and then ignores --port
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST" and not k.startswith("NICEGUI_")}
    processes = [
        subprocess.Popen([sys.executable, "-m", "cces", "agent", "--config", str(config)], stdout=logs["agent"],
                         stderr=subprocess.STDOUT, env=env),
        subprocess.Popen([sys.executable, "-m", "cces", "terminal", "--config", str(config), "--port", str(page_port)],
                         stdout=logs["terminal"], stderr=subprocess.STDOUT, env=env),
    ]  # fmt: skip
    try:
        try:
            wait_for_port("127.0.0.1", page_port, timeout=60)
        except TimeoutError:
            pytest.fail("cces terminal did not listen: " + (tmp_path / "terminal.log").read_text(errors="replace"))
        browser.get(f"http://127.0.0.1:{page_port}/")

        def greeted(driver) -> str | None:
            text = driver.find_element(By.TAG_NAME, "body").text
            name = next((n for n in NAMES.values() if n in text), None)
            return name if name is not None and "Đã chấm công vào" in text else None

        try:
            name = wait_until(browser, greeted, 90)
        except Exception:
            body = page_text(browser)
            tails = {n: (tmp_path / f"{n}.log").read_text(errors="replace")[-1500:] for n in logs}
            pytest.fail(f"no greeting in the browser; page: {body!r}\nlogs: {tails}")
        assert name in NAMES.values()
        assert "Mất kết nối máy chủ" in page_text(browser)
        loaded = wait_until(
            browser,
            lambda d: d.execute_script(
                "return [...document.querySelectorAll('img')].some(i => i.src.includes('/kiosk/agent/frame.jpg')"
                " && i.complete && i.naturalWidth > 0)"
            ),
        )
        assert loaded, "the camera preview did not load in the browser"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()

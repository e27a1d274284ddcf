"""Take a photo with the browser's camera (getUserMedia) and hand the JPEG to Python.

The picture never leaves the page except as the one JPEG sent over the page's own connection
when the officer presses the button. Browsers allow the camera only on https:// pages or on
localhost; when it is refused, the reason is shown and uploading a file still works.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Awaitable, Callable

from nicegui import ui

from ui.i18n import N_, t

JPEG_QUALITY = 0.92


def camera_capture(lang: str, on_photo: Callable[[bytes], Awaitable[None]]) -> None:
    """A video preview with start / take / stop buttons; `on_photo(jpeg_bytes)` for each photo taken."""
    video_id = f"cces-camera-{uuid.uuid4().hex[:8]}"
    ui.html(
        f'<video id="{video_id}" autoplay playsinline muted'
        ' style="width:100%;max-width:480px;background:#222;border-radius:4px"></video>',
        sanitize=False,
    ).classes("w-full").mark("camera-preview")
    error = ui.label().classes("text-negative").mark("camera-error")
    vid = json.dumps(video_id)

    async def start() -> None:
        error.text = ""
        outcome = await ui.run_javascript(
            f"""
            const video = document.getElementById({vid});
            try {{
              const stream = await navigator.mediaDevices.getUserMedia({{video: {{facingMode: "user"}}, audio: false}});
              video.srcObject = stream;
              await video.play();
              return "ok";
            }} catch (e) {{
              return String(e && e.message ? e.message : e);
            }}
            """,
            timeout=30,
        )
        if outcome != "ok":
            error.text = t(
                N_("Không mở được máy ảnh: {error} (cần trang https:// hoặc localhost và quyền dùng máy ảnh)."), lang
            ).format(error=outcome)

    async def take() -> None:
        data_url = await ui.run_javascript(
            f"""
            const video = document.getElementById({vid});
            if (!video || !video.srcObject || !video.videoWidth) return null;
            const canvas = document.createElement("canvas");
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            canvas.getContext("2d").drawImage(video, 0, 0);
            return canvas.toDataURL("image/jpeg", {JPEG_QUALITY});
            """,
            timeout=15,
        )
        if not isinstance(data_url, str) or "," not in data_url:
            error.text = t(N_("Máy ảnh chưa sẵn sàng."), lang)
            return
        await on_photo(base64.b64decode(data_url.split(",", 1)[1]))

    def stop() -> None:
        ui.run_javascript(
            f"""
            const video = document.getElementById({vid});
            if (video && video.srcObject) {{
              video.srcObject.getTracks().forEach(track => track.stop());
              video.srcObject = null;
            }}
            """
        )

    with ui.row().classes("gap-2"):
        ui.button(t(N_("Bật máy ảnh"), lang), icon="videocam", on_click=start).props("outline").mark("camera-start")
        ui.button(t(N_("Chụp ảnh"), lang), icon="photo_camera", on_click=take).props("unelevated").mark("camera-take")
        ui.button(t(N_("Tắt máy ảnh"), lang), icon="videocam_off", on_click=stop).props("flat").mark("camera-stop")

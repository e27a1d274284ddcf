"""Importing the hub's services stays cheap: no face models, no OpenCV (issue 13: a tool, a page
module or an API-only node that imports hub.services must not pay for insightface's import, nor
need it installed)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("insightface", "cv2", "onnxruntime")


def test_importing_hub_services_loads_no_face_model_library() -> None:
    code = (
        "import sys, hub.services, hub.domains\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == "", f"importing hub.services loaded {done.stdout.strip()}"

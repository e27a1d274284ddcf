"""onnxruntime sessions with execution providers chosen from what this machine has.

On a Jetson the onnxruntime-gpu build offers TensorRT and CUDA; elsewhere only the CPU. The
choice is logged, and if onnxruntime silently drops a requested accelerator while creating the
session (missing CUDA libraries, say), that is logged as a warning — or raised with
`require_accelerator` — never passed over in silence.

Spinning is turned off: the detector and the recogniser run one after the other on the same
two cores, and a session whose idle threads spin steals CPU from the other (measured here:
the recogniser went from ~22 ms to ~50 ms per face with spinning on).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import onnxruntime as ort

from models.errors import PackError

log = logging.getLogger(__name__)

PREFERENCE = ("TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider")


def choose_providers(available: Sequence[str] | None = None, wanted: Sequence[str] | None = None) -> list[str]:
    """Providers to request, best first, among those onnxruntime reports as available."""
    available = list(ort.get_available_providers() if available is None else available)
    order = list(wanted) if wanted else list(PREFERENCE)
    chosen = [p for p in order if p in available]
    if wanted:
        missing = [p for p in wanted if p not in available]
        if missing:
            raise PackError(f"execution provider(s) {', '.join(missing)} not available; have {', '.join(available)}")
    if "CPUExecutionProvider" in available and "CPUExecutionProvider" not in chosen:
        chosen.append("CPUExecutionProvider")
    if not chosen:
        raise PackError(f"onnxruntime offers no usable execution provider (available: {available})")
    return chosen


def open_session(
    path: Path,
    *,
    providers: Sequence[str] | None = None,
    threads: int = 0,
    require_accelerator: bool = False,
) -> ort.InferenceSession:
    """An inference session for `path`; the providers in use are logged (and checked)."""
    requested = choose_providers(wanted=providers)
    options = ort.SessionOptions()
    options.log_severity_level = 3  # our own log says what matters; ORT's warnings are per-initializer noise
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        session = ort.InferenceSession(str(path), sess_options=options, providers=requested)
    except Exception as exc:  # onnxruntime raises its own exception types with multi-line text
        detail = " ".join(str(exc).split())[:300]
        raise PackError(f"onnxruntime cannot load {path}: {detail}") from exc
    active = session.get_providers()
    log.info("onnx session %s: providers %s (requested %s)", path.name, active, requested)
    if active[0] != requested[0]:
        message = f"{path.name}: requested {requested[0]} but onnxruntime runs on {active[0]}"
        if require_accelerator:
            raise PackError(message)
        log.warning("%s (falling back; install the accelerator's libraries to fix)", message)
    return session

"""onnxruntime sessions with execution providers chosen from what this machine has.

On a Jetson the onnxruntime-gpu build offers TensorRT and CUDA; elsewhere only the CPU. With
no providers asked for, the best available ones are used (TensorRT, then CUDA, then the CPU for
the nodes they cannot run). Providers asked for by name must all be available, or the session
is refused with a message naming what this build has.

onnxruntime itself drops a requested accelerator silently when it cannot start it (missing
CUDA/cuDNN/TensorRT libraries, say) and runs everything on the CPU. We never pass that over:
the session is refused (`ProviderError`), unless the caller opted in with
`allow_fallback=True`, in which case the fallback is logged as a warning. Either way the
providers in use are logged for every session, and reported in telemetry by the agent.

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
CPU = "CPUExecutionProvider"


class ProviderError(PackError):
    """A requested execution provider is not available, or onnxruntime could not start it."""


def available_providers() -> list[str]:
    return list(ort.get_available_providers())


def choose_providers(available: Sequence[str] | None = None, wanted: Sequence[str] | None = None) -> list[str]:
    """Providers to request, best first, among those onnxruntime reports as available.

    `wanted` (names, best first) must all be available, else ProviderError; the CPU is appended
    as the provider of last resort for nodes an accelerator does not implement (that is
    partitioning, not a fallback of the whole session).
    """
    available = list(available_providers() if available is None else available)
    if wanted:
        unknown = [p for p in wanted if not p.endswith("ExecutionProvider")]
        if unknown:
            raise ProviderError(f"not an onnxruntime execution provider name: {', '.join(unknown)}")
        missing = [p for p in wanted if p not in available]
        if missing:
            raise ProviderError(
                f"execution provider(s) {', '.join(missing)} not available in this onnxruntime build;"
                f" it has {', '.join(available) or 'none'}"
            )
        chosen = list(dict.fromkeys(wanted))
    else:
        chosen = [p for p in PREFERENCE if p in available]
    if CPU in available and CPU not in chosen:
        chosen.append(CPU)
    if not chosen:
        raise ProviderError(f"onnxruntime offers no usable execution provider (available: {available})")
    return chosen


def check_active(name: str, requested: Sequence[str], active: Sequence[str], *, allow_fallback: bool) -> None:
    """Refuse (or, opted in, log) a session on which onnxruntime dropped a requested accelerator."""
    dropped = [p for p in requested if p != CPU and p not in active]
    if not dropped:
        return
    message = (
        f"{name}: onnxruntime could not start {', '.join(dropped)} (requested {list(requested)}, running on"
        f" {list(active)}); install the accelerator's libraries"
    )
    if not allow_fallback:
        raise ProviderError(message + ", or allow the fallback explicitly (provider_fallback = true)")
    log.warning("%s — falling back as allowed by provider_fallback", message)


def session_options(threads: int = 0) -> ort.SessionOptions:
    options = ort.SessionOptions()
    options.log_severity_level = 3  # our own log says what matters; ORT's warnings are per-initializer noise
    options.intra_op_num_threads = threads
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def open_session(
    path: Path,
    *,
    providers: Sequence[str] | None = None,
    threads: int = 0,
    allow_fallback: bool = False,
) -> ort.InferenceSession:
    """An inference session for `path`; the providers in use are logged and checked (see module doc)."""
    requested = choose_providers(wanted=providers)
    try:
        session = ort.InferenceSession(str(path), sess_options=session_options(threads), providers=requested)
    except Exception as exc:  # onnxruntime raises its own exception types with multi-line text
        detail = " ".join(str(exc).split())[:300]
        raise PackError(f"onnxruntime cannot load {path}: {detail}") from exc
    active = session.get_providers()
    log.info("onnx session %s: providers %s (requested %s)", path.name, active, requested)
    check_active(path.name, requested, active, allow_fallback=allow_fallback)
    return session

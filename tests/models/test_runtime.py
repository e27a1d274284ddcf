"""Execution providers: chosen from what onnxruntime offers, logged, never dropped in silence."""

from __future__ import annotations

import logging
from pathlib import Path

import onnxruntime as ort
import pytest

from models.runtime import ProviderError, check_active, choose_providers, open_session


def test_the_best_available_providers_are_chosen() -> None:
    assert choose_providers(["CPUExecutionProvider"]) == ["CPUExecutionProvider"]
    jetson = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
    assert choose_providers(list(reversed(jetson))) == jetson
    assert choose_providers(jetson, wanted=["CUDAExecutionProvider"]) == jetson[1:]


def test_a_requested_provider_that_is_missing_is_a_clear_error() -> None:
    with pytest.raises(ProviderError, match="CUDAExecutionProvider.*not available.*CPUExecutionProvider"):
        choose_providers(["CPUExecutionProvider"], wanted=["CUDAExecutionProvider"])
    with pytest.raises(ProviderError, match="not an onnxruntime execution provider name: cuda"):
        choose_providers(["CPUExecutionProvider"], wanted=["cuda"])


def test_opening_a_session_on_a_provider_this_build_lacks_is_refused(models_dir: Path) -> None:
    """The real onnxruntime of this machine: asking for an accelerator it does not have fails loudly."""
    have = ort.get_available_providers()
    missing = next((p for p in ("TensorrtExecutionProvider", "CUDAExecutionProvider") if p not in have), None)
    if missing is None:
        pytest.skip("this onnxruntime build has both TensorRT and CUDA: no missing accelerator to ask for")
    with pytest.raises(ProviderError, match=f"{missing}.*not available"):
        open_session(models_dir / "yunet-sface" / "detector.onnx", providers=[missing])


def test_the_providers_in_use_are_logged(models_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="models.runtime"):
        session = open_session(models_dir / "yunet-sface" / "detector.onnx")
    assert session.get_providers()[0] in ort.get_available_providers()
    assert any("detector.onnx: providers" in r.getMessage() for r in caplog.records)


def test_an_accelerator_dropped_by_onnxruntime_is_refused_unless_the_fallback_is_allowed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    requested = ["CUDAExecutionProvider", "CPUExecutionProvider"]
    with pytest.raises(ProviderError, match="could not start CUDAExecutionProvider.*provider_fallback"):
        check_active("recogniser.onnx", requested, ["CPUExecutionProvider"], allow_fallback=False)
    with caplog.at_level(logging.WARNING, logger="models.runtime"):
        check_active("recogniser.onnx", requested, ["CPUExecutionProvider"], allow_fallback=True)
    assert any("falling back as allowed" in r.getMessage() for r in caplog.records)
    check_active("recogniser.onnx", requested, requested, allow_fallback=False)  # nothing dropped: fine

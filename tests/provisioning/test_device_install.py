"""The device install kit: the systemd unit is valid, the installer refuses to half-run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "systemd" / "cces-agent.service"


def test_systemd_unit_is_valid_and_unprivileged() -> None:
    text = UNIT.read_text()
    assert "User=cces-agent" in text and "NoNewPrivileges=true" in text
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    result = subprocess.run(["systemd-analyze", "verify", str(UNIT)], capture_output=True, text=True, timeout=60)
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "is not executable" not in line  # the venv exists only on a device
    ]
    assert problems == []


@pytest.mark.parametrize("args", [[], ["--hub", "https://hub"], ["--bogus", "x"]])
def test_installer_refuses_incomplete_arguments_before_touching_the_system(args: list[str]) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "install-agent"), *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "install-agent" in result.stderr or "usage" in result.stderr

"""`cces rfid simulate`: a simulated reader an agent (here the reader class itself) can open."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.rfid.chafon import ChafonReader

pytest.importorskip("serial")

EPC = "3034257BF7194E4000001A85"


def test_simulate_serves_a_reader_until_terminated(tmp_path: Path) -> None:
    link = tmp_path / "reader"
    process = subprocess.Popen(
        [sys.executable, "-m", "cces", "rfid", "simulate", "--link", str(link), "--epc", EPC, "--rate", "50"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "simulated reader: chafon" in process.stdout.readline()
        reader = ChafonReader(str(link))
        reader.open()
        reads = []
        deadline = time.monotonic() + 5
        while not reads and time.monotonic() < deadline:
            reads += reader.read(0.5)
        reader.close()
        assert {r.epc for r in reads} == {EPC}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
    assert not link.exists()


def test_simulate_refuses_a_bad_epc() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cces", "rfid", "simulate", "--epc", "12345"], capture_output=True, text=True
    )
    assert done.returncode == 2 and "not an EPC" in done.stderr and done.stderr.count("\n") == 1

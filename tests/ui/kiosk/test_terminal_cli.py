"""`cces terminal`'s arguments: where the agent feed is, and one-line errors for a person's mistakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cces.cli import build_parser
from cces.terminal_command import DEFAULT_AGENT_URL, agent_url_from


def args(*argv: str):  # -> argparse.Namespace
    return build_parser().parse_args(["terminal", *argv])


def test_the_feed_url_comes_from_the_flag_the_agent_config_or_the_default(tmp_path: Path) -> None:
    config = tmp_path / "agent.toml"
    config.write_text('device_id = "door-hq-01"\n[screen]\nenabled = true\nhost = "0.0.0.0"\nport = 9876\n')
    assert agent_url_from(args()) == DEFAULT_AGENT_URL
    assert agent_url_from(args("--config", str(config))) == "http://127.0.0.1:9876"
    assert (
        agent_url_from(args("--agent-url", "http://10.0.0.5:8765", "--config", str(config))) == "http://10.0.0.5:8765"
    )


def test_mistakes_are_one_line_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "agent.toml"
    config.write_text('device_id = "door-hq-01"\n')  # [screen] not enabled
    for argv, message in (
        (["--config", str(config)], "[screen] enabled = false"),
        (["--config", str(tmp_path / "missing.toml")], "config file not found"),
        (["--agent-url", "127.0.0.1:8765"], "must be an http:// URL"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "cces", "terminal", *argv], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr

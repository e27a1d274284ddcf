"""`python -m edge_agent --config FILE`: the agent without the `cces` CLI (minimal installs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from edge_agent.main import ConfigError, run_agent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edge_agent", description="Run the CCES edge agent.")
    parser.add_argument("--config", type=Path, default=None, help="agent TOML file (env CCES_AGENT_* overrides it)")
    args = parser.parse_args(argv)
    try:
        return run_agent(args.config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

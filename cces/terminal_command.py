"""`cces terminal`: the door terminal's greeting screen, served on the device itself.

It reads the local agent's screen feed (`[screen]` in the agent's TOML, http://127.0.0.1:8765 by
default) and needs no hub: a door whose network is down still greets people by name. A browser
in kiosk mode shows it full screen (README: "Door terminal screen").
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from cces.errors import UserError

DEFAULT_AGENT_URL = "http://127.0.0.1:8765"

log = logging.getLogger(__name__)


def agent_url_from(args: argparse.Namespace) -> str:
    """--agent-url, else the `[screen]` address in the agent's config file (--config), else the default."""
    if args.agent_url:
        if not args.agent_url.startswith(("http://", "https://")):
            raise UserError(f"--agent-url must be an http:// URL, got {args.agent_url!r}")
        return str(args.agent_url)
    config: Path | None = args.config
    if config is None:
        return DEFAULT_AGENT_URL
    from edge_agent.settings import AgentSettings

    screen = AgentSettings.load(config).screen  # ConfigError is a user error: one line, exit 2
    if not screen.enabled:
        raise UserError(f"{config}: [screen] enabled = false; the agent serves no screen feed for the terminal")
    host = "127.0.0.1" if screen.host in ("0.0.0.0", "::", "") else screen.host
    return f"http://{host}:{screen.port}"


def cmd_terminal(args: argparse.Namespace) -> int:
    try:
        from nicegui import ui

        from ui.kiosk.terminal import register_standalone
    except ImportError as exc:
        raise UserError(f"cces terminal needs NiceGUI (pip install 'cces[terminal]'): {exc}") from exc
    url = agent_url_from(args)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.info("door screen on http://%s:%d/ reading the agent feed at %s", args.host, args.port, url)
    register_standalone(url)
    ui.run(
        host=args.host,
        port=args.port,
        title="CCES",
        language="vi",
        dark=True,
        reload=False,
        show=False,
        show_welcome_message=False,
    )
    return 0


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--agent-url", help=f"the agent's screen feed (default: from --config, else {DEFAULT_AGENT_URL})")
    p.add_argument("--config", type=Path, help="the agent's TOML file, to read its [screen] host and port")
    p.add_argument("--host", default="127.0.0.1", help="listen address of the screen page (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port of the screen page (default 8080)")

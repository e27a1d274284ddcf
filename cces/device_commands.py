"""`cces provision …`: a device's identity and credentials (registration, enrollment tokens, certificates,
revocation, model pack offers, the Mosquitto configuration). Each command imports what it runs on when
it runs, so building the parser stays cheap."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cces.context import checked_device_id, hub_settings, migrated_database
from cces.errors import UserError
from cces.identity import certificate_authority


def cmd_provision_token(args: argparse.Namespace) -> int:
    from datetime import timedelta

    import psycopg

    from hub.accounts import audit
    from hub.devices.enrollment import create_token

    device_id = checked_device_id(args.device_id)
    with migrated_database(args) as url, psycopg.connect(url) as conn, conn.transaction():
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


def cmd_provision_device(args: argparse.Namespace) -> int:
    import psycopg

    from hub.devices.repository import DeviceExists, register_device
    from hub.passwords import hash_secret, mosquitto_hash
    from hub.runtime import device_broker_url
    from provisioning.credentials import new_device_credentials

    device_id = checked_device_id(args.device_id)
    credentials = new_device_credentials(device_id)
    with migrated_database(args) as url, psycopg.connect(url) as conn:
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
    settings = hub_settings(args)
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


def cmd_provision_revoke(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_revoke as run

    device_id = checked_device_id(args.device_id)
    with migrated_database(args) as url:
        return run(args, hub_settings(args), url, device_id)


def cmd_provision_certs(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_certs as run

    if args.device_id is not None:
        checked_device_id(args.device_id)
    with migrated_database(args) as url:
        return run(args, url)


def cmd_provision_offer_pack(args: argparse.Namespace) -> int:
    from cces.provision_command import cmd_provision_offer_pack as run

    return run(args, hub_settings(args))


def cmd_provision_broker_config(args: argparse.Namespace) -> int:
    from provisioning.ca import CertificateError
    from provisioning.mosquitto import write_broker_config

    settings = hub_settings(args)
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


def add_provision_commands(add: Callable[..., argparse.ArgumentParser], sub: Any, hub_config: Callable) -> None:
    """`cces provision …` on the main parser (`add` and `hub_config` are cces.cli's helpers)."""
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

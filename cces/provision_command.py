"""`cces provision revoke` and `cces provision certs`: taking a device's identity away, and seeing
when each device's certificate expires.

Revoking a device revokes every certificate the hub issued to it (in the CA's list, from which
the CRL is made, and in the registry, which the device endpoint and renewal check) and its
broker password if it has one. Mosquitto 2.0 reads its CRL when the listener starts: with
`--broker-dir` the CRL there is rewritten, and the broker must then be restarted.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime

import psycopg

from cces.errors import UserError
from cces.identity import certificate_authority


def cmd_provision_revoke(args: argparse.Namespace, settings: object, database_url: str, device_id: str) -> int:
    from hub.devices import repository as repo
    from provisioning.mosquitto import refresh_crl

    ca = certificate_authority(settings)  # type: ignore[arg-type]
    with psycopg.connect(database_url) as conn, conn.transaction():
        if repo.get_device(conn, device_id) is None:
            raise UserError(f"no device has the id {device_id!r}")
        serials = repo.revoke_certificates(conn, device_id)
        password = repo.revoke_credentials(conn, device_id)
        already = [c.serial for c in repo.list_certificates(conn, device_id) if c.serial not in serials]
        for serial in serials + already:  # the CA's list too, also for those revoked in an earlier run
            ca.revoke_serial(serial)
    crl = refresh_crl(args.broker_dir, ca) if args.broker_dir else None
    result = {
        "device_id": device_id,
        "revoked_serials": [format(s, "x") for s in serials],
        "already_revoked": [format(s, "x") for s in already],
        "password_revoked": password,
        "crl": str(crl) if crl else None,
    }
    if args.json:
        print(json.dumps(result))
        return 0
    if serials or password:
        print(
            f"device {device_id}: revoked {len(serials)} certificate(s)"
            + (" and its broker password" if password else "")
        )
    else:
        print(f"device {device_id}: nothing left to revoke")
    if crl:
        print(f"CRL written to {crl}; restart Mosquitto so that it reads it (2.0 reads the CRL at start)")
    else:
        print("the device endpoint refuses it now; for Mosquitto run: cces provision broker-config … and restart it")
    return 0


def cmd_provision_certs(args: argparse.Namespace, database_url: str) -> int:
    from hub.devices import repository as repo

    now = datetime.now(UTC)
    with psycopg.connect(database_url) as conn:
        rows = repo.list_certificates(conn, args.device_id)
    newest: dict[str, datetime] = {}
    for row in rows:
        if row.revoked_at is None:
            newest[row.device_id] = max(newest.get(row.device_id, row.not_after), row.not_after)
    found = []
    for row in rows:
        if row.revoked_at is not None:
            state = "revoked"
        elif row.not_after <= now:
            state = "expired"
        elif row.not_after < newest[row.device_id]:
            state = "superseded"  # renewed: left to expire
        else:
            state = "valid"
        found.append(
            {
                "device_id": row.device_id,
                "serial": format(row.serial, "x"),
                "issued_at": row.issued_at.isoformat(),
                "not_after": row.not_after.isoformat(),
                "days_left": round((row.not_after - now).total_seconds() / 86_400, 1),
                "state": state,
                "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            }
        )
    if args.json:
        print(json.dumps(found))
        return 0
    if not found:
        print("no device certificates issued yet")
    for item in found:
        print(
            f"{item['device_id']:<24} {item['serial'][:16]:<16} until {item['not_after'][:16]}"
            f"  {item['days_left']:>7} days  {item['state']}"
        )
    return 0


def cmd_provision_offer_pack(args: argparse.Namespace, settings: object) -> int:
    """Archive an installed pack into the hub's pack store and print the offer (the `update_pack` args)."""
    from hub.packs.store import PackStore, archive_pack
    from models.errors import PackError

    try:
        archive = archive_pack(args.pack_dir)
    except PackError as exc:
        raise UserError(str(exc)) from exc
    pack_id = json.loads((args.pack_dir / "manifest.json").read_text())["pack_id"]
    try:
        offer = PackStore(settings.data_dir / "packs").add(pack_id, args.version, archive)  # type: ignore[attr-defined]
    except ValueError as exc:  # pydantic's ValidationError: the version's alphabet
        detail = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)
        raise UserError(f"cannot offer {pack_id} as version {args.version!r}: {detail}") from exc
    print(
        offer.model_dump_json()
        if args.json
        else f"offered {offer.label} ({offer.size} bytes, sha256 {offer.sha256}); send it to a device with\n"
        f'  POST /api/v1/devices/<id>/commands {{"name": "update_pack", "args": {offer.model_dump_json()}}}'
    )
    return 0

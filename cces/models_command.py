"""`cces models install|list`: model packs in the models folder (`CCES_MODELS_DIR`)."""

from __future__ import annotations

import argparse
import json

from cces.errors import UserError


def cmd_models_install(args: argparse.Namespace) -> int:
    from models.errors import ModelsError
    from models.install import install_pack
    from models.settings import ModelsSettings

    settings = ModelsSettings()
    try:
        result = install_pack(args.pack_id, settings.models_dir, fold_int8=args.fold_int8)
    except ModelsError as exc:
        raise UserError(str(exc)) from exc
    summary = {
        "pack_id": result.manifest.pack_id,
        "path": str(result.path),
        "changed": result.changed,
        "int8_folded": result.manifest.int8_folded,
        "seconds": round(result.seconds, 3),
        "licences": [f"{lic.component}: {lic.spdx}" for lic in result.manifest.licences],
    }
    if args.json:
        print(json.dumps(summary))
    else:
        state = "installed" if result.changed else "already installed"
        print(f"{summary['pack_id']} {state} at {summary['path']} (int8 folded: {summary['int8_folded']})")
        print("licences: " + "; ".join(summary["licences"]))
    return 0


def cmd_models_list(args: argparse.Namespace) -> int:
    from models.install import list_packs
    from models.settings import ModelsSettings

    settings = ModelsSettings()
    rows = []
    for status in list_packs(settings.models_dir):
        row: dict[str, object] = {"pack_id": status.pack_id, "path": str(status.path), "ok": status.ok}
        if status.manifest is not None:
            m = status.manifest
            row.update(
                int8_folded=m.int8_folded,
                source=m.source,
                embedding_size=m.recogniser.embedding_size,
                threshold=m.recogniser.threshold,
                licences=[{"component": lic.component, "spdx": lic.spdx} for lic in m.licences],
                commercial_use=all(lic.commercial_use for lic in m.licences),
            )
        else:
            row["problem"] = status.problem
        rows.append(row)
    if args.json:
        print(json.dumps({"models_dir": str(settings.models_dir), "packs": rows}))
    elif not rows:
        print(f"no model packs in {settings.models_dir}; run `cces models install yunet-sface`")
    else:
        for row in rows:
            state = "ok" if row["ok"] else f"BROKEN: {row['problem']}"
            print(f"{row['pack_id']}\t{row['path']}\t{state}")
    return 0

"""`cces models install|list`: model packs in the models folder (`CCES_MODELS_DIR`).

A pack whose weights are not for commercial use (the insightface buffalo packs) says so on
stderr every time it is installed, and `list` shows its licences and the notice, so nobody
chooses it for production attendance without seeing it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cces.errors import UserError


def show_licence_notice(manifest: Any) -> None:
    """The pack's non-commercial notice on stderr (never mixed into --json output)."""
    if manifest.licence_notice is not None:
        print(f"WARNING: {manifest.licence_notice}", file=sys.stderr)


def _licences(manifest: Any) -> list[dict[str, object]]:
    return [
        {"component": lic.component, "spdx": lic.spdx, "commercial_use": lic.commercial_use, "text": lic.text}
        for lic in manifest.licences
    ]


def cmd_models_install(args: argparse.Namespace) -> int:
    from models.errors import ModelsError
    from models.install import install_pack
    from models.settings import ModelsSettings

    settings = ModelsSettings()
    try:
        result = install_pack(
            args.pack_id, settings.models_dir, fold_int8=args.fold_int8, source_dir=getattr(args, "source", None)
        )
    except ModelsError as exc:
        raise UserError(str(exc)) from exc
    m = result.manifest
    summary = {
        "pack_id": m.pack_id,
        "path": str(result.path),
        "changed": result.changed,
        "int8_folded": m.int8_folded,
        "seconds": round(result.seconds, 3),
        "files": [{"name": f.name, "role": f.role, "sha256": f.sha256} for f in m.files],
        "licences": [f"{lic.component}: {lic.spdx}" for lic in m.licences],
        "commercial_use": m.commercial_use,
        "licence_notice": m.licence_notice,
    }
    show_licence_notice(m)
    if args.json:
        print(json.dumps(summary))
    else:
        state = "installed" if result.changed else "already installed"
        print(f"{summary['pack_id']} {state} at {summary['path']} (int8 folded: {summary['int8_folded']})")
        for f in m.files:
            print(f"  {f.role}: {f.name} sha256 {f.sha256}")
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
                loader=m.loader,
                embedding_size=m.recogniser.embedding_size,
                threshold=m.recogniser.threshold,
                files=[{"name": f.name, "role": f.role, "sha256": f.sha256} for f in m.files],
                licences=_licences(m),
                commercial_use=m.commercial_use,
                licence_notice=m.licence_notice,
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
            use = "" if row.get("commercial_use", True) else "\tNON-COMMERCIAL (research only)"
            print(f"{row['pack_id']}\t{row['path']}\t{state}{use}")
    return 0

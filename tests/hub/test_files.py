"""The content-addressed store (hub.files): a file is written once under its digest, also when several threads of one
hub process store the same bytes at the same moment (two clerks uploading the same scan)."""

from __future__ import annotations

import threading
from pathlib import Path

from hub.files import ContentStore


def test_the_same_bytes_stored_by_many_threads_at_once_are_one_file_and_no_write_fails(tmp_path: Path) -> None:
    store = ContentStore(tmp_path / "files")
    data = b"%PDF-1.7 " + bytes(range(256)) * 4096  # 1 MiB: long enough for the writes to overlap
    start = threading.Barrier(8)
    digests: list[str] = []
    failures: list[BaseException] = []

    def put() -> None:
        start.wait()
        try:
            for _ in range(5):
                digests.append(store.put(data))
                store.remove(digests[-1])  # gone again, so the next round writes it anew
        except BaseException as exc:  # noqa: BLE001 - what a thread raised is the test's finding
            failures.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(digests) == 40 and len(set(digests)) == 1
    digest = store.put(data)
    assert store.get(digest) == data
    assert [p.name for p in store.files()] == [digest]  # no half-written file left behind

"""The local gallery: person_id -> enrolled embeddings, matched with one matrix product.

All embeddings sit in one (n, d) float32 matrix of unit vectors, with a parallel array saying
whose row it is; matching k probes is `probes @ matrix.T` followed by a per-row argmax, which
for 10,000 people x 128 dimensions is a ~1 ms BLAS call. A person with several enrollment
photos has several rows, and the best row wins (the maximum over a person's photos).

A gallery may also carry a display name per person (optional): the door terminal greets people
by name with no hub connection, so the name must travel with the embeddings to the device.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Match:
    person_id: str | None  # None: best score below the threshold (unknown)
    score: float  # cosine similarity to the best row
    best_person_id: str | None  # who the best row belongs to, even when below the threshold


MAX_NAME_CHARS = 200


class Gallery:
    def __init__(
        self, person_ids: Iterable[str], embeddings: np.ndarray, names: Mapping[str, str] | None = None
    ) -> None:
        ids = np.asarray(list(person_ids), dtype=object)
        matrix = np.asarray(embeddings, dtype=np.float32)
        if matrix.ndim != 2 or len(ids) != matrix.shape[0]:
            raise ValueError(f"gallery needs one person_id per embedding row (got {len(ids)} ids, {matrix.shape})")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self._matrix = np.ascontiguousarray(matrix / np.maximum(norms, 1e-12))
        self._ids = ids
        self._names = _check_names(names or {}, set(ids.tolist()))

    @property
    def names(self) -> dict[str, str]:
        """person_id -> display name (tên hiển thị), for the people that have one."""
        return dict(self._names)

    def display_name(self, person_id: str) -> str | None:
        return self._names.get(person_id)

    @property
    def people(self) -> list[str]:
        return sorted(set(self._ids.tolist()))

    @property
    def person_ids(self) -> list[str]:
        """Whose each row is, in row order (a person enrolled from several photos appears several times)."""
        return [str(i) for i in self._ids.tolist()]

    @property
    def matrix(self) -> np.ndarray:
        """The (n, d) float32 unit-vector rows; read-only, so callers cannot change a shared gallery."""
        view = self._matrix.view()
        view.flags.writeable = False
        return view

    @property
    def dimension(self) -> int:
        return int(self._matrix.shape[1])

    def __len__(self) -> int:
        return int(self._matrix.shape[0])

    def scores(self, probes: np.ndarray) -> np.ndarray:
        """(k, n) cosine similarities of unit-vector probes to every row."""
        return np.asarray(probes, np.float32) @ self._matrix.T

    def match(self, probes: np.ndarray, threshold: float) -> list[Match]:
        if len(self) == 0 or len(probes) == 0:
            return [Match(None, -1.0, None) for _ in range(len(probes))]
        sims = self.scores(probes)
        best = sims.argmax(axis=1)
        out = []
        for row, column in enumerate(best):
            score = float(sims[row, column])
            who = str(self._ids[column])
            out.append(Match(who if score >= threshold else None, score, who))
        return out


def _check_names(names: Mapping[str, str], ids: set[str]) -> dict[str, str]:
    """Display names, each for an enrolled person and non-empty; anything else is refused, not dropped."""
    strangers = sorted(set(names) - ids)
    if strangers:
        raise ValueError(f"display names given for people not in the gallery: {', '.join(strangers[:5])}")
    checked: dict[str, str] = {}
    for person_id, name in names.items():
        text = " ".join(str(name).split()) if isinstance(name, str) else ""
        if not text or len(text) > MAX_NAME_CHARS:
            raise ValueError(f"display name of {person_id} must be 1-{MAX_NAME_CHARS} characters")
        checked[str(person_id)] = text
    return checked

"""Near-duplicate clustering: MinHash signatures of word shingles, banded for LSH look-ups.

Each text becomes a set of word 3-shingles (fewer words: the words themselves); a MinHash
signature of 64 values estimates the Jaccard similarity of two sets as the share of equal
values. Signatures are cut into 16 bands of 4; texts sharing any band are candidates, and a
candidate joins a cluster when its estimated similarity to the cluster's first text reaches
`threshold`. Look-ups are dictionary hits, so the cost per text does not grow with the number
of clusters, and the index can be rebuilt from the stored signatures: clustering is
incremental across runs.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

SHINGLE = 3
Signatures = npt.NDArray[np.uint32]


@dataclass(eq=False)
class ClusterState:
    """What the clusterer knows of one cluster; `dirty` marks it for saving."""

    id: int
    signature: Signatures
    count: int
    first_seen: datetime
    last_seen: datetime
    sources: dict[str, int]
    sample: str
    representative_signal_id: int | None = None
    new: bool = True
    dirty: bool = True


@dataclass
class MinHasher:
    """MinHash signatures of word shingles (stable across processes and machines)."""

    permutations: int = 64
    seed: int = 20241127
    _words: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        top = np.iinfo(np.uint64).max
        self.a = rng.integers(1, top, self.permutations, dtype=np.uint64, endpoint=True) | 1
        self.b = rng.integers(0, top, self.permutations, dtype=np.uint64, endpoint=True)

    def _word(self, word: str) -> int:
        found = self._words.get(word)
        if found is None:
            found = zlib.crc32(word.encode("utf-8"))
            if len(self._words) < 500_000:
                self._words[word] = found
        return found

    def shingles(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
        """Return the shingle hashes of all texts, flat, and where each text's shingles start.

        A text of fewer than three words is padded with zeros, so it has one shingle.
        """
        word, known = self._word, self._words
        ids: list[int] = []
        starts = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            starts[i] = len(ids)
            words = [known[w] if w in known else word(w) for w in text.split()]
            if len(words) < SHINGLE:
                words += [0] * (SHINGLE - len(words))
            ids += words
        flat = np.array(ids, dtype=np.uint64)
        mixed = (flat[:-2] * np.uint64(0x9E3779B1) + flat[1:-1] * np.uint64(0x85EBCA77)
                 + flat[2:])
        ends = np.append(starts[1:], len(ids))
        # A text's shingles start at its first word and stop two words before its end.
        keep = np.ones(len(mixed), dtype=bool)
        keep[(ends[:-1] - 2)[:, None] + np.arange(2)] = False
        positions = np.cumsum(keep) - 1
        return mixed[keep], positions[starts]

    def signatures(self, texts: Sequence[str]) -> Signatures:
        """Return a (len(texts), permutations) array of MinHash values."""
        if not texts:
            return np.zeros((0, self.permutations), dtype=np.uint32)
        flat, starts = self.shingles(texts)
        # Multiply-shift hashing: (a*x + b) mod 2**64, top 32 bits; no division needed.
        values = ((self.a[:, None] * flat[None, :] + self.b[:, None]) >> np.uint64(32)).astype(
            np.uint32
        )
        # One row per permutation: reducing along the contiguous axis is several times faster.
        return np.ascontiguousarray(np.minimum.reduceat(values, starts, axis=1).T)


class Clusterer:
    """Assigns each text to an existing near-duplicate cluster or opens a new one."""

    def __init__(self, bands: int = 16, threshold: float = 0.5, next_id: int = 1,
                 hasher: MinHasher | None = None) -> None:
        self.hasher = hasher or MinHasher()
        if self.hasher.permutations % bands:
            raise ValueError("bands must divide the number of permutations")
        self.bands, self.rows = bands, self.hasher.permutations // bands
        self.threshold = threshold
        self.next_id = next_id
        self.index: list[dict[int, int]] = [{} for _ in range(bands)]
        self.clusters: dict[int, ClusterState] = {}
        self.loaded = False  # whether the stored clusters were added (by the service)

    def band_keys(self, signatures: Signatures) -> list[list[int]]:
        """Return per signature one hash per band."""
        n = signatures.shape[0]
        view = signatures.astype(np.uint64).reshape(n, self.bands, self.rows)
        mix = np.uint64(0xC2B2AE3D27D4EB4F)
        keys = np.zeros((n, self.bands), dtype=np.uint64)
        for r in range(self.rows):
            keys = (keys ^ view[:, :, r]) * mix
        result: list[list[int]] = keys.tolist()
        return result

    def add_existing(self, states: Iterable[ClusterState]) -> None:
        """Index clusters loaded from the store so new texts can join them."""
        loaded = list(states)
        if not loaded:
            return
        keys = self.band_keys(np.stack([s.signature for s in loaded]))
        for state, row in zip(loaded, keys, strict=True):
            state.new = state.dirty = False
            self.clusters[state.id] = state
            for band, key in enumerate(row):
                self.index[band].setdefault(key, state.id)
            self.next_id = max(self.next_id, state.id + 1)

    def assign(self, texts: Sequence[str], moments: Sequence[datetime],
               sources: Sequence[str], signal_ids: Sequence[int | None]) -> list[int]:
        """Return a cluster id per text, updating counts, times and sources of each cluster."""
        signatures = self.hasher.signatures(texts)
        keys = self.band_keys(signatures)
        out = []
        for i, row in enumerate(keys):
            state = self._match(signatures[i], row)
            if state is None:
                state = ClusterState(self.next_id, signatures[i], 0, moments[i], moments[i], {},
                                     texts[i][:500], signal_ids[i])
                self.clusters[state.id] = state
                self.next_id += 1
            for band, key in enumerate(row):
                self.index[band].setdefault(key, state.id)
            state.count += 1
            state.first_seen = min(state.first_seen, moments[i])
            state.last_seen = max(state.last_seen, moments[i])
            state.sources[sources[i]] = state.sources.get(sources[i], 0) + 1
            state.dirty = True
            out.append(state.id)
        return out

    def _match(self, signature: Signatures, row: list[int]) -> ClusterState | None:
        tried: set[int] = set()
        for band, key in enumerate(row):
            found = self.index[band].get(key)
            if found is None or found in tried:
                continue
            tried.add(found)
            state = self.clusters[found]
            if float(np.mean(state.signature == signature)) >= self.threshold:
                return state
        return None

    def take_dirty(self) -> list[ClusterState]:
        """Return the clusters changed since the last call (new ones first), marking them clean."""
        dirty = [s for s in self.clusters.values() if s.dirty]
        for state in dirty:
            state.dirty = False
        return dirty

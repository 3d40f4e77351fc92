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
from itertools import repeat

import numpy as np
import numpy.typing as npt

SHINGLE = 3
WORD_CACHE = 500_000  # words whose hash is kept
PERMUTATION_BLOCK = 8  # permutations hashed at a time: the block stays in the CPU cache
Signatures = npt.NDArray[np.uint32]
Keys = npt.NDArray[np.uint64]


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


class _WordHashes(dict[str, int]):
    """CRC-32 of words; a missing word is hashed on look-up (and kept while there is room)."""

    def __missing__(self, word: str) -> int:
        found = zlib.crc32(word.encode("utf-8"))
        if len(self) < WORD_CACHE:
            self[word] = found
        return found


@dataclass
class MinHasher:
    """MinHash signatures of word shingles (stable across processes and machines)."""

    permutations: int = 64
    seed: int = 20241127
    _words: _WordHashes = field(default_factory=_WordHashes, repr=False)

    def __post_init__(self) -> None:
        rng = np.random.default_rng(self.seed)
        top = np.iinfo(np.uint64).max
        self.a = rng.integers(1, top, self.permutations, dtype=np.uint64, endpoint=True) | 1
        self.b = rng.integers(0, top, self.permutations, dtype=np.uint64, endpoint=True)

    def shingles(
        self, texts: Sequence[str]
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
        """Return the shingle hashes of all texts, flat, and where each text's shingles start.

        A text of fewer than three words is padded with zeros, so it has one shingle.
        """
        word = self._words.__getitem__
        ids: list[int] = []
        starts = np.empty(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            starts[i] = len(ids)
            words = list(map(word, text.split()))
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
        out = np.empty((len(texts), self.permutations), dtype=np.uint32)
        block = np.empty((PERMUTATION_BLOCK, len(flat)), dtype=np.uint64)
        for first in range(0, self.permutations, PERMUTATION_BLOCK):
            rows = slice(first, first + PERMUTATION_BLOCK)
            values = block[: len(self.a[rows])]
            # Multiply-shift hashing: (a*x + b) mod 2**64, top 32 bits; no division needed.
            np.multiply(self.a[rows, None], flat[None, :], out=values)
            values += self.b[rows, None]
            # The top bits of the minimum are the minimum of the top bits: shift after reducing.
            # One row per permutation: reducing along the contiguous axis is several times faster.
            lowest = np.minimum.reduceat(values, starts, axis=1)
            out[:, rows] = (lowest >> np.uint64(32)).T
        return out


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
        self.loaded = False  # whether `resume` added the stored clusters
        self._touched: set[int] = set()  # ids `assign` gave out since the last take_dirty

    def band_keys(self, signatures: Signatures) -> list[list[int]]:
        """Return per signature one hash per band."""
        result: list[list[int]] = self._key_array(signatures).tolist()
        return result

    def _key_array(self, signatures: Signatures) -> Keys:
        """Return an (n, bands) array of band hashes."""
        n = signatures.shape[0]
        view = signatures.astype(np.uint64).reshape(n, self.bands, self.rows)
        mix = np.uint64(0xC2B2AE3D27D4EB4F)
        keys = np.zeros((n, self.bands), dtype=np.uint64)
        for r in range(self.rows):
            keys = (keys ^ view[:, :, r]) * mix
        return keys

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

    def resume(self, states: Iterable[ClusterState], next_id: int) -> None:
        """Take up where the stored clustering stopped: index the recently active stored
        clusters and give out ids from `next_id` on (or above the loaded ones); mark it loaded.
        """
        self.add_existing(states)
        self.next_id = max(self.next_id, next_id)
        self.loaded = True

    def assign(self, texts: Sequence[str], moments: Sequence[datetime],
               sources: Sequence[str], signal_ids: Sequence[int | None]) -> list[int]:
        """Return a cluster id per text, updating counts, times and sources of each cluster.

        The texts are taken in order, as if each were indexed before the next is matched.
        """
        signatures = self.hasher.signatures(texts)
        keys = self._key_array(signatures)
        indexed, first = self._lookups(keys)
        # Only a text sharing a band key with the index or an earlier text can join a cluster.
        shared = (indexed >= 0) | (first < np.arange(len(texts))[:, None])
        hits: list[bool] = np.any(shared, axis=1).tolist()
        indexed_rows, first_rows = indexed.tolist(), first.tolist()
        out: list[int] = []
        for i, hit in enumerate(hits):
            state = (self._match(signatures[i], indexed_rows[i], first_rows[i], i, out)
                     if hit else None)
            if state is None:
                state = ClusterState(self.next_id, signatures[i], 1, moments[i], moments[i],
                                     {sources[i]: 1}, texts[i][:500], signal_ids[i])
                self.clusters[state.id] = state
                self.next_id += 1
            else:
                state.count += 1
                state.first_seen = min(state.first_seen, moments[i])
                state.last_seen = max(state.last_seen, moments[i])
                state.sources[sources[i]] = state.sources.get(sources[i], 0) + 1
                state.dirty = True
            out.append(state.id)
        self._touched.update(out)
        self._index_new_keys(keys, indexed, first, out)
        return out

    def _lookups(self, keys: Keys) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Return two (n, bands) arrays: the cluster each key is indexed under (-1: none),
        and the position of the batch's first text with the same key in that band."""
        indexed = np.array([list(map(index.get, column, repeat(-1)))
                            for index, column in zip(self.index, keys.T.tolist(), strict=True)],
                           dtype=np.int64).T
        first = np.empty(keys.shape, dtype=np.int64)
        for band in range(self.bands):
            _, where, inverse = np.unique(keys[:, band], return_index=True, return_inverse=True)
            first[:, band] = where[inverse]
        return indexed, first

    def _match(self, signature: Signatures, indexed: list[int], first: list[int], i: int,
               out: list[int]) -> ClusterState | None:
        """Return the first cluster, in band order, similar enough to text i, or None.

        A band's cluster is the one its key was indexed under before the batch, else that of
        the batch's first text with the key, when that text came before i (`out` so far).
        """
        tried: set[int] = set()
        for before, j in zip(indexed, first, strict=True):
            found = before if before >= 0 else out[j] if j < i else -1
            if found < 0 or found in tried:
                continue
            tried.add(found)
            state = self.clusters[found]
            # The share of equal values, as np.mean would compute it (count / length).
            same = np.count_nonzero(state.signature == signature) / len(signature)
            if same >= self.threshold:
                return state
        return None

    def _index_new_keys(self, keys: Keys, indexed: npt.NDArray[np.int64],
                        first: npt.NDArray[np.int64], out: list[int]) -> None:
        """Index each key the index lacked under the cluster of the batch's first text with it."""
        clusters = np.asarray(out, dtype=np.int64)
        firsts = first == np.arange(len(out))[:, None]
        for band, index in enumerate(self.index):
            new = (indexed[:, band] < 0) & firsts[:, band]
            index.update(zip(keys[new, band].tolist(), clusters[new].tolist(), strict=True))

    def take_dirty(self) -> list[ClusterState]:
        """Return the clusters changed since the last call (by id), marking them clean."""
        # Only clusters `assign` touched can be dirty: no scan of every cluster per batch.
        dirty = [s for s in map(self.clusters.__getitem__, sorted(self._touched)) if s.dirty]
        self._touched.clear()
        for state in dirty:
            state.dirty = False
        return dirty

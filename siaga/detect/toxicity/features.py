"""Feature extraction: hashed character n-grams (vectorised numpy) and word n-grams, TF-IDF.

scikit-learn's character analyzer builds every n-gram as a Python string, which caps it near
2,800 tweets per second. Here the n-grams of a whole batch are hashed at once with array
arithmetic on the code points, so features cost a small part of the prediction budget.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_FNV_PRIME = np.uint64(1099511628211)
_MIX = np.uint64(0xBF58476D1CE4E5B9)

Floats = npt.NDArray[np.float32]


def _codes(docs: Sequence[str]) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    padded = [f" {d} " for d in docs]
    lengths = np.fromiter((len(d) for d in padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
    return codes.astype(np.uint64), lengths


def _ngram_entries(
    docs: Sequence[str], low: int, high: int, bits: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Return (document, bucket) of every character n-gram occurrence, low <= n <= high."""
    codes, lengths = _codes(docs)
    doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    # Characters left in its document from each position on, itself included: an n-gram
    # starting there stays inside the document when at least n are left.
    left = np.cumsum(lengths)[doc_of] - np.arange(len(codes), dtype=np.int64)
    rows, cols = [], []
    rolling = codes * _MULTIPLIER
    shift = np.uint64(64 - bits)
    for n in range(1, high + 1):
        if n > 1:
            rolling = (rolling[:-1] * _FNV_PRIME) ^ (codes[n - 1 :] * _MULTIPLIER)
        if n < low:
            continue
        inside = left[: len(rolling)] >= n
        mixed = (rolling[inside] ^ np.uint64(n)) * _MIX
        rows.append(doc_of[: len(rolling)][inside])
        cols.append((mixed >> shift).astype(np.int64))
    return np.concatenate(rows), np.concatenate(cols)


def _counts(
    row: npt.NDArray[np.int64], col: npt.NDArray[np.int64], height: int, width: int
) -> sparse.csr_matrix:
    ones = np.ones(len(row), dtype=np.float32)
    # coo -> csc -> csr are linear passes that leave indices sorted: no sort when summing.
    matrix = sparse.csc_matrix((ones, (row, col)), shape=(height, width)).tocsr()
    matrix.has_sorted_indices = True  # true of any transpose-conversion; skips a sort
    matrix.sum_duplicates()
    return matrix


def hashed_char_ngrams(docs: Sequence[str], low: int, high: int, bits: int) -> sparse.csr_matrix:
    """Return a docs x 2**bits matrix of counts of each hashed character n-gram, low <= n <= high.

    Every text is padded with one space at each end, so word starts and ends form n-grams.
    """
    row, col = _ngram_entries(docs, low, high, bits)
    return _counts(row, col, len(docs), 1 << bits)


def _sublinear_l2(matrix: sparse.csr_matrix, idf: Floats) -> sparse.csr_matrix:
    """Return (1 + log tf) * idf with unit-length rows, computed on the data array in place."""
    data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    row_of = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=matrix.shape[0]))
    norms[norms == 0] = 1.0
    matrix.data = (data / norms[row_of]).astype(np.float32)
    return matrix


class CharNgrams:
    """Hashed character n-grams with sublinear TF-IDF weights and L2 rows (fit, then transform)."""

    def __init__(self, low: int = 2, high: int = 5, bits: int = 20, min_df: int = 2) -> None:
        self.low, self.high, self.bits, self.min_df = low, high, bits, min_df
        self.columns: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.idf: Floats = np.zeros(0, dtype=np.float32)
        self.lookup: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)

    def fit(self, docs: Sequence[str]) -> CharNgrams:
        """Learn which hashed n-grams occur in min_df documents and their IDF; return self."""
        counts = hashed_char_ngrams(docs, self.low, self.high, self.bits)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        self.columns = np.flatnonzero(df >= self.min_df)
        self.lookup = np.full(1 << self.bits, -1, dtype=np.int32)
        self.lookup[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        kept = df[self.columns].astype(np.float64)
        self.idf = (np.log((1 + len(docs)) / (1 + kept)) + 1).astype(np.float32)
        return self

    def transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        """Return the docs x kept-n-grams TF-IDF matrix."""
        row, bucket = _ngram_entries(docs, self.low, self.high, self.bits)
        col = self.lookup[bucket]
        kept = col >= 0
        counts = _counts(row[kept], col[kept].astype(np.int64), len(docs), len(self.columns))
        return _sublinear_l2(counts, self.idf)


class TextFeatures:
    """Word 1-2-grams and hashed character n-grams side by side, both TF-IDF weighted."""

    def __init__(self, char_low: int = 2, char_high: int = 5, char_bits: int = 20) -> None:
        self.words = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)[\w@]+", dtype=np.float32
        )
        self.chars = CharNgrams(char_low, char_high, char_bits)

    def fit(self, docs: Sequence[str]) -> TextFeatures:
        """Learn vocabulary and weights from normalised texts; return self."""
        self.words.fit(docs)
        self.chars.fit(docs)
        return self

    def transform(self, docs: Sequence[str]) -> sparse.csr_matrix:
        """Return the feature matrix of normalised texts (words first, then characters)."""
        return sparse.hstack([self.words.transform(docs), self.chars.transform(docs)], format="csr")

    @property
    def width(self) -> int:
        """Return the number of feature columns."""
        return len(self.words.vocabulary_) + len(self.chars.columns)

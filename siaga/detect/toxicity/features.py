"""Feature extraction: hashed character n-grams (vectorised numpy) and word n-grams, TF-IDF.

scikit-learn's character analyzer builds every n-gram as a Python string, which caps it near
2,800 tweets per second. Here the n-grams of a whole batch are hashed at once with array
arithmetic on the code points, so features cost a small part of the prediction budget.
"""

from __future__ import annotations

import re
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


class WordLookup:
    """Counts a fitted vectoriser's word 1-2-grams with array lookups instead of strings.

    scikit-learn's analyzer builds every bigram as a string and looks each up in a dict,
    about a microsecond an n-gram. Here each token is looked up once, and bigrams by the
    pair of their words' columns with a binary search over all of them at once. The counts
    are the ones `CountVectorizer.transform` gives, provided every word of a bigram in the
    vocabulary is itself in it (true without min_df, max_df or max_features pruning).
    """

    def __init__(self, vectoriser: TfidfVectorizer) -> None:
        vocabulary: dict[str, int] = vectoriser.vocabulary_
        self.pattern = re.compile(vectoriser.token_pattern)
        self.lowercase = bool(vectoriser.lowercase)
        self.width = len(vocabulary)
        self.unigrams = {w: c for w, c in vocabulary.items() if " " not in w}
        pairs = [(w.split(" "), c) for w, c in vocabulary.items() if " " in w]
        keys = np.array([self.unigrams[a] * self.width + self.unigrams[b] for (a, b), _ in pairs],
                        dtype=np.int64)
        order = np.argsort(keys)
        self.bigram_keys = keys[order]
        self.bigram_columns = np.array([c for _, c in pairs], dtype=np.int64)[order]

    @staticmethod
    def usable(vectoriser: TfidfVectorizer) -> bool:
        """Return True when the vectoriser counts plain word 1-2-grams with no pruning."""
        v = vectoriser
        return (v.analyzer == "word" and tuple(v.ngram_range) == (1, 2) and v.min_df == 1
                and v.max_df == 1.0 and v.max_features is None and v.stop_words is None
                and v.preprocessor is None and v.tokenizer is None and v.strip_accents is None
                and all(len(w.split(" ")) <= 2 for w in v.vocabulary_))

    def counts(self, docs: Sequence[str]) -> sparse.csr_matrix:
        """Return the docs x vocabulary matrix of word 1-2-gram counts (float32)."""
        find, lookup = self.pattern.findall, self.unigrams.get
        tokens = [find(d.lower() if self.lowercase else d) for d in docs]
        lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(docs))
        ids = np.fromiter((lookup(t, -1) for doc in tokens for t in doc), dtype=np.int64,
                          count=int(lengths.sum()))
        doc_of = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
        known = ids >= 0
        rows, cols = [doc_of[known]], [ids[known]]
        if len(ids) > 1:
            pair = known[:-1] & known[1:] & (doc_of[:-1] == doc_of[1:])
            keys = ids[:-1][pair] * self.width + ids[1:][pair]
            at = np.minimum(np.searchsorted(self.bigram_keys, keys), len(self.bigram_keys) - 1)
            found = self.bigram_keys[at] == keys if len(self.bigram_keys) else keys < 0
            rows.append(doc_of[:-1][pair][found])
            cols.append(self.bigram_columns[at[found]])
        return _counts(np.concatenate(rows), np.concatenate(cols), len(docs), self.width)


class TextFeatures:
    """Word 1-2-grams and hashed character n-grams side by side, both TF-IDF weighted."""

    _lookup: WordLookup | None  # see `_word_lookup`

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
        return sparse.hstack([self.word_tfidf(docs), self.chars.transform(docs)], format="csr")

    def times(self, docs: Sequence[str], weights: Floats) -> Floats:
        """Return `transform(docs) @ weights`, each block times its rows of the weights.

        The same product without building the stacked matrix (float32 sums, in another
        order: equal to within rounding).
        """
        words = self.word_tfidf(docs)
        split = words.shape[1]
        product: Floats = np.asarray(words @ weights[:split], dtype=np.float32)
        return product + np.asarray(self.chars.transform(docs) @ weights[split:],
                                    dtype=np.float32)

    def word_tfidf(self, docs: Sequence[str]) -> sparse.csr_matrix:
        """Return the word 1-2-gram TF-IDF rows, as `self.words.transform` computes them."""
        lookup = self._word_lookup()
        if lookup is None:
            return self.words.transform(docs)
        # The vectoriser's own weighting step, so the rows equal its `transform` exactly.
        return self.words._tfidf.transform(lookup.counts(docs), copy=False)

    def _word_lookup(self) -> WordLookup | None:
        """Return the array look-up of the fitted words, or None where it cannot count them."""
        if not hasattr(self, "_lookup"):  # built on first use and not pickled: model files
            self._lookup = WordLookup(self.words) if WordLookup.usable(self.words) else None
        return self._lookup

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_lookup"}

    @property
    def width(self) -> int:
        """Return the number of feature columns."""
        return len(self.words.vocabulary_) + len(self.chars.columns)

"""Reading long texts sentence by sentence, and reports that a risk was looked for and not found.

A long text (a news passage, an official statement) is scored as a whole and sentence by
sentence; a category's score is the highest of these, and the sentence that gave it is the
category's evidence. A short text (a tweet, a field report) is one unit and its own evidence.
"""

from __future__ import annotations

import re

# Texts longer than this are also read sentence by sentence. Tweets (at most 280 characters)
# and field reports stay whole: splitting them costs time and finds nothing the whole misses.
SENTENCE_MIN_CHARS = 280
# A piece shorter than this ("Foto: Ist.", a dateline) is joined to the sentence before it.
SHORT_PIECE = 40
# Sentences are read up to this many characters into the text (the window the whole text's
# n-grams read is 2,000): a 20,000-character article must not cost as much as a hundred posts.
SENTENCE_CHARS = 1_500
MAX_SENTENCES = 10
EVIDENCE_CHARS = 300

# Closing and opening quotes (straight and curly, written as escapes) may sit at the break.
_BREAK = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])|\s*\n+\s*"
)

# A sentence saying that a risk was looked for and not found ("Bawaslu tidak menemukan
# politik uang", "nihil pelanggaran", "tidak terbukti"): the category stays (the forum follows
# the topic) but at a low severity.
NOT_FOUND = re.compile(
    r"\b(?:tidak|tak|belum|tiada)\s+(?:(?:ada|pernah|juga|satu\s+pun)\s+)?"
    r"(?:ditemukan|menemukan|ditemui|menerima\s+laporan|ada\s+laporan|ada\s+temuan"
    r"|terjadi|terbukti|terdapat|terlihat|mendapati|didapati)\b"
    r"|\btidak\s+ada\s+(?:laporan|temuan|kasus|praktik|praktek|indikasi|kejadian)\b"
    r"|\b(?:nihil|bersih\s+dari|bebas\s+dari)\b",
    re.IGNORECASE,
)


def split_sentences(text: str) -> list[str]:
    """Return the sentences of a text's first SENTENCE_CHARS characters (short pieces joined
    to the one before), at most MAX_SENTENCES; a text of one sentence gives a list of one."""
    out: list[str] = []
    for piece in _BREAK.split(text.strip()[:SENTENCE_CHARS]):
        piece = piece.strip()
        if not piece:
            continue
        if out and (len(piece) < SHORT_PIECE or len(out[-1]) < SHORT_PIECE):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
        if len(out) > MAX_SENTENCES:
            return out[:MAX_SENTENCES]
    return out


def units_of(text: str) -> list[str]:
    """Return the sentences a text is read by beside its whole: none for a short text."""
    if len(text) <= SENTENCE_MIN_CHARS:
        return []
    sentences = split_sentences(text)
    return sentences if len(sentences) > 1 else []


def says_not_found(sentence: str) -> bool:
    """Return whether a sentence reports that something was looked for and not found."""
    return NOT_FOUND.search(sentence) is not None


def evidence_text(sentence: str) -> str:
    """Return a sentence as shown for evidence: whitespace collapsed, at most 300 characters."""
    flat = " ".join(sentence.split())
    return flat if len(flat) <= EVIDENCE_CHARS else flat[: EVIDENCE_CHARS - 1] + "…"

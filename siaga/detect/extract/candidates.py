"""Find the candidate pairs a text refers to, by name or by ballot number.

By name: a full name ('Choirul Huda') starts at 0.85; one word of a name ('Huda') at 0.25 when
written capitalised and 0.2 otherwise, and a word that is also an ordinary word ('syukur',
'islam') at a third of that. A pair whose contest is the region named in the text (or encloses
it, or is the scope) gains 0.3, a regency race in a text naming only its province 0.1; both
persons of a pair named ('Romi-Sudirman') gain 0.2; pairs under 0.4 are left out. So one word of
a name counts only when the text is about the candidate's region or names the running mate too,
and an ordinary word such as 'maju' never counts on its own. A name borne by candidates of
several contests, with nothing to tell them apart, is left out.

By number: 'paslon 02', 'nomor urut 1', 'no. urut 2', 'pasangan nomor 3', 'cabup nomor 4' name
the pair with that ballot number in the contest of the region the text is about: a governor race
when the text speaks of a governor (gubernur, cagub, pilgub) or names only a province, otherwise
the regent/mayor race of the regency or city named (or of the regency of the district or village
named). With no region in the text the scope decides, at lower confidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from siaga.detect.extract.mentions import CandidateMention
from siaga.detect.extract.pairs import FULL, PairGazetteer
from siaga.detect.extract.words import Words

MIN_CONFIDENCE = 0.4
"""Pairs scoring below this are not reported."""
NAME_FULL, NAME_WORD, NAME_WORD_LOWER, COMMON_FACTOR = 0.85, 0.25, 0.2, 1 / 3
CONTEST_BONUS, PROVINCE_BONUS, BOTH_BONUS = 0.3, 0.1, 0.2
NUMBER_IN_TEXT, NUMBER_IN_SCOPE = 0.85, 0.6

NEAR_WORDS = 40
"""A region named within this many words of a ballot number decides its contest at full
confidence; one further away at `NUMBER_FAR`."""
NUMBER_FAR = 0.7
_TRIGGERS = frozenset(
    ["paslon", "pasangan", "calon", "cabup", "cawabup", "cagub", "cawagub", "cawalkot",
     "cawali", "cakada", "urut"]
)  # fmt: skip
_FILLERS = frozenset(["calon", "nomor", "nomer", "no", "urut", "nmr"])
_JOINERS = frozenset(["dan", "atau", "vs", "lawan", "dengan"])
_GOVERNOR = frozenset(["gubernur", "cagub", "cawagub", "pilgub", "gub", "wagub"])


def _context_bonus(contest: str, context: Sequence[str]) -> float:
    """Return what a pair gains from the regions of the context.

    `CONTEST_BONUS` when one of them is the contest's region or lies inside it,
    `PROVINCE_BONUS` when one only encloses it (a regency race in a text naming the province).
    """
    if any(code == contest or code.startswith(contest + ".") for code in context):
        return CONTEST_BONUS
    if any(contest.startswith(code + ".") for code in context):
        return PROVINCE_BONUS
    return 0.0


def by_name(
    gaz: PairGazetteer, words: Words, common: frozenset[str], context: Sequence[str]
) -> list[CandidateMention]:
    """Return the pairs named in the text, in order of first mention."""
    named: list[tuple[int, str, dict[int, float]]] = []
    keys_of: dict[int, set[str]] = {}
    bonus_of: dict[str, float] = {}  # contest code -> its context bonus, worked out once
    for start, end, values in gaz.index.scan(words.words):
        key = " ".join(words.words[start:end])
        found: dict[int, float] = {}
        for value in values:
            number, flag = divmod(value, 2)
            base = _name_base(flag, start, end, key, words, common)
            contest = gaz.pairs[number].contest_code
            bonus = bonus_of.get(contest)
            if bonus is None:
                bonus = bonus_of[contest] = _context_bonus(contest, context)
            base += bonus
            found[number] = max(found.get(number, 0.0), base)
            keys_of.setdefault(number, set()).add(key)
        named.append((start, key, found))
    scores: dict[int, float] = {}
    matched: dict[int, str] = {}
    positions: dict[int, list[int]] = {}
    for start, key, found in named:
        # A pair named twice over ('Romi-Sudirman') wins over other bearers of either name.
        ranked = sorted(
            ((base + BOTH_BONUS * (len(keys_of[n]) > 1), n) for n, base in found.items()),
            reverse=True,
        )
        if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
            continue
        score, pair = ranked[0]
        scores[pair] = max(scores.get(pair, 0.0), score)
        matched.setdefault(pair, key)
        positions.setdefault(pair, []).append(start)
    return [
        _mention(gaz, pair, min(0.99, score), matched[pair], tuple(positions[pair]))
        for pair, score in scores.items()
        if score >= MIN_CONFIDENCE
    ]


def _name_base(
    flag: int, start: int, end: int, key: str, words: Words, common: frozenset[str]
) -> float:
    """Return the base confidence of a name match before context."""
    if end - start > 1:
        return NAME_FULL if flag == FULL else NAME_WORD
    base = NAME_WORD if words.is_capital(start) else NAME_WORD_LOWER
    return base * COMMON_FACTOR if key in common else base


def ballot_numbers(words: Sequence[str]) -> list[tuple[int, int]]:
    """Return (word position, ballot number) of each 'paslon 02' / 'nomor urut 1' reference."""
    found: dict[int, int] = {}
    if _TRIGGERS.isdisjoint(words):
        return []
    for position in [i for i, word in enumerate(words) if word in _TRIGGERS]:
        ahead = position + 1
        while ahead < len(words) and ahead - position <= 3 and words[ahead] in _FILLERS:
            ahead += 1
        # 'paslon 01 dan 02', 'nomor urut 1, 2 atau 3'
        while ahead < len(words) and words[ahead].isdigit() and len(words[ahead]) <= 2:
            if 0 < int(words[ahead]) < 10:
                found[ahead] = int(words[ahead])
            ahead += 2 if ahead + 1 < len(words) and words[ahead + 1] in _JOINERS else 1
    return sorted(found.items())


def by_number(
    gaz: PairGazetteer,
    words: Sequence[str],
    regions: Sequence[tuple[int, str, float]],
    scope: str | None,
) -> list[CandidateMention]:
    """Return the pairs referred to by ballot number.

    `regions` are the (word position, code, confidence) of the regions found in the text.
    """
    found: list[CandidateMention] = []
    numbers = ballot_numbers(words)
    if not numbers:
        return found
    regions = sorted(regions)
    starts = [start for start, _code, _conf in regions]
    for position, number in numbers:
        near = words[max(0, position - NEAR_WORDS) : position + NEAR_WORDS]
        governor = not _GOVERNOR.isdisjoint(near)
        at = bisect.bisect_left(starts, position)
        contest, confidence = _contest(position, regions[max(0, at - 1) : at + 1], governor)
        if contest is None and scope is not None:
            contest = _contest(0, [(0, scope, 1.0)], governor)[0]
            confidence = NUMBER_IN_SCOPE
        pair = gaz.by_contest.get(contest or "", {}).get(number)
        if pair is not None:
            matched = f"{words[position - 1]} {number}"
            found.append(_mention(gaz, pair, confidence, matched, (position,)))
    return found


def _contest(
    position: int, regions: Sequence[tuple[int, str, float]], governor: bool
) -> tuple[str | None, float]:
    """Return the contest code of the region named nearest to `position`, and a confidence.

    `regions` are (word position, code, confidence); the caller passes the nearest ones.

    A governor race when the words near the number speak of one (gubernur, cagub, pilgub) or
    the region is a province; otherwise the regent/mayor race of the region's regency.
    """
    if not regions:
        return None, 0.0
    start, code, _conf = min(regions, key=lambda r: (abs(r[0] - position), -r[2]))
    confidence = NUMBER_IN_TEXT if abs(start - position) <= NEAR_WORDS else NUMBER_FAR
    return (code[:2] if governor or len(code) == 2 else code[:5]), confidence


def _mention(
    gaz: PairGazetteer, number: int, confidence: float, matched: str, positions: tuple[int, ...]
) -> CandidateMention:
    pair = gaz.pairs[number]
    return CandidateMention(
        pair.contest_code, pair.office, pair.number, pair.names, round(confidence, 3), matched,
        positions,
    )

"""The extractor: regions, TPS, candidate pairs, agencies, roles and dates found in a text."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from pathlib import Path

from siaga.detect.extract.attacks import Attack, between_camps, find_attack
from siaga.detect.extract.build import Compiled, load_or_compile
from siaga.detect.extract.candidates import by_name, by_number
from siaga.detect.extract.dates import find_dates
from siaga.detect.extract.mentions import (
    CandidateMention,
    Extraction,
    RegionMention,
    TpsMention,
)
from siaga.detect.extract.resolve import Resolved, resolve_regions, unplaced_words
from siaga.detect.extract.terms import find_terms, find_tps
from siaga.detect.extract.words import split_words
from siaga.domain.regions import Level, normalize_code

TPS_NEAR_VILLAGE = 0.9
"""Confidence of a TPS whose village is named right after its number."""
TPS_SOLE_VILLAGE = 0.6
"""Confidence of a TPS given with no village of its own, in a text naming exactly one village."""
TPS_UNPLACED = 0.5
"""Confidence of a TPS whose village the text does not tell."""
IMPLIED_FACTOR = 0.8
"""Kept of a candidate's confidence by the contest region it implies."""
SCOPE_REGION = 0.5
"""Confidence of the scope (the source's configured region) given to a text that names no
region and implies none: enough to count toward that region's alerts (the alert rules' default
`min_region_confidence`), less than any region the text names."""
UNLISTED_FACTOR = 0.5
"""Kept of its confidence by a TPS number KPU's Pemilu 2024 list lacks for that village."""


class Extractor:
    """Finds what a text says about places, polling stations, candidates, agencies and dates."""

    def __init__(self, compiled: Compiled) -> None:
        self.data = compiled
        self._unplaced = unplaced_words(compiled.regions, compiled.common)

    @classmethod
    def from_data_dir(cls, data_dir: Path, cache_dir: Path | None = None) -> Extractor:
        """Return an extractor built from the data directory (cached under `cache_dir`)."""
        return cls(load_or_compile(Path(data_dir), None if cache_dir is None else Path(cache_dir)))

    def extract(
        self,
        text: str,
        *,
        scope: str | None = None,
        reference: datetime.date | None = None,
    ) -> Extraction:
        """Return everything found in `text`.

        `scope` (a region code, dotted or not) favours places inside that region and decides
        the contest of a ballot number when the text names no region; `reference` is the date
        the text was written (today when None; a datetime counts by its day), for 'kemarin' and
        dates without a year.
        Raise RegionCodeError when `scope` is not a region code.
        """
        scope = normalize_code(scope) if scope else None
        words = split_words(text)
        data = self.data
        tps = find_tps(words.words, words.text)
        slots = frozenset(s for _n, end in tps for s in (end, end + 1))
        matches = data.regions.index.scan(words.words)
        resolved = resolve_regions(
            data.regions, words, matches, data.common, scope, slots, self._unplaced,
            data.ambiguous,
        )
        regions = self._region_mentions(resolved, words.words)
        context = [r.code for r in regions] + ([scope] if scope else [])
        candidates = by_name(data.pairs, words, data.common, context)
        places = [(r.start, data.regions.codes[r.entry], r.confidence) for r in resolved]
        numbered = by_number(data.pairs, words.words, places, scope)
        agencies, roles = find_terms(data.terms, words.words, text)
        regions += self._implied_regions(candidates, context)
        if not regions and scope is not None:
            regions = self._scope_region(scope)
        return Extraction(
            regions=regions,
            tps=self._tps_mentions(tps, resolved),
            candidates=_merge_candidates(candidates + numbered),
            agencies=agencies,
            roles=roles,
            dates=find_dates(text, _day(reference)),
            words=words.words,
            # A substring test in C first: most texts hold neither word.
            between_camps=("saling" in words.text or "antar" in words.text)
            and between_camps(words.words),
        )

    @staticmethod
    def attack(extraction: Extraction, labels: Sequence[str]) -> Attack | None:
        """Return the attack a text tells of, given what was extracted from it and the
        classifier's labels; None when it is no attack signal (see `attacks.find_attack`)."""
        pairs = [(p, c) for c in extraction.candidates for p in c.positions]
        return find_attack(extraction.words, labels, pairs, extraction.between_camps)

    def _scope_region(self, scope: str) -> list[RegionMention]:
        """Return the scope as the implied region of a text that names and implies none."""
        gaz = self.data.regions
        entry = gaz.entry_of.get(scope)
        if entry is None:
            return []
        return [RegionMention(scope, gaz.names[entry], gaz.level(entry), SCOPE_REGION, "",
                              implied=True)]

    def _region_mentions(self, resolved: list[Resolved], words: list[str]) -> list[RegionMention]:
        """Return one mention per region (its best confidence), in order of first appearance."""
        gaz = self.data.regions
        best: dict[int, RegionMention] = {}
        for item in resolved:
            current = best.get(item.entry)
            if current is None or item.confidence > current.confidence:
                mention = RegionMention(
                    gaz.codes[item.entry],
                    gaz.names[item.entry],
                    gaz.level(item.entry),
                    item.confidence,
                    " ".join(words[item.start : item.end]),
                )
                best[item.entry] = mention
        order = list(dict.fromkeys(item.entry for item in resolved))
        return [best[entry] for entry in order]

    def _implied_regions(
        self, candidates: list[CandidateMention], context: list[str]
    ) -> list[RegionMention]:
        """Return the contest regions of candidates named in a text that names no place of
        theirs, at `IMPLIED_FACTOR` of the candidate's confidence."""
        gaz = self.data.regions
        implied: dict[str, RegionMention] = {}
        for candidate in candidates:
            code = candidate.contest_code
            related = any(c == code or c.startswith(code + ".") for c in context)
            entry = gaz.entry_of.get(code)
            if related or entry is None or code in implied:
                continue
            confidence = round(candidate.confidence * IMPLIED_FACTOR, 3)
            matched = candidate.matched
            implied[code] = RegionMention(
                code, gaz.names[entry], gaz.level(entry), confidence, matched, implied=True
            )
        return list(implied.values())

    def _tps_mentions(
        self, tps: list[tuple[int, int]], resolved: list[Resolved]
    ) -> list[TpsMention]:
        """Return the TPS references, placed in the village written after them if any."""
        gaz = self.data.regions
        villages = [r for r in resolved if gaz.level(r.entry) is Level.VILLAGE]
        sole = {r.entry for r in villages}
        at = {r.start: r for r in villages}
        found: dict[tuple[int, str | None], TpsMention] = {}
        for number, end in tps:
            near = at.get(end) or at.get(end + 1)
            if near is not None:
                mention = self._tps(number, near.entry, min(TPS_NEAR_VILLAGE, near.confidence))
            elif len(sole) == 1:
                entry = villages[0].entry
                mention = self._tps(number, entry, min(TPS_SOLE_VILLAGE, villages[0].confidence))
            else:
                mention = TpsMention(number, None, None, TPS_UNPLACED)
            found.setdefault((number, mention.village_code), mention)
        return list(found.values())

    def _tps(self, number: int, entry: int, confidence: float) -> TpsMention:
        """Return the TPS of a village, checked against KPU's numbering of that village."""
        gaz = self.data.regions
        village = gaz.codes[entry]
        kpu_village = gaz.old_codes.get(village, village).replace(".", "")
        numbering = self.data.tps_numbers.get(kpu_village)
        listed = None if not self.data.tps_numbers else _numbered(numbering, number)
        if listed is False:
            confidence *= UNLISTED_FACTOR
        code = f"{kpu_village}{number:03d}"
        return TpsMention(number, code, village, round(confidence, 3), listed)


def _day(reference: datetime.date | None) -> datetime.date:
    """Return the reference as a plain date (a datetime is cut to its day); today when None."""
    if reference is None:
        return datetime.date.today()
    if isinstance(reference, datetime.datetime):
        return reference.date()
    return reference


def _numbered(numbering: tuple[int, ...] | None, number: int) -> bool:
    """Return True when a village numbering ([n] or [n, first, last]) includes `number`."""
    if not numbering:
        return False
    if 1 <= number <= numbering[0]:
        return True
    return len(numbering) == 3 and numbering[1] <= number <= numbering[2]


def _merge_candidates(found: list[CandidateMention]) -> list[CandidateMention]:
    """Return one mention per pair, keeping its best confidence, in order of appearance."""
    best: dict[tuple[str, int], CandidateMention] = {}
    positions: dict[tuple[str, int], set[int]] = {}
    for mention in found:
        key = (mention.contest_code, mention.number)
        positions.setdefault(key, set()).update(mention.positions)
        current = best.get(key)
        if current is None or mention.confidence > current.confidence:
            best[key] = mention
    return [
        dataclasses.replace(mention, positions=tuple(sorted(positions[key])))
        if len(positions[key]) > len(mention.positions) else mention
        for key, mention in best.items()
    ]

"""What the extractor finds in a text: region, TPS and candidate mentions, and the whole result."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from siaga.domain.elections import Office
from siaga.domain.regions import Level


@dataclass(frozen=True, slots=True)
class RegionMention:
    """A region named or implied in a text: dotted Kemendagri code, official name, confidence 0..1.

    `matched` is the text as written (normalised to lowercase words joined by spaces); `implied`
    is True for a region the text does not name but implies (the contest region of a candidate
    named without any place).
    """

    code: str
    name: str
    level: Level
    confidence: float
    matched: str = ""
    implied: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the contract's form: code, name, level, confidence (and implied when so)."""
        found: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "level": self.level.value,
            "confidence": self.confidence,
        }
        if self.implied:
            found["implied"] = True
        return found


@dataclass(frozen=True, slots=True)
class TpsMention:
    """A polling station named in a text ('TPS 05 Desa ...').

    `code` is KPU's 13-digit TPS code (village code of the 2023 list, undotted, + 3-digit number)
    when the village is known, else None; `village_code` is the dotted current (2025) code.
    `listed` is True when KPU's Pemilu 2024 list numbers a TPS so in that village, False when
    it does not (a typo, or a Pilkada TPS numbered differently), None when unknown.
    """

    number: int
    code: str | None
    village_code: str | None
    confidence: float
    listed: bool | None = None

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this mention."""
        return {
            "number": self.number,
            "code": self.code,
            "village_code": self.village_code,
            "confidence": self.confidence,
            "listed": self.listed,
        }


@dataclass(frozen=True, slots=True)
class CandidateMention:
    """A Pilkada 2024 candidate pair referred to by name or ballot number.

    `contest_code` is the dotted code of the region whose contest it is (province for a
    governor race, regency/city for a regent or mayor race); `matched` says how it was found;
    `positions` are the word positions where the text names it (for camp attribution).
    """

    contest_code: str
    office: Office
    number: int
    names: str
    confidence: float
    matched: str = ""
    positions: tuple[int, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this mention."""
        return {
            "contest_code": self.contest_code,
            "office": self.office.value,
            "number": self.number,
            "names": self.names,
            "confidence": self.confidence,
        }


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one text; lists are in order of first appearance, without repeats."""

    regions: list[RegionMention]
    tps: list[TpsMention]
    candidates: list[CandidateMention]
    agencies: list[str]
    roles: list[str]
    dates: list[datetime.date]
    words: list[str] = field(default_factory=list, compare=False, repr=False)
    """The text's words as matched (lowercase), for camp attribution (`Extractor.attack`)."""
    between_camps: bool = field(default=False, compare=False, repr=False)
    """Whether the text speaks of camps attacking each other ('saling serang')."""

    def to_json(self) -> dict[str, Any]:
        """Return the contract's fields (regions, agencies, candidates, ISO dates), tps, roles."""
        return {
            "regions": [r.to_json() for r in self.regions],
            "agencies": list(self.agencies),
            "candidates": [c.to_json() for c in self.candidates],
            "dates": [d.isoformat() for d in self.dates],
            "tps": [t.to_json() for t in self.tps],
            "roles": list(self.roles),
        }

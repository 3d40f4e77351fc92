"""Camp attribution: which candidate pair an attack targets and, where the text shows it, whose
camp is behind it.

An attack signal is a text labelled black campaign, or labelled hate (SARA) or hoax while naming
a candidate pair, or a text that speaks of camps attacking each other ('saling serang',
'saling fitnah', 'serangan antar pendukung'). The last kind is an attack between camps: it names
no single target unless the text does.

The target is the pair named right after a word of attack ('memfitnah paslon 02', 'hoaks soal
Nalim') or right before a passive one ('Nalim-Nilwan difitnah'); failing that, the only pair
named that is not marked as a camp. The source is a pair named right after a camp word ('tim
pemenangan paslon 01', 'pendukung Romi') or right before an active attack verb ('paslon 01
memfitnah ...'), and never the target itself. Rules, not a model: they read the words within a
few positions of each pair's mention, so an attack told in a roundabout way keeps its target
but may lose its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from siaga.detect.extract.mentions import CandidateMention
from siaga.domain.elections import PILKADA_2024, Office, contest_id
from siaga.domain.regions import is_city

ALWAYS_ATTACK = frozenset(["black_campaign"])
"""Labels that make a text an attack signal whether or not it names a pair."""
ATTACK_WITH_PAIR = frozenset(["hate_sara", "hoax"])
"""Labels that make a text an attack signal when it names a candidate pair."""
ATTACK_LABELS = ALWAYS_ATTACK | ATTACK_WITH_PAIR

_MUTUAL_VERBS = frozenset([
    "serang", "menyerang", "hujat", "menghujat", "fitnah", "memfitnah", "jatuhkan",
    "menjatuhkan", "sindir", "menyindir", "ejek", "mengejek", "caci", "mencaci", "hina",
    "menghina", "jegal", "menjegal", "sikut", "menyikut", "sikat", "hantam", "menghantam",
    "jelekkan", "menjelekkan", "lempar", "tuding", "menuding", "tuduh", "menuduh", "black",
    "kampanye"
])  # fmt: skip
"""Words that, within two words after 'saling', make it camps attacking each other."""
_CAMP_WORDS = frozenset([
    "tim", "timses", "pemenangan", "sukses", "kubu", "pendukung", "relawan", "simpatisan",
    "loyalis", "buzzer", "buzer", "pasukan", "kader", "koalisi", "massa", "pengusung"
])  # fmt: skip
"""Words that mark the pair named right after them as the camp acting ('pendukung paslon 01')."""
_SIDES = _CAMP_WORDS | frozenset(["paslon", "kandidat", "calon", "pasangan", "cabup", "cagub",
                                   "cawalkot", "peserta"])
"""Words for the sides of 'antar X' / 'antara X' that make it camps against camps."""
_ATTACK_NOUNS = frozenset([
    "serangan", "serang", "hujatan", "fitnah", "hitam", "black", "hoaks", "hoax", "kebencian",
    "hinaan", "cacian", "menyerang", "memfitnah", "menghujat", "menjatuhkan"
])  # fmt: skip
"""Words that, near 'antar pendukung', make it an attack between camps."""
_ACTIVE = frozenset([
    "menyerang", "memfitnah", "fitnah", "menghina", "menghujat", "menjelekkan", "menjatuhkan",
    "menuding", "menuduh", "mendiskreditkan", "menyebar", "menyebarkan", "memprovokasi",
    "mengadu", "menyudutkan", "menyindir", "mengejek", "serang"
])  # fmt: skip
"""Attack verbs: a pair named right before one acts, one named right after is the target."""
_TARGET_CUES = _ACTIVE | frozenset([
    "terhadap", "kepada", "tentang", "soal", "terkait", "atas", "hoaks", "hoax", "kampanye",
    "hitam", "black", "campaign", "isu",
])
_PASSIVE = frozenset([
    "diserang", "difitnah", "dihina", "dihujat", "dijelekkan", "dijatuhkan", "dituding",
    "dituduh", "didiskreditkan", "disudutkan", "disindir", "diejek", "korban"
])  # fmt: skip
CUE_SPAN = 4
"""A pair named within this many words after a cue (or before a passive verb) is its object."""
CAMP_SPAN = 3
"""A pair named within this many words after a camp word is that camp."""
BETWEEN_SPAN = 6


@dataclass(frozen=True, slots=True)
class Attack:
    """An attack signal: the pair targeted and the pair whose camp is behind it (None when
    the text does not tell); `between_camps` for a text about camps attacking each other."""

    target: CandidateMention | None
    source: CandidateMention | None
    between_camps: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return {target_pair, source_pair, between_camps}; a pair as {contest_code, office,
        number, names}, or null."""
        return {
            "target_pair": _pair_json(self.target),
            "source_pair": _pair_json(self.source),
            "between_camps": self.between_camps,
        }


def _pair_json(pair: CandidateMention | None) -> dict[str, Any] | None:
    if pair is None:
        return None
    return {"contest_code": pair.contest_code, "office": pair.office.value,
            "number": pair.number, "names": pair.names}


def between_camps(words: Sequence[str]) -> bool:
    """Return True when the words speak of camps attacking each other ('saling serang',
    'saling lempar fitnah', 'serangan antar pendukung', 'kampanye hitam antarpaslon')."""
    for position, word in enumerate(words):
        if word == "saling":
            if not _MUTUAL_VERBS.isdisjoint(words[position + 1 : position + 3]):
                return True
        elif word.startswith("antar"):
            # 'antar pendukung', 'antara kubu', 'antarpaslon': camps on both sides
            joined = word.removeprefix("antara").removeprefix("antar")
            camps = joined in _SIDES or not _SIDES.isdisjoint(words[position + 1 : position + 3])
            near = words[max(0, position - BETWEEN_SPAN) : position + BETWEEN_SPAN]
            if camps and not _ATTACK_NOUNS.isdisjoint(near):
                return True
    return False


def find_attack(
    words: Sequence[str],
    labels: Sequence[str],
    pairs: Sequence[tuple[int, CandidateMention]],
    mutual: bool | None = None,
) -> Attack | None:
    """Return the attack a text tells of, or None when it is no attack signal.

    `labels` are the categories the classifier gave the text; `pairs` the (word position,
    mention) of each pair reference, in any order (a pair may appear several times);
    `mutual` whether `between_camps(words)`, when the caller knows it already.
    """
    if mutual is None:
        mutual = between_camps(words)
    named = bool(pairs)
    if not (mutual or not ALWAYS_ATTACK.isdisjoint(labels)
            or (named and not ATTACK_WITH_PAIR.isdisjoint(labels))):
        return None
    if not named:
        return Attack(None, None, between_camps=mutual)
    target, source = _roles(words, sorted(pairs, key=lambda p: p[0]), mutual)
    return Attack(target, source, between_camps=mutual)


def _key(mention: CandidateMention) -> tuple[str, int]:
    return mention.contest_code, mention.number


def _roles(
    words: Sequence[str], pairs: list[tuple[int, CandidateMention]], mutual: bool
) -> tuple[CandidateMention | None, CandidateMention | None]:
    """Return (target, source) from the words around each pair's mentions.

    Between camps (`mutual`) every pair named is a side: only a pair the words mark as
    attacked is a target, and a source is told only beside such a target.
    """
    targets: list[CandidateMention] = []
    camps: list[CandidateMention] = []
    for position, mention in pairs:
        before = words[max(0, position - CUE_SPAN) : position]
        after = words[position + 1 : position + 1 + CUE_SPAN]
        if not _PASSIVE.isdisjoint(after) or not _TARGET_CUES.isdisjoint(before):
            targets.append(mention)
        if (not _CAMP_WORDS.isdisjoint(words[max(0, position - CAMP_SPAN) : position])
                or not _ACTIVE.isdisjoint(after[:2])):
            camps.append(mention)
    distinct = list({_key(m): m for _p, m in pairs}.values())
    target = next((m for m in targets if m not in camps), targets[0] if targets else None)
    if mutual and target is None:
        return None, None
    if target is None:
        unmarked = [m for m in distinct if _key(m) not in {_key(c) for c in camps}]
        if len(unmarked) == 1:
            target = unmarked[0]
        elif len(distinct) == 1:
            target = distinct[0]
    source = next((m for m in camps if target is None or _key(m) != _key(target)), None)
    if source is not None and target is not None and source.contest_code != target.contest_code:
        source = None  # camps of different contests do not fight one race
    return target, source


def attack_contest(
    attack: dict[str, Any], regions: Sequence[dict[str, Any]], min_confidence: float
) -> str | None:
    """Return the id of the Pilkada 2024 race an attack (the contract's object) is fought in:
    that of its target or source pair, else that of the first region of the text named with at
    least `min_confidence` (a regency's regent or mayor race, a province's governor race);
    None when neither tells."""
    for side in ("target_pair", "source_pair"):
        pair = attack.get(side)
        if pair:
            return contest_id(PILKADA_2024, Office(pair["office"]), pair["contest_code"])
    for region in regions:
        code = str(region.get("code") or "")
        if len(code) < 2 or float(region.get("confidence", 0)) < min_confidence:
            continue
        if len(code) == 2:
            return contest_id(PILKADA_2024, Office.GOVERNOR, code)
        regency = code[:5]
        return contest_id(PILKADA_2024, Office.MAYOR if is_city(regency) else Office.REGENT,
                          regency)
    return None

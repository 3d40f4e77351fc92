"""Region search over the real Kemendagri list: prefixes, spacing, typos, aliases, ranking.

The gazetteer is built once from the shared dumps: the current (2025) names, with the 2023 name
as an alias wherever it differs.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from siaga.datafiles.sqldump import DumpRow, read_dump
from siaga.domain.regions import Level, level_of, parent_of
from siaga.regions.search import Gazetteer, GazetteerEntry, SearchHit

SAMPLE_SEED = 7
SAMPLE_SIZE = 50
REGENCY_PREFIX = re.compile(r"^(Kabupaten|Kota) ")


def region_names(path: Path) -> dict[str, str]:
    """Return code -> name of every row of a region dump."""
    names: dict[str, str] = {}
    for row in read_dump(path):
        assert isinstance(row, DumpRow), f"unreadable region dump: {row}"
        code, name = row.values[:2]
        names[str(code)] = str(name)
    return names


@pytest.fixture(scope="module")
def current_names(data_dir: Path) -> dict[str, str]:
    return region_names(data_dir / "regions" / "wilayah.sql")


@pytest.fixture(scope="module")
def gazetteer(data_dir: Path, current_names: dict[str, str]) -> Gazetteer:
    older = region_names(data_dir / "regions" / "wilayah_2023.sql")
    entries = []
    for code, name in current_names.items():
        old = older.get(code)
        aliases = (old,) if old is not None and old != name else ()
        entries.append(GazetteerEntry(code, name, level_of(code), parent_of(code), aliases))
    return Gazetteer(entries)


def codes(hits: list[SearchHit]) -> list[str]:
    return [hit.code for hit in hits]


def first(gazetteer: Gazetteer, text: str, **options: object) -> SearchHit:
    hits = gazetteer.search(text, **options)  # type: ignore[arg-type]
    assert hits, f"nothing found for {text!r}"
    return hits[0]


# --- named regions ----------------------------------------------------------------------------


def test_the_whole_list_is_held(gazetteer: Gazetteer, current_names: dict[str, str]) -> None:
    assert len(gazetteer) == len(current_names)
    assert len(gazetteer) > 80_000
    assert gazetteer.names["15.02"] == "Kabupaten Merangin"


@pytest.mark.parametrize("text", ["Kab. Merangin", "kabupaten merangin", "merangin"])
def test_merangin(gazetteer: Gazetteer, text: str) -> None:
    hit = first(gazetteer, text)

    assert hit.code == "15.02"
    assert hit.name == "Kabupaten Merangin"
    assert hit.level is Level.REGENCY
    assert hit.parent_names == ("Jambi",)
    assert hit.score == 100.0


@pytest.mark.parametrize("text", ["Muko Muko", "Mukomuko", "muko-muko", "KAB. MUKO MUKO"])
def test_mukomuko(gazetteer: Gazetteer, text: str) -> None:
    hit = first(gazetteer, text)

    assert hit.code == "17.06"
    assert hit.name == "Kabupaten Mukomuko"
    assert hit.parent_names == ("Bengkulu",)


def test_kota_jambi_is_the_city(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("Kota Jambi")

    assert hits[0].code == "15.71"
    assert hits[0].name == "Kota Jambi"
    assert "15" in codes(hits)  # the province, with the same core name, comes later


def test_jambi_alone_is_the_province(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("Jambi")

    assert hits[0].code == "15"
    assert hits[0].level is Level.PROVINCE
    assert hits[0].parent_names == ()
    assert "15.71" in codes(hits[:3])


def test_kota_mukomuko_is_the_district_not_the_regency(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("Kota Mukomuko")

    assert hits[0].code == "17.06.02"
    assert hits[0].level is Level.DISTRICT
    assert hits[0].parent_names == ("Kabupaten Mukomuko", "Bengkulu")
    assert "17.06" in codes(hits[:3])


@pytest.mark.parametrize(("text", "code"), [("Merangn", "15.02"), ("Mukomoko", "17.06")])
def test_typos_still_find_the_regency(gazetteer: Gazetteer, text: str, code: str) -> None:
    hits = gazetteer.search(text, limit=3)

    assert code in codes(hits)
    found = hits[codes(hits).index(code)]
    assert 70.0 <= found.score < 100.0


def test_older_name_is_found_as_an_alias(gazetteer: Gazetteer) -> None:
    # 12.07.08 was 'STM Hilir' in 2023 and is 'Sinembah Tanjung Muda Hilir' since.
    hit = first(gazetteer, "STM Hilir")

    assert hit.code == "12.07.08"
    assert hit.name == "Sinembah Tanjung Muda Hilir"
    assert hit.matched == "STM Hilir"


def test_accents_and_missing_dots_are_ignored(gazetteer: Gazetteer) -> None:
    assert first(gazetteer, "Mérangin").code == "15.02"
    assert first(gazetteer, "Kab Merangin").code == "15.02"


# --- options, parents, refusals ---------------------------------------------------------------


def test_level_filter_keeps_only_that_level(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("Bangko", level=Level.DISTRICT)

    assert hits
    assert {hit.level for hit in hits} == {Level.DISTRICT}
    assert "15.02.02" in codes(hits)
    bangko = hits[codes(hits).index("15.02.02")]
    assert bangko.score == 100.0
    assert bangko.parent_names == ("Kabupaten Merangin", "Jambi")


def test_level_filter_on_a_province_name(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("Jambi", level=Level.REGENCY)

    assert hits[0].code == "15.71"
    assert {hit.level for hit in hits} == {Level.REGENCY}


def test_limit(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.search("Bangko", limit=3)) == 3
    assert gazetteer.search("Bangko", limit=0) == []


def test_parent_names_of_a_district(gazetteer: Gazetteer) -> None:
    assert gazetteer.parent_names("15.02.02") == ("Kabupaten Merangin", "Jambi")
    assert gazetteer.parent_names("15") == ()


def test_village_hit_names_its_three_parents(gazetteer: Gazetteer) -> None:
    hit = first(gazetteer, "Pasar Mukomuko")

    assert hit.code == "17.06.02.1009"
    assert hit.level is Level.VILLAGE
    assert hit.parent_names == ("Kota Mukomuko", "Kabupaten Mukomuko", "Bengkulu")


@pytest.mark.parametrize("text", ["", "   ", "...", "-/-", "''", "\t,;"])
def test_nothing_to_search_for(gazetteer: Gazetteer, text: str) -> None:
    with pytest.raises(ValueError, match="nothing to search for"):
        gazetteer.search(text)


# --- a sample of the real regencies -----------------------------------------------------------


@dataclass(frozen=True)
class SampleQuery:
    code: str
    name: str
    text: str
    prefixed: bool
    twins: frozenset[str]  # other regencies with the same core name (Kabupaten X and Kota X)


def core_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", REGENCY_PREFIX.sub("", name).lower())


@pytest.fixture(scope="module")
def regency_sample(current_names: dict[str, str]) -> list[SampleQuery]:
    regencies = sorted(c for c in current_names if level_of(c) is Level.REGENCY)
    assert len(regencies) > 500
    rng = random.Random(SAMPLE_SEED)
    chosen = rng.sample(regencies, SAMPLE_SIZE)
    queries = []
    for code in chosen:
        name = current_names[code].strip()
        assert REGENCY_PREFIX.match(name), name
        if name.startswith("Kabupaten ") and rng.random() < 0.5:
            text, prefixed = "Kab. " + name.removeprefix("Kabupaten "), True
        else:
            text, prefixed = REGENCY_PREFIX.sub("", name), False
        twins = frozenset(
            other
            for other in regencies
            if other != code and core_key(current_names[other]) == core_key(name)
        )
        queries.append(SampleQuery(code, name, text.lower(), prefixed, twins))
    return queries


def test_sample_mixes_both_query_forms(regency_sample: list[SampleQuery]) -> None:
    assert len(regency_sample) == SAMPLE_SIZE
    assert len({q.code for q in regency_sample}) == SAMPLE_SIZE
    assert any(q.prefixed for q in regency_sample)
    assert any(not q.prefixed for q in regency_sample)


@pytest.mark.parametrize("index", range(SAMPLE_SIZE))
def test_sampled_regency_is_in_the_top_three(
    gazetteer: Gazetteer, regency_sample: list[SampleQuery], index: int
) -> None:
    query = regency_sample[index]
    # Without a prefix, 'bogor' means Kabupaten Bogor as much as Kota Bogor: either will do.
    # With one ('kab. bogor') the query is no longer ambiguous, so only the regency itself.
    accepted = {query.code} | (set() if query.prefixed else set(query.twins))

    hits = gazetteer.search(query.text, limit=3, level=None)

    assert accepted & set(codes(hits)), (
        f"{query.text!r} ({query.code} {query.name}) not in the top 3: "
        f"{[(h.code, h.name) for h in hits]}"
    )

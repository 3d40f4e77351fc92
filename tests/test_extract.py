"""Extraction on real regions, real candidates and real tweets from the shared data."""

from __future__ import annotations

import csv
import datetime
import itertools
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from siaga.datafiles.problems import DataFileError
from siaga.detect.extract import Extraction, Extractor
from siaga.detect.extract.agencies import AGENCIES, CAPITALS_ONLY, ROLES
from siaga.detect.extract.build import inputs_digest
from siaga.detect.extract.pairs import person_words
from siaga.detect.extract.places import REGENCY_CAPITALS
from siaga.domain.elections import CandidatePair, Office
from siaga.domain.regions import Level, RegionCodeError, level_of
from siaga.elections.pilkada import PAIRS_FILE, read_pairs
from siaga.elections.polling_stations import TPS_FILE, read_polling_stations

REFERENCE = datetime.date(2024, 11, 28)
TWEETS = "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("extract-cache")


@pytest.fixture(scope="session")
def extractor(data_dir: Path, cache_dir: Path) -> Extractor:
    """The national extractor, built once per test session."""
    return Extractor.from_data_dir(data_dir, cache_dir)


@pytest.fixture(scope="session")
def pairs(data_dir: Path) -> dict[tuple[str, int], CandidatePair]:
    """The real Pilkada 2024 pairs by (contest region code, ballot number)."""
    found = read_pairs(data_dir / PAIRS_FILE)
    return {(p.region_code, p.number): p for p in found if isinstance(p, CandidatePair)}


def codes(result: Extraction) -> list[str]:
    return [r.code for r in result.regions]


def region_names(extractor: Extractor) -> dict[str, str]:
    return dict(zip(extractor.data.regions.codes, extractor.data.regions.names, strict=True))


# --- regions ---------------------------------------------------------------------------------


def test_regency_capital_names_its_regency(extractor: Extractor) -> None:
    result = extractor.extract("Bentrok massa di Bangko")
    assert codes(result) == ["15.02"]
    assert result.regions[0].name == "Kabupaten Merangin"
    assert result.regions[0].level is Level.REGENCY


@pytest.mark.parametrize(("regency", "capital"), sorted(REGENCY_CAPITALS.items()))
def test_every_capital_of_jambi_and_bengkulu_resolves(
    extractor: Extractor, regency: str, capital: tuple[str, ...]
) -> None:
    names = region_names(extractor)
    assert regency in names, f"capital table names a regency missing from the code list: {regency}"
    for seat in capital:
        result = extractor.extract(f"Warga berkumpul di {seat} sejak pagi")
        assert codes(result)[:1] == [regency], (seat, result.regions)


@pytest.mark.parametrize(
    "text", ["Kab. Muko Muko", "Kabupaten Mukomuko", "kab muko-muko", "Pemkab Mukomuko", "MUKOMUKO"]
)
def test_regency_written_many_ways(extractor: Extractor, text: str) -> None:
    result = extractor.extract(f"Situasi di {text} aman terkendali")
    assert codes(result) == ["17.06"]


def test_prefix_raises_confidence(extractor: Extractor) -> None:
    bare = extractor.extract("Situasi di Mukomuko").regions[0]
    prefixed = extractor.extract("Situasi di Kabupaten Mukomuko").regions[0]
    assert prefixed.code == bare.code == "17.06"
    assert prefixed.confidence > bare.confidence


def test_district_of_merangin_with_kecamatan(extractor: Extractor) -> None:
    names = region_names(extractor)
    districts = [c for c in names if c.startswith("15.02.") and level_of(c) is Level.DISTRICT]
    assert len(districts) == 24
    for code in districts:
        result = extractor.extract(f"Ratusan warga Kecamatan {names[code]} mendatangi kantor")
        assert codes(result) == [code], names[code]
        assert result.regions[0].confidence >= 0.8


def _shared_village_names(extractor: Extractor) -> dict[str, set[str]]:
    """Village names of Jambi and Bengkulu borne in several regencies -> those regencies."""
    gaz = extractor.data.regions
    by_name: dict[str, set[str]] = defaultdict(set)
    for code, name, level in zip(gaz.codes, gaz.names, gaz.levels, strict=True):
        if level == 3 and code[:2] in ("15", "17"):
            by_name[name].add(code[:5])
    return {name: regencies for name, regencies in by_name.items() if len(regencies) >= 3}


def test_shared_village_name_resolved_by_regency_in_text(extractor: Extractor) -> None:
    names = region_names(extractor)
    shared = _shared_village_names(extractor)
    assert shared, "expected village names repeated across regencies of Jambi/Bengkulu"
    checked = 0
    for village, regencies in sorted(shared.items())[:15]:
        alone = extractor.extract(f"Kericuhan terjadi di Desa {village} semalam")
        assert not any(level_of(c) is Level.VILLAGE for c in codes(alone)), village
        for regency in sorted(regencies):
            text = f"Kericuhan terjadi di Desa {village}, {names[regency]}, semalam"
            found = [r for r in extractor.extract(text).regions if r.level is Level.VILLAGE]
            inside = [c for c in names if c.startswith(regency + ".") and names[c] == village]
            if len(inside) == 1:  # twice in one regency: the text cannot tell, so skip
                assert [r.code for r in found] == inside, (village, regency)
                checked += 1
    assert checked >= 20


def test_scope_keeps_bare_village_inside_it(extractor: Extractor) -> None:
    text = "ada keributan di pematang kandis tadi malam"
    assert extractor.extract(text).regions == []
    scoped = extractor.extract(text, scope="15.02")
    assert codes(scoped) == ["15.02.02.1013"]
    assert 0 < scoped.regions[0].confidence < 0.6
    assert codes(extractor.extract(text, scope="1502")) == ["15.02.02.1013"]


def test_ordinary_words_are_not_places(extractor: Extractor) -> None:
    result = extractor.extract("baru saja pulang dari pasar, harga cabai naik, sungai meluap")
    assert result.regions == []


def test_province_short_names(extractor: Extractor) -> None:
    assert codes(extractor.extract("Pilkada Jatim dan Sumut")) == ["35", "12"]


def test_bad_scope_is_refused(extractor: Extractor) -> None:
    with pytest.raises(RegionCodeError):
        extractor.extract("apa saja", scope="Merangin")


# --- TPS -------------------------------------------------------------------------------------


def test_tps_with_village_gives_kpu_code(extractor: Extractor, data_dir: Path) -> None:
    result = extractor.extract("Surat suara tertukar di TPS 05 Kelurahan Pematang Kandis, Bangko")
    [tps] = result.tps
    assert tps.village_code == "15.02.02.1013"
    assert tps.code == "1502021013005"
    stations = read_polling_stations(data_dir / TPS_FILE, ["1502021013"])
    assert tps.code in {s.code for s in stations if not isinstance(s, Exception)}


def test_tps_forms(extractor: Extractor) -> None:
    near = extractor.extract("TPS 3 Desa Pematang Kandis ricuh").tps
    assert [(t.number, t.code) for t in near] == [(3, "1502021013003")]
    sole = extractor.extract("Warga Kelurahan Pematang Kandis protes, TPS 012 dibuka ulang").tps
    assert [(t.number, t.code) for t in sole] == [(12, "1502021013012")]
    assert sole[0].confidence < near[0].confidence
    unplaced = extractor.extract("Kotak suara TPS05 hilang").tps
    assert [(t.number, t.code) for t in unplaced] == [(5, None)]


# --- candidates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Pendukung paslon 02 bentrok di Mukomuko", 2),
        ("Relawan nomor urut 1 membagikan sembako di Kabupaten Mukomuko", 1),
        ("Spanduk no urut 4 dirusak di Mukomuko", 4),
        ("Warga Mukomuko menolak pasangan nomor 3", 3),
    ],
)
def test_ballot_number_in_regency_text(
    extractor: Extractor,
    pairs: dict[tuple[str, int], CandidatePair],
    text: str,
    number: int,
) -> None:
    [found] = extractor.extract(text).candidates
    assert (found.contest_code, found.number) == ("17.06", number)
    assert found.names == pairs[("17.06", number)].names
    assert found.office is Office.REGENT


def test_ballot_number_uses_scope_when_text_names_no_region(extractor: Extractor) -> None:
    assert extractor.extract("paslon 01 bagi-bagi uang").candidates == []
    [found] = extractor.extract("paslon 01 bagi-bagi uang", scope="15.02").candidates
    assert (found.contest_code, found.number) == ("15.02", 1)
    in_text = extractor.extract("paslon 01 bagi-bagi uang di Merangin").candidates[0]
    assert in_text.confidence > found.confidence


def test_governor_race_by_number(extractor: Extractor) -> None:
    [found] = extractor.extract("Debat cagub Jambi: paslon 2 unggul").candidates
    assert (found.contest_code, found.office, found.number) == ("15", Office.GOVERNOR, 2)


def test_every_mukomuko_candidate_by_name(
    extractor: Extractor, pairs: dict[tuple[str, int], CandidatePair]
) -> None:
    for number in range(1, 5):
        for person in person_words(pairs[("17.06", number)].names):
            name = " ".join(w.capitalize() for w in person)
            found = extractor.extract(f"{name} berkampanye di Mukomuko kemarin").candidates
            assert [(c.contest_code, c.number) for c in found] == [("17.06", number)], name


def test_name_that_is_a_common_word(extractor: Extractor) -> None:
    # M. Syukur ran for regent of Merangin; 'syukur' is also an ordinary word (thanks).
    assert extractor.extract("alhamdulillah syukur hari ini cerah").candidates == []
    [found] = extractor.extract("M. Syukur menyapa warga Merangin").candidates
    assert (found.contest_code, found.number) == ("15.02", 2)


# --- agencies, roles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("canonical", "form"),
    [(name, form) for name, forms in sorted(AGENCIES.items()) for form in forms],
)
def test_every_agency_form(extractor: Extractor, canonical: str, form: str) -> None:
    written = form if form in CAPITALS_ONLY else form.lower()
    result = extractor.extract(f"Menurut {written} setempat, situasi terkendali")
    assert result.agencies == [canonical]


def test_slang_is_no_agency(extractor: Extractor) -> None:
    assert extractor.extract("gw bkn orang situ, kip aja").agencies == []
    assert extractor.extract("Kepala BKN datang").agencies == ["BKN"]


def test_agencies_in_a_sentence(extractor: Extractor) -> None:
    text = (
        "Komisi Pemilihan Umum, Bawaslu, Kepolisian Resor Merangin, Komando Distrik Militer "
        "0420 dan Kominfo menggelar rapat Forkopimda; Komdigi ikut."
    )
    assert extractor.extract(text).agencies == [
        "KPU",
        "Bawaslu",
        "Polres",
        "Kodim",
        "Diskominfo",
        "Forkopimda",
    ]


@pytest.mark.parametrize(
    ("canonical", "form"), [(name, form) for name, forms in sorted(ROLES.items()) for form in forms]
)
def test_every_role_form(extractor: Extractor, canonical: str, form: str) -> None:
    assert canonical in extractor.extract(f"Seorang {form} diperiksa kemarin").roles


def test_rt_needs_a_number(extractor: Extractor) -> None:
    assert extractor.extract("RT USER: kasihan banget").roles == []
    assert extractor.extract("warga RT 05 RW 02 menolak").roles == ["RT/RW"]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Selasa (10/9) massa berkumpul", datetime.date(2024, 9, 10)),
        ("Pada 4 November 2024 terjadi", datetime.date(2024, 11, 4)),
        ("pemungutan suara 27/11", datetime.date(2024, 11, 27)),
        ("tanggal 27-11-2024", datetime.date(2024, 11, 27)),
        ("tanggal 27.11.24", datetime.date(2024, 11, 27)),
        ("2024-11-27 pukul 07.00", datetime.date(2024, 11, 27)),
        ("rapat 5 Agt lalu", datetime.date(2024, 8, 5)),
        ("rapat 5 Agu lalu", datetime.date(2024, 8, 5)),
        ("sejak 12 Okt", datetime.date(2024, 10, 12)),
        ("sejak 1 Des 2023", datetime.date(2023, 12, 1)),
        ("pada 17 Mei", datetime.date(2024, 5, 17)),
        ("pada 3 Jan", datetime.date(2024, 1, 3)),
        ("pada 3 Feb", datetime.date(2024, 2, 3)),
        ("kemarin ada bentrok", datetime.date(2024, 11, 27)),
        ("hari ini ada bentrok", datetime.date(2024, 11, 28)),
        ("besok ada demo", datetime.date(2024, 11, 29)),
    ],
)
def test_date_forms(extractor: Extractor, text: str, expected: datetime.date) -> None:
    assert extractor.extract(text, reference=REFERENCE).dates == [expected]


def test_yearless_date_after_reference_is_last_year(extractor: Extractor) -> None:
    found = extractor.extract("kejadian 27/12", reference=datetime.date(2025, 1, 3)).dates
    assert found == [datetime.date(2024, 12, 27)]


def test_weekday_picks_the_year(extractor: Extractor) -> None:
    # 10 September was a Tuesday in 2024, not in 2025.
    found = extractor.extract("Selasa (10/9) ricuh", reference=datetime.date(2025, 10, 1)).dates
    assert found == [datetime.date(2024, 9, 10)]


@pytest.mark.parametrize("text", ["31/2", "30 Februari 2024", "0/5", "13/13", "32-01-2024"])
def test_invalid_dates_rejected(extractor: Extractor, text: str) -> None:
    assert extractor.extract(f"tanggal {text}", reference=REFERENCE).dates == []


# --- whole texts -----------------------------------------------------------------------------


def _tweets(data_dir: Path, count: int) -> list[str]:
    with (data_dir / TWEETS).open(encoding="latin-1", newline="") as handle:
        rows = csv.DictReader(handle)
        return [row["Tweet"] for row in itertools.islice(rows, count)]


def test_long_news_article(extractor: Extractor, data_dir: Path) -> None:
    middle = (
        "Ketua Bawaslu Kabupaten Merangin menyebut pendukung paslon 01 dan 02 sempat bersitegang "
        "di TPS 05 Kelurahan Pematang Kandis, Kecamatan Bangko, Kamis (28/11)."
    )
    filler = _tweets(data_dir, 400)
    article = "\n\n".join([*filler[:200], middle, *filler[200:]])
    assert len(article) > 40_000
    result = extractor.extract(article, reference=REFERENCE)
    assert {"15.02", "15.02.02.1013", "15.02.02"} <= set(codes(result))
    assert "Bawaslu" in result.agencies
    assert {(c.contest_code, c.number) for c in result.candidates} >= {("15.02", 1), ("15.02", 2)}
    assert "1502021013005" in {t.code for t in result.tps}
    assert datetime.date(2024, 11, 28) in result.dates


def test_real_tweets_give_valid_output(extractor: Extractor, data_dir: Path) -> None:
    names = region_names(extractor)
    contests = {p.contest_code for p in extractor.data.pairs.pairs}
    tweets = _tweets(data_dir, 3000)
    found_regions = 0
    for text in tweets:
        result = extractor.extract(text, reference=REFERENCE)
        payload = result.to_json()
        assert set(payload) >= {"regions", "agencies", "candidates", "dates"}
        for region in result.regions:
            assert names[region.code] == region.name
            assert level_of(region.code) is region.level
            assert 0.0 <= region.confidence <= 1.0
        for candidate in result.candidates:
            assert candidate.contest_code in contests
            assert 0.0 <= candidate.confidence <= 1.0
        for tps in result.tps:
            assert tps.code is None or (len(tps.code) == 13 and tps.code.isdigit())
        assert all(isinstance(d, datetime.date) for d in result.dates)
        found_regions += len(result.regions)
    # Some of these tweets are about Jakarta and other regions; not none, not one per word.
    assert 0 < found_regions < len(tweets)


def test_cache_is_reused_and_keyed_by_inputs(
    extractor: Extractor, data_dir: Path, cache_dir: Path
) -> None:
    cached = list(cache_dir.glob("extract-*.pickle"))
    assert len(cached) == 1 and inputs_digest(data_dir)[:20] in cached[0].name
    again = Extractor.from_data_dir(data_dir, cache_dir)
    text = "Kab. Muko Muko: paslon 02, Bawaslu, Selasa (10/9)"
    assert again.extract(text, reference=REFERENCE) == extractor.extract(text, reference=REFERENCE)
    assert list(cache_dir.glob("extract-*.pickle")) == cached


def test_one_word_of_a_name_needs_context(extractor: Extractor) -> None:
    # Romi Hariyanto and Sudirman were pair 1 of the 2024 Jambi governor race.
    assert extractor.extract("Romi datang ke pasar").candidates == []
    [pair] = extractor.extract("Romi-Sudirman datang ke pasar").candidates
    assert (pair.contest_code, pair.number, pair.office) == ("15", 1, Office.GOVERNOR)
    [scoped] = extractor.extract("Romi datang ke pasar", scope="15").candidates
    assert (scoped.contest_code, scoped.number) == ("15", 1)


def test_full_name_alone_is_enough(extractor: Extractor) -> None:
    [pair] = extractor.extract("Choirul Huda hadir dalam debat").candidates
    assert (pair.contest_code, pair.number) == ("17.06", 2)


def test_ordinary_words_never_villages(extractor: Extractor) -> None:
    # 'Jadi' is a village of Jawa Timur; 'jadi' (become) is one of the commonest words.
    result = extractor.extract("semoga jadi gubernur Jatim")
    assert codes(result) == ["35"]
    assert codes(extractor.extract("Jangan buru-buru tolak wacana itu")) == []
    assert codes(extractor.extract("Warga Kabupaten Buru menolak")) == ["81.04"]


def test_plain_name_of_kabupaten_and_kota_gives_the_kota(extractor: Extractor) -> None:
    names = region_names(extractor)
    cores: dict[str, list[str]] = defaultdict(list)
    for code, name in names.items():
        if level_of(code) is Level.REGENCY:
            cores[name.split(" ", 1)[1].removeprefix("Administrasi ")].append(code)
    twins = {core: sorted(found) for core, found in cores.items() if len(found) == 2}
    assert {"Bandung", "Bekasi", "Malang", "Semarang"} <= set(twins)
    provinces = {name for code, name in names.items() if level_of(code) is Level.PROVINCE}
    for core, (kabupaten, kota) in sorted(twins.items()):
        if kabupaten[:2] != kota[:2] or core in provinces:
            continue  # 'Gorontalo' is first of all the province
        plain = extractor.extract(f"Banjir melanda {core} sejak pagi").regions
        assert [r.code for r in plain] == [kota], core
        exact = extractor.extract(f"Banjir melanda Kabupaten {core} sejak pagi").regions
        assert [r.code for r in exact] == [kabupaten], core
        assert exact[0].confidence > plain[0].confidence


def test_kind_word_must_stand_apart(extractor: Extractor) -> None:
    # 'Nya' is a village of Aceh; 'desanya' is 'his village'.
    assert codes(extractor.extract("pulang ke desanya kemarin")) == []
    assert [r.level for r in extractor.extract("pulang ke Desa Nya kemarin").regions] == [
        Level.VILLAGE
    ]


def test_province_alone_says_little_about_a_village(extractor: Extractor) -> None:
    names = region_names(extractor)
    village = "15.02.02.1013"  # Pematang Kandis, Merangin, Jambi
    with_province = extractor.extract(f"Ricuh di {names[village]}, Jambi").regions
    with_regency = extractor.extract(f"Ricuh di {names[village]}, Merangin").regions
    by_code = {r.code: r.confidence for r in with_regency}
    assert by_code[village] > dict((r.code, r.confidence) for r in with_province).get(village, 0)


def test_repeated_text_gives_the_same_findings(extractor: Extractor) -> None:
    # Half a megabyte of one report repeated: the same findings once, no repeats.
    one = (
        "Warga Desa Pematang Kandis, Kecamatan Bangko, Kabupaten Merangin: paslon 02, "
        "Bawaslu, TPS 05, Selasa (10/9). "
    )
    single = extractor.extract(one, reference=REFERENCE)
    assert extractor.extract(one * 5000, reference=REFERENCE) == single
    assert len(single.regions) == 3 and len(single.candidates) == 1 and len(single.tps) == 1


def test_two_words_of_a_longer_name(extractor: Extractor) -> None:
    # Khofifah Indar Parawansa ran for governor of Jawa Timur in 2024.
    [pair] = extractor.extract("Khofifah Parawansa berkampanye").candidates
    assert pair.contest_code == "35" and "KHOFIFAH INDAR PARAWANSA" in pair.names


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"wilayah\.sql: file not found"):
        Extractor.from_data_dir(tmp_path, tmp_path / "cache")


def test_damaged_cache_is_rebuilt(
    extractor: Extractor, data_dir: Path, cache_dir: Path, tmp_path: Path
) -> None:
    [good] = cache_dir.glob("extract-*.pickle")
    fresh = tmp_path / "cache"
    fresh.mkdir()
    (fresh / good.name).write_bytes(b"not a pickle")
    (fresh / "extract-0000-older-inputs.pickle").write_bytes(b"stale")
    rebuilt = Extractor.from_data_dir(data_dir, fresh)
    assert [p.name for p in fresh.glob("extract-*.pickle")] == [good.name]
    text = "Bentrok massa di Bangko, paslon 02, Selasa (10/9)"
    assert rebuilt.extract(text, reference=REFERENCE) == extractor.extract(
        text, reference=REFERENCE
    )


def test_tps_number_checked_against_kpu_list(extractor: Extractor, data_dir: Path) -> None:
    stations = read_polling_stations(data_dir / TPS_FILE, ["1502021013"])
    numbers = {s.number for s in stations if not isinstance(s, Exception)}
    beyond = max(numbers) + 1
    [listed] = extractor.extract(f"TPS {max(numbers)} Kelurahan Pematang Kandis").tps
    [unlisted] = extractor.extract(f"TPS {beyond} Kelurahan Pematang Kandis").tps
    assert (listed.listed, unlisted.listed) == (True, False)
    assert unlisted.code == f"1502021013{beyond:03d}"
    assert unlisted.confidence < listed.confidence


def test_cache_key_is_the_same_in_another_process(data_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from siaga.detect.extract.build import "
        "inputs_digest; print(inputs_digest(Path(sys.argv[1])))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, check=True
    )
    assert other.stdout.strip() == inputs_digest(data_dir)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Polda Metro Jaya menurunkan personel", []),
        ("Debat disiarkan Metro TV", []),
        ("Pilkada Kota Metro aman", ["18.72"]),
        ("harga batu bara naik", []),
        ("Pendukung paslon di Batu Bara bentrok", ["12.19"]),
        ("kelurahan yang paling rawan", []),
        ("Macet di Solo", ["33.72"]),
    ],
)
def test_phrases_that_are_no_places(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert codes(extractor.extract(text)) == expected


def test_candidate_named_alone_implies_the_contest_region(extractor: Extractor) -> None:
    result = extractor.extract("Choirul Huda hadir dalam debat")
    [pair] = result.candidates
    [region] = result.regions
    assert (region.code, region.implied) == ("17.06", True)
    assert region.confidence < pair.confidence
    assert region.to_json()["implied"] is True
    named = extractor.extract("Choirul Huda hadir di Kecamatan Kota Mukomuko").regions
    assert [r.implied for r in named] == [False]


def test_reference_may_be_a_datetime(extractor: Extractor) -> None:
    moment = datetime.datetime(2024, 11, 28, 23, 30, tzinfo=datetime.UTC)
    found = extractor.extract("kemarin dan 27/11", reference=moment).dates
    assert found == [datetime.date(2024, 11, 27)]


# --- ordinary words that are place names, titles, nicknames, scope (issue 15) ----------------


def test_camps_warned_against_attacking_each_other_name_no_city(extractor: Extractor) -> None:
    # A regent's warning in news register: 'saling serang' is the verb, not Kota Serang.
    text = ("Bupati Rejang Lebong mengingatkan kedua pasangan calon dan tim pemenangannya agar "
            "tidak saling serang di media sosial selama masa tenang.")
    result = extractor.extract(text, reference=REFERENCE)
    assert codes(result) == ["17.02"]
    attack = extractor.attack(result, [])
    assert attack is not None and attack.between_camps
    assert attack.to_json() == {"target_pair": None, "source_pair": None, "between_camps": True}
    headline = extractor.extract("Forkopimda Minta Timses Tidak Saling Serang Jelang Pencoblosan")
    assert headline.regions == []


def test_a_common_word_alone_is_not_a_place(extractor: Extractor) -> None:
    for text in ("Kedua kubu saling serang di grup WhatsApp warga.",
                 "Massa melempar batu ke arah panggung kampanye.",
                 "Serang balik dilakukan pendukung paslon lewat akun anonim."):
        assert not any(c.startswith("36.") or c == "35.79" for c in
                       codes(extractor.extract(text))), text
    # With place context the same words are places again.
    for text, code in (("Warga Serang antusias menyambut debat", "36.73"),
                       ("Polres Serang menambah personel pengamanan", "36.73"),
                       ("Rombongan relawan berangkat ke Serang pagi ini", "36.73"),
                       ("Wisatawan memadati Kota Batu saat libur pilkada", "35.79")):
        assert code in codes(extractor.extract(text)), text


def test_ambiguous_names_are_found_from_the_data(extractor: Extractor) -> None:
    # 'medan' (a battlefield: 'medan perang') is written in lowercase by the edited news corpus.
    assert {"serang", "batu", "agam", "bungo", "medan"} <= extractor.data.ambiguous
    assert "merangin" not in extractor.data.ambiguous
    assert "15.02" in codes(extractor.extract("Kondisi medan di Merangin sulit dilalui"))
    assert "12.71" not in codes(extractor.extract("Kondisi medan di Merangin sulit dilalui"))


def test_an_officials_title_names_the_region(extractor: Extractor) -> None:
    assert codes(extractor.extract("Bupati Rejang Lebong melantik pejabat baru")) == ["17.02"]
    assert codes(extractor.extract("Pj Bupati Merangin memimpin apel siaga")) == ["15.02"]
    result = extractor.extract("Sekda Bengkulu Utara memimpin rapat netralitas ASN")
    assert codes(result) == ["17.03"] and "Pemkab" in result.agencies


def test_a_pairs_nickname_resolves_its_regency(extractor: Extractor) -> None:
    text = "Ribuan simpatisan Huda-Rahmadi memadati lapangan pada kampanye akbar kemarin."
    result = extractor.extract(text, reference=REFERENCE)
    assert [(c.contest_code, c.number) for c in result.candidates] == [("17.06", 2)]
    [region] = result.regions
    assert (region.code, region.implied) == ("17.06", True)
    assert region.confidence >= 0.5  # enough to count toward Mukomuko's alerts


def test_regency_government_is_an_agency(extractor: Extractor) -> None:
    result = extractor.extract("Pemkab Kaur dan Setda menggelar rakor pengamanan pilkada")
    assert "Pemkab" in result.agencies
    assert "Pemkab" in extractor.extract("Pjs Bupati Seluma meninjau gudang logistik").agencies
    assert "Pemkab" in extractor.extract("Wali Kota Bengkulu meminta ASN netral").agencies
    # A candidate for regent is not the regency government.
    assert "Pemkab" not in extractor.extract("Calon bupati Kaur berkampanye di pasar").agencies


def test_the_sources_region_stands_in_when_the_text_names_none(extractor: Extractor) -> None:
    text = "Massa dua kubu berkumpul di depan kantor penyelenggara sejak pagi."
    assert extractor.extract(text).regions == []
    [region] = extractor.extract(text, scope="15.02").regions
    assert (region.code, region.implied, region.confidence) == ("15.02", True, 0.5)
    # A text naming its own place keeps it, without the scope added.
    assert codes(extractor.extract("Massa berkumpul di Kota Jambi", scope="15.02")) == ["15.71"]


def test_an_attack_names_its_target_and_the_camp_behind_it(extractor: Extractor) -> None:
    text = ("Relawan paslon 01 diduga menyebarkan fitnah terhadap paslon 02 lewat selebaran "
            "di Kabupaten Merangin.")
    result = extractor.extract(text, reference=REFERENCE)
    attack = extractor.attack(result, ["black_campaign"])
    assert attack is not None and attack.target is not None and attack.source is not None
    assert (attack.target.contest_code, attack.target.number) == ("15.02", 2)
    assert (attack.source.contest_code, attack.source.number) == ("15.02", 1)
    assert not attack.between_camps
    # A hoax about a pair, without its source told: the target alone.
    hoax = extractor.extract("Beredar hoaks soal Nalim-Nilwan mundur dari pencalonan")
    found = extractor.attack(hoax, ["hoax"])
    assert found is not None and found.source is None
    assert found.target is not None and (found.target.contest_code, found.target.number) == (
        "15.02", 1)
    # A hoax naming no pair is no attack; nor is a text without an attack label.
    assert extractor.attack(extractor.extract("Beredar hoaks soal banjir"), ["hoax"]) is None
    assert extractor.attack(result, ["money_politics"]) is None

"""The scoring engine on hand-built trees: golden figures, properties, updates, explanations."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siaga.domain.risk import LEVEL_ORDER, UnitLevel
from siaga.risk.engine import ObservationArrays, resolve
from siaga.risk.framework import Framework, parse_framework
from siaga.risk.hierarchy import Hierarchy
from siaga.risk.index import RiskIndex
from siaga.risk.report import drivers_of, path_to_lower_class

SMALL = """\
id: small
title: {id: Kecil, en: Small}
version: "1"
source: test
group_levels: [dimension]
template_level: tps
weights_sum: 100
thresholds:
  regency: {high: 50, medium: 20}
  default: {high: 40, medium: 10}
groups:
  - id: safety
    name: {id: Keamanan, en: Safety}
    weight: 60
    indicators:
      - {id: violence, kind: binary, weight: 50, name: {id: Kekerasan, en: Violence}}
      - {id: incidents, kind: count, cap: 2, weight: 50, name: {id: Insiden, en: Incidents}}
  - id: rolls
    name: {id: DPT, en: Rolls}
    weight: 40
    indicators:
      - {id: ghosts, kind: rate, per: 100, cap: 10, name: {id: Hantu, en: Ghosts}}
"""

TPS = ["1502012001001", "1502012001002", "1502012002001", "1502022001001"]
VILLAGES = ["15.02.01.2001", "15.02.01.2001", "15.02.01.2002", "15.02.02.2001"]
VOTERS = [100.0, 300.0, 200.0, 400.0]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    path = tmp_path_factory.mktemp("fw") / "small.yaml"
    path.write_text(SMALL)
    return parse_framework(path)


def tree() -> Hierarchy:
    return Hierarchy.build(np.array(TPS), np.array(VILLAGES), np.array(VOTERS))


def observations(*items: tuple[UnitLevel, str, int, float, int], h: Hierarchy
                 ) -> ObservationArrays:
    levels = np.array([LEVEL_ORDER.index(i[0]) for i in items], dtype=np.int8)
    units = np.array([h.locate(i[0], np.array([i[1]]))[0] for i in items], dtype=np.int64)
    return ObservationArrays(levels, units, np.array([i[2] for i in items], dtype=np.int64),
                             np.array([i[3] for i in items]), np.array([i[4] for i in items]))


def test_golden_scores_by_hand(small: Framework) -> None:
    h = tree()
    obs = observations(
        (UnitLevel.TPS, "1502012001001", 0, 1, 10),  # violence at TPS 1: 100 * 0.3 = 30
        (UnitLevel.DISTRICT, "15.02.01", 1, 1, 10),  # 1 of cap 2 for 3 TPS: 0.5 * 30 = 15
        (UnitLevel.VILLAGE, "15.02.02.2001", 2, 20, 10),  # 20 per 400 = 5/100, half of cap
        h=h)
    index = RiskIndex(small, h, resolve(h, obs))
    tps = index.levels[UnitLevel.TPS].score
    # TPS 1: 30 + 15; TPS 2, 3: 15; TPS 4: 0.4 * 100 * 0.5 = 20.
    assert tps == pytest.approx([45, 15, 15, 20], abs=1e-4)
    village = index.levels[UnitLevel.VILLAGE]
    assert village.score == pytest.approx([(45 * 100 + 15 * 300) / 400, 15, 20], abs=1e-4)
    district = index.levels[UnitLevel.DISTRICT]
    assert district.score == pytest.approx([(4500 + 4500 + 3000) / 600, 20], abs=1e-4)
    regency = index.levels[UnitLevel.REGENCY]
    assert regency.score == pytest.approx([(12000 + 8000) / 1000], abs=1e-4)
    assert regency.occurred.tolist() == [3] and regency.rawan.tolist() == [4]
    assert district.occurred.tolist() == [2, 1]
    # Regency thresholds 50/20: 20.0 is medium; district thresholds (default) 40/10.
    assert regency.klass.tolist() == [1]
    assert index.levels[UnitLevel.TPS].klass.tolist() == [2, 1, 1, 1]


def test_latest_observation_wins_and_as_of_ignores_later(small: Framework) -> None:
    h = tree()
    obs = observations((UnitLevel.TPS, TPS[0], 1, 2, 10), (UnitLevel.TPS, TPS[0], 1, 0, 20),
                       h=h)
    now = RiskIndex(small, h, resolve(h, obs))
    before = RiskIndex(small, h, resolve(h, obs, as_of=15))
    assert now.levels[UnitLevel.TPS].score[0] == 0  # resolved on the later date
    assert before.levels[UnitLevel.TPS].score[0] == pytest.approx(30)


def test_unknown_voters_count_as_an_average_tps(small: Framework) -> None:
    h = Hierarchy.build(np.array(TPS), np.array(VILLAGES), np.array([100, np.nan, 300, 0.0]))
    assert h.weights.tolist() == [100, 200, 300, 200] and h.weights_known == 2


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Hierarchy, list[tuple[int, int, int, float, int]]]:
    n_villages = draw(st.integers(1, 6))
    villages = [f"15.0{1 + v % 2}.0{1 + v % 3}.20{v:02d}" for v in range(n_villages)]
    tps_village = draw(st.lists(st.integers(0, n_villages - 1), min_size=1, max_size=25))
    codes = [f"{villages[v].replace('.', '')}{i:03d}" for i, v in enumerate(tps_village)]
    voters = draw(st.lists(st.floats(1, 900), min_size=len(codes), max_size=len(codes)))
    h = Hierarchy.build(np.array(codes), np.array([villages[v] for v in tps_village]),
                        np.array(voters))
    entries = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10_000),
                                      st.integers(0, 2), st.floats(0, 50), st.integers(0, 99)),
                            max_size=30))
    return h, entries


def to_arrays(h: Hierarchy, entries: list[tuple[int, int, int, float, int]]
              ) -> ObservationArrays:
    levels = np.array([e[0] for e in entries], dtype=np.int8)
    units = np.array([e[1] % h.units[LEVEL_ORDER[e[0]]].size for e in entries], dtype=np.int64)
    return ObservationArrays(levels, units, np.array([e[2] for e in entries], dtype=np.int64),
                             np.array([e[3] for e in entries]),
                             np.array([e[4] for e in entries], dtype=np.int64))


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_scores_stay_between_0_and_100_and_parts_add_up(small: Framework, world: tuple[
        Hierarchy, list[tuple[int, int, int, float, int]]]) -> None:
    h, entries = world
    index = RiskIndex(small, h, resolve(h, to_arrays(h, entries)))
    for level in LEVEL_ORDER:
        score = index.levels[level].score
        assert np.all(score >= -1e-9) and np.all(score <= 100 + 1e-4)
    for parent, child in itertools.pairwise(LEVEL_ORDER):
        p, c = index.levels[parent], index.levels[child]
        owner = h.leaf_unit[parent][h.starts[child]]
        weighted = np.bincount(owner, weights=c.score * c.weight) / np.bincount(
            owner, weights=c.weight)
        assert p.score == pytest.approx(weighted, abs=1e-6)
        union = np.zeros_like(p.masks)
        np.bitwise_or.at(union, owner, c.masks)
        assert np.array_equal(union, p.masks)
        assert np.array_equal(np.bitwise_count(union).sum(axis=1), p.occurred)
        assert np.array_equal(np.bincount(owner, weights=c.rawan), p.rawan)


@settings(max_examples=150, deadline=None)
@given(worlds(), st.integers(0, 4), st.integers(0, 10_000), st.integers(0, 2),
       st.floats(0.01, 50))
def test_an_indicator_that_occurs_never_lowers_a_score(
        small: Framework, world: tuple[Hierarchy, list[tuple[int, int, int, float, int]]],
        level: int, unit: int, indicator: int, value: float) -> None:
    h, entries = world
    before = RiskIndex(small, h, resolve(h, to_arrays(h, entries)))
    unit %= h.units[LEVEL_ORDER[level]].size
    key = (level, unit, indicator)
    if any((e[0], e[1] % h.units[LEVEL_ORDER[e[0]]].size, e[2]) == key for e in entries):
        return  # a new value for an already observed key is a correction, not an occurrence
    after = RiskIndex(small, h, resolve(h, to_arrays(h, [*entries, (*key, value, 100)])))
    for lvl in LEVEL_ORDER:
        assert np.all(after.levels[lvl].score >= before.levels[lvl].score - 1e-4)
        assert np.all(after.levels[lvl].occurred >= before.levels[lvl].occurred)


@settings(max_examples=100, deadline=None)
@given(worlds(), st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10_000),
                                    st.integers(0, 2), st.floats(0, 50),
                                    st.integers(100, 200)), min_size=1, max_size=6))
def test_incremental_updates_match_a_full_recompute(
        small: Framework, world: tuple[Hierarchy, list[tuple[int, int, int, float, int]]],
        news: list[tuple[int, int, int, float, int]]) -> None:
    h, entries = world
    live = RiskIndex(small, h, resolve(h, to_arrays(h, entries)))
    for lvl, unit, ind, value, when in news:
        live.observe(LEVEL_ORDER[lvl], unit % h.units[LEVEL_ORDER[lvl]].size, ind, value, when)
    full = RiskIndex(small, h, resolve(h, to_arrays(h, [*entries, *news])))
    for lvl in LEVEL_ORDER:
        assert live.levels[lvl].score == pytest.approx(full.levels[lvl].score, abs=1e-4)
        assert np.array_equal(live.levels[lvl].occurred, full.levels[lvl].occurred)
        assert np.array_equal(live.levels[lvl].rawan, full.levels[lvl].rawan)
        assert np.array_equal(live.levels[lvl].klass, full.levels[lvl].klass)


def test_an_older_observation_does_not_replace_a_newer_one(small: Framework) -> None:
    h = tree()
    live = RiskIndex(small, h, resolve(h, observations((UnitLevel.TPS, TPS[0], 0, 1, 50), h=h)))
    update = live.observe(UnitLevel.TPS, 0, 0, 0.0, 10)
    assert not update.applied
    assert live.levels[UnitLevel.TPS].score[0] == pytest.approx(30)


def test_drivers_add_up_to_the_score_and_say_what_lowers_it(small: Framework) -> None:
    h = tree()
    obs = observations((UnitLevel.TPS, TPS[0], 0, 1, 10), (UnitLevel.DISTRICT, "15.02.01", 1, 2,
                                                           10), h=h)
    index = RiskIndex(small, h, resolve(h, obs))
    drivers = drivers_of(index, UnitLevel.TPS, 0)
    assert [d.indicator for d in drivers] == ["incidents", "violence"]  # 30 and 30: by id
    assert sum(d.points for d in drivers) == pytest.approx(index.levels[UnitLevel.TPS].score[0])
    chosen, after = path_to_lower_class(60.0, drivers, (10, 40))  # type: ignore[misc]
    assert chosen == ["incidents"] and after == pytest.approx(30)
    assert path_to_lower_class(5.0, drivers, (10, 40)) is None


def test_framework_groups_and_weights_as_declared(small: Framework) -> None:
    assert [round(i.weight, 6) for i in small.indicators] == [0.3, 0.3, 0.4]
    assert small.thresholds_for(UnitLevel.VILLAGE).high == 40
    assert small.thresholds_for(UnitLevel.REGENCY).high == 50


def test_hierarchy_needs_polling_stations() -> None:
    from siaga.risk.hierarchy import HierarchyError

    with pytest.raises(HierarchyError, match="no polling stations"):
        Hierarchy.build(np.array([], dtype="U13"), np.array([], dtype="U13"), np.array([]))


def test_tiny_positive_yes_no_value_counts_as_occurred_among_mixed_kinds() -> None:
    from siaga.risk.engine import Columns, normalise

    # Found by the incremental-vs-full property: a yes/no column beside a count column.
    cols = Columns(np.array([0, 1], dtype=np.int8), np.array([1.0, 10.0]),
                   np.array([1.0, 1.0]), np.array([0.5, 0.5]))
    values = np.array([[4.6e-37, 5.0], [0.0, 20.0]], dtype=np.float32)
    assert normalise(values, cols, np.array([1.0, 1.0])).tolist() == [[1.0, 0.5], [0.0, 1.0]]

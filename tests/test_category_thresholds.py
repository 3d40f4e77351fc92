"""Choices made on the dev split: precision-first thresholds and the lexicon rule union."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.thresholds import (
    FLOOR,
    choose_rule_union,
    precision_first,
    read_rule_union,
)

N = len(CATEGORIES)


def test_precision_first_takes_the_lowest_threshold_that_keeps_the_target() -> None:
    scores = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    truth = np.array([1, 1, 1, 0, 1, 0, 0], dtype=np.int8)
    # 4 of the top 5 are right (0.8); the sixth would bring it to 4/6.
    assert precision_first(scores, truth) == pytest.approx(0.55)
    assert precision_first(scores, np.array([1, 1, 0, 0, 0, 0, 0], dtype=np.int8)) is None
    assert precision_first(np.full(7, 0.1), truth) == FLOOR  # never below the floor


def _grid(rows: list[tuple[set[str], set[str], set[str]]]) -> tuple[np.ndarray, ...]:
    """(truth, model flags, rule flags) per row -> score, rule and truth matrices."""
    index = {name: j for j, name in enumerate(CATEGORIES)}
    scores = np.zeros((len(rows), N))
    rule = np.zeros((len(rows), N), dtype=bool)
    truth = np.zeros((len(rows), N), dtype=np.int8)
    for i, (true, model, lexicon) in enumerate(rows):
        for name in true:
            truth[i, index[name]] = 1
        for name in model:
            scores[i, index[name]] = 0.9
        for name in lexicon:
            rule[i, index[name]] = True
    return scores, rule, truth


def test_a_rule_joins_only_when_it_adds_hits_and_keeps_none_passages_clean() -> None:
    thresholds = dict.fromkeys(CATEGORIES, 0.5)
    camp, logistics = "black_campaign", "logistics_admin"
    rows = [({camp}, set(), {camp}), ({camp}, set(), {camp}), ({camp}, {camp}, set()),
            ({logistics}, set(), {logistics})]
    # Ten passages about none of the ten: the logistics rule fires on four of them.
    rows += [(set(), set(), {logistics})] * 4 + [(set(), set(), set())] * 6
    scores, rule, truth = _grid(rows)
    assert choose_rule_union(scores, rule, truth, thresholds) == [camp]
    # Without the rule's hits there is nothing to gain: no union.
    assert choose_rule_union(scores, np.zeros_like(rule), truth, thresholds) == []


def test_the_stored_union_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.json"
    assert read_rule_union(path) == []
    path.write_text(json.dumps({"rule_union": ["black_campaign"], "thresholds": {}}))
    assert read_rule_union(path) == ["black_campaign"]
    path.write_text(json.dumps({"rule_union": ["camps"], "thresholds": {}}))
    with pytest.raises(ValueError, match="camps"):
        read_rule_union(path)

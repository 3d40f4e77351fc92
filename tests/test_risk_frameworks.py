"""Framework files: the shipped ones as Bawaslu describes them, and clear errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.domain.risk import IndicatorKind, UnitLevel
from siaga.risk.framework import FrameworkError, load_frameworks, parse_framework

GOOD = """\
id: mine
title: {id: Milik saya, en: Mine}
version: "1"
source: test
group_levels: [variable]
template_level: village
thresholds:
  default: {high: 40, medium: 10}
groups:
  - id: one
    name: {id: Satu, en: One}
    weight: 70
    indicators:
      - {id: a, kind: binary, name: {id: A, en: A}}
  - id: two
    name: {id: Dua, en: Two}
    weight: 30
    indicators:
      - {id: b, kind: count, name: {id: B, en: B}}
"""


def test_ikp_has_4_dimensions_12_subdimensions_61_indicators_and_bawaslu_thresholds() -> None:
    ikp = load_frameworks()["ikp-pilkada-2024"]
    assert len(ikp.groups_at(0)) == 4 and len(ikp.groups_at(1)) == 12
    assert len(ikp.indicators) == 61
    assert sum(i.weight for i in ikp.indicators) == pytest.approx(1.0)
    assert (ikp.thresholds_for(UnitLevel.PROVINCE).high,
            ikp.thresholds_for(UnitLevel.PROVINCE).medium) == (68.5, 21.7)
    assert (ikp.thresholds_for(UnitLevel.REGENCY).high,
            ikp.thresholds_for(UnitLevel.REGENCY).medium) == (49.33, 13.47)


def test_tps_rawan_has_the_8_variables_scored_at_tps() -> None:
    tps = load_frameworks()["tps-rawan-pilkada-2024"]
    assert [g.id for g in tps.groups_at(0)] == [
        "voting_rights", "security", "campaign", "neutrality", "logistics", "location",
        "power_internet", "revote"]
    assert tps.template_level is UnitLevel.TPS
    assert all(i.kind is IndicatorKind.BINARY for i in tps.indicators)


def test_user_framework_is_listed_beside_the_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD)
    found = load_frameworks(tmp_path)
    assert {"ikp-pilkada-2024", "tps-rawan-pilkada-2024", "mine"} <= set(found)
    assert [round(i.weight, 3) for i in found["mine"].indicators] == [0.7, 0.3]


@pytest.mark.parametrize(("change", "line", "message"), [
    (("    weight: 30\n", "    weight: 20\n"), 10, "weights sum to 90, declared weights_sum"),
    (("      - {id: b,", "      - {id: a,"), 19, "id 'a' already used on line 14"),
    (("{high: 40, medium: 10}", "{high: 10, medium: 40}"), 8, "out of order"),
    (("kind: count", "kind: tally"), 19, "kind"),
    (("source: test\n", "source: test\ncolour: red\n"), 5, "colour"),
    (("    weight: 30\n", ""), 15, "weight missing"),
    (("    weight: 30\n", "    weight: 30\n    weight: 31\n"), 18, "appears twice"),
    (("groups:\n  - id: one", "groups:\n  - id: [one"), 11, "not valid YAML"),
])
def test_bad_files_are_refused_naming_file_and_line(
        tmp_path: Path, change: tuple[str, str], line: int, message: str) -> None:
    path = tmp_path / "bad.yaml"
    assert change[0] in GOOD
    path.write_text(GOOD.replace(change[0], change[1], 1))
    with pytest.raises(FrameworkError) as caught:
        parse_framework(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert message in text


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    with pytest.raises(FrameworkError, match="already defined"):
        load_frameworks(tmp_path)

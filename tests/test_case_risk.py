"""A confirmed case becomes evidence in the vulnerability index where it happened."""

from __future__ import annotations

from pathlib import Path

from siaga.domain.cases import CaseStatus, CaseType
from siaga.risk.framework import get_framework
from siaga.services import cases as service
from siaga.services.casework import casework_from
from siaga.services.risk import explain
from siaga.settings import load_settings
from siaga.store import Store

VILLAGE = "15.02.12.2008"  # Tambang Besi, Batang Masumai, Merangin


def test_resolved_money_politics_case_raises_its_village(world: Store, tmp_path: Path) -> None:
    cw = casework_from(load_settings(env={}, home=tmp_path), world)
    framework = get_framework("tps-rawan-pilkada-2024")
    with world.engine.connect() as conn:
        before = explain(conn, framework, VILLAGE)
    case = service.open_case(cw, CaseType.MONEY_POLITICS, "Serangan fajar di Tambang Besi",
                             "analis.uji", region=VILLAGE)
    service.move_case(cw, case.id, CaseStatus.IN_PROGRESS, "bawaslu.uji")
    with world.engine.connect() as conn:
        assert explain(conn, framework, VILLAGE).score == before.score  # not yet proven
    service.move_case(cw, case.id, CaseStatus.RESOLVED, "bawaslu.uji")
    with world.engine.connect() as conn:
        after = explain(conn, framework, VILLAGE)
    driver = next(d for d in after.drivers if d.indicator == "money_politics")
    assert any(e.evidence == f"case:{case.id}" and e.source == "case"
               for e in driver.evidence)
    assert after.score >= before.score
    log = service.show_case(cw, case.id).actions
    assert log[-1]["kind"] == "risk_observation" and "recorded" in log[-1]["body"]


def test_case_without_region_records_nothing_and_says_so(world: Store, tmp_path: Path) -> None:
    cw = casework_from(load_settings(env={}, home=tmp_path), world)
    case = service.open_case(cw, CaseType.SECURITY, "Ancaman lewat telepon", "analis.uji")
    service.move_case(cw, case.id, CaseStatus.IN_PROGRESS, "polres.uji")
    service.move_case(cw, case.id, CaseStatus.RESOLVED, "polres.uji")
    log = service.show_case(cw, case.id).actions
    assert log[-1]["kind"] == "risk_observation" and "no region" in log[-1]["body"]

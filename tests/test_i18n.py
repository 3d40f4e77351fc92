"""The one message catalogue, the Indonesian formats and the plain-language sentences."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import pytest

from siaga.domain.access import Role
from siaga.domain.cases import CaseStatus, CaseType, Channel, ReportStatus
from siaga.domain.events import EventType, PermitStatus, Response, Severity, WarningKind
from siaga.domain.roles import AGENCIES
from siaga.domain.signals import AlertStatus, SourceKind
from siaga.i18n import CATALOGUE, label
from siaga.i18n.formats import clock, day, local_time, number, percent
from siaga.i18n.phrases import alert_sentence, shortage, usual_range, warning_sentence
from siaga.services.alert_cases import CATEGORY_LABELS

# Each domain of the catalogue and the enum (or code list) whose every value it must name.
DOMAINS: dict[str, type[StrEnum] | list[str]] = {
    "case_status": CaseStatus, "case_type": CaseType, "report_status": ReportStatus,
    "channel": Channel, "warning_kind": WarningKind, "severity": Severity,
    "response": Response, "event_type": EventType, "permit": PermitStatus, "role": Role,
    "alert_status": AlertStatus, "source_kind": SourceKind, "agency": list(AGENCIES),
    "category": list(CATEGORY_LABELS), "category_reports": list(CATEGORY_LABELS),
}


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_code_has_an_indonesian_and_an_english_name(domain: str) -> None:
    codes = [str(v) for v in DOMAINS[domain]]
    missing = [c for c in codes if c not in CATALOGUE[domain]]
    assert not missing, f"{domain}: no name for {missing}"
    for code in codes:
        indonesian, english = CATALOGUE[domain][code]
        assert indonesian and english
        # A name is never the raw code (underscored enum values would leak to the screen).
        assert "_" not in indonesian and "_" not in english


def test_case_deadline_and_action_names_cover_the_routing_file() -> None:
    from siaga.cases.routing import load_rules

    rules = load_rules()
    names = {d.name for t in CaseType for d in rules.route(t).deadlines}
    assert names <= set(CATALOGUE["deadline"]), names - set(CATALOGUE["deadline"])


def test_labels_pick_the_language_and_keep_unknown_codes() -> None:
    assert label("case_status", "in_progress") == "Sedang ditangani"
    assert label("case_status", "in_progress", "en") == "In progress"
    assert label("agency", "bawaslu") == "Bawaslu Kabupaten"
    assert label("agency", "nope") == "nope"


def test_numbers_and_percentages_in_indonesian_and_english() -> None:
    assert number(1234567) == "1.234.567"
    assert number(1234567, "en") == "1,234,567"
    assert number(12.345, "id", 1) == "12,3"
    assert percent(0.725) == "72,5%"
    assert percent(0.725, "en") == "72.5%"
    assert number(None) == "\u2013"


def test_times_carry_the_zone_of_their_region() -> None:
    moment = datetime(2026, 12, 6, 4, 20, tzinfo=UTC)
    assert local_time(moment, "15.02") == "6 Des 2026 11.20 WIB"  # Jambi
    assert local_time(moment, "73.71", "en") == "6 Dec 2026 12:20 WITA"  # Makassar
    assert local_time(moment, "94.71") == "6 Des 2026 13.20 WIT"  # Papua
    assert local_time("2026-12-06T04:20:00", "17.06").endswith("11.20 WIB")  # naive is UTC
    assert clock(moment, "51") == "12.20 WITA"
    assert day("2026-12-06", "id", long=True) == "Minggu, 6 Desember 2026"


def test_alert_sentence_says_what_happened_and_what_is_usual() -> None:
    alert = {"observed": 8, "expected": 0.2, "category": "money_politics", "window_days": 1}
    assert alert_sentence(alert) == "8 laporan politik uang dalam 24 jam; biasanya 0\u20131"
    assert alert_sentence(alert, "en") == "8 money-politics reports in 24 hours; usually 0\u20131"
    assert usual_range(4.0) == (1, 8)


def test_shortage_names_resources_in_words() -> None:
    assert shortage({"medical_teams": 2, "ambulances": 1}) == [
        "kurang 2 tim medis", "kurang 1 ambulans"]
    assert shortage({"medical_posts": 3, "ambulances": 1}, "en") == [
        "short of 3 medical posts", "short of 1 ambulance"]


def test_warning_sentence_names_the_pairs_not_the_contest_id() -> None:
    contest = "pilkada2024:regent:15.02"
    warning = {"kind": "rival_clash", "distance_km": 0.4, "overlapping": True, "event_details": [
        {"contest_id": contest, "pair_number": 1}, {"contest_id": contest, "pair_number": 2}]}
    pairs = {(contest, 1): "Ani - Budi", (contest, 2): "Citra - Dedi"}
    text = warning_sentence(warning, "id", pairs, {})
    assert text == ("Ani - Budi (no. 1) dan Citra - Dedi (no. 2) berkegiatan berjarak 0,40 km "
                    "pada waktu yang sama.")
    assert contest not in text
    area = {"kind": "high_risk_area", "area": "15.02.12", "risk_class": "high"}
    assert warning_sentence(area, "en", {}, {"15.02.12": "Bangko"}) == (
        "The event is in Bangko, an area of high risk on the index.")


def test_the_demo_marker_is_not_highlighted_as_a_matched_word() -> None:
    from siaga.detect.highlight import mark

    marked = str(mark("[DEMO] Ada demo besar di Bangko", {"demo"}))
    assert marked == "[DEMO] Ada <mark>demo</mark> besar di Bangko"

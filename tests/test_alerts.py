"""Severity and alerts: a synthetic stream over real region codes, with a controlled clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import typer.testing

from siaga.cli import app
from siaga.detect.alerts import (
    AlertRulesError,
    ewma,
    facts_of,
    judge,
    load_rules,
    parse_rules,
    poisson_tail,
)
from siaga.detect.severity import SeverityScorer
from siaga.domain.signals import Detection, Signal, SourceKind, content_hash
from siaga.domain.timezones import WIB
from siaga.services.detect import evaluate_alerts
from siaga.store import Store
from siaga.store import alerts as alert_db
from siaga.store import signals as db
from tests.detect_helpers import real_tweets

START = date(2024, 11, 1)
MERANGIN, MUKOMUKO = "15.02", "17.06"


def test_ewma_and_poisson_tail() -> None:
    assert ewma([], 0.3) == 0.0 and ewma([2, 2, 2], 0.3) == pytest.approx(2.0)
    assert ewma([0, 0, 10], 0.5) == pytest.approx(5.0)
    assert poisson_tail(0, 1.0) == 1.0
    assert poisson_tail(1, 1.0) == pytest.approx(1 - 0.36787944, rel=1e-6)
    assert poisson_tail(3, 0.2) == pytest.approx(0.0011484812, rel=1e-6)


def test_judge_needs_history_count_and_a_low_tail() -> None:
    rules = load_rules()
    steady = [1, 0, 2, 1, 1, 0, 1]
    assert judge(8, steady, rules, "hoax").rise
    assert not judge(2, steady, rules, "hoax").rise  # below min_count and not unusual
    assert not judge(8, steady[:2], rules, "hoax").rise  # too little history yet
    assert not judge(4, steady, rules, "participation").rise  # its min_count is 5
    assert judge(3, [0] * 10, rules, "hoax").expected == rules.min_expected


def test_rules_errors_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(AlertRulesError, match="missing key 'min_count'"):
        parse_rules({"p_value": 0.01}, "r.yaml")
    path = tmp_path / "r.yaml"
    path.write_text("window_days: [\n")
    with pytest.raises(AlertRulesError, match=r"r\.yaml:2: not valid YAML"):
        load_rules(path)
    path.write_text(
        (Path(__file__).parents[1] / "siaga/data/alert-rules.yaml").read_text()
        .replace("window_days: 1", "window_days: 0")
    )
    with pytest.raises(AlertRulesError, match="window_days >= 1"):
        load_rules(path)


def test_severity_rises_with_aggravating_factors() -> None:
    scorer = SeverityScorer(load_rules().severity)
    calm = scorer.score({"participation": 0.9}, 0.0, "ayo ke tps tanggal 27")
    money = scorer.score({"money_politics": 0.9}, 0.1, "ada bagi-bagi amplop")
    violent = scorer.score({"violence_intimidation": 0.9}, 0.6,
                           "ratusan orang menyerang dan membakar posko di tps 05")
    assert calm < money < violent <= 1.0
    assert scorer.factors("ratusan orang menyerang dan membakar posko di tps 05", False) == [
        "violence", "tps", "crowd"]
    assert scorer.score({"hoax": 0.0}, 0.0, "dibacok") == 0.0  # small talk stays low


def test_tps_factor_needs_the_word_tps() -> None:
    # The search starts at the first "tps", which may sit inside another word.
    scorer = SeverityScorer(load_rules().severity)
    assert scorer.factors("kode stps lalu antre di tps 05", False) == ["tps"]
    assert scorer.factors("kode stps 05", False) == []
    assert scorer.factors("lima puluh orang dan 20 warga", False) == ["crowd"]


def _stream(data_dir: Path) -> list[tuple[Signal, Detection]]:
    """Money politics in Merangin: a quiet fortnight, then a burst; Mukomuko stays steady."""
    texts = iter(real_tweets(data_dir, 400, start=2000))
    plan = [(MERANGIN, START + timedelta(days=d), n) for d, n in
            enumerate([1, 0, 2, 1, 0, 1, 1, 2, 0, 1, 1, 0, 1, 1])]
    plan += [(MUKOMUKO, START + timedelta(days=d), 2) for d in range(15)]
    plan += [(MERANGIN, START + timedelta(days=14), 9)]
    out = []
    for region, day, count in plan:
        for k in range(count):
            moment = datetime(day.year, day.month, day.day, 9 + k % 10, k, tzinfo=WIB)
            text = next(texts)
            signal = Signal(SourceKind.JSONL, f"{region}-{day}-{k}", content_hash(
                text, author=f"{region}-{day}-{k}"), text, moment, author=f"{region}-{day}-{k}",
                published_at=moment)
            where = [{"code": region + ".02", "name": "district", "level": "district",
                      "confidence": 0.9},
                     {"code": "11.01", "name": "noise", "level": "regency", "confidence": 0.2}]
            detection = Detection("", {"money_politics": 0.8}, ["money_politics"], {}, where,
                                  [], [], [], 0.5 + k / 100)
            out.append((signal, detection))
    return out


def _load(store: Store, items: list[tuple[Signal, Detection]]) -> list[int]:
    rules = load_rules()
    with store.engine.begin() as conn:
        ids = db.insert_signals(conn, [s for s, _ in items]).ids
        assert None not in ids
        facts = facts_of([i for i in ids if i], [s for s, _ in items], [d for _, d in items],
                         rules)
        db.save_facts(conn, facts)
    return [i for i in ids if i]


def test_a_burst_raises_one_alert_updated_as_signals_come(
    store: Store, data_dir: Path
) -> None:
    rules = load_rules()
    stream = _stream(data_dir)
    burst = [i for i, (s, _) in enumerate(stream) if s.moment.date() == START + timedelta(14)
             and s.source_id.startswith(MERANGIN)]
    first_part = [x for i, x in enumerate(stream) if i not in burst[5:]]
    ids = _load(store, first_part)
    clock = datetime(2024, 11, 15, 12, 0, tzinfo=UTC)
    touched = {((r, "money_politics"), START + timedelta(days=d))
               for r in (MERANGIN, MUKOMUKO) for d in range(15)}
    with store.engine.begin() as conn:
        report = evaluate_alerts(conn, rules, touched, clock)
        alerts = alert_db.list_alerts(conn)
    assert len(report.opened) == 1 and not report.updated
    (alert,) = alerts
    assert (alert.region_code, alert.category, alert.window_start) == (
        MERANGIN, "money_politics", START + timedelta(days=14))
    assert alert.observed == 5 and alert.expected < 1.5 and alert.p_value < 0.01
    assert len(alert.signal_ids) == 5 and set(alert.signal_ids) <= set(ids)
    assert alert.status.value == "open"
    # Four more signals the same day: the same alert grows, no second alert.
    more = _load(store, [x for i, x in enumerate(stream) if i in burst[5:]])
    later = clock + timedelta(hours=2)
    with store.engine.begin() as conn:
        again = evaluate_alerts(conn, rules, {((MERANGIN, "money_politics"),
                                               START + timedelta(days=14))}, later)
        (grown,) = alert_db.list_alerts(conn, scope="15")
        assert alert_db.list_alerts(conn, scope=MUKOMUKO) == []
        assert alert_db.list_alerts(conn, scope="15.02.02")[0].id == grown.id
    assert again.updated == [alert.id] and not again.opened
    assert grown.observed == 9 and set(more) <= set(grown.signal_ids)
    assert grown.updated_at == later and grown.opened_at == clock
    assert grown.max_severity == pytest.approx(0.58)
    # A week later the window is over: the alert closes.
    with store.engine.begin() as conn:
        closed = evaluate_alerts(conn, rules, set(), clock + timedelta(days=7))
        assert closed.closed == 1
        assert alert_db.list_alerts(conn, status="open") == []


def test_alerts_list_cli(store: Store, data_dir: Path, tmp_path: Path) -> None:
    _load(store, _stream(data_dir))
    with store.engine.begin() as conn:
        evaluate_alerts(conn, load_rules(), {((MERANGIN, "money_politics"),
                                              START + timedelta(days=14))},
                        datetime(2024, 11, 15, 12, tzinfo=UTC))
    url = store.engine.url.render_as_string(hide_password=False)
    runner = typer.testing.CliRunner()
    result = runner.invoke(app, ["--database-url", url, "--home", str(tmp_path),
                                 "alerts", "list", "--json", "--scope", "15.02"])
    assert result.exit_code == 0, result.output
    import json

    (row,) = json.loads(result.stdout)
    assert row["region_code"] == MERANGIN and row["observed"] == 9
    assert len(row["signal_ids"]) == 9
    table = runner.invoke(app, ["--database-url", url, "alerts", "list", "--scope", "17.06"])
    assert "Tidak ada peringatan" in table.stdout


def test_a_signal_counts_only_toward_its_labels_and_not_an_all_clear() -> None:
    # A high score below its category's threshold is no label and so no fact; a label whose
    # evidence says the risk was looked for and not found counts toward no alert either.
    rules = load_rules()
    where = [{"code": "15.02.02", "name": "district", "level": "district", "confidence": 0.9}]
    moment = datetime(2024, 11, 20, 9, tzinfo=WIB)
    signals = [Signal(SourceKind.JSONL, f"s{i}", f"h{i}", "teks", moment, published_at=moment)
               for i in range(3)]
    scores = {"money_politics": 0.9, "mass_mobilization": 0.7}
    found = [
        Detection("", scores, ["money_politics"], {}, where, [], [], [], 0.6),
        Detection("", scores, ["money_politics"], {}, where, [], [], [], 0.1,
                  evidence={"money_politics": "Bawaslu tidak menemukan politik uang."},
                  not_found=["money_politics"]),
        Detection("", scores, [], {}, where, [], [], [], 0.3),
    ]
    facts = facts_of([1, 2, 3], signals, found, rules)
    assert [(sid, region, category) for sid, region, category, _, _ in facts] == [
        (1, MERANGIN, "money_politics")]

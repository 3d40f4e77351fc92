"""The detection pipeline and its contract end to end, on real texts and real models.

The models are trained once per session from the shared data into a temporary SIAGA_HOME
(the toxicity model takes about a minute), exactly as on a fresh installation.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer.testing
from sqlalchemy import func, select

from siaga.cli import app
from siaga.detect.alerts import load_rules
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.pipeline import DetectionPipeline
from siaga.domain.regions import normalize_code
from siaga.services.detect import classify_stream, ingest, process_pending
from siaga.sources.field_reports import VillageDirectory
from siaga.store import Store, open_store
from siaga.store.schema import clusters, detections, raw_inputs, signal_facts, signals
from tests.detect_helpers import real_tweets, write_jsonl

NOW = datetime(2024, 11, 20, 5, 0, tzinfo=UTC)
# Written by the project for these tests (not third-party text).
OWN = [
    "Bawaslu Kabupaten Merangin temukan dugaan serangan fajar, amplop dibagikan ke warga "
    "Desa Pasar Bangko untuk paslon nomor urut 2 pada Selasa (26/11).",
    "Camat di Mukomuko ikut kampanye paslon 01, ASN tidak netral! Lapor ke Panwascam.",
    "Ratusan orang bentrok di depan kantor KPU Kota Jambi, polisi dan Brimob berjaga.",
]


def _fresh(pipeline: DetectionPipeline) -> DetectionPipeline:
    from siaga.detect.cluster import Clusterer

    pipeline.clusterer = Clusterer()  # each test's store starts without clusters
    return pipeline


def _lines(data_dir: Path) -> list[str]:
    tweets = real_tweets(data_dir, 40, start=4000)
    records = [{"id": f"t{i}", "text": t} for i, t in enumerate(tweets)]
    records += [{"id": f"own{i}", "text": t, "published_at": "2024-11-27T08:00:00+07:00"}
                for i, t in enumerate(OWN)]
    records.append({"id": "rt", "text": "RT USER: " + tweets[3]})
    records.append({"text": OWN[0] + " " + OWN[2]})  # no id: the line number stands in
    return [json.dumps(r) for r in records]


def test_classify_contract_on_real_texts(
    store: Store, pipeline: DetectionPipeline, data_dir: Path
) -> None:
    lines = _lines(data_dir)
    out = [o.to_dict() for o in classify_stream(store, _fresh(pipeline), load_rules(), lines,
                                                clock=lambda: NOW)]
    assert [o["id"] for o in out] == [json.loads(x).get("id", i + 1) for i, x in
                                      enumerate(lines)]
    for item in out:
        assert list(item["categories"]) == list(CATEGORIES)
        assert all(0.0 <= v <= 1.0 for v in item["categories"].values())
        assert set(item["labels"]) <= set(CATEGORIES)
        assert set(item["toxicity"]) == {"hate_speech", "abusive"}
        assert all(0.0 <= v <= 1.0 for v in item["toxicity"].values())
        assert all(normalize_code(r["code"]) == r["code"] and 0 <= r["confidence"] <= 1
                   for r in item["regions"])
        assert isinstance(item["cluster_id"], int) and 0.0 <= item["severity"] <= 1.0
        assert set(item["evidence"]) == set(item["labels"])  # a sentence per label
        assert set(item["not_found"]) <= set(item["labels"])
        for day in item["dates"]:
            datetime.fromisoformat(day)
    by_id = {o["id"]: o for o in out}
    assert by_id["rt"]["cluster_id"] == by_id["t3"]["cluster_id"]
    assert by_id["t3"]["cluster_id"] != by_id["t4"]["cluster_id"]
    money = by_id["own0"]
    assert "money_politics" in money["labels"]
    assert any(r["code"].startswith("15.02") for r in money["regions"])
    assert "Bawaslu" in money["agencies"] and "2024-11-26" in money["dates"]
    assert money["candidates"] and money["severity"] > by_id["t0"]["severity"] - 1
    assert "asn_neutrality" in by_id["own1"]["labels"]
    assert by_id["own0"]["evidence"]["money_politics"] == OWN[0]
    assert "KPU" in by_id["own2"]["agencies"]
    # Again: the stored results come back, nothing is added.
    with store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(signals)).scalar()
    again = [o.to_dict() for o in classify_stream(store, pipeline, load_rules(), lines,
                                                  clock=lambda: NOW)]
    assert again == out
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(signals)).scalar() == before
        assert conn.execute(select(func.count()).select_from(detections)).scalar() == before


def test_bad_lines_keep_their_place_and_long_articles_work(
    store: Store, pipeline: DetectionPipeline, data_dir: Path
) -> None:
    article = " ".join(real_tweets(data_dir, 300, start=6000))  # ~30,000 characters
    lines = ["{broken", json.dumps({"id": 5}), json.dumps({"id": "long", "text": article})]
    out = [o.to_dict() for o in classify_stream(store, _fresh(pipeline), load_rules(), lines,
                                                clock=lambda: NOW)]
    assert out[0] == {"id": None, "error": "line 1: not valid JSON (Expecting property name "
                                           "enclosed in double quotes)"}
    assert out[1] == {"id": 5, "error": "line 2: field 'text' is missing or empty"}
    assert out[2]["id"] == "long" and len(out[2]["categories"]) == len(CATEGORIES)


def test_ingest_then_process_stores_detections_clusters_and_facts(
    store: Store, pipeline: DetectionPipeline, data_dir: Path, tmp_path: Path
) -> None:
    tweets = real_tweets(data_dir, 60, start=8000)
    records = [{"id": f"x{i}", "text": f"{t} di Kabupaten Merangin",
                "published_at": "2024-11-20T10:00:00+07:00"} for i, t in enumerate(tweets)]
    records += [{"id": "copy", "text": records[0]["text"] + " #Pilkada2024",
                 "published_at": "2024-11-20T11:00:00+07:00"}]
    path = write_jsonl(tmp_path / "in.jsonl", records)
    report = ingest(store, tmp_path / "home", str(path), "jsonl")
    assert report.inserted == 61
    done = process_pending(store, _fresh(pipeline), load_rules(), clock=lambda: NOW,
                           batch_size=25)
    assert done.processed == 61
    assert process_pending(store, pipeline, load_rules(), clock=lambda: NOW).processed == 0
    with store.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(detections)).scalar()
        pairs = dict(conn.execute(select(signals.c.source_id, detections.c.cluster_id).join(
            detections, detections.c.signal_id == signals.c.id)).all())
        sizes = conn.execute(select(func.sum(clusters.c.count))).scalar()
        facts = set(conn.execute(select(signal_facts.c.signal_id, signal_facts.c.region_code,
                                        signal_facts.c.category)).all())
        rows = conn.execute(select(detections.c.signal_id, detections.c.labels,
                                   detections.c.regions)).all()
    assert count == 61 and sizes == 61 and pairs["copy"] == pairs["x0"]
    expected = {(sid, ".".join(r["code"].split(".")[:2]), label)
                for sid, labels, regions in rows for label in json.loads(labels)
                for r in json.loads(regions) if r["confidence"] >= 0.5}
    assert facts == expected
    labelled = {sid for sid, labels, _ in rows if json.loads(labels)}
    assert {(sid, "15.02") for sid in labelled} <= {(f[0], f[1]) for f in facts}


def test_field_report_is_labelled_and_placed_by_its_reporter(
    store: Store, pipeline: DetectionPipeline, data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sms.txt"
    path.write_text("LAPOR TPS 3 Pasar Bangko UANG ada yg bagi2 amplop semalam\n")
    villages = VillageDirectory.from_data_dir(data_dir, ["15.02"])
    ingest(store, tmp_path / "home", str(path), "sms", villages=villages)
    process_pending(store, _fresh(pipeline), load_rules(), clock=lambda: NOW)
    with store.engine.connect() as conn:
        row = conn.execute(select(detections)).one()
    assert "money_politics" in json.loads(row.labels)
    assert json.loads(row.regions)[0]["code"] == "15.02.02.1010"
    assert json.loads(row.tps)[0]["code"] == "1502021010003"


def test_cli_classify_on_a_fresh_database(
    pipeline: DetectionPipeline, detect_home: Path, data_dir: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    lines = "\n".join([*_lines(data_dir)[:5], "", '{"text": ""}']) + "\n"
    runner = typer.testing.CliRunner()
    result = runner.invoke(app, ["--home", str(detect_home), "--database-url", url,
                                 "--data-dir", str(data_dir), "detect", "classify",
                                 "--in", "-", "--out", "-"], input=lines)
    assert result.exit_code == 1  # the last line has no text
    out = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert [o["id"] for o in out] == ["t0", "t1", "t2", "t3", "t4", 7]
    assert "error" in out[-1] and "line 7" in result.stderr
    opened = open_store(url)
    with opened.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(detections)).scalar() == 5
    opened.dispose()


def test_a_nul_in_a_record_does_not_sink_the_batch(
    store: Store, pipeline: DetectionPipeline, tmp_path: Path
) -> None:
    # PostgreSQL cannot hold NUL in text; the store writes U+FFFD in its place there, and the
    # raw file keeps the original byte for byte.
    records = [{"id": "nul", "text": "amplop\u0000 serangan fajar di Merangin"},
               {"id": "ok", "text": OWN[1]}]
    path = write_jsonl(tmp_path / "nul.jsonl", records)
    assert ingest(store, tmp_path / "home", str(path), "jsonl").inserted == 2
    assert process_pending(store, _fresh(pipeline), load_rules(), clock=lambda: NOW
                           ).processed == 2
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(signals.c.source_id, signals.c.text)).all())
        raw_paths = conn.execute(select(raw_inputs.c.stored_path)).scalars().all()
    kept = "\x00" if store.dialect == "sqlite" else "\ufffd"
    assert stored["nul"] == f"amplop{kept} serangan fajar di Merangin"
    assert [(tmp_path / "home" / p).read_bytes() for p in raw_paths] == [path.read_bytes()]


def test_batch_severity_is_the_scorer_s_own(pipeline: DetectionPipeline, data_dir: Path) -> None:
    # The pipeline weighs a batch's scores as one array; each severity must be what the
    # scorer gives for that detection's own (rounded, field-report-raised) scores.
    from siaga.domain.signals import Signal, SourceKind

    texts = [*real_tweets(data_dir, 40, start=12000), *OWN]
    batch = [Signal(SourceKind.JSONL, f"s{i}", f"h{i}", text, NOW,
                    meta={"category": "money_politics"} if i % 7 == 0 else {})
             for i, text in enumerate(texts)]
    found = _fresh(pipeline).run(batch, list(range(1, len(batch) + 1)))
    for signal, detection in zip(batch, found, strict=True):
        assert detection.severity == pipeline.severity.score(
            detection.categories, max(detection.toxicity.values()), detection.normalised,
            tps_named=bool(detection.tps), not_found=detection.not_found)
        if signal.meta:
            assert detection.categories["money_politics"] >= 0.9
            assert "money_politics" in detection.labels
    assert len({d.severity for d in found}) > 5  # not one constant


def test_a_risk_looked_for_and_not_found_keeps_its_label_at_low_severity(
    store: Store, pipeline: DetectionPipeline, data_dir: Path
) -> None:
    # Written by the project: a patrol that found no money politics, and one that found some.
    clear = ("Bawaslu Kabupaten Merangin menyatakan tidak menemukan praktik politik uang "
             "maupun bagi-bagi amplop selama masa tenang di Desa Pasar Bangko.")
    lines = [json.dumps({"id": "clear", "text": clear}),
             json.dumps({"id": "found", "text": OWN[0]})]
    out = {o.id: o.to_dict() for o in classify_stream(store, _fresh(pipeline), load_rules(),
                                                       lines, clock=lambda: NOW)}
    assert "money_politics" in out["clear"]["labels"]
    assert out["clear"]["not_found"] == ["money_politics"] and out["found"]["not_found"] == []
    assert out["clear"]["severity"] < 0.4 < out["found"]["severity"]
    with store.engine.connect() as conn:
        counted = set(conn.execute(select(signals.c.text).join(
            signal_facts, signal_facts.c.signal_id == signals.c.id)).scalars())
    # classify keys its signals by content, not by the record's id: compare the texts.
    assert counted == {OWN[0]}  # the all-clear report does not feed a money-politics alert


def test_demo_money_politics_reports_raise_no_mass_mobilisation_label(
    pipeline: DetectionPipeline,
) -> None:
    from siaga.domain.signals import Signal, SourceKind
    from siaga.services.demo_activity import DEMO_TEXTS

    batch = [Signal(SourceKind.JSONL, f"d{i}", f"h{i}", f"[DEMO] {t}", NOW)
             for i, t in enumerate(DEMO_TEXTS)]
    for detection in _fresh(pipeline).run(batch, [None] * len(batch)):
        assert "money_politics" in detection.labels
        assert "mass_mobilization" not in detection.labels, detection.categories


def test_a_call_to_limit_crowd_drawing_activities_is_mass_mobilisation(
    pipeline: DetectionPipeline,
) -> None:
    from siaga.domain.signals import Signal, SourceKind

    # Written by the project in news register: a forum's call to limit crowds, and a police
    # request against convoys. Neither is about logistics or election administration.
    texts = ["Forkopimda Kabupaten Merangin meminta seluruh tim pasangan calon membatasi "
             "kegiatan yang mengumpulkan massa dalam jumlah besar di satu tempat menjelang "
             "hari pemungutan suara.",
             "Polres meminta pendukung kedua kubu tidak melakukan konvoi dan pengerahan massa "
             "saat penetapan hasil di kantor KPU."]
    batch = [Signal(SourceKind.CLASSIFY, str(i), str(i), t, NOW) for i, t in enumerate(texts)]
    for detection in _fresh(pipeline).run(batch, [None] * len(batch)):
        assert "mass_mobilization" in detection.labels, detection.categories
        assert "logistics_admin" not in detection.labels, detection.categories

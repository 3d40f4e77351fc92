"""The tables of Siaga's database (SQLAlchemy Core), shared by SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

CODE = String(13)

regions = Table(
    "regions",
    metadata,
    Column("code", CODE, primary_key=True, comment="dotted Kemendagri code, 2025 decree"),
    Column("name", String(160), nullable=False),
    Column("level", String(10), nullable=False),
    Column("parent_code", CODE, nullable=True),
    Column("kind", String(10), nullable=True, comment="kabupaten|kota|desa|kelurahan"),
    Column("population", Integer),
    Column("population_male", Integer),
    Column("population_female", Integer),
    Column("area_km2", Float),
    Column("lat", Float),
    Column("lng", Float),
    Column("centroid_source", String(24)),
    Index("ix_regions_parent_code", "parent_code"),
    Index("ix_regions_level", "level"),
)

legacy_region_codes = Table(
    "legacy_region_codes",
    metadata,
    Column("vintage", String(8), primary_key=True),
    Column("code", CODE, primary_key=True),
    Column("name", String(160), nullable=False),
    Column("current_code", CODE, nullable=True),
    Column("match", String(16), nullable=False, comment="same_code|same_name|unmatched"),
    Index("ix_legacy_region_codes_current_code", "current_code"),
)

boundaries = Table(
    "boundaries",
    metadata,
    Column("code", CODE, ForeignKey("regions.code"), primary_key=True),
    Column("geometry", Text, nullable=False, comment="GeoJSON geometry, [lng, lat]"),
    Column("vertices", Integer, nullable=False),
    Column("source_lat", Float),
    Column("source_lng", Float),
    Column("repaired", Boolean, nullable=False),
    Column("note", Text),
)

polling_stations = Table(
    "polling_stations",
    metadata,
    Column("election", String(16), primary_key=True),
    Column("code", String(16), primary_key=True, comment="KPU code: village digits + TPS number"),
    Column("number", Integer, nullable=False),
    Column("name", String(40), nullable=False),
    Column("village_code", CODE, nullable=False, comment="as written by KPU (2023 vintage)"),
    Column("region_code", CODE, nullable=True, comment="current (2025) village code"),
    Column("kpu_id", Integer),
    Column("overseas", Boolean, nullable=False),
    Column("voters", Integer, comment="DPT of this TPS when imported"),
    Column("lat", Float),
    Column("lng", Float),
    Column(
        "location_source", String(20), nullable=False, comment="village_centroid|imported|unknown"
    ),
    Index("ix_polling_stations_region_code", "region_code"),
)

contests = Table(
    "contests",
    metadata,
    Column("id", String(48), primary_key=True),
    Column("election", String(16), nullable=False),
    Column("office", String(12), nullable=False, comment="governor|regent|mayor"),
    Column("region_code", CODE, ForeignKey("regions.code"), nullable=False),
    Column("name", String(160), nullable=False),
    Index("ix_contests_region_code", "region_code"),
)

candidate_pairs = Table(
    "candidate_pairs",
    metadata,
    Column("contest_id", String(48), ForeignKey("contests.id"), primary_key=True),
    Column("number", Integer, primary_key=True, comment="ballot number (nomor urut)"),
    Column("names", String(300), nullable=False),
    Column("kpu_id", Integer),
    Column("color", String(9)),
)

contest_results = Table(
    "contest_results",
    metadata,
    Column("contest_id", String(48), ForeignKey("contests.id"), primary_key=True),
    Column("region_code", CODE, primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("votes", Integer, nullable=False),
    Column("tps_total", Integer),
    Column("tps_counted", Integer),
    Column("progress_percent", Float),
    Column("counted_at", String(19)),
    Column("status", String(24), comment="Sirekap mode, e.g. Reguler or PSU"),
)

voter_counts = Table(
    "voter_counts",
    metadata,
    Column("election", String(16), primary_key=True),
    Column("region_code", CODE, ForeignKey("regions.code"), primary_key=True),
    Column("voters", Integer, nullable=False),
    Column("source", String(200), nullable=False),
)

dataset_imports = Table(
    "dataset_imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(40), nullable=False),
    Column("scope", String(200), nullable=False),
    Column("sha256", String(64), nullable=False, comment="digest of the source files read"),
    Column("inserted", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Index("ix_dataset_imports_dataset", "dataset"),
)

raw_inputs = Table(
    "raw_inputs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True, comment="content address"),
    Column("kind", String(40), nullable=False, comment="what it was submitted as"),
    Column("filename", String(255), nullable=False),
    Column("size", Integer, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("stored_path", Text, nullable=False, comment="relative to SIAGA_HOME"),
)

risk_observations = Table(
    "risk_observations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("framework", String(64), nullable=False),
    Column("indicator", String(64), nullable=False),
    Column("unit_level", String(10), nullable=False, comment="province … village, or tps"),
    Column("unit_code", String(16), nullable=False, comment="dotted region code or KPU TPS code"),
    Column("value", Float, nullable=False),
    Column("observed_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("source", String(10), nullable=False, comment="import|case|signal|form|demo"),
    Column("evidence", String(300), nullable=False, comment="case:12, file:<sha256>#row=5, ..."),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    Column("demo", Boolean, nullable=False),
    Column("note", Text),
    UniqueConstraint(
        "framework", "indicator", "unit_code", "observed_at", "source",
        name="uq_risk_observations_key",
    ),
    Index("ix_risk_observations_framework_unit_code", "framework", "unit_code"),
)


# --- Early detection (issue 9): raw signals, their detections, clusters, alerts -------------

signals = Table(
    "signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_kind", String(12), nullable=False, comment="jsonl|csv|rss|sms|classify"),
    Column("source_id", String(200), nullable=False, comment="id in the source, else the hash"),
    Column("content_hash", String(64), nullable=False, comment="SHA-256 of the content"),
    Column("text", Text, nullable=False, comment="as received, never changed"),
    Column("title", Text),
    Column("url", Text),
    Column("author", String(200)),
    Column("platform", String(40)),
    Column("published_at", DateTime(timezone=True)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False,
           comment="published_at, else received_at"),
    Column("lang", String(16)),
    Column("origin", String(300), nullable=False, comment="file:line or feed item"),
    Column("meta", Text, nullable=False, comment="JSON: e.g. an SMS's place and code"),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    UniqueConstraint("content_hash", name="uq_signals_content_hash"),
    UniqueConstraint("source_kind", "source_id", name="uq_signals_source"),
    Index("ix_signals_occurred_at", "occurred_at"),
)

clusters = Table(
    "clusters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False, comment="given by the pipeline"),
    Column("signature", LargeBinary, nullable=False, comment="MinHash of the first signal"),
    Column("representative_signal_id", Integer, ForeignKey("signals.id"), nullable=True),
    Column("sample", Text, nullable=False),
    Column("count", Integer, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("sources", Text, nullable=False, comment="JSON: platform or source kind -> count"),
    Index("ix_clusters_last_seen", "last_seen"),
)

detections = Table(
    "detections",
    metadata,
    Column("signal_id", Integer, ForeignKey("signals.id"), primary_key=True),
    Column("normalised", Text, nullable=False),
    Column("categories", Text, nullable=False, comment="JSON: category -> score"),
    Column("labels", Text, nullable=False, comment="JSON list"),
    Column("toxicity", Text, nullable=False, comment="JSON: label -> score"),
    Column("regions", Text, nullable=False, comment="JSON list of {code, name, level, confidence}"),
    Column("tps", Text, nullable=False),
    Column("agencies", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("candidates", Text, nullable=False),
    Column("dates", Text, nullable=False),
    Column("cluster_id", Integer, ForeignKey("clusters.id"), nullable=True),
    Column("severity", Float, nullable=False),
    Column("model_versions", Text, nullable=False),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    Index("ix_detections_cluster_id", "cluster_id"),
)

signal_facts = Table(
    "signal_facts",
    metadata,
    Column("signal_id", Integer, ForeignKey("signals.id"), primary_key=True),
    Column("region_code", CODE, primary_key=True, comment="regency (or province) of the signal"),
    Column("category", String(32), primary_key=True),
    Column("day", Date, nullable=False, comment="local day of occurred_at"),
    Column("severity", Float, nullable=False),
    Index("ix_signal_facts_region_code_category_day", "region_code", "category", "day"),
)

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", CODE, nullable=False),
    Column("category", String(32), nullable=False),
    Column("window_start", Date, nullable=False),
    Column("window_days", Integer, nullable=False),
    Column("observed", Integer, nullable=False),
    Column("expected", Float, nullable=False),
    Column("p_value", Float, nullable=False),
    Column("method", String(40), nullable=False),
    Column("status", String(10), nullable=False, comment="open|closed"),
    Column("max_severity", Float, nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "region_code", "category", "window_start", "window_days", name="uq_alerts_window"
    ),
    Index("ix_alerts_status", "status"),
)

alert_signals = Table(
    "alert_signals",
    metadata,
    Column("alert_id", Integer, ForeignKey("alerts.id"), primary_key=True),
    Column("signal_id", Integer, ForeignKey("signals.id"), primary_key=True),
)

"""The tables of Siaga's database (SQLAlchemy Core), shared by SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
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

# --- Identity and access (issue 7) ---------------------------------------------------------

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(160), nullable=False),
    Column("password_hash", String(255), nullable=False, comment="Argon2id PHC string"),
    Column("role", String(20), nullable=False),
    Column("agency", String(40), nullable=True, comment="the agency of an agency_officer"),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

user_sessions = Table(
    "user_sessions",
    metadata,
    Column("token_sha256", String(64), primary_key=True, comment="digest of the bearer token"),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_user_sessions_user_id", "user_id"),
)

# --- Campaign events, readiness and participation (issue 6) ---------------------------------

campaign_events = Table(
    "campaign_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("contest_id", String(48), ForeignKey("contests.id"), nullable=True),
    Column("pair_number", Integer, nullable=True, comment="ballot number of the pair"),
    Column("organiser", String(200), nullable=True, comment="when no pair is behind it"),
    Column("type", String(20), nullable=False),
    Column("title", String(200)),
    Column("region_code", CODE, ForeignKey("regions.code"), nullable=False),
    Column("venue", String(200)),
    Column("lat", Float, nullable=False),
    Column("lng", Float, nullable=False),
    Column("location_source", String(20), nullable=False, comment="given|village_centroid|…"),
    Column("starts_at", DateTime(timezone=True), nullable=False),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("expected_crowd", Integer),
    Column("permit_status", String(16), nullable=False, comment="STTP status"),
    Column("contact", String(200)),
    Column("source", String(10), nullable=False, comment="import|form"),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    Column("source_row", Integer, comment="line in the imported file"),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_campaign_events_starts_at", "starts_at"),
    Index("ix_campaign_events_region_code", "region_code"),
)

readiness_resources = Table(
    "readiness_resources",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("region_code", CODE, ForeignKey("regions.code"), nullable=False),
    Column(
        "kind", String(20), nullable=False, comment="medical_post|medical_team|ambulance|psc119",
    ),
    Column("name", String(200), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("source", String(300), nullable=False),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("region_code", "kind", "name", name="uq_readiness_resources_key"),
)

officer_health = Table(
    "officer_health",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_code", String(16), nullable=False, comment="KPU TPS code or region code"),
    Column("region_code", CODE, nullable=False, comment="the dotted region it lies in"),
    Column("officers", Integer, nullable=False),
    Column("screened", Integer, nullable=False),
    Column("ill", Integer, nullable=False),
    Column("died", Integer, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("source", String(300), nullable=False),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    Index("ix_officer_health_region_code", "region_code"),
)

participation_figures = Table(
    "participation_figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(10), nullable=False, comment="baseline|target|turnout"),
    Column("election", String(24), nullable=False),
    Column("region_code", CODE, ForeignKey("regions.code"), nullable=False),
    Column("dpt", Integer),
    Column("voters", Integer, comment="voters who voted"),
    Column("turnout", Float, nullable=False, comment="share 0..1"),
    Column("source", String(300), nullable=False),
    Column("raw_input_id", Integer, ForeignKey("raw_inputs.id"), nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "election", "region_code", name="uq_participation_figures_key"),
)

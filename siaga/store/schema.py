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

data_revisions = Table(
    "data_revisions",
    metadata,
    Column("name", String(40), primary_key=True, comment="what the counter covers, e.g. risk"),
    Column("revision", Integer, nullable=False,
           comment="bumped in the same transaction as every write to what it covers"),
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

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_sha256", String(64), nullable=False,
           comment="digest of 'account:NAME' or 'address:IP'"),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_failed_at", "key_sha256", "failed_at"),
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

# ---------------------------------------------------------------------------------------------
# Issue 5: reports, cases, inter-agency follow-up, takedown evidence, the audit chain.
# ---------------------------------------------------------------------------------------------

briefing_snapshots = Table(
    "briefing_snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", CODE, nullable=False),
    Column("framework", String(64), nullable=False),
    Column("as_of", DateTime(timezone=True), nullable=False),
    Column("scores", Text, nullable=False, comment="JSON object: unit code to score"),
    Index("ix_briefing_snapshots_scope", "scope", "framework", "as_of"),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("receipt", String(20), nullable=False, unique=True, comment="public status code"),
    Column("status", String(12), nullable=False, comment="new|verifying|verified|rejected|…"),
    Column("channel", String(12), nullable=False),
    Column("text", Text, nullable=False),
    Column("region_code", CODE, nullable=True),
    Column("url", Text, nullable=True),
    Column("category", String(40), nullable=True),
    Column("occurred_at", DateTime(timezone=True), nullable=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("reporter_name", String(200), nullable=True, comment="None when anonymous"),
    Column("reporter_contact", String(200), nullable=True),
    Column("anonymous", Boolean, nullable=False),
    Column("source_hash", String(64), nullable=True, comment="hashed sender, for abuse limits"),
    Column("origin_kind", String(16), nullable=True, comment="signal|alert|csv|sms|..."),
    Column("origin_ref", String(200), nullable=True),
    Column("import_key", String(100), nullable=True, unique=True, comment="<sha256>#row=N"),
    Column("submitted_by", String(100), nullable=True, comment="operator; None for the public"),
    Column("assigned_to", String(100), nullable=True),
    Column("duplicate_of", Integer, ForeignKey("reports.id"), nullable=True),
    Column("reject_reason", Text, nullable=True),
    Column("client_id", String(64), nullable=True,
           comment="made by the sender's browser; retries reuse it"),
    Index("ix_reports_status_id", "status", "id"),
    Index("ux_reports_client_id", "client_id", unique=True),
    Index("ix_reports_source_hash_received_at", "source_hash", "received_at"),
    Index("ix_reports_origin", "origin_kind", "origin_ref"),
)

attachments = Table(
    "attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("reports.id"), nullable=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=True),
    Column("sha256", String(64), nullable=False),
    Column("media_type", String(60), nullable=False),
    Column("size", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("stored_path", Text, nullable=False, comment="relative to SIAGA_HOME"),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index("ix_attachments_report_id", "report_id"),
    Index("ix_attachments_case_id", "case_id"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_type", String(20), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=True),
    Column("status", String(20), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("region_code", CODE, nullable=True),
    Column("lead_agency", String(20), nullable=False),
    Column("supporting_agencies", String(200), nullable=False, comment="comma-separated"),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("opened_by", String(100), nullable=False),
    Column("assigned_to", String(100), nullable=True),
    Column("due_at", DateTime(timezone=True), nullable=True, comment="earliest open deadline"),
    Column("deadline_name", String(40), nullable=True),
    Column("escalated_at", DateTime(timezone=True), nullable=True),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("details", Text, nullable=True, comment="JSON: ASN elements, takedown fields"),
    Column("alert_id", Integer, nullable=True, comment="the alert it was opened from"),
    Index("ix_cases_status_due_at", "status", "due_at"),
    Index("ux_cases_alert_id", "alert_id", unique=True),
    Index("ix_cases_lead_agency", "lead_agency"),
)

case_reports = Table(
    "case_reports",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id"), primary_key=True),
    Column("report_id", Integer, ForeignKey("reports.id"), primary_key=True),
    Index("ix_case_reports_report_id", "report_id"),
)

case_actions = Table(
    "case_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("kind", String(16), nullable=False, comment="opened|status|comment|…"),
    Column("from_status", String(20), nullable=True),
    Column("to_status", String(20), nullable=True),
    Column("body", Text, nullable=True),
    Index("ix_case_actions_case_id", "case_id"),
)

case_evidence = Table(
    "case_evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("captured_text", Text, nullable=True),
    Column("captured_at", DateTime(timezone=True), nullable=False),
    Column("platform", String(40), nullable=True),
    Column("screenshot_id", Integer, ForeignKey("attachments.id"), nullable=True),
    Column("added_by", String(100), nullable=False),
    Index("ix_case_evidence_case_id", "case_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(32), nullable=False, comment="ISO 8601 UTC, exactly as hashed"),
    Column("actor", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("entity_id", String(40), nullable=False),
    Column("before", Text, nullable=True, comment="canonical JSON"),
    Column("after", Text, nullable=True, comment="canonical JSON"),
    Column("prev_hash", String(64), nullable=False, unique=True, comment="a fork cannot commit"),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
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
    Column("evidence", Text, nullable=False, server_default="{}",
           comment="JSON: {sentences: category -> sentence, not_found: [category]}"),
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

signal_attacks = Table(
    "signal_attacks",
    metadata,
    Column("signal_id", Integer, ForeignKey("signals.id"), primary_key=True),
    Column("contest_id", String(48), nullable=True,
           comment="the race attacked in (of the pairs, else of the region), if known"),
    Column("target_number", Integer, nullable=True, comment="ballot number of the pair targeted"),
    Column("source_number", Integer, nullable=True, comment="ballot number of the camp behind"),
    Column("between_camps", Boolean, nullable=False, comment="camps attacking each other"),
    Column("labels", Text, nullable=False, comment="JSON list: the signal's attack labels"),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("severity", Float, nullable=False),
    Column("detail", Text, nullable=False, comment="JSON: the contract's `attack` object"),
    Index("ix_signal_attacks_contest_id_occurred_at", "contest_id", "occurred_at"),
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

alert_queue = Table(
    "alert_queue",
    metadata,
    Column("region_code", CODE, primary_key=True),
    Column("category", String(32), primary_key=True),
    Column("window_start", Date, primary_key=True,
           comment="a window whose facts changed and that no evaluation has judged since"),
)

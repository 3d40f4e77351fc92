"""signals, detections, clusters, alerts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)
CODE = sa.String(length=13)


def upgrade() -> None:
    op.create_table(
        "signals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source_kind", sa.String(length=12), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=True),
        sa.Column("platform", sa.String(length=40), nullable=True),
        sa.Column("published_at", TZ, nullable=True),
        sa.Column("received_at", TZ, nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("lang", sa.String(length=16), nullable=True),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("raw_input_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["raw_input_id"], ["raw_inputs.id"], name=op.f("fk_signals_raw_input_id_raw_inputs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
        sa.UniqueConstraint("content_hash", name="uq_signals_content_hash"),
        sa.UniqueConstraint("source_kind", "source_id", name="uq_signals_source"),
    )
    op.create_index("ix_signals_occurred_at", "signals", ["occurred_at"])
    op.create_table(
        "clusters",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("representative_signal_id", sa.Integer(), nullable=True),
        sa.Column("sample", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["representative_signal_id"], ["signals.id"],
            name=op.f("fk_clusters_representative_signal_id_signals"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clusters")),
    )
    op.create_index("ix_clusters_last_seen", "clusters", ["last_seen"])
    op.create_table(
        "detections",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("normalised", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("toxicity", sa.Text(), nullable=False),
        sa.Column("regions", sa.Text(), nullable=False),
        sa.Column("tps", sa.Text(), nullable=False),
        sa.Column("agencies", sa.Text(), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("candidates", sa.Text(), nullable=False),
        sa.Column("dates", sa.Text(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("model_versions", sa.Text(), nullable=False),
        sa.Column("processed_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_detections_signal_id_signals")
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["clusters.id"], name=op.f("fk_detections_cluster_id_clusters")
        ),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_detections")),
    )
    op.create_index("ix_detections_cluster_id", "detections", ["cluster_id"])
    op.create_table(
        "signal_facts",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("region_code", CODE, nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_signal_facts_signal_id_signals")
        ),
        sa.PrimaryKeyConstraint(
            "signal_id", "region_code", "category", name=op.f("pk_signal_facts")
        ),
    )
    op.create_index(
        "ix_signal_facts_region_code_category_day",
        "signal_facts",
        ["region_code", "category", "day"],
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", CODE, nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("max_severity", sa.Float(), nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint(
            "region_code", "category", "window_start", "window_days", name="uq_alerts_window"
        ),
    )
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_table(
        "alert_signals",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_signals_alert_id_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_alert_signals_signal_id_signals")
        ),
        sa.PrimaryKeyConstraint("alert_id", "signal_id", name=op.f("pk_alert_signals")),
    )


def downgrade() -> None:
    op.drop_table("alert_signals")
    op.drop_index("ix_alerts_status", table_name="alerts")
    op.drop_table("alerts")
    op.drop_index("ix_signal_facts_region_code_category_day", table_name="signal_facts")
    op.drop_table("signal_facts")
    op.drop_index("ix_detections_cluster_id", table_name="detections")
    op.drop_table("detections")
    op.drop_index("ix_clusters_last_seen", table_name="clusters")
    op.drop_table("clusters")
    op.drop_index("ix_signals_occurred_at", table_name="signals")
    op.drop_table("signals")

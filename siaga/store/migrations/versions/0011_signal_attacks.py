"""signal attacks: camp attribution of attack signals

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signal_attacks",
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.String(length=48), nullable=True,
                  comment="the race attacked in (of the pairs, else of the region), if known"),
        sa.Column("target_number", sa.Integer(), nullable=True,
                  comment="ballot number of the pair targeted"),
        sa.Column("source_number", sa.Integer(), nullable=True,
                  comment="ballot number of the camp behind"),
        sa.Column("between_camps", sa.Boolean(), nullable=False,
                  comment="camps attacking each other"),
        sa.Column("labels", sa.Text(), nullable=False,
                  comment="JSON list: the signal's attack labels"),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False,
                  comment="JSON: the contract's `attack` object"),
        sa.ForeignKeyConstraint(["signal_id"], ["signals.id"],
                                name=op.f("fk_signal_attacks_signal_id_signals")),
        sa.PrimaryKeyConstraint("signal_id", name=op.f("pk_signal_attacks")),
    )
    op.create_index("ix_signal_attacks_contest_id_occurred_at", "signal_attacks",
                    ["contest_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_signal_attacks_contest_id_occurred_at", table_name="signal_attacks")
    op.drop_table("signal_attacks")

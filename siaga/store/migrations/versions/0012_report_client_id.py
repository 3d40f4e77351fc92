"""reports: the id a browser gives a report it may send twice; the scores of each briefing

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A report form that saved a report offline sends it again until it hears back; the unique
    # index makes the second arrival find the first instead of storing a double.
    op.add_column("reports", sa.Column("client_id", sa.String(length=64), nullable=True,
                                       comment="made by the sender's browser; retries reuse it"))
    op.create_index("ux_reports_client_id", "reports", ["client_id"], unique=True)
    # The scores each briefing showed, so the next one reports changes since the last meeting.
    op.create_table(
        "briefing_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=13), nullable=False),
        sa.Column("framework", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scores", sa.Text(), nullable=False, comment="JSON object: unit code to score"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_briefing_snapshots_scope", "briefing_snapshots",
                    ["scope", "framework", "as_of"])


def downgrade() -> None:
    op.drop_index("ix_briefing_snapshots_scope", table_name="briefing_snapshots")
    op.drop_table("briefing_snapshots")
    op.drop_index("ux_reports_client_id", table_name="reports")
    op.drop_column("reports", "client_id")

"""data revisions: counters that cached results are keyed by

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_revisions",
        sa.Column("name", sa.String(length=40), nullable=False,
                  comment="what the counter covers, e.g. risk"),
        sa.Column("revision", sa.Integer(), nullable=False,
                  comment="bumped in the same transaction as every write to what it covers"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_data_revisions")),
    )


def downgrade() -> None:
    op.drop_table("data_revisions")

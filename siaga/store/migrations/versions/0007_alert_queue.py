"""alert windows waiting to be judged

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_queue",
        sa.Column("region_code", sa.String(length=13), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False,
                  comment="a window whose facts changed and that no evaluation has judged since"),
        sa.PrimaryKeyConstraint("region_code", "category", "window_start",
                                name=op.f("pk_alert_queue")),
    )


def downgrade() -> None:
    op.drop_table("alert_queue")

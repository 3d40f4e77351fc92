"""detections.evidence: the sentence that carried each category, and looked-for-not-found ones

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("detections") as batch:
        batch.add_column(sa.Column(
            "evidence", sa.Text(), nullable=False, server_default="{}",
            comment="JSON: {sentences: category -> sentence, not_found: [category]}"))


def downgrade() -> None:
    with op.batch_alter_table("detections") as batch:
        batch.drop_column("evidence")

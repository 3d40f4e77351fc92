"""one case per alert; failed logins for throttling

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A unique index (NULLs allowed, many): two officers racing on one alert get one case.
    op.add_column("cases", sa.Column("alert_id", sa.Integer(), nullable=True,
                                     comment="the alert it was opened from"))
    op.create_index("ux_cases_alert_id", "cases", ["alert_id"], unique=True)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False,
                  comment="digest of 'account:NAME' or 'address:IP'"),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_key_failed_at", "login_failures",
                    ["key_sha256", "failed_at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_key_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("ux_cases_alert_id", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("alert_id")

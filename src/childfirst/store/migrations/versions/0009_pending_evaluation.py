"""pending evaluation: a durable mark of events the rules have still to judge

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_evaluations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=24), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pending_evaluations_event_id"), ["event_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_evaluations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_evaluations_event_id"))
    op.drop_table("pending_evaluations")

"""pending evaluation: a durable mark of events still to be judged and people still to be matched

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
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.String(length=24), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pending_evaluations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pending_evaluations_kind_record", ["kind", "record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pending_evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_evaluations_kind_record")
    op.drop_table("pending_evaluations")

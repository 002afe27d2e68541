"""partner notifications: concerns shared with one organisation, and its acknowledgement

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("concern_id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=40), nullable=False),
        sa.Column("organisation", sa.String(length=24), nullable=True),
        sa.Column("organisation_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["concern_id"], ["concerns.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("concern_id", "agency", name="uq_notifications_concern_agency"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_concern_id"), ["concern_id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_addressee", ["agency", "organisation"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_addressee")
        batch_op.drop_index(batch_op.f("ix_notifications_concern_id"))
    op.drop_table("notifications")

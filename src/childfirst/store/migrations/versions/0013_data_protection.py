"""data protection: retention review, erasure tombstones, restriction of processing

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_key", sa.String(length=24), nullable=False),
        sa.Column("retention_group", sa.String(length=40), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retention_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_decisions_person_key"), ["person_key"], unique=False
        )
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=24), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=False),
        sa.Column("system", sa.String(length=100), nullable=False),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
        sa.Column("erased_by", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["retention_decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity", "record_id", name="uq_erasures_record"),
    )
    op.create_table(
        "processing_restrictions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_key", sa.String(length=24), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("restricted_by", sa.String(length=100), nullable=False),
        sa.Column("restricted_at", sa.DateTime(), nullable=False),
        sa.Column("lifted_by", sa.String(length=100), nullable=True),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processing_restrictions_person_key"), ["person_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processing_restrictions_person_key"))
    op.drop_table("processing_restrictions")
    op.drop_table("erasures")
    with op.batch_alter_table("retention_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_decisions_person_key"))
    op.drop_table("retention_decisions")

"""pending evaluation: a durable mark of records still to be judged by the rules

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

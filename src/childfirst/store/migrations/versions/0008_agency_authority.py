"""agency authority: accounts bound to an organisation and the agencies they may write for

Every account now works for an organisation (``accounts.agency_code``): a police force's agency
code for police accounts, the school, trust or local authority for partners. ``write_agencies`` is
the list of source agencies the account may write records for; left empty, an account writes for
its own organisation only. Police accounts that had no organisation are bound to the force whose
records the store holds most of; in an empty store they stay unbound, and write nothing until an
administrator binds them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PARTNER_ROLES = ("childrens_social_care", "school", "health")


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("write_agencies", sa.JSON(), nullable=True))
    bind = op.get_bind()
    force = bind.execute(
        sa.text(
            "SELECT agency FROM events WHERE agency_kind = 'police' "
            "GROUP BY agency ORDER BY count(*) DESC, agency LIMIT 1"
        )
    ).scalar()
    if force is not None:
        accounts = sa.table(
            "accounts", sa.column("agency_code", sa.String), sa.column("role", sa.String)
        )
        bind.execute(
            accounts.update()
            .where(accounts.c.agency_code.is_(None), accounts.c.role.not_in(PARTNER_ROLES))
            .values(agency_code=force)
        )


def downgrade() -> None:
    # The police accounts' organisation stays: before this revision it was simply unused.
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("write_agencies")

"""search keys: what each person's names sound like, indexed for searching by name

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

from childfirst.search.keys import family_key, given_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("family_key", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("given_key", sa.String(length=12), nullable=True))
    _fill_keys()
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.create_index("ix_persons_given_key", ["given_key"], unique=False)
        batch_op.create_index("ix_persons_name_keys", ["family_key", "given_key"], unique=False)


def _fill_keys() -> None:
    """Keys for the people already stored (new records get theirs when they are written)."""
    connection = op.get_bind()
    persons = sa.table(
        "persons",
        sa.column("id", sa.String),
        sa.column("given_name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("given_key", sa.String),
        sa.column("family_key", sa.String),
    )
    rows = connection.execute(
        sa.select(persons.c.id, persons.c.given_name, persons.c.family_name)
    ).all()
    update = (
        sa.update(persons)
        .where(persons.c.id == sa.bindparam("pid"))
        .values(given_key=sa.bindparam("gk"), family_key=sa.bindparam("fk"))
    )
    for start in range(0, len(rows), _BATCH):
        values = [
            {"pid": pid, "gk": given_key(given), "fk": family_key(family)}
            for pid, given, family in rows[start : start + _BATCH]
        ]
        if values:
            connection.execute(update, values)


def downgrade() -> None:
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_index("ix_persons_name_keys")
        batch_op.drop_index("ix_persons_given_key")
        batch_op.drop_column("given_key")
        batch_op.drop_column("family_key")

"""audit checkpoints: keyed audit chain, signed head and checkpoints, audit rows that cannot be changed

Entries already in the log keep the plain hash they were written with: the head row records the
first entry to be sealed with the audit key (``keyed_from``), and the first keyed entry's link holds
everything before it in place.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
APPEND_ONLY = ("audit_log", "audit_people", "audit_checkpoints")
REFUSAL = "audit entries cannot be changed or deleted"
HEAD_REFUSAL = "the audit head can only move forward"


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people", sa.Text(), nullable=True))
    op.create_table(
        "audit_people",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(["seq"], ["audit_log.seq"]),
        sa.PrimaryKeyConstraint("seq", "person_id"),
    )
    with op.batch_alter_table("audit_people", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_people_person_id"), ["person_id"], unique=False)
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("keyed_from", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("keyed_from", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    bind = op.get_bind()
    last = bind.execute(
        sa.text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    ).first()
    seq, latest = (last[0], last[1]) if last else (0, GENESIS)
    # Unsigned until the first keyed entry: the migration need not know the key.
    bind.execute(
        sa.text(
            "INSERT INTO audit_head (id, seq, hash, keyed_from, key_id, signature) "
            "VALUES (1, :seq, :hash, :keyed_from, '', '')"
        ),
        {"seq": seq, "hash": latest, "keyed_from": seq + 1},
    )
    if bind.dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION childfirst_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{REFUSAL} (%)', TG_TABLE_NAME "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION childfirst_audit_refuse()"
        )
    op.execute(
        "CREATE FUNCTION childfirst_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR NEW.keyed_from <> OLD.keyed_from "
        "OR NEW.id <> OLD.id "
        f"THEN RAISE EXCEPTION '{HEAD_REFUSAL}' USING ERRCODE = 'insufficient_privilege'; "
        "END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head "
        "FOR EACH ROW EXECUTE FUNCTION childfirst_audit_head_forward()"
    )


def _sqlite_triggers() -> None:
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
    op.execute(
        "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
        f"BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSAL}'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
        "WHEN NEW.seq < OLD.seq OR NEW.keyed_from <> OLD.keyed_from OR NEW.id <> OLD.id "
        f"BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSAL}'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP TRIGGER audit_head_forward_only ON audit_head")
        op.execute("DROP FUNCTION childfirst_audit_refuse()")
        op.execute("DROP FUNCTION childfirst_audit_head_forward()")
    else:
        for table in APPEND_ONLY:
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{verb}")
        op.execute("DROP TRIGGER audit_head_no_delete")
        op.execute("DROP TRIGGER audit_head_forward_only")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_people_person_id"))
    op.drop_table("audit_people")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("people")

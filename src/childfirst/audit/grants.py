"""The PostgreSQL privileges of the role the application connects as.

The tables are owned by the role that migrates the store; the application connects as another role
that may read and write the record but may only add to the audit log: it cannot change or delete an
entry, a checkpoint or the index of people seen, nor empty those tables, and, not owning them, it
cannot switch off the triggers that refuse the same to everyone. Its head row may only move on.
``childfirst audit grants ROLE`` prints these statements for the owner to run after each upgrade.
"""

from __future__ import annotations

import re

from childfirst.errors import InvalidValueError

APPEND_ONLY = ("audit_log", "audit_people", "audit_checkpoints")
HEAD = "audit_head"
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str, schema: str = "public") -> list[str]:
    """The statements that give ``role`` what the application needs, and no more on the log."""
    for name in (role, schema):
        if not _NAME.match(name):
            raise InvalidValueError(
                f"{name!r} is not a plain PostgreSQL name (lower-case letters, digits, _)"
            )
    append_only = ", ".join(f"{schema}.{table}" for table in APPEND_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {append_only} FROM {role}",
        f"REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {schema}.{HEAD} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}.alembic_version FROM {role}",
    ]


def grant_script(role: str, schema: str = "public") -> str:
    return "".join(f"{statement};\n" for statement in grant_statements(role, schema))

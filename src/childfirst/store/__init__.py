"""Storage of the record: SQLAlchemy models, engines for SQLite and PostgreSQL, migrations, history."""

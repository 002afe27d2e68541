"""A linkage model trained once, without labels, on a small synthetic area."""

from __future__ import annotations

from typing import Any

import pytest

from childfirst.ingest.importer import import_files
from childfirst.linkage.index import latest_model, link_all
from childfirst.store.database import Database


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from childfirst.synth import SynthConfig, generate

    root = tmp_path_factory.mktemp("area")
    generate(SynthConfig(people=2500, years=3, seed=11), root)
    db = Database(f"sqlite:///{root / 'area.db'}")
    try:
        import_files(db, sorted((root / "records").glob("*.jsonl")))
        link_all(db, u_pairs=2e6)
        stored = latest_model(db)
    finally:
        db.dispose()
    assert stored is not None
    return stored[1]

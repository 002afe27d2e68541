"""Scoring the rules against a synthetic area's ground truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from childfirst.evaluation.score import render, score
from childfirst.evaluation.truth import TruthError, read_truth
from childfirst.ingest.importer import import_files
from childfirst.store.database import Database
from childfirst.synth import SynthConfig, generate


@pytest.mark.slow
def test_the_cumulative_engine_is_scored_against_the_incident_baseline(tmp_path: Path) -> None:
    generate(SynthConfig(people=2500, years=3, seed=4), tmp_path / "area")
    db = Database(f"sqlite:///{tmp_path / 'store.db'}")
    import_files(db, sorted((tmp_path / "area" / "records").glob("*.jsonl")))
    card = score(db, tmp_path / "area" / "truth")
    cumulative, baseline = card.modes
    kinds = [t.kind for t in cumulative.types]
    assert len(kinds) == 8
    assert all(t.harms == t.decoys for t in cumulative.types)
    # History can only add warning: what the baseline flags early, the cumulative engine does too.
    assert cumulative.early >= baseline.early
    assert cumulative.concerns >= baseline.concerns > 0
    text = render(card)
    assert "| escalating domestic abuse | cumulative |" in text
    assert "Alert burden against the baseline" in text


def test_a_missing_truth_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TruthError, match=r"persons\.csv not found"):
        read_truth(tmp_path, date(2020, 1, 1), date(2021, 1, 1))

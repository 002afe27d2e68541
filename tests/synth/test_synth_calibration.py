"""Base rates measured from the written records fall within the stated tolerances."""

from __future__ import annotations

import pytest

from childfirst.synth import SynthConfig, generate
from childfirst.synth.calibration import TARGETS, measure, table, within


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    out = tmp_path_factory.mktemp("calibration")
    generate(SynthConfig(people=50000, years=3, seed=1), out)
    return measure(out)


def test_every_target_is_measured(measured: dict[str, float]) -> None:
    assert set(measured) == {t.name for t in TARGETS}
    assert all(t.source and t.tolerance > 0 for t in TARGETS)


@pytest.mark.parametrize("name", [t.name for t in TARGETS])
def test_measured_base_rate_is_within_tolerance(measured: dict[str, float], name: str) -> None:
    target = next(t for t in TARGETS if t.name == name)
    assert within(measured)[name], (
        f"{name}: measured {measured[name]:.4g}, target {target.value:.4g}"
    )


def test_the_calibration_table_lists_every_target(measured: dict[str, float]) -> None:
    text = table(measured, "50,000 people, 3 years, seed 1")
    assert text.count("\n") == len(TARGETS) + 1
    assert "Grogger et al. 2021" in text

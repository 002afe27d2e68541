from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from childfirst.domain.vocab import Jurisdiction
from childfirst.errors import ConfigurationError
from childfirst.rules.config import CONFIG_VARIABLE, load_engine
from childfirst.rules.registry import RULES
from childfirst.rules.service import default_engine


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_force_tunes_thresholds_and_its_school_calendar(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[calendar]\njurisdiction = "scotland"\nschool_holidays = [["2026-02-16", "2026-02-20"]]\n'
        '[rules."missing.repeat-episodes"]\nepisodes = 2\nwindow_days = 60\n',
    )
    engine = load_engine(RULES, path)
    assert engine.calendar.jurisdiction is Jurisdiction.SCOTLAND
    assert not engine.calendar.is_school_day(date(2026, 2, 17))
    assert engine.overrides["missing.repeat-episodes"] == {"episodes": 2.0, "window_days": 60.0}


def test_the_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[rules."missing.repeat-episodes"]\nepisodes = 4\n')
    monkeypatch.setenv(CONFIG_VARIABLE, str(path))
    assert default_engine().overrides["missing.repeat-episodes"]["episodes"] == 4.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[rules."no.such-rule"]\nx = 1\n', "'rules.no.such-rule': no such rule"),
        ('[rules."missing.repeat-episodes"]\nepisodez = 1\n', "no such parameter"),
        ('[rules."missing.repeat-episodes"]\nepisodes = "three"\n', "must be a number"),
        ('[calendar]\njurisdiction = "wales"\n', "must be one of"),
        ('[calendar]\nschool_holidays = [["2026-02-20", "2026-02-16"]]\n', "ends before it starts"),
        ("[colour]\nx = 1\n", "unknown section"),
        ("rules = [", "not valid TOML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError, match=message) as caught:
        load_engine(RULES, path)
    assert str(path) in str(caught.value)

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from childfirst.domain.clock import UK, local_date, to_utc


def test_uk_local_times_convert_to_utc_across_the_clock_changes() -> None:
    start = datetime(2025, 3, 29, 0, 0)
    for minutes in range(0, 60 * 24 * 215, 17):  # past both clock changes of 2025
        local = start + timedelta(minutes=minutes)
        expected = local.replace(tzinfo=UK).astimezone(UTC).replace(tzinfo=None)
        assert to_utc(local) == expected, local


def test_summer_time_and_winter_time() -> None:
    assert to_utc(datetime(2025, 7, 1, 12, 0)) == datetime(2025, 7, 1, 11, 0)
    assert to_utc(datetime(2025, 1, 18, 23, 40)) == datetime(2025, 1, 18, 23, 40)
    # 23:30 UTC on 30 June is already 1 July in the UK: that is the date ages are counted on
    assert local_date(datetime(2025, 6, 30, 23, 30)).isoformat() == "2025-07-01"


def test_aware_times_keep_their_instant() -> None:
    aware = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert to_utc(aware) == datetime(2025, 7, 1, 12, 0)

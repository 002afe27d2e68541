"""Figures for the dashboards: each report is a function over the store and a period, returning
plain data that a page draws as a chart and a table, and that a test can check against records.

- ``workload``: concerns raised and actions overdue, month by month.
- ``missing``: children reported missing, and those missing again and again.
- ``custody``: children held in police custody now, and month by month.
- ``disproportionality``: stop and search, arrest and custody of children by age band and
  ethnic group, as rates per 1,000 children of that group in the population.

Ethnicity is read here, for monitoring, and nowhere that decides anything about a child: the rules
are never given it (``tests/rules/test_fairness.py``) and never import this package.
"""

from __future__ import annotations

from childfirst.reports.periods import MonthCount, Period

__all__ = ["MonthCount", "Period"]

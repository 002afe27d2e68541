"""Probabilistic record linkage of person records into a master person index.

The rules engine reasons about master persons: ``master_of(db, record_ids)`` gives each source
record's master, ``members(db, master_id)`` the records of one master with their link strength.
"""

from __future__ import annotations

from childfirst.linkage.decisions import decide, reverse_decision
from childfirst.linkage.incremental import Assignment, Matcher, match_new
from childfirst.linkage.index import Thresholds, link_all, master_of, members, review_queue

__all__ = [
    "Assignment",
    "Matcher",
    "Thresholds",
    "decide",
    "link_all",
    "master_of",
    "match_new",
    "members",
    "reverse_decision",
    "review_queue",
]

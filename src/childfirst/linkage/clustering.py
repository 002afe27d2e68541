"""Clustering scored pairs into people, honouring people's decisions.

Pairs are taken strongest first and two clusters are joined unless a "not the same" decision holds
between any record of one and any record of the other, so such a decision splits a cluster however
strongly other records chain the two together. A "same" decision joins its two records first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Edge = tuple[str, str, float]


@dataclass
class Clusters:
    """Each record's cluster (named by one of its records) and the link that holds it there."""

    cluster_of: dict[str, str]
    strongest: dict[str, tuple[str, float]] = field(default_factory=dict)
    forced: set[str] = field(default_factory=set)

    def groups(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = defaultdict(list)
        for record, cluster in self.cluster_of.items():
            result[cluster].append(record)
        return {k: sorted(v) for k, v in result.items()}


class _UnionFind:
    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}
        self.size = dict.fromkeys(self.parent, 1)
        self.constrained: dict[str, set[str]] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        moved = self.constrained.pop(rb, None)
        if moved:
            self.constrained.setdefault(ra, set()).update(moved)
        return ra


def cluster(
    ids: Sequence[str],
    edges: Iterable[Edge],
    *,
    threshold: float,
    same: Iterable[tuple[str, str]] = (),
    not_same: Iterable[tuple[str, str]] = (),
) -> Clusters:
    """Cluster ``ids`` by the ``edges`` (a, b, probability) at or above ``threshold``."""
    forest = _UnionFind(ids)
    apart: dict[str, set[str]] = defaultdict(set)
    for a, b in not_same:
        if a in forest.parent and b in forest.parent:
            apart[a].add(b)
            apart[b].add(a)
            forest.constrained.setdefault(a, set()).add(a)
            forest.constrained.setdefault(b, set()).add(b)

    def allowed(ra: str, rb: str) -> bool:
        small, other = (
            (ra, rb)
            if len(forest.constrained.get(ra, ())) <= len(forest.constrained.get(rb, ()))
            else (rb, ra)
        )
        for record in forest.constrained.get(small, ()):
            if any(forest.find(partner) == other for partner in apart[record]):
                return False
        return True

    result = Clusters(cluster_of={})
    for a, b in same:
        if a in forest.parent and b in forest.parent and b not in apart[a]:
            ra, rb = forest.find(a), forest.find(b)
            if ra != rb and allowed(ra, rb):
                forest.union(ra, rb)
                result.forced.update((a, b))
    strong = sorted((e for e in edges if e[2] >= threshold), key=lambda e: (-e[2], e[0], e[1]))
    for a, b, probability in strong:
        if a not in forest.parent or b not in forest.parent:
            continue
        ra, rb = forest.find(a), forest.find(b)
        if ra != rb:
            if not allowed(ra, rb):
                continue
            forest.union(ra, rb)
        for x, y in ((a, b), (b, a)):
            if x not in result.strongest or result.strongest[x][1] < probability:
                result.strongest[x] = (y, probability)
    result.cluster_of = {i: forest.find(i) for i in ids}
    return result

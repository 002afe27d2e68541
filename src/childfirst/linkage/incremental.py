"""Matching new records against the master person index at once, with the stored model.

A :class:`Matcher` holds the indexed records and the trained model in an in-process DuckDB, so a
long-running service opens it once and matches each new record in milliseconds; ``match_new`` is
the one-off form. New records are scored against the index (``predict_between``) and against each
other (``predict_within``) with the model's own blocking rules; each joins the master of its
strongest link at or above the link threshold (unless a "not the same" decision stands against a
record of that master), or becomes a new master person. Unsure pairs go to the review queue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from childfirst.domain.clock import utcnow
from childfirst.linkage import model as linkage_model
from childfirst.linkage.frame import OPTIONAL_COLUMNS, Row, load_frame
from childfirst.linkage.index import (
    NOT_SAME,
    SAME,
    Thresholds,
    decisions_touching,
    latest_model,
    new_master_id,
    ordered,
    scratch_directory,
)
from childfirst.store.database import Database
from childfirst.store.models import (
    LinkageReviewPair,
    LinkageRun,
    MasterMembership,
    MasterMembershipLog,
    MasterPerson,
)

_KEYS, _NEW, _CANDIDATES = "blocking_keys", "matcher_new", "matcher_candidates"
_SCORE, _PROBE = "matcher_score", "matcher_probe_keys"


def _literals(values: Iterable[str]) -> str:
    """SQL string literals, comma-separated."""
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


@dataclass
class Assignment:
    record_id: str
    master_id: str
    new_master: bool
    match_probability: float | None
    linked_to: str | None


class Matcher:
    """The index's records and the trained model, ready to score new records.

    Alongside the indexed records the matcher keeps every record's blocking keys (one text value
    per prediction blocking rule, ``model.Blocking.key_sql``) in a table indexed by key. A new
    record looks up only the indexed records sharing one of its keys, and is scored against those:
    the pairs a batch run would score, found without reading the whole index. The scoring query is
    the one Splink writes for ``score_pairs`` between two tables the matcher owns, taken once
    (``sql_used_to_create``) and prepared, so no SQL is generated or bound per match.
    """

    def __init__(self, model_id: int, model: linkage_model.Model, masters: dict[str, str]):
        self.model_id = model_id
        self.model = model
        self.masters = masters
        self._table = model.frame.physical_name
        connection = model.connection
        for column in linkage_model.TF_COLUMNS:
            model.linker.table_management.compute_tf_table(column)
        columns = connection.table(self._table).columns
        self._rules = linkage_model.blocking([c for c in OPTIONAL_COLUMNS if c in columns])
        connection.execute(
            f"CREATE TABLE {_KEYS} AS SELECT * FROM ({self._keys_sql(self._table)}) ORDER BY key"
        )
        connection.execute(f"CREATE INDEX {_KEYS}_key ON {_KEYS} (key)")
        connection.execute(f"CREATE INDEX {self._table}_id ON {self._table} (unique_id)")
        for table in (_NEW, _CANDIDATES):
            connection.execute(f"CREATE TABLE {table} AS SELECT * FROM {self._table} LIMIT 0")
        self._new = model.db_api.register(_NEW)
        scored = model.linker.inference.score_pairs(model.db_api.register(_CANDIDATES), self._new)
        # Prepared once: binding Splink's scoring query costs more than running it on a handful
        # of candidates.
        connection.execute(
            f"PREPARE {_SCORE} AS SELECT * FROM ({scored.sql_used_to_create})"
            " WHERE match_probability >= $1"
        )
        scored.drop_table_from_database_and_remove_from_cache()
        connection.execute(f"PREPARE {_PROBE} AS {self._keys_sql(_NEW, probe=True)}")
        self._labels = model.labels()

    @classmethod
    def open(cls, db: Database, *, resources: linkage_model.Resources | None = None) -> Matcher:
        """The matcher over every record already in the index, with the latest stored model."""
        stored = latest_model(db)
        if stored is None:
            raise LookupError("no linkage model is stored: run a batch link first")
        with db.session() as session:
            masters = dict(
                session.execute(
                    select(MasterMembership.person_id, MasterMembership.master_id)
                ).all()
            )
        rows = [r for r in load_frame(db) if r["unique_id"] in masters]
        resources = resources or linkage_model.Resources(temp_directory=scratch_directory(db))
        return cls(stored[0], linkage_model.load(rows, stored[1], resources=resources), masters)

    def close(self) -> None:
        self.model.close()

    def _keys_sql(self, table: str, *, probe: bool = False) -> str:
        """Every blocking key of the records in ``table``: (key, unique_id), keys not NULL."""
        parts = []
        for number, rule in enumerate(self._rules):
            key = rule.key_sql(number, probe=probe)
            parts.append(f"SELECT {key} AS key, unique_id FROM {table} WHERE {key} IS NOT NULL")
        return " UNION ALL ".join(parts)

    def _score_one(self, row: Any, threshold: float) -> list[dict[str, Any]]:
        """Pairs of one new record (an Arrow table of one row) with the indexed records."""
        connection = self.model.connection
        for table in (_NEW, _CANDIDATES):
            connection.execute(f"DELETE FROM {table}")
        connection.register("__childfirst_new", row)
        try:
            connection.execute(f"INSERT INTO {_NEW} SELECT * FROM __childfirst_new")
        finally:
            connection.unregister("__childfirst_new")
        keys = [k for k, _ in connection.execute(f"EXECUTE {_PROBE}").fetchall()]
        if not keys:
            return []
        # Constant lists, so that DuckDB looks the keys and ids up in their indexes rather than
        # scanning the tables.
        ids = connection.execute(
            f"SELECT DISTINCT unique_id FROM {_KEYS} WHERE key IN ({_literals(keys)})"
        ).fetchall()
        if not ids:
            return []
        connection.execute(
            f"INSERT INTO {_CANDIDATES} SELECT * FROM {self._table}"
            f" WHERE unique_id IN ({_literals(i for (i,) in ids)})"
        )
        result = connection.execute(f"EXECUTE {_SCORE}({float(threshold)!r})")
        names = [d[0] for d in result.description or ()]
        return linkage_model.pair_dicts(names, result.fetchall(), self._labels)

    def score(self, rows: Sequence[Row], threshold: float) -> list[dict[str, Any]]:
        """Pairs of the new rows with indexed records and with each other, at or above threshold."""
        table = linkage_model.arrow_table(rows)
        pairs = []
        for i in range(table.num_rows):
            pairs += self._score_one(table.slice(i, 1), threshold)
        if len(rows) > 1:
            connection = self.model.connection
            connection.execute(f"DELETE FROM {_NEW}")
            connection.register("__childfirst_new", table)
            try:
                connection.execute(f"INSERT INTO {_NEW} SELECT * FROM __childfirst_new")
            finally:
                connection.unregister("__childfirst_new")
            within = self.model.linker.inference.predict_within(
                self._new, threshold_match_probability=threshold, warning_mode="never"
            )
            pairs += linkage_model.pair_rows(within, self._labels)
            within.drop_table_from_database_and_remove_from_cache()
        return [p for p in pairs if p["unique_id_l"] != p["unique_id_r"]]

    def match(
        self, db: Database, record_ids: Sequence[str], thresholds: Thresholds | None = None
    ) -> list[Assignment]:
        """Score and assign the given (new or changed) person records; returns where each went."""
        thresholds = thresholds or Thresholds()
        ids = list(dict.fromkeys(record_ids))
        rows = load_frame(db, ids)
        started = utcnow()
        pairs = self.score(rows, thresholds.review)
        new_ids = {r["unique_id"] for r in rows}
        with db.session(write=True) as session:
            members = self._refresh(session, pairs, ids)
            decisions = decisions_touching(session, ids)
            apart = {ordered(d.record_a, d.record_b) for d in decisions if d.decision == NOT_SAME}
            same = [d for d in decisions if d.decision == SAME]
            run = LinkageRun(
                kind="incremental",
                model_id=self.model_id,
                started_at=started,
                link_threshold=thresholds.link,
                review_threshold=thresholds.review,
                records=len(rows),
                pairs=len(pairs),
            )
            session.add(run)
            session.flush()
            assignments = self._assign(rows, pairs, thresholds, apart, same, new_ids, members)
            now = utcnow()
            for a in assignments:
                if a.new_master:
                    session.add(MasterPerson(id=a.master_id, created_at=now, created_by_run=run.id))
            session.flush()
            for a in assignments:
                previous = session.get(MasterMembership, a.record_id)
                if previous is not None and previous.master_id == a.master_id:
                    continue
                session.add(
                    MasterMembershipLog(
                        person_id=a.record_id,
                        from_master=previous.master_id if previous else None,
                        to_master=a.master_id,
                        run_id=run.id,
                        at=now,
                    )
                )
                if previous is not None:
                    session.delete(previous)
                    session.flush()
                session.add(
                    MasterMembership(
                        person_id=a.record_id,
                        master_id=a.master_id,
                        run_id=run.id,
                        match_probability=a.match_probability,
                        linked_to=a.linked_to,
                        assigned_at=now,
                    )
                )
            decided = {ordered(d.record_a, d.record_b): d.id for d in decisions}
            run.review_pairs = _queue(session, run.id, pairs, thresholds, decided)
            run.auto_links = sum(p["match_probability"] >= thresholds.link for p in pairs)
            run.masters = sum(a.new_master for a in assignments)
            run.moved = len(assignments)
            run.finished_at = utcnow()
        self._remember(rows)
        return assignments

    def _refresh(
        self, session: Any, pairs: Sequence[dict[str, Any]], ids: Sequence[str]
    ) -> dict[str, set[str]]:
        """Re-read the masters of the scored records (a decision may have moved them since the
        matcher opened) and return the records of each of those masters."""
        touched = {p["unique_id_l"] for p in pairs} | {p["unique_id_r"] for p in pairs} | set(ids)
        current = dict(
            session.execute(
                select(MasterMembership.person_id, MasterMembership.master_id).where(
                    MasterMembership.person_id.in_(list(touched))
                )
            ).all()
        )
        self.masters.update(current)
        members: dict[str, set[str]] = {}
        for record, master in session.execute(
            select(MasterMembership.person_id, MasterMembership.master_id).where(
                MasterMembership.master_id.in_(list(set(current.values())))
            )
        ):
            members.setdefault(master, set()).add(record)
        return members

    def _assign(
        self,
        rows: Sequence[Row],
        pairs: Sequence[dict[str, Any]],
        thresholds: Thresholds,
        apart: set[tuple[str, str]],
        same: Sequence[Any],
        new_ids: set[str],
        members: dict[str, set[str]],
    ) -> list[Assignment]:
        strong = sorted(
            (p for p in pairs if p["match_probability"] >= thresholds.link),
            key=lambda p: -p["match_probability"],
        )
        result: dict[str, Assignment] = {}
        for decision in same:
            a, b = decision.record_a, decision.record_b
            for record, other in ((a, b), (b, a)):
                if record in new_ids and other in self.masters and record not in result:
                    result[record] = Assignment(record, self.masters[other], False, None, other)
        for row in rows:
            record = row["unique_id"]
            if record in result:
                continue
            for p in strong:
                if record not in (p["unique_id_l"], p["unique_id_r"]):
                    continue
                other = p["unique_id_r"] if p["unique_id_l"] == record else p["unique_id_l"]
                target = self.masters.get(other) or (
                    result[other].master_id if other in result else None
                )
                if target is None:
                    continue
                if any(ordered(record, m) in apart for m in members.get(target, ())):
                    continue
                result[record] = Assignment(record, target, False, p["match_probability"], other)
                break
            else:
                result[record] = Assignment(record, new_master_id(), True, None, None)
            self.masters[record] = result[record].master_id
            members.setdefault(result[record].master_id, set()).add(record)
        return [result[r["unique_id"]] for r in rows]

    def _remember(self, rows: Sequence[Row]) -> None:
        """Add the matched rows (and their blocking keys) to the index so later matches see them."""
        connection = self.model.connection
        ids = [r["unique_id"] for r in rows]
        connection.register("__childfirst_fresh", linkage_model.arrow_table(rows))
        try:
            for table in (self._table, _KEYS):
                connection.execute(
                    f"DELETE FROM {table} WHERE unique_id IN (SELECT unnest(?))", [ids]
                )
            connection.execute(f"INSERT INTO {self._table} SELECT * FROM __childfirst_fresh")
            connection.execute(f"INSERT INTO {_KEYS} {self._keys_sql('__childfirst_fresh')}")
        finally:
            connection.unregister("__childfirst_fresh")


def _queue(
    session: Any,
    run_id: int,
    pairs: Sequence[dict[str, Any]],
    thresholds: Thresholds,
    decided: dict[tuple[str, str], int],
) -> int:
    # An incremental run adds to the queue rather than superseding the batch's open items.
    items = 0
    for p in pairs:
        a, b = ordered(p["unique_id_l"], p["unique_id_r"])
        if not thresholds.review <= p["match_probability"] < thresholds.link or (a, b) in decided:
            continue
        session.add(
            LinkageReviewPair(
                run_id=run_id,
                record_a=a,
                record_b=b,
                match_probability=p["match_probability"],
                match_weight=p["match_weight"],
                evidence=p["evidence"],
                status="open",
            )
        )
        items += 1
    return items


def match_new(
    db: Database, record_ids: Sequence[str], thresholds: Thresholds | None = None
) -> list[Assignment]:
    """Match newly imported person records against the index and assign each a master person."""
    return Matcher.open(db).match(db, record_ids, thresholds)

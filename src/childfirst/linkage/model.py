"""The linkage model: Splink settings for UK people data, unsupervised training and scoring.

The settings are declared with Splink's dialect-independent comparison and blocking creators, and
the only hand-written SQL (date of birth with day and month swapped, given name and surname
swapped over) is declared in DuckDB's
dialect for Splink to translate, so the same declaration can run on Spark.

Training needs no labels: u probabilities come from comparing randomly sampled pairs (nearly all of
which are different people), m probabilities from expectation maximisation over pairs blocked on
date of birth and then on name.

The declaration uses whatever identifying fields a frame offers: names, date of birth, sex and
postcode history always, and an identifier (an NHS number, a social security id), house number,
street and locality when the frame has those columns (``frame.OPTIONAL_COLUMNS``), each with
blocking rules of its own.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.splink_dataframe import SplinkDataFrame

from childfirst.linkage import priors
from childfirst.linkage.frame import COLUMNS, LIST_COLUMNS, OPTIONAL_COLUMNS, Row

TF_COLUMNS = ("given_name", "surname")
# The key of the saved model JSON holding the training frame's term frequencies.
TERM_FREQUENCIES = "childfirst_term_frequencies"
U_PAIRS = 1e7
# Each expectation-maximisation round samples about this many blocked pairs (blocking on date of
# birth alone gives 18 million pairs at a million records, on name 170 million).
EM_PAIRS = 5e6
SEED = 42
# DuckDB's memory cap for a linkage run (it spills to disk beyond it). Left to its default, DuckDB
# takes up to 80% of the machine's memory for its buffers.
MEMORY_LIMIT = "2GB"


@dataclass(frozen=True)
class Resources:
    """What a linkage run may use: DuckDB's memory cap and the folder it spills to beyond it.

    With no ``temp_directory`` DuckDB spills to a ``childfirst-linkage`` folder in the system's
    temporary directory (never the working directory); ``index.scratch_directory`` gives the one
    beside a SQLite store.
    """

    memory_limit: str = MEMORY_LIMIT
    temp_directory: Path | None = None
    threads: int | None = None

    def spill_directory(self) -> Path:
        return self.temp_directory or Path(tempfile.gettempdir()) / "childfirst-linkage"

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A new in-memory DuckDB connection with these limits."""
        folder = self.spill_directory()
        folder.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {
            "memory_limit": self.memory_limit,
            "temp_directory": str(folder),
            "preserve_insertion_order": False,
        }
        if self.threads:
            config["threads"] = self.threads
        return duckdb.connect(config=config)


_TRANSPOSED_DOB = (
    "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
    " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
    " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2)"
)
_NEAR_YEAR = (
    "(dob_l IS NULL OR dob_r IS NULL)"
    " AND abs(cast(dob_year_l AS INTEGER) - cast(dob_year_r AS INTEGER)) <= 2"
)


def _given_name() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_description="Given name, with nicknames and diminutives",
        comparison_levels=[
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name").configure(tf_adjustment_column="given_name"),
            cll.ExactMatchLevel("given_canonical").configure(
                label_for_charts="Same name or a known nickname of it"
            ),
            cll.JaroWinklerLevel("given_name", 0.92),
            cll.ArrayIntersectLevel("given_names", 1).configure(
                label_for_charts="Given name among the other's middle names or aliases"
            ),
            cll.JaroWinklerLevel("given_name", 0.8),
            cll.ElseLevel(),
        ],
    )


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_description="Surname, with double-barrelled parts, aliases and previous names",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname").configure(tf_adjustment_column="surname"),
            cll.ArrayIntersectLevel("surnames", 1).configure(
                label_for_charts="Shares a surname part, alias or previous surname"
            ),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.JaroWinklerLevel("surname", 0.8),
            cll.ElseLevel(),
        ],
    )


def _date_of_birth() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth, with transposition and keying errors",
        comparison_levels=[
            cll.CustomLevel(
                '"dob_year_l" IS NULL OR "dob_year_r" IS NULL', base_dialect_str="duckdb"
            ).configure(is_null_level=True, label_for_charts="Year of birth missing"),
            cll.ExactMatchLevel("dob"),
            cll.CustomLevel(_TRANSPOSED_DOB, base_dialect_str="duckdb").configure(
                label_for_charts="Day and month transposed"
            ),
            cll.LevenshteinLevel("dob", 1).configure(label_for_charts="One character different"),
            cll.ExactMatchLevel("dob_year").configure(label_for_charts="Same year of birth"),
            cll.CustomLevel(_NEAR_YEAR, base_dialect_str="duckdb").configure(
                label_for_charts="An estimated year of birth within two"
            ),
            # Born years apart: a parent and a child of the same name at one address look alike in
            # everything else, and training without labels would learn them as one person.
            cll.ElseLevel().configure(m_probability=1e-4, fix_m_probability=True),
        ],
    )


def _postcode() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_description="Postcode, across each record's address history",
        comparison_levels=[
            cll.NullLevel("postcodes"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same latest postcode"),
            cll.ArrayIntersectLevel("postcodes", 1).configure(
                label_for_charts="A postcode in common in the address history"
            ),
            cll.ArrayIntersectLevel("districts", 1).configure(
                label_for_charts="A postcode district in common"
            ),
            cll.ElseLevel(),
        ],
    )


def _identifier() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="identifier",
        comparison_description="Person identifier (NHS number, social security id)",
        comparison_levels=[
            cll.NullLevel("identifier"),
            cll.ExactMatchLevel("identifier"),
            cll.DamerauLevenshteinLevel("identifier", 1).configure(
                label_for_charts="One digit different or two swapped"
            ),
            cll.DamerauLevenshteinLevel("identifier", 2).configure(
                label_for_charts="Two digits different"
            ),
            cll.ElseLevel(),
        ],
    )


def _house_number() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="house_number",
        comparison_description="House number of the latest address",
        comparison_levels=[
            cll.NullLevel("house_number"),
            cll.ExactMatchLevel("house_number"),
            cll.ElseLevel(),
        ],
    )


def _place(column: str, description: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            cll.JaroWinklerLevel(column, 0.9),
            cll.ElseLevel(),
        ],
    )


@dataclass(frozen=True)
class Blocking:
    """A prediction blocking rule: pairs agreeing on every one of ``keys`` are scored.

    Each key is an SQL expression over one record, compared with the same expression over the
    other, except where ``partner`` gives the other record's expressions (given name and surname
    swapped over). ``needs`` are the optional columns the rule reads.
    The same declaration gives Splink's rule and the keys the incremental matcher looks
    candidates up by (``key_sql``).
    """

    keys: tuple[str, ...]
    partner: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()

    def rule(self) -> BlockingRuleCreator:
        if self.partner:
            condition = " AND ".join(
                f"l.{a} = r.{b}" for a, b in zip(self.keys, self.partner, strict=True)
            )
            return CustomRule(condition, sql_dialect="duckdb")
        return block_on(*self.keys)

    def key_sql(self, number: int, *, probe: bool = False) -> str:
        """The rule's key of a record as one text value (NULL when a part is missing).

        ``probe`` gives the key a new record looks the index up by (its ``partner`` side).
        """
        parts = self.partner if probe and self.partner else self.keys
        return " || '|' || ".join([f"'{number}'", *(f"({p})" for p in parts)])


# No rule blocks on given name and surname alone: common names make such blocks huge (170
# million pairs at a million synthetic records, against 16 million for all the rules here), and
# the true pairs only they would add share nothing but a name, too little to link on.
BLOCKING: tuple[Blocking, ...] = (
    Blocking(("dob", "substr(given_canonical, 1, 1)")),
    Blocking(("surname", "dob_year", "substr(given_name, 1, 1)")),
    Blocking(("postcode", "given_canonical")),
    Blocking(("postcode", "dob")),
    # Given name and surname swapped over (a form filled in the wrong way round).
    Blocking(("given_name", "surname"), partner=("surname", "given_name")),
    # Rules on the optional columns, used when the frame has them.
    Blocking(("identifier",), needs=frozenset({"identifier"})),
    Blocking(("postcode", "house_number"), needs=frozenset({"house_number"})),
    Blocking(("street", "house_number"), needs=frozenset({"street", "house_number"})),
    Blocking(("street", "dob_year"), needs=frozenset({"street"})),
    Blocking(("locality", "surname"), needs=frozenset({"locality"})),
)


def blocking(optional: Collection[str] = ()) -> tuple[Blocking, ...]:
    """The prediction blocking rules for a frame with the given optional columns."""
    return tuple(b for b in BLOCKING if b.needs <= set(optional))


TRAINING_KEYS = (("dob",), ("given_canonical", "surname"))
TRAINING_BLOCKING = tuple(block_on(*keys) for keys in TRAINING_KEYS)
DETERMINISTIC_KEYS = ("given_name", "surname", "dob")
DETERMINISTIC = (block_on(*DETERMINISTIC_KEYS),)


def optional_columns(rows: Sequence[Row] | pa.Table) -> tuple[str, ...]:
    """The optional identifying columns a frame carries (any row has the key)."""
    keys: set[str] = set()
    if isinstance(rows, pa.Table):
        keys.update(rows.column_names)
    else:
        for row in rows:
            keys.update(row)
    return tuple(c for c in OPTIONAL_COLUMNS if c in keys)


def settings(optional: Collection[str] = ()) -> SettingsCreator:
    """The project's linkage settings (one table of all sources' person records, deduplicated).

    ``optional`` names the optional identifying columns the frame has; each adds its comparison
    and blocking rules.
    """
    comparisons: list[ComparisonCreator | dict[str, Any]] = [
        _given_name(),
        _surname(),
        _date_of_birth(),
        _postcode(),
        cl.ExactMatch("sex"),
    ]
    extra: dict[str, ComparisonCreator] = {
        "identifier": _identifier(),
        "house_number": _house_number(),
        "street": _place("street", "Street of the latest address"),
        "locality": _place("locality", "Locality of the latest address"),
    }
    comparisons += [extra[c] for c in OPTIONAL_COLUMNS if c in optional]
    rules: list[BlockingRuleCreator | dict[str, Any]] = [b.rule() for b in blocking(optional)]
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
        additional_columns_to_retain=["agency"],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def trained_settings(model_json: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A saved model's settings declared afresh for another SQL dialect (``"spark"``).

    Splink saves a model with its SQL written in the dialect it was trained in; DuckDB's quoted
    names mean string literals to Spark. The settings are rebuilt from the same declaration
    (``settings``) in the target dialect and given the saved model's trained parameters, level
    by level.
    """
    names = [c["output_column_name"] for c in model_json["comparisons"]]
    declared = settings([c for c in OPTIONAL_COLUMNS if c in names]).create_settings_dict(dialect)
    if [c["output_column_name"] for c in declared["comparisons"]] != names:
        raise ValueError(f"the saved model's comparisons {names} are not this model's")
    declared["probability_two_random_records_match"] = model_json[
        "probability_two_random_records_match"
    ]
    for target, saved in zip(declared["comparisons"], model_json["comparisons"], strict=True):
        levels, trained = target["comparison_levels"], saved["comparison_levels"]
        if len(levels) != len(trained):
            raise ValueError(f"the saved model's levels of {target['output_column_name']} differ")
        for level, values in zip(levels, trained, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in values:
                    level[key] = values[key]
    return declared


def _schema(columns: Sequence[str]) -> Any:
    return pa.schema(
        [(c, pa.list_(pa.string()) if c in LIST_COLUMNS else pa.string()) for c in columns]
    )


def arrow_table(rows: Sequence[Row] | pa.Table) -> Any:
    """The linkage rows as an Arrow table with a fixed schema (so empty columns keep their type).

    The optional identifying columns are included when the rows carry them. An Arrow table (of
    rows already converted) is returned as it is.
    """
    if isinstance(rows, pa.Table):
        return rows
    columns = COLUMNS + optional_columns(rows)
    return pa.Table.from_pylist(list(rows), schema=_schema(columns))


def quiet_splink() -> None:
    """Keep Splink's progress messages out of the application's logs unless asked for."""
    logging.getLogger("splink").setLevel(logging.WARNING)


@dataclass
class Model:
    """A linker over a frame of records, trained or loaded, on a DuckDB connection of its own."""

    linker: Linker
    db_api: DuckDBAPI
    frame: SplinkDataFrame
    connection: duckdb.DuckDBPyConnection
    # Why the model is set from the priors rather than trained (``priors.PRIORS``); None if trained.
    untrained: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Splink's model, with the term frequencies of the frame it was trained on.

        The frequencies (name, share of records) let a handful of records be scored as they would
        be within the whole index (``load(..., stored_frequencies=True)``).
        """
        result: dict[str, Any] = self.linker.misc.save_model_to_json()
        frequencies = {}
        for column in TF_COLUMNS:
            table = self.linker.table_management.compute_tf_table(column)
            values = table.as_duckdbpyrelation().fetchall()
            frequencies[column] = [[v, f] for v, f in values if v is not None]
        result[TERM_FREQUENCIES] = frequencies
        if self.untrained is not None:
            result[priors.PRIORS] = self.untrained
        return result

    def predict(self, threshold: float) -> list[dict[str, Any]]:
        """Every blocked pair scoring at least ``threshold``, with its per-comparison evidence."""
        scored = self.linker.inference.predict(threshold_match_probability=threshold)
        return pair_rows(scored, self.labels())

    def labels(self) -> dict[str, dict[int, str]]:
        """Each comparison's level labels by level number (as in ``gamma_*``)."""
        result: dict[str, dict[int, str]] = {}
        for comparison in self.linker._settings_obj.comparisons:
            result[comparison.output_column_name] = {
                level.comparison_vector_value: str(level.label_for_charts)
                for level in comparison.comparison_levels
            }
        return result

    def close(self) -> None:
        self.connection.close()


def _open(
    rows: Sequence[Row] | pa.Table,
    model: SettingsCreator | dict[str, Any],
    resources: Resources | None,
    frequencies: dict[str, list[list[Any]]] | None = None,
) -> Model:
    quiet_splink()
    connection = (resources or Resources()).connect()
    connection.register("__childfirst_rows", arrow_table(rows))
    connection.execute("CREATE TABLE records AS SELECT * FROM __childfirst_rows")
    connection.unregister("__childfirst_rows")
    db_api = DuckDBAPI(connection)
    frame = db_api.register("records")
    linker = Linker(frame, model, log_level=None)
    for column, values in (frequencies or {}).items():
        table = pa.table(
            {column: [v for v, _ in values], f"tf_{column}": [float(f) for _, f in values]},
            schema=pa.schema([(column, pa.string()), (f"tf_{column}", pa.float64())]),
        )
        lookup = db_api.register(table, table_name=f"stored_tf_{column}")
        linker.table_management.register_term_frequency_lookup(lookup, column)
    return Model(linker, db_api, frame, connection)


def train(
    rows: Sequence[Row] | pa.Table,
    *,
    u_pairs: float = U_PAIRS,
    em_pairs: float = EM_PAIRS,
    seed: int = SEED,
    resources: Resources | None = None,
) -> Model:
    """A model trained without labels on ``rows``.

    Rows too few to train on (``priors.too_little``) give a model set from the priors instead,
    its ``reason`` saying why.
    """
    optional = optional_columns(rows)
    model = _open(rows, settings(optional), resources)
    *pairs, matches = _training_pairs(model.connection).items()
    reason = priors.too_little(len(rows), dict(pairs), matches[1])
    if reason is not None:
        model.close()
        declared = settings(optional).create_settings_dict("duckdb")
        model = _open(rows, priors.with_priors(declared), resources)
        model.untrained = reason
        return model
    training = model.linker.training
    deterministic: list[str | BlockingRuleCreator] = list(DETERMINISTIC)
    if "identifier" in optional:
        deterministic.append(block_on("identifier"))
    training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    for rule in TRAINING_BLOCKING:
        training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=em_pairs
        )
    return model


def _training_pairs(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Pairs of records agreeing on each training blocking rule's keys, and on the keys of the
    deterministic rule the share of matching pairs is estimated from."""
    result: dict[str, int] = {}
    for keys in (*TRAINING_KEYS, DETERMINISTIC_KEYS):
        known = " AND ".join(f"{k} IS NOT NULL" for k in keys)
        # Every row fetched, so the connection has no unfinished result left for Splink.
        found = connection.execute(
            f"SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM records"
            f" WHERE {known} GROUP BY {', '.join(keys)})"
        ).fetchall()
        result[" and ".join(k.replace("_", " ") for k in keys)] = int(found[0][0])
    return result


def load(
    rows: Sequence[Row] | pa.Table,
    model_json: dict[str, Any],
    *,
    resources: Resources | None = None,
    stored_frequencies: bool = False,
) -> Model:
    """A trained model (as saved by ``Model.to_json``) over ``rows``.

    Term frequencies come from ``rows`` unless ``stored_frequencies``, when they are those saved
    with the model (for scoring a few records as they would be scored within the whole index).
    """
    splink_json = {
        k: v for k, v in model_json.items() if k not in (TERM_FREQUENCIES, priors.PRIORS)
    }
    stored = model_json.get(TERM_FREQUENCIES) if stored_frequencies else None
    model = _open(rows, splink_json, resources, stored)
    model.untrained = model_json.get(priors.PRIORS)
    return model


PAIR_FIELDS = ("unique_id_l", "unique_id_r", "match_probability", "match_weight")


def pair_rows(scored: SplinkDataFrame, labels: dict[str, dict[int, str]]) -> list[dict[str, Any]]:
    """Scored pairs as dicts: both ids, probability, weight and ``evidence`` per comparison."""
    table = scored.as_duckdbpyrelation()
    return pair_dicts(list(table.columns), table.fetchall(), labels)


def pair_dicts(
    names: Sequence[str], rows: Iterable[Sequence[Any]], labels: dict[str, dict[int, str]]
) -> list[dict[str, Any]]:
    """Rows of Splink's scored pairs (columns ``names``) as ``pair_rows`` gives them."""
    comparisons = [n[3:] for n in names if n.startswith("mw_") and not n.startswith("mw_tf_adj_")]
    result = []
    for values in rows:
        record = dict(zip(names, values, strict=True))
        evidence = {}
        for name in comparisons:
            weight = record.get(f"mw_{name}") or 0.0
            adjustment = record.get(f"mw_tf_adj_{name}") or 0.0
            level = record.get(f"gamma_{name}")
            evidence[name] = {
                "level": labels.get(name, {}).get(int(level), str(level))
                if level is not None
                else "not compared",
                "match_weight": round(float(weight + adjustment), 3),
            }
        pair = {f: record[f] for f in PAIR_FIELDS}
        pair["evidence"] = evidence
        result.append(pair)
    return result

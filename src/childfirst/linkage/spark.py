"""The same linkage model on Spark, for a national-scale re-link.

DuckDB is the embedded engine; a force (or a national service) with more records than one machine
links can run the same settings and trained model on a Spark cluster. The model's settings use
Splink's dialect-independent creators and declare their hand-written SQL in DuckDB's dialect, so
Splink translates them; Jaro-Winkler and the other string similarities come from the jar Splink
ships, which ``local_session`` puts on the class path.

Needs the ``spark`` extra (``pip install 'childfirst[spark]'``) and Java 17 or later.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from childfirst.linkage import model as linkage_model
from childfirst.linkage.frame import LIST_COLUMNS, Row


def local_session(
    cores: int = 2, app: str = "childfirst-linkage", checkpoints: Path | None = None
) -> Any:
    """A local Spark session with Splink's similarity functions, sized for a test or one machine.

    Splink checkpoints intermediate tables to cut Spark's lineage; they go to ``checkpoints``, by
    default a new folder in the system's temporary directory.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.default.parallelism", str(cores * 2))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    folder = checkpoints or Path(tempfile.mkdtemp(prefix="childfirst-spark-"))
    session.sparkContext.setCheckpointDir(str(folder))
    return session


def _spark_frame(spark: Any, rows: Sequence[Row] | pa.Table) -> Any:
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType

    table = linkage_model.arrow_table(rows)
    schema = StructType(
        [
            StructField(c, ArrayType(StringType()) if c in LIST_COLUMNS else StringType())
            for c in table.column_names
        ]
    )
    return spark.createDataFrame(table.to_pylist(), schema=schema)


def predict(
    spark: Any, rows: Sequence[Row] | pa.Table, model_json: dict[str, Any], threshold: float
) -> list[dict[str, Any]]:
    """Score ``rows`` with a trained model on Spark, as ``Model.predict`` does on DuckDB.

    The model is the one saved from DuckDB, its settings declared for Spark
    (``model.trained_settings``). Term frequencies come from ``rows``, as in a batch run.
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    linkage_model.quiet_splink()
    splink_json = linkage_model.trained_settings(model_json, "spark")
    api = SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    frame = api.register(_spark_frame(spark, rows), table_name="records")
    linker = Linker(frame, splink_json, log_level=None)
    scored = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    columns = ("unique_id_l", "unique_id_r", "match_probability", "match_weight")
    return [{c: r[c] for c in columns} for r in scored.as_record_list()]

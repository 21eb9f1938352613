"""Ingestion on Spark: read a CSV/Parquet table and validate it against its DatasetSpec.

The same checks, in the same order and with the same messages (the message functions of
:mod:`daikiri.ingest`), as the pandas path, and the same clean table: id, numeric columns as
doubles, derived features, categories as text, labels as 0/1 bytes, the any-failure label, the
ignored columns. The data never comes to the driver: checks are Spark aggregations, and only
what a message shows (the first rows, a few values) is collected.

CSV columns are read as text and converted here, so a non-numeric value is reported instead
of silently becoming null; in numeric and label columns pandas' missing-value spellings
(``NA``, ``n/a``, ``null``...) count as missing, in text columns (id, categories) only an empty
cell does — the pandas path's rule (:data:`daikiri.ingest.NA_STRINGS`).
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from daikiri import ingest as checks
from daikiri.errors import DataValidationError, RowSample
from daikiri.ingest import IngestSummary
from daikiri.spark.session import ROW_ID, row_numbers, with_row_ids
from daikiri.spec import DatasetSpec
from daikiri.storage import StoredPath

log = logging.getLogger(__name__)

_NUMBER = r"^[+-]?((\d+\.?\d*)|(\.\d+))([eE][+-]?\d+)?$"
_INFINITY = r"^(?i)[+-]?inf(inity)?$"
_BOOLEAN = ["true", "false"]
_CORRUPT = "__daikiri_corrupt"
_SHOWN = 5


# ---------------------------------------------------------------------------- reading
def read_table(spark: SparkSession, path: str | Path,
               text_columns: list[str] | None = None) -> tuple[DataFrame, str]:
    """Read a CSV/TSV (every column as text) or Parquet file; (frame, "csv" | "parquet").
    In ``text_columns`` only an empty cell is missing, elsewhere :data:`NA_STRINGS` too.

    ``path`` is a local path or a URI (``gs://``, ``s3://``, ``file://``): on a cluster the
    executors read the table where it is stored, and the driver's checks read it through
    fsspec, so nothing is downloaded to the driver first.
    """
    path = StoredPath(str(path))
    kind = checks.check_file(path)
    if kind == "parquet":
        try:
            frame = spark.read.parquet(path.spark_location())
            empty = frame.isEmpty()
        except Exception as exc:  # the JVM's error types say nothing a user can act on
            first = str(exc).strip().splitlines()[0][:200]
            raise DataValidationError(f"table file '{path}' is not a readable Parquet file "
                                      f"({type(exc).__name__}: {first})") from None
        if empty:
            raise DataValidationError(f"table file '{path}' has no data rows")
        return frame, kind
    checks.check_utf8_text(path)
    sep = checks.csv_separator(path)
    header = _header(path, sep)
    schema = T.StructType([T.StructField(c, T.StringType()) for c in header]
                          + [T.StructField(_CORRUPT, T.StringType())])
    frame = (spark.read.option("header", True).option("sep", sep).option("quote", '"')
             .option("escape", '"').option("ignoreLeadingWhiteSpace", True)
             .option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", _CORRUPT)
             .option("nullValue", "\0never\0").schema(schema).csv(path.spark_location()))
    frame = with_row_ids(frame)
    _check_field_counts(frame, path, sep, len(header))
    if frame.isEmpty():
        raise DataValidationError(f"table file '{path}' has a header but no data rows")
    text = set(text_columns or [])
    na = [F.when(F.col(c).isin([""] if c in text else checks.NA_STRINGS), F.lit(None))
          .otherwise(F.col(c)).alias(c) for c in header]
    return frame.select(*na, ROW_ID), kind


def _header(path: StoredPath, sep: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
    names = next(csv.reader(io.StringIO(first), delimiter=sep, skipinitialspace=True), [])
    if not first.strip() or not names:
        raise DataValidationError(f"table file '{path}' has no header line and no data")
    return names


def _check_field_counts(frame: DataFrame, path: StoredPath, sep: str, expected: int) -> None:
    """A row with more fields than the header is an error (pandas' rule; fewer fields read as
    missing values). The message names the first such line, header counted, like pandas."""
    # every column is selected: with fewer, Spark parses only those (column pruning) and
    # does not see the extra fields; it also refuses a query of the corrupt column alone
    suspects = [(r[_CORRUPT], r[ROW_ID]) for r in frame.where(F.col(_CORRUPT).isNotNull())
                .select(*frame.columns).orderBy(ROW_ID).limit(1000).collect()]
    for text, row_id in suspects:
        fields = next(csv.reader(io.StringIO(text), delimiter=sep), [])
        if len(fields) > expected:
            [number] = row_numbers(frame, [row_id])
            raise DataValidationError(
                f"table file '{path}' is not a well-formed CSV: Expected {expected} fields in "
                f"line {number + 1}, saw {len(fields)}")


# ---------------------------------------------------------------------------- validating
class _Rows:
    """Row numbers and samples for messages, computed only when a check fails."""

    def __init__(self, frame: DataFrame) -> None:
        self.frame = frame

    def where(self, condition: Column, *columns: str) -> tuple[RowSample, list]:
        hits = self.frame.where(condition)
        total = hits.count()
        first = hits.orderBy(ROW_ID).select(ROW_ID, *columns).limit(_SHOWN).collect()
        numbers = row_numbers(self.frame, [r[ROW_ID] for r in first])
        return RowSample(numbers, total), [tuple(r)[1:] for r in first]

    def any(self, condition: Column) -> bool:
        return not self.frame.where(condition).isEmpty()


def _sample(frame: DataFrame, hits: DataFrame) -> RowSample:
    """Input row numbers (in ``frame``) of the first few of ``hits``, and how many there are."""
    first = [r[ROW_ID] for r in hits.orderBy(ROW_ID).select(ROW_ID).limit(_SHOWN).collect()]
    return RowSample(row_numbers(frame, first), hits.count())


def validate_table(frame: DataFrame, spec: DatasetSpec, source: str = "table",
                   kind: str = "parquet") -> tuple[DataFrame, IngestSummary]:
    """Check ``frame`` against ``spec``; (clean Spark DataFrame, summary) or the pandas path's
    error. ``kind`` "csv" means every column arrived as text."""
    spec.validate()
    if ROW_ID not in frame.columns:
        frame = with_row_ids(frame)
    present = [c for c in frame.columns if c != ROW_ID]
    rows_read = frame.count()
    if rows_read == 0:
        raise checks.empty_table_error(source)
    checks.check_columns(present, spec, source)
    frame = frame.cache()
    rows = _Rows(frame)

    numeric = {c: _numeric_column(frame, rows, c, source) for c in spec.numeric_columns}
    for column, value in numeric.items():
        if rows.any(F.abs(value) == float("inf")):
            sample, _ = rows.where(F.abs(value) == float("inf"))
            raise checks.infinite_error(source, column, sample)

    missing: list[Column] = []
    for column in spec.numeric_columns + spec.categorical_columns:
        value = numeric.get(column, F.col(column))
        absent = value.isNull() | (F.isnan(value) if column in numeric else F.lit(False))
        if rows.any(absent):
            if spec.nan_policy == "error":
                sample, _ = rows.where(absent)
                raise checks.missing_values_error(source, column, sample)
            missing.append(absent)

    _check_ids(frame, rows, spec.id_column, source)
    labels = {c: _label_column(frame, rows, c, source, kind) for c in spec.label_columns}

    dropped = F.lit(False)
    for absent in missing:
        dropped = dropped | absent
    dropped_count = frame.where(dropped).count() if missing else 0
    if dropped_count == rows_read:
        raise checks.all_rows_dropped_error(source)
    if dropped_count:
        log.warning("%s: dropped %d of %d rows with missing feature values (nan_policy=drop)",
                    source, dropped_count, rows_read)
    dropped_ids = ([str(r[0]) for r in frame.where(dropped).orderBy(ROW_ID)
                    .select(spec.id_column).limit(1000).collect()] if dropped_count else [])

    kept = frame.where(~dropped)
    columns: dict[str, Column] = dict(numeric)
    for expression in spec.expressions():
        value = expression.build(columns, F.lit)
        columns[expression.name] = value if isinstance(value, Column) else F.lit(float(value))
    clean = kept.select(F.col(spec.id_column), *[v.alias(c) for c, v in columns.items()],
                        *[F.col(c).cast("string").alias(c) for c in spec.categorical_columns],
                        *[v.alias(c) for c, v in labels.items()],
                        *[F.col(c) for c in spec.ignore_columns], ROW_ID)
    for expression in spec.expressions():
        value = F.col(expression.name)
        bad = value.isNull() | F.isnan(value) | (F.abs(value) == float("inf"))
        if not clean.where(bad).isEmpty():
            raise checks.derived_not_finite_error(source, expression.name, expression.source,
                                                  _sample(frame, clean.where(bad)))
    sums = clean.agg(F.count(F.lit(1)).alias("__n"),
                     *[F.sum(c).alias(c) for c in spec.label_columns]).first()
    kept_count = sums["__n"]
    for column in spec.label_columns:
        if sums[column] in (0, kept_count):
            raise checks.single_class_error(source, column, 0 if sums[column] == 0 else 1,
                                            kept_count)
    if spec.any_label:
        clean = clean.withColumn(spec.any_label,
                                 F.greatest(*[F.col(c) for c in spec.label_columns]))
    order = ([spec.id_column] + list(columns) + spec.categorical_columns
             + spec.label_columns + ([spec.any_label] if spec.any_label else [])
             + spec.ignore_columns)
    clean = clean.select(*order)
    counts = {c: int(sums[c]) for c in spec.label_columns}
    if spec.any_label:
        counts[spec.any_label] = clean.where(F.col(spec.any_label) == 1).count()
    summary = IngestSummary(source=source, rows_read=rows_read, rows_kept=kept_count,
                            rows_dropped=dropped_count, dropped_ids=dropped_ids,
                            label_counts=counts, feature_columns=spec.feature_columns)
    return clean, summary


def _numeric_column(frame: DataFrame, rows: _Rows, column: str, source: str) -> Column:
    field = frame.schema[column].dataType
    if isinstance(field, T.BooleanType):
        raise checks.boolean_numeric_error(source, column)
    if isinstance(field, T.NumericType):
        return F.col(column).cast("double")
    text = F.trim(F.col(column))
    valid = text.rlike(_NUMBER) | text.rlike(_INFINITY)
    bad = F.col(column).isNotNull() & (text != "") & ~valid
    if rows.any(bad):
        sample, values = rows.where(bad, column)
        raise checks.non_numeric_error(source, column, [v[0] for v in values], sample)
    return F.when(valid, text.cast("double"))


def _check_ids(frame: DataFrame, rows: _Rows, column: str, source: str) -> None:
    if rows.any(F.col(column).isNull()):
        sample, _ = rows.where(F.col(column).isNull())
        raise checks.missing_ids_error(source, column, sample)
    repeated = frame.groupBy(column).count().where(F.col("count") > 1)
    if not repeated.isEmpty():
        ids = [str(r[0]) for r in repeated.select(F.col(column).cast("string"))
               .orderBy(F.col(column).cast("string")).limit(_SHOWN).collect()]
        duplicated = frame.join(repeated.select(column), on=column, how="left_semi")
        raise checks.duplicate_ids_error(source, column, ids, _sample(frame, duplicated))


def _label_column(frame: DataFrame, rows: _Rows, column: str, source: str,
                  kind: str) -> Column:
    """0/1 as a byte; anything else is the pandas path's error, with values shown as pandas
    would have typed them (ints, floats when a value is missing or fractional, else text)."""
    field = frame.schema[column].dataType
    raw = F.col(column)
    if isinstance(field, T.BooleanType):
        return raw.cast("byte")
    if kind == "csv" and frame.where(raw.isNotNull() & ~F.lower(F.trim(raw)).isin(_BOOLEAN)
                                     ).isEmpty() and not rows.any(raw.isNull()):
        return (F.lower(F.trim(raw)) == "true").cast("byte")  # pandas reads a bool column
    number = raw.cast("double") if isinstance(field, T.NumericType) else F.when(
        F.trim(raw).rlike(_NUMBER) | F.trim(raw).rlike(_INFINITY), F.trim(raw).cast("double"))
    bad = number.isNull() | ~number.isin(0.0, 1.0)
    if not rows.any(bad):
        return number.cast("byte")
    sample, values = rows.where(bad, column)
    # values as read (a typed column, or a CSV text column) unless pandas would have parsed
    # the CSV column as numbers: then floats when one is missing or fractional, else ints
    as_read = (isinstance(field, T.NumericType) or kind != "csv" or rows.any(
        raw.isNotNull() & ~(F.trim(raw).rlike(_NUMBER) | F.trim(raw).rlike(_INFINITY))))
    fractional = not as_read and rows.any(raw.isNull() | (F.trim(raw).cast("double")
                                                          != F.floor(F.trim(raw).cast("double"))))
    shown: list[object] = [float("nan") if v[0] is None else v[0] if as_read
                           else float(v[0]) if fractional else int(float(v[0])) for v in values]
    raise checks.bad_label_error(source, column, shown, sample)


def load_table(spark: SparkSession, spec: DatasetSpec, path: str | Path
               ) -> tuple[DataFrame, IngestSummary]:
    """Read and validate ``path`` on Spark (the Spark twin of :func:`daikiri.ingest.load_table`)."""
    frame, kind = read_table(spark, path, [spec.id_column, *spec.categorical_columns])
    source = f"table file '{path}'"
    clean, summary = validate_table(frame, spec, source, kind)
    log.info("%s: %d rows read, %d kept, labels %s (Spark)", source, summary.rows_read,
             summary.rows_kept, summary.label_counts)
    return clean, summary

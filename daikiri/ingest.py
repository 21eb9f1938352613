"""Reading a user's table and validating it against its DatasetSpec.

``read_table`` turns a CSV or Parquet file into a DataFrame, or fails with a message naming
the file and what is wrong with it (missing, not a table, not UTF-8, ragged rows, empty).
``validate_table`` checks a DataFrame against a spec — columns, types, missing and infinite
values, ids, labels — adds the derived features and returns a clean, typed table. Row numbers
in messages are 1-based data rows (the header is not counted).
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from daikiri.errors import DataValidationError, clip, describe_rows
from daikiri.spec import DatasetSpec

if TYPE_CHECKING:
    from daikiri.storage import StoredPath

log = logging.getLogger(__name__)

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES = (".parquet", ".pq")
_CHUNK = 1 << 22


@dataclass
class IngestSummary:
    """What ingestion did: counts people check before trusting the rest of the pipeline."""

    source: str
    rows_read: int
    rows_kept: int
    rows_dropped: int
    dropped_ids: list[str] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)
    feature_columns: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- reading
#: What reads as missing in a CSV's numeric and label columns: pandas' own spellings
#: (pandas._libs.parsers.STR_NA_VALUES). In a text column (id, category) only an empty cell
#: is missing: ``NA`` (a category), ``None`` or ``null`` (an id) are values there.
NA_STRINGS = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
              "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]
#: How a CSV field is read: leading spaces are not part of a value (``1, L, 3.5``).
LEADING_SPACES_NOTE = "leading spaces are not part of a CSV value"


def read_table(path: str | Path, text_columns: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV/TSV or Parquet file; raise :class:`DataValidationError` naming the file.

    ``text_columns`` (ids, categories) are read from CSV as text, so an id ``007`` stays
    ``007`` and only an empty cell is missing there; in the other columns pandas' missing-value
    spellings (:data:`NA_STRINGS`) are missing. Numbers are parsed with exact round-trip
    precision.
    """
    path = Path(path)
    if check_file(path) == "parquet":
        return _read_parquet(path)
    check_utf8_text(path)
    sep = csv_separator(path)
    text = set(text_columns or [])
    options = dict(sep=sep, encoding="utf-8", skipinitialspace=True)
    try:
        header = pd.read_csv(path, nrows=0, **options).columns
        frame = pd.read_csv(path, **options, float_precision="round_trip",
                            dtype=dict.fromkeys(text, str), keep_default_na=False,
                            na_values={c: [""] if c in text else NA_STRINGS for c in header})
    except pd.errors.ParserError as exc:
        raise DataValidationError(f"table file '{path}' is not a well-formed CSV: "
                                  f"{_parser_reason(exc)}") from None
    except pd.errors.EmptyDataError:
        raise DataValidationError(f"table file '{path}' has no header line and no data") from None
    if frame.empty:
        raise DataValidationError(f"table file '{path}' has a header but no data rows")
    return frame


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a corrupt file
        raise DataValidationError(f"table file '{path}' is not a readable Parquet file "
                                  f"({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
                                  ) from None
    if frame.empty:
        raise DataValidationError(f"table file '{path}' has no data rows")
    return frame


def csv_separator(path: Path | StoredPath) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def check_file(path: Path | StoredPath) -> str:
    """The checks before any parsing: the file exists and has a known type; its kind."""
    if not path.exists():
        raise DataValidationError(f"table file '{path}' does not exist")
    if not path.is_file():
        raise DataValidationError(f"table file '{path}' is not a regular file")
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix not in CSV_SUFFIXES:
        raise DataValidationError(f"table file '{path}': unsupported file type '{suffix}'; "
                                  f"expected one of {list(CSV_SUFFIXES + PARQUET_SUFFIXES)}")
    if path.stat().st_size == 0:
        raise DataValidationError(f"table file '{path}' is empty (0 bytes); expected a header "
                                  "line and at least one data row")
    return "csv"


def check_utf8_text(path: Path | StoredPath) -> None:
    """Fail with the line number of the first byte that is not UTF-8 text (or is a NUL)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines = 0, 1
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\0")
            if nul >= 0:
                line = lines + chunk.count(b"\n", 0, nul)
                raise DataValidationError(f"table file '{path}' is binary, not CSV text "
                                          f"(NUL byte at line {line}, byte {offset + nul})")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines + chunk.count(b"\n", 0, exc.start)
                raise DataValidationError(
                    f"table file '{path}' is not UTF-8 text: invalid byte "
                    f"0x{chunk[exc.start]:02x} at line {line} (byte {offset + exc.start}); "
                    "re-save it as UTF-8") from None
            lines += chunk.count(b"\n")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise DataValidationError(f"table file '{path}' is not UTF-8 text: it ends inside a "
                                  "multi-byte character") from None


def _parser_reason(exc: pd.errors.ParserError) -> str:
    text = str(exc).strip().splitlines()[-1]
    # pandas: "Error tokenizing data. C error: Expected 5 fields in line 4, saw 6"
    return text.split("C error: ")[-1]


# ---------------------------------------------------------------------------- validating
def validate_table(frame: pd.DataFrame, spec: DatasetSpec,
                   source: str = "table") -> tuple[pd.DataFrame, IngestSummary]:
    """Check ``frame`` against ``spec`` and return (clean table, summary).

    The clean table has the id column, numeric columns as float64, derived features,
    categorical columns as strings, labels as int8 (plus the any-failure label when the spec
    names one) and the ignored columns, in that order.
    """
    spec.validate()
    if len(frame) == 0:
        raise empty_table_error(source)
    frame = frame.reset_index(drop=True)
    check_columns([str(c) for c in frame.columns], spec, source)
    numeric = {c: _numeric_column(frame[c], c, source) for c in spec.numeric_columns}
    for column, values in numeric.items():
        _reject_infinite(values, column, source)

    keep = np.ones(len(frame), dtype=bool)
    for column in spec.numeric_columns + spec.categorical_columns:
        missing = (numeric[column].isna() if column in numeric
                   else frame[column].isna()).to_numpy()
        if missing.any():
            if spec.nan_policy == "error":
                raise missing_values_error(source, column, _rows(missing))
            keep &= ~missing

    ids = _check_ids(frame[spec.id_column], spec.id_column, source)
    labels = {c: _label_column(frame[c], c, source) for c in spec.label_columns}

    dropped = np.flatnonzero(~keep)
    if len(dropped) == len(frame):
        raise all_rows_dropped_error(source)
    if len(dropped):
        log.warning("%s: dropped %d of %d rows with missing feature values (nan_policy=drop)",
                    source, len(dropped), len(frame))

    clean = pd.DataFrame({spec.id_column: ids})
    for column, values in numeric.items():
        clean[column] = values.astype(np.float64)
    clean = clean.loc[keep].reset_index(drop=True)
    columns = {c: clean[c].to_numpy() for c in spec.numeric_columns}
    for expression in spec.expressions():
        values = expression.evaluate(columns)
        bad = ~np.isfinite(values)
        if bad.any():
            rows = (np.flatnonzero(keep)[np.flatnonzero(bad)] + 1).tolist()
            raise derived_not_finite_error(source, expression.name, expression.source, rows)
        columns[expression.name] = values
        clean[expression.name] = values
    for column in spec.categorical_columns:
        clean[column] = frame.loc[keep, column].astype(str).to_numpy()
    for column, values in labels.items():
        clean[column] = values[keep]
        _check_two_classes(clean[column], column, source)
    if spec.any_label:
        clean[spec.any_label] = clean[spec.label_columns].max(axis=1).astype(np.int8)
    for column in spec.ignore_columns:
        clean[column] = frame.loc[keep, column].to_numpy()

    summary = IngestSummary(
        source=source, rows_read=len(frame), rows_kept=len(clean), rows_dropped=len(dropped),
        dropped_ids=[str(i) for i in ids[dropped][:1000]],
        label_counts={c: int(clean[c].sum()) for c in spec.all_label_columns},
        feature_columns=spec.feature_columns)
    return clean, summary


# ---------------------------------------------------------------------------- messages
# One function per message, shared by the pandas path here and the Spark path
# (daikiri/spark/ingest.py), so both engines report a problem in exactly the same words.
def empty_table_error(source: str) -> DataValidationError:
    return DataValidationError(f"{source} is empty: expected at least one data row")


def missing_values_error(source: str, column: str, rows: Sequence[int]) -> DataValidationError:
    return DataValidationError(
        f"{source}: column '{column}' has {len(rows)} missing/NaN value(s) at "
        f"{describe_rows(rows)}; the spec's nan_policy is 'error' (set nan_policy: "
        "drop to drop such rows)")


def all_rows_dropped_error(source: str) -> DataValidationError:
    return DataValidationError(f"{source}: every row has a missing feature value; nothing "
                               "is left after applying nan_policy 'drop'")


def derived_not_finite_error(source: str, name: str, expression: str,
                             rows: Sequence[int]) -> DataValidationError:
    return DataValidationError(
        f"{source}: derived feature '{name}' = {clip(expression)} is not finite (a division "
        f"by zero, an overflow, or a negative number to a fractional power) at "
        f"{describe_rows(rows)}")


def boolean_numeric_error(source: str, column: str) -> DataValidationError:
    return DataValidationError(f"{source}: numeric column '{column}' holds true/false values; "
                               "expected numbers")


def non_numeric_error(source: str, column: str, samples: list[str],
                      rows: Sequence[int]) -> DataValidationError:
    shown = ", ".join(repr(str(v)) for v in samples[:3])
    return DataValidationError(f"{source}: numeric column '{column}' has non-numeric "
                               f"value(s) {shown} at {describe_rows(rows)}")


def infinite_error(source: str, column: str, rows: Sequence[int]) -> DataValidationError:
    return DataValidationError(f"{source}: numeric column '{column}' has infinite value(s) "
                               f"at {describe_rows(rows)}; expected finite numbers")


def missing_ids_error(source: str, column: str, rows: Sequence[int]) -> DataValidationError:
    return DataValidationError(f"{source}: id column '{column}' has missing value(s) at "
                               f"{describe_rows(rows)}; every row needs an id")


def duplicate_ids_error(source: str, column: str, ids: list[str],
                        rows: Sequence[int]) -> DataValidationError:
    return DataValidationError(f"{source}: id column '{column}' has duplicate id(s) "
                               f"{sorted(ids)[:5]} at {describe_rows(rows)}; ids must be unique "
                               f"({LEADING_SPACES_NOTE})")


def bad_label_error(source: str, column: str, samples: list[object],
                    rows: Sequence[int]) -> DataValidationError:
    shown = ", ".join(repr(v) for v in samples[:3])
    return DataValidationError(f"{source}: label column '{column}' must hold 0 or 1, found "
                               f"{shown} at {describe_rows(rows)}")


def single_class_error(source: str, column: str, value: int, rows: int) -> DataValidationError:
    return DataValidationError(
        f"{source}: label column '{column}' has a single class ({value} in all "
        f"{rows} rows); a fault label needs both 0 and 1 rows to be learned or "
        "explained — drop it from label_columns or use a larger table")


def _rows(mask: np.ndarray) -> list[int]:
    """1-based row numbers where ``mask`` is true."""
    return (np.flatnonzero(mask) + 1).tolist()


def check_columns(present: list[str], spec: DatasetSpec, source: str) -> None:
    """The table's column names against the spec: none missing, duplicated or unexplained."""
    duplicated = sorted({c for c in present if present.count(c) > 1})
    if duplicated:
        raise DataValidationError(f"{source}: duplicated column name(s) {duplicated}")
    missing = [c for c in spec.input_columns if c not in present]
    if missing:
        raise DataValidationError(f"{source}: missing column(s) {missing} required by spec "
                                  f"'{spec.name}'; the table has {present}")
    derived_clash = [c for c in present if c in spec.derived or c == spec.any_label]
    extra = [c for c in present if c not in spec.input_columns and c not in derived_clash]
    if derived_clash:
        raise DataValidationError(f"{source}: column(s) {derived_clash} are derived by spec "
                                  f"'{spec.name}' and must not be in the table")
    if extra:
        raise DataValidationError(f"{source}: unexpected column(s) {extra} not described by "
                                  f"spec '{spec.name}'; declare them in the spec (e.g. under "
                                  "ignore_columns) or remove them")


def _numeric_column(values: pd.Series, column: str, source: str) -> pd.Series:
    if pd.api.types.is_bool_dtype(values):
        raise boolean_numeric_error(source, column)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(np.float64)
    text = values.astype("string").str.strip()
    converted = pd.to_numeric(text, errors="coerce")
    bad = (converted.isna() & text.notna() & (text != "")).to_numpy()
    if bad.any():
        raise non_numeric_error(source, column, [str(v) for v in values[bad].head(3)],
                                _rows(bad))
    return converted.astype(np.float64)


def _reject_infinite(values: pd.Series, column: str, source: str) -> None:
    infinite = np.isinf(values.to_numpy())
    if infinite.any():
        raise infinite_error(source, column, _rows(infinite))


def _check_ids(values: pd.Series, column: str, source: str) -> np.ndarray:
    missing = values.isna().to_numpy()
    if missing.any():
        raise missing_ids_error(source, column, _rows(missing))
    duplicated = values.duplicated(keep=False).to_numpy()
    if duplicated.any():
        raise duplicate_ids_error(source, column, list({str(v) for v in values[duplicated]}),
                                  _rows(duplicated))
    return values.to_numpy()


def _label_column(values: pd.Series, column: str, source: str) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce") if not pd.api.types.is_bool_dtype(
        values) else values.astype(np.int8)
    bad = ~numbers.isin([0, 1]).to_numpy()
    if bad.any():
        raise bad_label_error(source, column, values[bad].head(3).tolist(), _rows(bad))
    return numbers.to_numpy().astype(np.int8)


def _check_two_classes(values: pd.Series, column: str, source: str) -> None:
    classes = sorted(values.unique().tolist())
    if len(classes) < 2:
        raise single_class_error(source, column, classes[0], len(values))


# ---------------------------------------------------------------------------- the entry point
def load_table(spec: DatasetSpec, path: str | Path | None = None, rows: int = 10_000,
               seed: int = 42) -> tuple[pd.DataFrame, IngestSummary]:
    """Read and validate ``path``, or generate the embedded default data when ``path`` is None."""
    if path is None:
        from daikiri.datagen import generate_machine_runs

        frame = generate_machine_runs(rows=rows, seed=seed)
        source = f"generated default data ({rows} rows, seed {seed})"
    else:
        frame = read_table(path, [spec.id_column, *spec.categorical_columns])
        source = f"table file '{path}'"
    clean, summary = validate_table(frame, spec, source)
    log.info("%s: %d rows read, %d kept, labels %s", source, summary.rows_read,
             summary.rows_kept, summary.label_counts)
    return clean, summary

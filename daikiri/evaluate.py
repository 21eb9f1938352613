"""Evaluate a learned class expression (JSON AST) directly on table rows.

For knowledge graphs built from a table, every class and data property maps back to a column:
the entity class, categorical value classes, label classes and numeric/derived properties.
This lets the platform score an explanation of the *model* against the *truth* on the same
rows without another Java run, and cross-checks the learner's own counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from daikiri.errors import DaikiriError
from daikiri.kg.naming import vocabulary
from daikiri.spec import DatasetSpec


def covers(ast: Mapping[str, Any], table: pd.DataFrame, spec: DatasetSpec) -> np.ndarray:
    """Boolean mask of the rows of ``table`` that are instances of the expression."""
    categories = {c: sorted(table[c].astype(str).unique()) for c in spec.categorical_columns}
    vocab = vocabulary(spec, categories)
    classes: dict[str, np.ndarray] = {vocab.entity: np.ones(len(table), dtype=bool)}
    for column, values in vocab.value_classes.items():
        for value, iri in values.items():
            classes[iri] = (table[column].astype(str) == value).to_numpy()
    for column, iri in vocab.label_classes.items():
        if column in table:
            classes[iri] = (table[column] == 1).to_numpy()
    columns = {iri: column for column, iri in vocab.properties.items()}
    return _eval(ast, table, classes, columns)


def _eval(ast: Mapping[str, Any], table: pd.DataFrame, classes: dict[str, np.ndarray],
          columns: dict[str, str]) -> np.ndarray:
    kind = ast["type"]
    if kind == "top":
        return np.ones(len(table), dtype=bool)
    if kind == "bottom":
        return np.zeros(len(table), dtype=bool)
    if kind == "class":
        if ast["iri"] not in classes:
            raise DaikiriError(f"cannot evaluate class <{ast['iri']}> on the table: it is not "
                               "derived from a column")
        return classes[ast["iri"]]
    if kind == "not":
        return ~_eval(ast["operand"], table, classes, columns)
    if kind in ("and", "or"):
        parts = [_eval(op, table, classes, columns) for op in ast["operands"]]
        return np.logical_and.reduce(parts) if kind == "and" else np.logical_or.reduce(parts)
    if kind == "data_range":
        column = columns.get(ast["property"])
        if column is None:
            raise DaikiriError(f"cannot evaluate property <{ast['property']}> on the table")
        values = table[column].to_numpy(dtype=np.float64)
        mask = ~np.isnan(values)
        if ast.get("min") is not None:
            mask &= values >= ast["min"]
        if ast.get("max") is not None:
            mask &= values <= ast["max"]
        return mask
    raise DaikiriError(f"cannot evaluate a {kind!r} restriction on a table (object "
                       "properties have no column)")


def f1_against(mask: np.ndarray, truth: np.ndarray) -> float:
    tp = int((mask & (truth == 1)).sum())
    return 2 * tp / max(1, int(mask.sum()) + int((truth == 1).sum()))

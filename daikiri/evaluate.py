"""Evaluate a learned class expression directly on table rows.

For knowledge graphs built from a table, every class and data property maps back to a column:
the entity class, categorical value classes, label classes and numeric/derived properties.
This lets the platform score an explanation of the *model* against the *truth* on the same
rows without another Java run, and cross-checks the learner's own counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from daikiri import concepts as ce
from daikiri.errors import DaikiriError
from daikiri.kg.naming import categories_of, vocabulary
from daikiri.spec import DatasetSpec


def covers(expression: ce.Concept, table: pd.DataFrame, spec: DatasetSpec) -> np.ndarray:
    """Boolean mask of the rows of ``table`` that are instances of the expression."""
    vocab = vocabulary(spec, categories_of(table, spec))
    classes: dict[str, np.ndarray] = {vocab.entity: np.ones(len(table), dtype=bool)}
    for column, values in vocab.value_classes.items():
        for value, iri in values.items():
            classes[iri] = (table[column].astype(str) == value).to_numpy()
    for column, iri in vocab.label_classes.items():
        if column in table:
            classes[iri] = (table[column] == 1).to_numpy()
    columns = {iri: column for column, iri in vocab.properties.items()}
    return _eval(expression, table, classes, columns)


def _eval(expression: ce.Concept, table: pd.DataFrame, classes: dict[str, np.ndarray],
          columns: dict[str, str]) -> np.ndarray:
    match expression:
        case ce.Top():
            return np.ones(len(table), dtype=bool)
        case ce.Bottom():
            return np.zeros(len(table), dtype=bool)
        case ce.NamedClass(iri):
            if iri not in classes:
                raise DaikiriError(f"cannot evaluate class <{iri}> on the table: it is not "
                                   "derived from a column")
            return classes[iri]
        case ce.Not(operand):
            return ~_eval(operand, table, classes, columns)
        case ce.And(operands):
            return np.logical_and.reduce([_eval(o, table, classes, columns) for o in operands])
        case ce.Or(operands):
            return np.logical_or.reduce([_eval(o, table, classes, columns) for o in operands])
        case ce.DataRange(prop, low, high):
            column = columns.get(prop)
            if column is None:
                raise DaikiriError(f"cannot evaluate property <{prop}> on the table")
            values = table[column].to_numpy(dtype=np.float64)
            mask = ~np.isnan(values)
            if low is not None:
                mask &= values >= low
            if high is not None:
                mask &= values <= high
            return mask
        case ce.Some() | ce.All() | ce.MinCardinality() | ce.HasValue():
            raise DaikiriError(f"cannot evaluate a {type(expression).__name__} restriction on "
                               "a table (object properties have no column)")
    raise ce.unsupported("evaluation on a table", expression)


def f1_against(mask: np.ndarray, truth: np.ndarray) -> float:
    tp = int((mask & (truth == 1)).sum())
    return 2 * tp / max(1, int(mask.sum()) + int((truth == 1).sum()))

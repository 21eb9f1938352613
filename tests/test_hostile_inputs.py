"""Property-based: whatever text or mapping arrives, the parser and evaluator of derived
features and the spec loader return a clean result or raise the platform's own error — never
a raw ZeroDivisionError, OverflowError, RecursionError, MemoryError, TypeError, KeyError or
IndexError (issue 21)."""

from __future__ import annotations

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daikiri.errors import SpecError
from daikiri.expressions import parse_expression
from daikiri.spec import DatasetSpec, default_spec, load_yaml

TOKENS = ["a", "b", "pi", "e", "0", "1", "0.0", "2.5", "1e308", "9" * 40, "+", "-", "*", "/",
          "**", "(", ")", " ", "x", ".", "_", "__import__", "'s'", "[", "]", ",", "lambda",
          ":", "True", "None", "1j", "@", "%", "//", "~", "<", "if"]
ARRAYS = {"a": np.array([1.0, -2.0, 0.0, 1e300]), "b": np.array([0.0, 3.0, -1.0, -1e-300])}


def _tree(leaves: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Well-formed expressions of any depth, so the evaluator itself is exercised."""
    return st.recursive(
        leaves, lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner)
            .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda s: f"-{s}")),
        max_leaves=80)


EXPRESSIONS = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=80).map("".join),
    st.text(max_size=120),
    _tree(st.sampled_from(["a", "b", "pi", "0", "1", "2.5", "1e308", "-1", "0.5"])))


@given(EXPRESSIONS)
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_expression_is_evaluated_or_refused_with_a_spec_error(source):
    try:
        expression = parse_expression("x", source, ["a", "b"])
    except SpecError as error:
        assert str(error).startswith("derived feature 'x': ")
        assert len(str(error)) < 600
        return
    values = expression.evaluate(ARRAYS)
    assert values.shape == (4,) and values.dtype == np.float64


FIELDS = [f.name for f in dataclasses.fields(DatasetSpec)]
YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=4),
    max_leaves=20)


@given(st.dictionaries(st.sampled_from([*FIELDS, "bogus"]), YAML_VALUES, max_size=10))
@settings(max_examples=300, deadline=None)
def test_any_mapping_is_a_spec_or_a_spec_error(data):
    try:
        DatasetSpec.from_dict(data)
    except SpecError:
        pass


@given(st.sampled_from(FIELDS), YAML_VALUES)
@settings(max_examples=300, deadline=None)
def test_one_bad_value_in_a_good_spec_is_a_spec_error_or_accepted(key, value):
    data = default_spec().to_dict() | {key: value}
    try:
        DatasetSpec.from_dict(data)
    except SpecError:
        pass


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_yaml_text_loads_or_is_a_spec_error(text):
    try:
        load_yaml(text, "spec file 's.yaml'")
    except SpecError as error:
        assert str(error).startswith("spec file 's.yaml'")

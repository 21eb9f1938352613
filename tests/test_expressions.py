import math

import numpy as np
import pytest

from daikiri.errors import SpecError
from daikiri.expressions import parse_expression

COLUMNS = ["torque_nm", "rotational_speed_rpm", "a", "b"]


def test_power_expression_evaluates_elementwise():
    expr = parse_expression("power_w", "torque_nm * rotational_speed_rpm * 2 * pi / 60", COLUMNS)
    assert expr.columns == ("torque_nm", "rotational_speed_rpm")
    values = expr.evaluate({"torque_nm": np.array([40.0, 10.0]),
                            "rotational_speed_rpm": np.array([1500.0, 3000.0])})
    assert values == pytest.approx([40 * 1500 * 2 * math.pi / 60, 10 * 3000 * 2 * math.pi / 60])


@pytest.mark.parametrize("source, expected", [
    ("-(a - b) ** 2 + 1", lambda a, b: -((a - b) ** 2) + 1),
    ("a / b * e", lambda a, b: a / b * math.e),
    ("+a - -b", lambda a, b: a + b),
    ("(a + b) * (a - b) / 2.5", lambda a, b: (a + b) * (a - b) / 2.5),
])
def test_arithmetic_matches_python(source, expected):
    a, b = np.array([1.5, -2.0, 3.0]), np.array([0.5, 4.0, -1.0])
    values = parse_expression("x", source, COLUMNS).evaluate({"a": a, "b": b})
    assert values == pytest.approx(expected(a, b))


def test_constant_expression_broadcasts_to_table_length():
    values = parse_expression("two_pi", "2 * pi", COLUMNS).evaluate({"a": np.zeros(4)})
    assert values.shape == (4,) and values[0] == pytest.approx(2 * math.pi)


@pytest.mark.parametrize("source, fragment", [
    ("__import__('os').system('true')", "function calls are not allowed"),
    ("a.real", "attribute access is not allowed"),
    ("exp(a)", "function calls are not allowed"),
    ("a if b else 1", "IfExp is not allowed"),
    ("a < b", "Compare is not allowed"),
    ("a % b", "operator Mod"),
    ("'text' * 2", "constant 'text' is not a number"),
    ("lambda: a", "Lambda is not allowed"),
    ("[a, b]", "List is not allowed"),
    ("True + a", "constant True is not a number"),
])
def test_non_arithmetic_is_rejected_with_the_reason(source, fragment):
    with pytest.raises(SpecError) as info:
        parse_expression("bad", source, COLUMNS)
    assert "derived feature 'bad'" in str(info.value)
    assert "is not arithmetic" in str(info.value) and fragment in str(info.value)


def test_unknown_column_is_named():
    with pytest.raises(SpecError, match="references unknown column 'torq'"):
        parse_expression("power_w", "torq * rotational_speed_rpm", COLUMNS)


def test_syntax_error_is_reported_not_raised_raw():
    with pytest.raises(SpecError, match="is not a valid arithmetic expression"):
        parse_expression("x", "a * (b", COLUMNS)


def test_empty_expression_is_rejected():
    with pytest.raises(SpecError, match="expected an arithmetic expression"):
        parse_expression("x", "  ", COLUMNS)


# ---------------------------------------------------------------- hostile expressions (#21)
@pytest.mark.parametrize("source", ["1/0", "a * (1/0)", "10**10**10", "(-8)**0.5", "a ** 1e308"])
def test_constants_follow_numpy_arithmetic_never_a_python_error(source):
    """What Python's floats raise on (ZeroDivisionError, OverflowError, a complex result)
    is inf/NaN here, which ingestion reports as "not finite" naming the feature."""
    values = parse_expression("x", source, COLUMNS).evaluate({"a": np.array([2.0, 3.0])})
    assert values.dtype == np.float64 and not np.isfinite(values).all()


def test_a_constant_beyond_float64_is_refused_when_parsed():
    with pytest.raises(SpecError) as info:
        parse_expression("x", "9" * 400 + " * a", COLUMNS)
    assert "is beyond the range of a 64-bit float" in str(info.value)
    assert len(str(info.value)) < 400


@pytest.mark.parametrize("source, fragment", [
    ("+".join(["a"] * 1_000), "at most 1,000 are allowed"),
    ("+".join(["a"] * 10_000), "at most 1,000 are allowed"),
    ("-" * 900 + "a", "levels deep; at most 64"),
    ("(" * 10_000 + "a" + ")" * 10_000, "at most 1,000 are allowed"),
    ("+".join(["a"] * 400), "levels deep; at most 64"),
])
def test_oversized_expressions_are_refused_in_one_short_message(source, fragment):
    with pytest.raises(SpecError) as info:
        parse_expression("big", source, COLUMNS)
    message = str(info.value)
    assert fragment in message and message.startswith("derived feature 'big': ")
    assert len(message) < 400  # never echoes the whole input


def test_a_derived_feature_that_is_not_finite_fails_ingestion_naming_it():
    from daikiri.errors import DataValidationError
    from daikiri.ingest import load_table
    from daikiri.spec import DatasetSpec, default_spec

    data = default_spec().to_dict()
    data["derived"] = {**data["derived"], "ratio": "torque_nm / (1/0 - 1/0)"}
    spec = DatasetSpec.from_dict(data)
    with pytest.raises(DataValidationError, match="derived feature 'ratio' = torque_nm / "
                                                  r"\(1/0 - 1/0\) is not finite"):
        load_table(spec, None, rows=200, seed=1)

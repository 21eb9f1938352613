"""Safe arithmetic expressions over table columns (derived features of a DatasetSpec).

A derived feature such as ``power_w: torque_nm * rotational_speed_rpm * 2 * pi / 60`` is parsed
with Python's ``ast`` module and checked against a whitelist: numbers, column names, the
constants ``pi`` and ``e``, parentheses, unary ``+``/``-`` and the binary operators
``+ - * / **``. Nothing is ever passed to ``eval``; evaluation walks the checked tree with numpy,
so an expression cannot call functions, read attributes or touch anything but its columns.
Constants are evaluated as numpy float64 like the columns, so ``1/0`` or ``(-8)**0.5`` give
inf / NaN (which ingestion reports as "not finite", naming the feature) rather than Python's
ZeroDivisionError or a complex number; a constant beyond float64 and an expression longer
than ``MAX_SOURCE_CHARS`` or nested deeper than ``MAX_DEPTH`` are refused when parsed.
"""

from __future__ import annotations

import ast
import math
import operator
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from daikiri.errors import SpecError, clip

CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
#: Bounds on an expression's size: a derived feature is a formula, not a program. Longer or
#: deeper input is refused before Python's parser (which recurses) sees it.
MAX_SOURCE_CHARS = 1_000
MAX_DEPTH = 64

_BINARY: dict[type[ast.operator], Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[object], object]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


@dataclass(frozen=True)
class Expression:
    """A checked arithmetic expression: its source text, parsed tree and referenced columns."""

    name: str
    source: str
    tree: ast.expr
    columns: tuple[str, ...]

    def evaluate(self, columns: Mapping[str, np.ndarray]) -> np.ndarray:
        """Evaluate element-wise over equally long numeric arrays (float64 result)."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            value = _evaluate(self.tree, columns, np.float64)
        n = len(next(iter(columns.values()))) if columns else 1
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()


    def build(self, columns: Mapping[str, Any], literal: Callable[[float], Any]) -> Any:
        """Apply the expression to column objects that support arithmetic (Spark Columns),
        constants made by ``literal`` (Spark's ``lit``, so they follow the engine's
        arithmetic): the same tree, so both engines compute the same feature."""
        return _evaluate(self.tree, columns, literal)


def parse_expression(name: str, source: str, known_columns: Iterable[str]) -> Expression:
    """Parse and check ``source``; raise :class:`SpecError` naming ``name`` when it is unsafe.

    ``known_columns`` are the names the expression may reference (table columns and derived
    features declared before this one).
    """
    known = set(known_columns)
    if not isinstance(source, str) or not source.strip():
        raise SpecError(f"derived feature '{name}': expected an arithmetic expression over "
                        f"columns, got {clip(source)}")
    quoted = clip(source)
    if len(source) > MAX_SOURCE_CHARS:
        raise SpecError(f"derived feature '{name}': the expression is {len(source):,} characters "
                        f"long; at most {MAX_SOURCE_CHARS:,} are allowed ({quoted})")
    try:
        with warnings.catch_warnings():  # ("1if" and the like: Python's parser warns)
            warnings.simplefilter("ignore", SyntaxWarning)
            tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise SpecError(f"derived feature '{name}': '{quoted}' is not a valid arithmetic "
                        f"expression ({exc.msg} at character {exc.offset})") from None
    except (RecursionError, MemoryError):
        raise SpecError(f"derived feature '{name}': '{quoted}' is nested too deeply to "
                        "parse") from None
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise SpecError(f"derived feature '{name}': '{quoted}' is nested {depth} levels deep; "
                        f"at most {MAX_DEPTH} are allowed")
    referenced: list[str] = []
    for node in ast.walk(tree):
        problem = _forbidden(node)
        if problem:
            raise SpecError(f"derived feature '{name}': '{quoted}' is not arithmetic: {problem}; "
                            "allowed are numbers, column names, pi, e, parentheses and "
                            "+ - * / **")
        if isinstance(node, ast.Name) and node.id not in CONSTANTS:
            if node.id not in known:
                raise SpecError(f"derived feature '{name}': '{quoted}' references unknown "
                                f"column '{node.id}'; known columns are {sorted(known)}")
            if node.id not in referenced:
                referenced.append(node.id)
    return Expression(name=name, source=source, tree=tree, columns=tuple(referenced))


def _depth(tree: ast.AST) -> int:
    """How deeply operators nest in ``tree`` (iteratively: no recursion limit to hit)."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node)
                     if isinstance(child, ast.expr))
    return deepest


def _forbidden(node: ast.AST) -> str | None:
    """Return why ``node`` is not allowed in an arithmetic expression, or ``None``."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            return f"constant {clip(repr(node.value))} is not a number"
        try:
            as_float = float(node.value)
        except OverflowError:
            as_float = math.inf
        if not math.isfinite(as_float):
            return f"constant {clip(str(node.value), 40)} is beyond the range of a 64-bit float"
        return None
    if isinstance(node, ast.BinOp):
        return None if type(node.op) in _BINARY else f"operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        return None if type(node.op) in _UNARY else f"operator {type(node.op).__name__}"
    if isinstance(node, ast.Name):
        return None
    if isinstance(node, ast.operator | ast.unaryop | ast.expr_context):
        return None
    if isinstance(node, ast.Call):
        return "function calls are not allowed"
    if isinstance(node, ast.Attribute):
        return "attribute access is not allowed"
    return f"{type(node).__name__} is not allowed"


def _evaluate(node: ast.expr, columns: Mapping[str, Any],
              literal: Callable[[float], Any]) -> object:
    """Constants go through ``literal`` (numpy's float64 for arrays: 1/0 is inf, never an
    exception, and (-8)**0.5 is NaN, never complex)."""
    if isinstance(node, ast.Constant):
        return literal(float(node.value))
    if isinstance(node, ast.Name):
        return literal(CONSTANTS[node.id]) if node.id in CONSTANTS else columns[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, columns, literal),
                                      _evaluate(node.right, columns, literal))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, columns, literal))
    raise AssertionError(f"unchecked node {ast.dump(node)}")  # parse_expression rejects these

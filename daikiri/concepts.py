"""The learner's class expressions as typed values, mirroring its Java ``Concept`` records.

The learner writes each expression as a JSON AST (``{"type": "and", "operands": [...]}``,
schema ``java_tasks/src/main/resources/schema/result.schema.json``). It is parsed here, once,
into frozen dataclasses; the consumers (verbalization, publication as OWL, evaluation on a
table) dispatch on the types with structural pattern matching (``match``/``case`` on the
classes, which also reads nested shapes such as ``Not(NamedClass(iri))``) and never switch on
strings. A new kind of expression is one new class here and a ``case`` in each consumer; a
consumer that misses it fails with one :class:`UnsupportedConcept` naming the type.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from daikiri.errors import DaikiriError


@dataclass(frozen=True)
class Top:
    """owl:Thing: everything."""


@dataclass(frozen=True)
class Bottom:
    """owl:Nothing."""


@dataclass(frozen=True)
class NamedClass:
    iri: str


@dataclass(frozen=True)
class Not:
    operand: Concept


@dataclass(frozen=True)
class And:
    operands: tuple[Concept, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Concept, ...]


@dataclass(frozen=True)
class Role:
    """An object property, used forwards or inversely."""

    iri: str
    inverse: bool = False


@dataclass(frozen=True)
class Some:
    role: Role
    filler: Concept


@dataclass(frozen=True)
class All:
    role: Role
    filler: Concept


@dataclass(frozen=True)
class MinCardinality:
    role: Role
    n: int
    filler: Concept


@dataclass(frozen=True)
class HasValue:
    role: Role
    individual: str


@dataclass(frozen=True)
class DataRange:
    """A numeric data property between ``low`` and ``high`` (inclusive; None = unbounded)."""

    property: str
    low: float | None = None
    high: float | None = None


Concept = Top | Bottom | NamedClass | Not | And | Or | Some | All | MinCardinality | HasValue \
    | DataRange


class UnsupportedConcept(DaikiriError):
    """A consumer met an expression type it has no rule for."""


def unsupported(what: str, concept: object) -> UnsupportedConcept:
    return UnsupportedConcept(f"{what} has no rule for a {type(concept).__name__} expression")


@lru_cache(maxsize=4096)
def concept_from_json(text: str) -> Concept:
    """Parse an AST written as JSON text (cached: explanations carry their AST as text)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DaikiriError(f"class expression: not valid JSON ({exc})") from None
    return concept(data)


def concept(data: Any, where: str = "expression") -> Concept:
    """The typed expression of a JSON AST (as the learner writes it); a malformed AST is a
    :class:`DaikiriError` naming where in the AST it is wrong."""
    if not isinstance(data, Mapping):
        raise DaikiriError(f"{where}: expected a JSON object, got {type(data).__name__}")
    kind = data.get("type")
    builder = _BUILDERS.get(kind) if isinstance(kind, str) else None
    if builder is None:
        raise DaikiriError(f"{where}: unknown expression type {str(kind)[:40]!r}; expected "
                           f"one of {', '.join(sorted(_BUILDERS))}")
    try:
        return builder(data, where)
    except KeyError as exc:
        raise DaikiriError(f"{where} ({kind}): missing key {exc.args[0]!r}") from None


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise DaikiriError(f"{where}: '{key}' must be a non-empty string")
    return value


def _bound(data: Mapping[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DaikiriError(f"{where}: '{key}' must be a finite number, got {str(value)[:40]}")
    return float(value)


def _role(data: Mapping[str, Any], where: str) -> Role:
    return Role(_text(data, "property", where), bool(data.get("inverse", False)))


def _operands(data: Mapping[str, Any], where: str) -> tuple[Concept, ...]:
    items = data["operands"]
    if not isinstance(items, list) or len(items) < 2:
        raise DaikiriError(f"{where}: 'operands' must be a list of at least two expressions")
    return tuple(concept(item, f"{where}.operands[{i}]") for i, item in enumerate(items))


def _data_range(data: Mapping[str, Any], where: str) -> DataRange:
    low, high = _bound(data, "min", where), _bound(data, "max", where)
    if low is None and high is None:
        raise DaikiriError(f"{where}: a data range needs 'min' or 'max'")
    return DataRange(_text(data, "property", where), low, high)


def _min_cardinality(data: Mapping[str, Any], where: str) -> MinCardinality:
    n = data["n"]
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise DaikiriError(f"{where}: 'n' must be a non-negative integer")
    return MinCardinality(_role(data, where), n, concept(data["filler"], f"{where}.filler"))


_BUILDERS = {
    "top": lambda d, w: Top(),
    "bottom": lambda d, w: Bottom(),
    "class": lambda d, w: NamedClass(_text(d, "iri", w)),
    "not": lambda d, w: Not(concept(d["operand"], f"{w}.operand")),
    "and": lambda d, w: And(_operands(d, w)),
    "or": lambda d, w: Or(_operands(d, w)),
    "some": lambda d, w: Some(_role(d, w), concept(d["filler"], f"{w}.filler")),
    "all": lambda d, w: All(_role(d, w), concept(d["filler"], f"{w}.filler")),
    "min_cardinality": _min_cardinality,
    "has_value": lambda d, w: HasValue(_role(d, w), _text(d, "individual", w)),
    "data_range": _data_range,
}


def to_json(c: Concept) -> dict[str, Any]:
    """The JSON AST of an expression, as the learner writes it (``concept`` inverts it)."""
    match c:
        case Top():
            return {"type": "top"}
        case Bottom():
            return {"type": "bottom"}
        case NamedClass(iri):
            return {"type": "class", "iri": iri}
        case Not(operand):
            return {"type": "not", "operand": to_json(operand)}
        case And(operands) | Or(operands):
            return {"type": "and" if isinstance(c, And) else "or",
                    "operands": [to_json(o) for o in operands]}
        case Some(role, filler) | All(role, filler):
            return {"type": "some" if isinstance(c, Some) else "all", "property": role.iri,
                    "inverse": role.inverse, "filler": to_json(filler)}
        case MinCardinality(role, n, filler):
            return {"type": "min_cardinality", "property": role.iri, "inverse": role.inverse,
                    "n": n, "filler": to_json(filler)}
        case HasValue(role, individual):
            return {"type": "has_value", "property": role.iri, "inverse": role.inverse,
                    "individual": individual}
        case DataRange(prop, low, high):
            return {"type": "data_range", "property": prop, "min": low, "max": high}
    raise unsupported("to_json", c)

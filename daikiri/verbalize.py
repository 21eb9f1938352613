"""Verbalization: the learner's class expressions as plain English sentences.

Deterministic and offline (no language model): a small grammar over the AST. Names come from
the ontology's ``rdfs:label``s and units from the spec (``dk:unit``); without a label, the IRI's
local name is made readable (``hasChild`` → "has child", ``torque_nm`` → "torque nm").

Clauses carry their subject (``it`` or ``its power``) so conjunctions aggregate naturally:
"it is a male and has a child", "its power is below 3500 W or above 9000 W". Numbers are shown
exactly as the learner chose them (``number``). Nested disjunctions inside a
conjunction read "either ... or ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from daikiri import concepts as ce

PREPOSITIONS = {"of", "to", "in", "for", "with", "by", "on", "at", "from"}
IRREGULAR_PLURALS = {"child": "children", "person": "people", "man": "men", "woman": "women"}


@dataclass
class CategoryValue:
    """A categorical value class: its attribute's label and the value, e.g. type_L ->
    ("product quality variant", "L")."""

    attribute: str
    value: str


@dataclass
class Lexicon:
    """What the verbalizer knows about IRIs: labels, units, and categorical value classes."""

    labels: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    values: dict[str, CategoryValue] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or readable(local_name(iri))


def local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def readable(name: str) -> str:
    """``hasChild`` → "has child", ``torque_nm`` → "torque nm", ``Cluster_3`` → "cluster 3"."""
    from urllib.parse import unquote

    name = unquote(name).replace("_", " ")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return re.sub(r"\s+", " ", name).strip().lower() if not name.isupper() else name


def number(value: float) -> str:
    """A threshold as the learner chose it (the simplest number in its gap, so no rounding
    here: the sentence shows the digits of the DL text and the published axiom): 3500 rather
    than 3500.0, else the shortest text that reads back as the same float (8.6, 1377.5);
    exponents as "× 10^n"."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = repr(float(value))
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa} × 10^{int(exponent)}"
    return text


def article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def plural(noun: str) -> str:
    words = noun.split(" ")
    last = words[-1]
    if last in IRREGULAR_PLURALS:
        last = IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join(words[:-1] + [last])


@dataclass(frozen=True)
class Clause:
    """A subject ("it", "its power") and what is said of it ("is below 3500 W")."""

    subject: str
    predicate: str

    def text(self) -> str:
        return f"{self.subject} {self.predicate}"


class Verbalizer:
    """Turns class expressions (``daikiri.concepts``) into English."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or Lexicon()

    # ------------------------------------------------------------------ public
    def sentence(self, expression: ce.Concept) -> str:
        """A clause about "it": ``it is a male and has a child``."""
        return self._render(expression, nested=False)

    def definition(self, expression: ce.Concept, target: str, entity: str) -> str:
        """``A machine run has a power failure when its power is below 3500 W or above ...``"""
        body = self._render(expression, nested=False)
        return f"{article(entity).capitalize()} {target} when {body}."

    # ------------------------------------------------------------------ clauses
    def _render(self, expression: ce.Concept, nested: bool) -> str:
        match expression:
            case ce.And(operands):
                return self._join(operands, "and", nested)
            case ce.Or(operands):
                return self._join(operands, "or", nested)
        return self._clause(expression).text()

    def _join(self, operands: tuple[ce.Concept, ...], word: str, nested: bool) -> str:
        parts: list[str | Clause] = [
            self._render(op, nested=True) if isinstance(op, ce.And | ce.Or) else self._clause(op)
            for op in operands]
        merged = _aggregate(parts, word)
        has_compound = any(isinstance(op, ce.And | ce.Or) for op in operands)
        # a comma keeps "A and B, or C and D" readable once operands are compound
        separator = f", {word} " if has_compound else f" {word} "
        text = separator.join(merged)
        if nested and word == "or":
            return f"either {text}"
        if nested and word == "and" and has_compound:
            return f"both {text}"
        return text

    def _clause(self, expression: ce.Concept) -> Clause:
        lex = self.lexicon
        match expression:
            case ce.Top():
                return Clause("it", "is anything")
            case ce.Bottom():
                return Clause("it", "is impossible")
            case ce.NamedClass(iri) if iri in lex.values:
                value = lex.values[iri]
                return Clause("it", f"has {value.attribute} {value.value}")
            case ce.NamedClass(iri):
                return Clause("it", f"is {article(lex.label(iri))}")
            case ce.Not(ce.NamedClass(iri)) if iri in lex.values:
                value = lex.values[iri]
                return Clause(f"its {value.attribute}", f"is not {value.value}")
            case ce.Not(ce.NamedClass(iri)):
                return Clause("it", f"is not {article(lex.label(iri))}")
            case ce.Not(inner):
                return Clause("it", f"does not satisfy that {self._render(inner, nested=True)}")
            case ce.DataRange():
                return self._data(expression)
            case ce.Some() | ce.All() | ce.MinCardinality() | ce.HasValue():
                return self._role(expression)
        raise ce.unsupported("verbalization", expression)

    def _data(self, expression: ce.DataRange) -> Clause:
        unit = self.lexicon.units.get(expression.property, "")
        suffix = f" {unit}" if unit else ""
        low, high = expression.low, expression.high
        if low is not None and high is not None:
            said = f"is between {number(low)} and {number(high)}{suffix}"
        elif high is not None:
            said = f"is below {number(high)}{suffix}"
        else:
            said = f"is above {number(low)}{suffix}"
        return Clause(f"its {self.lexicon.label(expression.property)}", said)

    def _role(self, expression: ce.Some | ce.All | ce.MinCardinality | ce.HasValue) -> Clause:
        label = self.lexicon.label(expression.role.iri)
        noun = label[4:] if label.startswith("has ") else None
        if noun and noun.split(" ")[-1] in PREPOSITIONS:
            noun = None  # "has friend of" is a relation, not a noun
        inverse = expression.role.inverse
        match expression:
            case ce.HasValue(_, individual):
                who = self.lexicon.label(individual)
                if inverse:
                    return Clause("it", f"is {article(noun)} of {who}" if noun
                                  else f"is the subject that {who} {label}")
                return Clause("it", f"has {who} as {noun}" if noun else f"{label} {who}")
            case ce.Some(_, filler):
                relative = self._relative(filler)
                if inverse:
                    head = (f"is {article(noun)} of something" if noun
                            else f"is {label} by something")
                    return Clause("it", head + relative)
                head = f"has {article(noun)}" if noun else f"{label} something"
                return Clause("it", head + relative)
            case ce.MinCardinality(_, n, filler):
                relative = self._relative(filler)
                if inverse:
                    what = f"{plural(noun)}" if noun else label
                    return Clause("it", f"is one of the {what} of at least {n} things" + relative)
                head = (f"has at least {n} {plural(noun)}" if noun
                        else f"{label} at least {n} things")
                each = relative.replace(" that ", " each of which ", 1)
                return Clause("it", head + each)
            case ce.All(_, ce.Bottom()):
                if inverse:
                    return Clause("it", f"is not {article(noun)} of anything" if noun
                                  else f"is not {label} by anything")
                return Clause("it", f"has no {plural(noun)}" if noun else f"{label} nothing")
            case ce.All(_, filler):
                clause = self.sentence(filler)
                if inverse:
                    return Clause("it", f"is {article(noun) if noun else label} only of things "
                                        f"where {clause}")
                if noun:
                    return Clause("every", f"{noun} it has {_third_person(clause)}")
                return Clause("everything", f"it {label} {_third_person(clause)}")
        raise ce.unsupported("verbalization", expression)

    def _relative(self, filler: ce.Concept) -> str:
        if isinstance(filler, ce.Top):
            return ""
        return " that " + _third_person(self.sentence(filler))


def _third_person(clause: str) -> str:
    """Turn "it is a male and has a child" into "is a male and has a child" (for "that ...")."""
    if clause.startswith("it "):
        return clause[3:]
    if clause.startswith("its "):
        return "whose " + clause[4:]
    if clause.startswith("either it "):
        return "either " + clause[10:]
    return clause


def _aggregate(parts: list[str | Clause], word: str) -> list[str]:
    """Merge neighbouring clauses about the same subject: "it is a male and has a child"."""
    out: list[str] = []
    previous: Clause | None = None
    for part in parts:
        if isinstance(part, Clause) and previous is not None and part.subject == previous.subject:
            predicate = part.predicate
            if previous.predicate.startswith("is ") and predicate.startswith("is ") \
                    and part.subject != "it":
                predicate = predicate[3:]
            out[-1] = f"{out[-1]} {word} {predicate}"
            previous = part
            continue
        if isinstance(part, Clause):
            out.append(part.text())
            previous = part
        else:
            out.append(part)
            previous = None
    return out


def lexicon_from_tbox(path: str | Path) -> Lexicon:
    """Read labels, units and categorical value classes from a TBox file (any RDF syntax)."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDFS

    from daikiri.kg.naming import DK

    graph = Graph().parse(str(path))
    lexicon = Lexicon()
    for subject, label in graph.subject_objects(RDFS.label):
        lexicon.labels.setdefault(str(subject), str(label))
    for subject, value in graph.subject_objects(URIRef(f"{DK}unit")):
        lexicon.units[str(subject)] = str(value)
    for cls, parent in graph.subject_objects(RDFS.subClassOf):
        column = graph.value(cls, URIRef(f"{DK}sourceColumn"))
        parent_column = graph.value(parent, URIRef(f"{DK}sourceColumn"))
        if column is not None and parent_column == column and graph.value(parent, RDFS.label):
            attribute = str(graph.value(parent, RDFS.label))
            label = lexicon.labels.get(str(cls), "")
            value = label[len(attribute):].strip() if label.startswith(attribute) else label
            lexicon.values[str(cls)] = CategoryValue(attribute, value)
    return lexicon

"""Verbalization: exact English sentences for the shapes the learner produces."""

import pytest

from daikiri.concepts import concept
from daikiri.kg.build import build_knowledge_graph
from daikiri.verbalize import (
    CategoryValue,
    Lexicon,
    Verbalizer,
    lexicon_from_tbox,
    number,
    plural,
    readable,
)

F = "http://example.org/family#"
A = "https://example.org/ai4i#"

LEXICON = Lexicon(
    labels={F + "Male": "male", F + "Female": "female", F + "hasChild": "has child",
            F + "hasSibling": "has sibling", F + "married": "is married to", F + "ann": "Ann",
            A + "power_w": "power", A + "rotational_speed_rpm": "rotational speed",
            A + "temperature_difference_k": "temperature difference", A + "strain": "strain",
            A + "MachineRun": "machine run"},
    units={A + "power_w": "W", A + "rotational_speed_rpm": "rpm",
           A + "temperature_difference_k": "K", A + "strain": "min·Nm"},
    values={A + "type_L": CategoryValue("product quality variant", "L"),
            A + "type_M": CategoryValue("product quality variant", "M")})


def cls(name, ns=F):
    return {"type": "class", "iri": ns + name}


def some(prop, filler=None, inverse=False, ns=F):
    return {"type": "some", "property": ns + prop, "inverse": inverse,
            "filler": filler or {"type": "top"}}


def data(prop, low=None, high=None):
    return {"type": "data_range", "property": A + prop, "min": low, "max": high}


def AND(*ops):  # noqa: N802
    return {"type": "and", "operands": list(ops)}


def OR(*ops):  # noqa: N802
    return {"type": "or", "operands": list(ops)}


def NOT(op):  # noqa: N802
    return {"type": "not", "operand": op}


SHAPES = [
    (cls("Male"), "it is a male"),
    (NOT(cls("Female")), "it is not a female"),
    (some("hasChild"), "it has a child"),
    (AND(cls("Male"), some("hasChild")), "it is a male and has a child"),
    (some("hasChild", inverse=True), "it is a child of something"),
    (some("hasChild", some("hasChild")), "it has a child that has a child"),
    (AND(cls("Female"), some("hasSibling", some("hasChild"))),
     "it is a female and has a sibling that has a child"),
    (some("hasChild", some("hasChild", some("hasChild"))),
     "it has a child that has a child that has a child"),
    (some("hasChild", NOT(cls("Male"))), "it has a child that is not a male"),
    ({"type": "all", "property": F + "hasChild", "inverse": False, "filler": cls("Female")},
     "every child it has is a female"),
    ({"type": "all", "property": F + "hasChild", "inverse": False,
      "filler": {"type": "bottom"}}, "it has no children"),
    ({"type": "min_cardinality", "n": 2, "property": F + "hasChild", "inverse": False,
      "filler": cls("Male")}, "it has at least 2 children each of which is a male"),
    ({"type": "has_value", "property": F + "hasChild", "inverse": False, "individual": F + "ann"},
     "it has Ann as child"),
    (some("married"), "it is married to something"),
    (data("power_w", high=3500.0), "its power is below 3500 W"),
    (data("power_w", low=9000.0), "its power is above 9000 W"),
    (data("power_w", 4000.0, 8000.0), "its power is between 4000 and 8000 W"),
    (OR(data("power_w", high=3500.0), data("power_w", low=9000.0)),
     "its power is below 3500 W or above 9000 W"),
    (AND(data("rotational_speed_rpm", high=1377.5),
         data("temperature_difference_k", high=8.6)),
     "its rotational speed is below 1377.5 rpm and its temperature difference is below 8.6 K"),
    (OR(AND(cls("type_L", A), data("strain", low=11000.0)),
        AND(cls("type_M", A), data("strain", low=12000.0))),
     "it has product quality variant L and its strain is above 11000 min·Nm, or it has "
     "product quality variant M and its strain is above 12000 min·Nm"),
    (AND(cls("Male"), OR(some("hasChild"), some("hasSibling"))),
     "it is a male, and either it has a child or has a sibling"),
    (some("hasChild", AND(cls("Male"), some("hasChild", NOT(some("hasSibling"))))),
     "it has a child that is a male and has a child that does not satisfy that it has a "
     "sibling"),
    (NOT(cls("type_L", A)), "its product quality variant is not L"),
    (cls("Robot"), "it is a robot"),
    (some("hasFriendOf", cls("UnknownKind")),
     "it has friend of something that is an unknown kind"),
    ({"type": "top"}, "it is anything"),
]


@pytest.mark.parametrize("ast, expected", SHAPES)
def test_exact_sentences(ast, expected):
    assert Verbalizer(LEXICON).sentence(concept(ast)) == expected


def test_at_least_twenty_shapes():
    assert len(SHAPES) >= 20


def test_full_definition_reads_like_a_sentence():
    text = Verbalizer(LEXICON).definition(
        concept(OR(data("power_w", high=3500.0), data("power_w", low=9000.0))),
        "has a power failure", "machine run")
    assert text == ("A machine run has a power failure when its power is below 3500 W or "
                    "above 9000 W.")


def test_deterministic():
    v = Verbalizer(LEXICON)
    shapes = [concept(a) for a, _ in SHAPES]
    assert [v.sentence(c) for c in shapes] == [v.sentence(c) for c in shapes]


@pytest.mark.parametrize("value, text", [(8.6, "8.6"), (1377.5, "1377.5"), (3500.0, "3500"),
                                         (12034.8, "12034.8"), (0.000123456, "0.000123456"),
                                         (2.5e20, "2.5 × 10^20"), (1.5e-7, "1.5 × 10^-7"),
                                         (8.599999999999994, "8.599999999999994")])
def test_numbers_are_shown_as_given_without_a_trailing_zero(value, text):
    assert number(value) == text


def test_readable_fallbacks_and_plurals():
    assert readable("hasChild") == "has child"
    assert readable("torque_nm") == "torque nm"
    assert readable("Cluster_3") == "cluster 3"
    assert readable("ID") == "ID"
    assert [plural(w) for w in ("child", "box", "battery", "run", "machine run")] == [
        "children", "boxes", "batteries", "runs", "machine runs"]


def test_lexicon_from_a_generated_tbox(tmp_path, spec, small_runs):
    from daikiri.ingest import validate_table

    table, _ = validate_table(small_runs, spec)
    build_knowledge_graph(table, spec, tmp_path)
    lexicon = lexicon_from_tbox(tmp_path / "tbox.owl")
    assert lexicon.labels[A + "power_w"] == "power" and lexicon.units[A + "power_w"] == "W"
    assert lexicon.values[A + "type_H"] == CategoryValue("product quality variant", "H")
    text = Verbalizer(lexicon).sentence(concept(AND(cls("type_H", A),
                                                    data("strain_minnm", low=13000.0))))
    assert text == "it has product quality variant H and its strain is above 13000 min·Nm"

"""The typed seams: learning problems, class expressions, the lexicon, diagnosis parameters."""

import json

import pytest

from daikiri import concepts as ce
from daikiri.concepts import concept, to_json
from daikiri.errors import DaikiriError
from daikiri.ingest import load_table
from daikiri.kg.build import build_knowledge_graph
from daikiri.kg.lexicon import lexicon_from_spec
from daikiri.kg.naming import categories_of
from daikiri.learner import read_results, run_learner
from daikiri.params import DiagnoseParams
from daikiri.problems import ProblemKind, problems_from_flags
from daikiri.spec import default_spec
from daikiri.verbalize import Verbalizer, lexicon_from_tbox

A = "https://example.org/ai4i#"


@pytest.fixture(scope="module")
def default_kg(tmp_path_factory):
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    folder = tmp_path_factory.mktemp("kg")
    build_knowledge_graph(table, spec, folder)
    return spec, table, folder


# -- class expressions ---------------------------------------------------------------------

EXPRESSIONS = [
    ce.Top(),
    ce.NamedClass(A + "type_L"),
    ce.Not(ce.NamedClass(A + "type_L")),
    ce.And((ce.NamedClass(A + "type_H"), ce.DataRange(A + "strain_minnm", low=13000.0))),
    ce.Or((ce.DataRange(A + "power_w", high=3500.0), ce.DataRange(A + "power_w", low=9000.0))),
    ce.Some(ce.Role(A + "usesTool", inverse=True), ce.Top()),
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_an_expression_survives_its_json(expression):
    assert concept(json.loads(json.dumps(to_json(expression)))) == expression


@pytest.mark.parametrize("data, message", [
    ({"type": "xor"}, "unknown expression type 'xor'"),
    ({"type": "and", "operands": [{"type": "top"}]}, "at least two expressions"),
    ({"type": "not"}, "missing key 'operand'"),
    ({"type": "data_range", "property": A + "p"}, "needs 'min' or 'max'"),
    ({"type": "data_range", "property": A + "p", "min": "3"}, "'min' must be a finite number"),
    ({"type": "and", "operands": [{"type": "top"}, {"type": "class", "iri": 3}]},
     r"expression.operands\[1\]: 'iri' must be a non-empty string"),
    ([], "expected a JSON object"),
])
def test_a_malformed_expression_is_named_where_it_is_wrong(data, message):
    with pytest.raises(DaikiriError, match=message):
        concept(data)


def test_a_result_file_with_a_bad_expression_fails_at_the_boundary(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({
        "problem": "label:hdf", "hypotheses": [{
            "ast": {"type": "some", "property": A + "p"}, "dl": "", "manchester": "",
            "length": 1, "accuracy": 1, "precision": 1, "recall": 1, "f1": 1,
            "covered_positives": 1, "covered_negatives": 0}], "stats": {}}), encoding="utf-8")
    with pytest.raises(DaikiriError, match="result for problem 'label:hdf' holds an invalid "
                                           "expression: expression \\(some\\): missing key"):
        read_results(tmp_path / "r.json")


def test_a_consumer_without_a_rule_says_which_type():
    class Unknown:
        pass

    with pytest.raises(ce.UnsupportedConcept, match="verbalization has no rule for a Unknown"):
        Verbalizer().sentence(Unknown())  # type: ignore[arg-type]


# -- learning problems ---------------------------------------------------------------------

def test_problems_carry_kind_target_and_title_through_the_learner(tmp_path, default_kg):
    spec, table, kg = default_kg
    [label] = problems_from_flags(table, spec, ["pwf"])
    assert (label.id, label.kind, label.target, label.title) == (
        "label:pwf", ProblemKind.LABEL, "pwf", "power failure")
    flags = table[[spec.id_column]].assign(regime=(table["power_w"] > 6000).astype(int))
    [regime] = problems_from_flags(flags, spec, ["regime"], ProblemKind.REGIME, targets=["3"])
    assert (regime.id, regime.title) == ("regime:3", "regime 3")
    results = run_learner(kg, [label, regime], tmp_path, max_runtime=2)
    assert [(r.problem, r.kind, r.target, r.title) for r in results] == [
        ("label:pwf", ProblemKind.LABEL, "pwf", "power failure"),
        ("regime:3", ProblemKind.REGIME, "3", "regime 3")]


def test_the_learner_refuses_an_unknown_kind(tmp_path, default_kg):
    _, _, kg = default_kg
    with pytest.raises(DaikiriError, match="unknown kind 'fault'; expected label, regime or "
                                           "model"):
        run_learner(kg, [{"name": "x", "kind": "fault", "positives": [A + "MachineRun_1"],
                          "negatives": [A + "MachineRun_2"]}], tmp_path, max_runtime=1)


# -- lexicon -------------------------------------------------------------------------------

def test_the_lexicon_from_the_spec_is_the_tboxs(default_kg):
    spec, table, kg = default_kg
    from_spec = lexicon_from_spec(spec, categories_of(table, spec))
    from_tbox = lexicon_from_tbox(kg / "tbox.owl")
    ontology = spec.base_iri.rstrip("#/")
    assert from_spec.labels == {k: v for k, v in from_tbox.labels.items() if k != ontology}
    assert from_spec.units == from_tbox.units
    assert from_spec.values == from_tbox.values


# -- parameters ----------------------------------------------------------------------------

@pytest.mark.parametrize("changes, message", [
    ({"labels": ["nope"]}, "input 'labels': 'nope' is not a label of spec 'ai4i2020'; its "
                           "labels are twf, hdf"),
    ({"max_runtime": 0.0}, "input 'max_runtime' must be between 0.01 and 1e\\+07, got 0.0"),
    ({"max_runtime": float("nan")}, "input 'max_runtime' must be between"),
    ({"max_length": 0}, "input 'max_length' must be between 1 and 100"),
    ({"noise": 150.0}, "input 'noise' must be between 0 and 100"),
    ({"rows": 0}, "input 'rows' must be between 1 and"),
    ({"seed": -3}, "input 'seed' must be between 0 and"),
    ({"embedding_epochs": 0}, "input 'embedding_epochs' must be between 1 and"),
    ({"labels": ["hdf", "hdf"]}, "names a label twice"),
])
def test_bad_parameters_are_named(changes, message):
    with pytest.raises(DaikiriError, match=message):
        DiagnoseParams(**changes).checked(default_spec())


def test_the_defaults_pass_and_read_as_text():
    params = DiagnoseParams().checked(default_spec())
    assert params.as_text()["max_runtime"] == "10.0" and params.as_text()["labels"] == ""
    assert params.as_text()["cluster_method"] == "kmeans" and params.as_text()["engine"] == "pandas"


def test_diagnose_refuses_a_bad_label_before_any_heavy_work(caplog):
    import logging

    from workflows.diagnose import diagnose

    with caplog.at_level(logging.INFO), \
            pytest.raises(Exception, match="'nope' is not a label of spec") as caught:
        diagnose(rows=2_000, labels=["nope"])
    assert "check_params" in str(caught.value)
    assert "generated default data" not in caplog.text  # ingestion never started


# -- the learner's file schemas, checked from the Python side -------------------------------

def _schema(name: str) -> dict:
    from daikiri.learner import SCHEMA_DIR

    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_problem_and_result_files_match_the_schemas(tmp_path, default_kg):
    import jsonschema

    spec, table, kg = default_kg
    problems = problems_from_flags(table, spec, ["pwf", "hdf"])
    jsonschema.validate([p.to_json() for p in problems], _schema("problem"))
    run_learner(kg, problems, tmp_path, max_runtime=1)
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(results, _schema("result"))
    assert {r["schema_version"] for r in results} == {1}
    # the schema is strict: a renamed key fails, so drift on either side is caught
    results[0]["stats"]["validationF1"] = results[0]["stats"].pop("validation_f1")
    with pytest.raises(jsonschema.ValidationError, match="validation_f1"):
        jsonschema.validate(results, _schema("result"))


def test_the_python_expression_model_covers_the_schemas_expression_types():
    from daikiri.concepts import _BUILDERS

    kinds = _schema("result")["$defs"]["expression"]["properties"]["type"]["enum"]
    assert sorted(kinds) == sorted(_BUILDERS)


def test_a_result_file_from_a_newer_learner_is_refused(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({"schema_version": 2, "problem": "label:x",
                                                 "hypotheses": [], "stats": {}}))
    with pytest.raises(DaikiriError, match="layout version 2; this reader knows version 1"):
        read_results(tmp_path / "r.json")


def test_thresholds_read_the_same_in_dl_english_and_the_published_axiom(tmp_path, default_kg):
    import re

    from rdflib import Graph
    from rdflib.namespace import XSD

    from daikiri.concepts import DataRange
    from daikiri.diagnosis import explanations
    from daikiri.publish import publish

    spec, table, kg = default_kg
    results = run_learner(kg, problems_from_flags(table, spec, ["hdf", "pwf"]), tmp_path,
                          max_runtime=3)
    lexicon = lexicon_from_spec(spec, categories_of(table, spec))
    for item in explanations(results, spec, lexicon):
        def bounds(c):
            if isinstance(c, DataRange):
                return [b for b in (c.low, c.high) if b is not None]
            return [b for child in getattr(c, "operands", ()) for b in bounds(child)]

        numbers = bounds(item.expression)
        assert numbers, item.dl
        written = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", item.dl)]
        for value in numbers:
            text = repr(value).removesuffix(".0")
            assert text in item.dl, (text, item.dl)        # DL text
            assert f" {text} " in item.sentence, (text, item.sentence)  # English
            assert len(text) <= 6, f"{value} is not the simplest number in its gap"
        assert set(numbers) <= set(written)
        out = tmp_path / f"{item.target}.ttl"
        publish(kg / "tbox.owl", [(spec.base_iri + item.target, item.expression, {})], out)
        literals = {float(o) for o in Graph().parse(out).objects() if getattr(
            o, "datatype", None) == XSD.double}
        assert literals == set(numbers)  # the published axiom


def test_an_excluded_feature_is_gone_from_the_expression_and_the_sentence(tmp_path, default_kg):
    """A person rules a feature out (#24's review): the learner explains without it and says
    what that costs; a misspelt feature is an error naming it, never silently ignored."""
    from daikiri.diagnosis import explanations

    spec, table, kg = default_kg
    [hdf] = problems_from_flags(table, spec, ["hdf"])
    speed = spec.base_iri + "rotational_speed_rpm"
    lexicon = lexicon_from_spec(spec, categories_of(table, spec))
    [free, without] = run_learner(kg, [hdf, hdf.excluding(speed)], tmp_path, max_runtime=2)
    [free_text, without_text] = explanations([free, without], spec, lexicon)
    assert "rotational speed" in free_text.sentence
    assert "rotational speed" not in without_text.sentence and "rotational_speed_rpm" \
        not in without.best.dl
    assert without.best.f1 < free.best.f1  # the cost of the exclusion, reported as its F1
    with pytest.raises(DaikiriError, match="excluded <https://example.org/ai4i#rotation_speed> "
                                           "is no class or property of the knowledge base"):
        run_learner(kg, [hdf.excluding(spec.base_iri + "rotation_speed")], tmp_path)

"""Human in the loop: cluster names at an input gate, then review rounds (#24) in which the
expert accepts, rejects or revises each explanation, and the accepted ones are published with
the review in their annotations. ``pytest -k review`` selects these with the format's tests.

flytekit's local gates read stdin through ``click.prompt``; the tests answer it (they stand in
for the person, not for the thing tested): everything after the prompt — parsing the answer,
relearning with its constraints in the real learner, verbalizing, publishing — runs for real.
"""

from pathlib import Path
from unittest import mock

import click
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from daikiri.diagnosis import parse_cluster_names
from daikiri.errors import DaikiriError
from workflows.diagnose import diagnose_reviewed

A = "https://example.org/ai4i#"
DK = "https://w3id.org/daikiri/vocab#"
NAMES = "0=steady load; 1=heavy load"
INPUTS = dict(rows=3_000, seed=42, labels=["hdf", "pwf"], max_runtime=3.0,
              explain_model=False, embedding_epochs=3, max_length=10)


def _review(*answers: str, **inputs):
    """Run ``diagnose_reviewed`` answering the gates in order; returns the outputs and the
    gates that asked (so a test sees how many rounds ran)."""
    remaining = iter([NAMES, *answers])
    asked = []

    def person(message, *args, **kwargs):
        asked.append(click.unstyle(message))
        return next(remaining)

    with mock.patch.object(click, "prompt", side_effect=person):
        out = diagnose_reviewed(**{**INPUTS, **inputs})
    return out, [m.split("@")[1].split()[0] for m in asked]


def _ontology(out) -> Graph:
    return Graph().parse(Path(out.published_ontology.download()))


def _review_annotations(ontology: Graph, target: str) -> dict[str, str]:
    [axiom] = list(ontology.subjects(OWL.annotatedSource, URIRef(A + target)))
    return {str(p).split("#")[-1]: str(o) for p, o in ontology.predicate_objects(axiom)}


def test_review_accept_all_publishes_every_definition_with_the_review():
    out, gates = _review("reviewer: Jane Doe; * accept")
    assert gates == ["cluster_names", "review-round-1"]  # accepted: no second round
    assert set(out.reviewed["decision"]) == {"accept"}
    lines = out.summary.headline
    assert all(line.startswith("[accept] ") for line in lines)
    assert out.summary.explained == len(lines)
    assert any("belongs to steady load" in line or "belongs to heavy load" in line
               for line in lines)
    ontology = _ontology(out)
    for fault in ("PowerFailure", "HeatDissipationFailure"):
        assert (URIRef(A + fault), OWL.equivalentClass, None) in ontology
        notes = _review_annotations(ontology, fault)
        assert notes["reviewDecision"] == "accept" and notes["reviewRound"] == "1"
        assert notes["reviewer"] == "Jane Doe" and notes["reviewedAt"].startswith("20")
        assert notes["learner"].startswith("daikiri-learner") and float(notes["f1"]) >= 0.8
        assert "reviewConstraints" not in notes
    assert (URIRef(DK + "reviewDecision"), RDF.type, OWL.AnnotationProperty) in ontology
    labels = {str(o) for s, o in ontology.subject_objects(RDFS.label)
              if str(s).startswith(A + "Regime_")}
    assert labels & {"steady load", "heavy load"}
    # the ontology carries the run's provenance: code version, content hashes, parameters
    [onto] = ontology.subjects(RDF.type, OWL.Ontology)
    header = {str(p).split("#")[-1]: str(o) for p, o in ontology.predicate_objects(onto)}
    assert header["codeVersion"] == out.provenance.code_version
    assert header["sha256CleanTable"] == out.provenance.hash_of("clean table")
    assert header["sha256KnowledgeGraph"] == out.provenance.hash_of("knowledge graph")
    assert '"seed": "42"' in header["parameters"]
    assert '"embedding_epochs": "3"' in header["parameters"]
    assert '"max_length": "10"' in header["parameters"]


def test_review_revise_excludes_a_feature_relearns_only_that_problem_and_records_it():
    before, _ = _review("* accept")
    hdf_before = before.reviewed.set_index("problem").loc["label:hdf"]
    assert "rotational speed" in hdf_before["explanation"]
    out, gates = _review("reviewer: Jane Doe\nlabel:hdf revise exclude=rotational_speed_rpm\n"
                         "* accept", "reviewer: Jane Doe; label:hdf accept")
    assert gates == ["cluster_names", "review-round-1", "review-round-2"]
    table = out.reviewed.set_index("problem")
    hdf = table.loc["label:hdf"]
    assert "rotational speed" not in hdf["explanation"]
    assert "rotational_speed_rpm" not in hdf["expression"]
    assert hdf["F1"] <= hdf_before["F1"]  # the drop is reported beside the sentence
    assert hdf["explanation"] != hdf_before["explanation"]
    assert (hdf["decision"], hdf["round"]) == ("accept", 2)
    assert hdf["constraints"] == "round 1: exclude=rotational_speed_rpm"
    # the other explanations were accepted in round 1 and not relearned
    pwf = table.loc["label:pwf"]
    assert (pwf["decision"], pwf["round"]) == ("accept", 1)
    assert pwf["expression"] == before.reviewed.set_index("problem").loc["label:pwf",
                                                                         "expression"]
    notes = _review_annotations(_ontology(out), "HeatDissipationFailure")
    assert notes["reviewRound"] == "2" and notes["reviewDecision"] == "accept"
    assert notes["reviewConstraints"] == "round 1: exclude=rotational_speed_rpm"
    assert notes["sentence"] == hdf["explanation"] and notes["reviewer"] == "Jane Doe"


def test_review_relabel_and_drop_change_the_examples():
    before, _ = _review("* accept")
    pwf_before = before.reviewed.set_index("problem").loc["label:pwf"]
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=INPUTS["rows"], seed=INPUTS["seed"])
    negatives = table.loc[table["pwf"] == 0, spec.id_column].astype(str).tolist()
    positives = table.loc[table["pwf"] == 1, spec.id_column].astype(str).tolist()
    out, _ = _review(f"label:pwf revise relabel={negatives[0]}:1,{negatives[1]}:1 "
                     f"drop={positives[0]}; * accept", "* accept")
    pwf = out.reviewed.set_index("problem").loc["label:pwf"]
    assert pwf["positives"] == pwf_before["positives"] + 2 - 1
    assert pwf["constraints"].startswith(f"round 1: relabel={negatives[0]}:1")


def test_review_reject_all_publishes_no_definition():
    out, gates = _review("* reject")
    assert gates == ["cluster_names", "review-round-1"]
    assert set(out.reviewed["decision"]) == {"reject"}
    assert out.summary.explained == 0
    ontology = _ontology(out)
    for fault in ("PowerFailure", "HeatDissipationFailure"):
        assert (URIRef(A + fault), OWL.equivalentClass, None) not in ontology
    assert not list(ontology.subject_objects(URIRef(DK + "learner")))  # no learned axiom
    assert list(ontology.subjects(RDF.type, OWL.Ontology))  # the record is still there


def test_review_rounds_run_out_and_an_unreviewed_revision_is_not_published():
    out, gates = _review("label:pwf revise max_length=3; * accept", rounds=1)
    assert gates == ["cluster_names", "review-round-1"]
    pwf = out.reviewed.set_index("problem").loc["label:pwf"]
    assert pwf["decision"] == "revise"
    assert (URIRef(A + "PowerFailure"), OWL.equivalentClass, None) not in _ontology(out)
    assert (URIRef(A + "HeatDissipationFailure"), OWL.equivalentClass, None) in _ontology(out)


def test_review_answer_with_a_typo_fails_naming_the_line():
    with pytest.raises(Exception, match="review line 2: 'rotational_speed' is not a feature"):
        _review("label:hdf accept\nlabel:pwf revise exclude=rotational_speed\n* accept")


def test_review_rounds_are_checked_first():
    with pytest.raises(Exception, match="input 'rounds' must be between 1 and 5, got 9"):
        _review(rounds=9)


@pytest.mark.parametrize("text, expected", [
    ("0=idle; 1=high load", {"0": "idle", "1": "high load"}),
    ('{"2": "warm-up"}', {"2": "warm-up"}),
    ("", {}),
])
def test_cluster_names_are_parsed(text, expected):
    assert parse_cluster_names(text) == expected


@pytest.mark.parametrize("text, message", [
    ("idle", "is not of the form NUMBER=NAME"),
    ("x=idle", "'x' is not a cluster number"),
    ("{bad json", "not valid JSON"),
])
def test_bad_cluster_names_are_explained(text, message):
    with pytest.raises(DaikiriError, match=message):
        parse_cluster_names(text)


def test_review_loop_runs_with_pyflyte_run_answering_on_the_terminal():
    """The documented local path: ``pyflyte run`` prompts for each gate on the terminal."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    answers = ("0=low; 1=high\n"
               "reviewer: Jane Doe; label:hdf revise exclude=rotational_speed_rpm; * accept\n"
               "* accept\n")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "pyflyte"), "run", "workflows/diagnose.py",
         "diagnose_reviewed", "--rows", "3000", "--labels", '["hdf", "pwf"]',
         "--max_runtime", "3", "--no_explain_model", "--embedding_epochs", "3",
         "--max_length", "10"],
        cwd=root, input=answers, capture_output=True, text=True, timeout=900)
    text = done.stdout + done.stderr
    assert done.returncode == 0, text[-3000:]
    assert "Waiting for input @review-round-1" in text
    assert "Waiting for input @review-round-2" in text
    assert "Waiting for input @review-round-3" not in text  # accepted in round 2
    # round 2 shows the relearned explanation, without the excluded feature
    [relearned] = [line for line in text.splitlines()
                   if line.startswith("label:hdf") and "[relearned: " in line]
    assert "rotational speed" not in relearned and "temperature difference" in relearned

"""The expert's review format (#24): parsed with errors naming the line, applied to problems.

``pytest -k review`` selects these with the workflow's review tests."""

import re

import pytest

from daikiri.errors import DaikiriError
from daikiri.ingest import load_table
from daikiri.kg.naming import categories_of, vocabulary
from daikiri.problems import problems_from_flags
from daikiri.review import Decision, parse_review, revised_problem
from daikiri.spec import default_spec

IDS = ["label:hdf", "label:pwf", "label:osf", "model:osf"]


@pytest.fixture(scope="module")
def data():
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    return spec, table, [str(i) for i in table[spec.id_column]]


def test_a_review_reads_as_written(data):
    spec, _, runs = data
    text = f"""
        # the engineer's answers
        label:hdf  accept
        label:pwf  reject
        model:osf  revise exclude=air_temperature_k max_length=6
        label:osf  revise relabel={runs[0]}:1,{runs[1]}:0 drop={runs[2]}
    """
    review = parse_review(text, IDS, spec, runs).revisions
    assert [(r.problem, r.decision) for r in review] == [
        ("label:hdf", Decision.ACCEPT), ("label:pwf", Decision.REJECT),
        ("model:osf", Decision.REVISE), ("label:osf", Decision.REVISE)]
    assert review[2].exclude == ["air_temperature_k"] and review[2].max_length == 6
    assert review[3].relabel == {runs[0]: 1, runs[1]: 0} and review[3].drop == [runs[2]]
    assert review[2].describe() == "model:osf revise exclude=air_temperature_k max_length=6"


@pytest.mark.parametrize("text, message", [
    ("label:hdf acept", "review line 1: 'acept' is not accept, reject or revise"),
    ("label:xyz accept", "review line 1: no explanation 'label:xyz' under review"),
    ("label:hdf accept\nlabel:hdf reject", "review line 2: explanation 'label:hdf' was "
                                           "already answered on line 1"),
    ("model:osf revise exclude=air_temp", "review line 1: 'air_temp' is not a feature of spec "
                                          "'ai4i2020'"),
    ("model:osf revise relabel=nobody:1", "review line 1: no run 'nobody' in the table"),
    ("model:osf revise relabel=1:2", "review line 1: relabel takes run:0 or run:1"),
    ("model:osf revise max_length=0", "review line 1: max_length must be a whole number"),
    ("model:osf revise exlude=air_temperature_k", "review line 1: unknown option 'exlude'"),
    ("model:osf revise", "review line 1: 'revise' needs at least one of"),
    ("label:hdf accept exclude=torque_nm", "review line 1: 'accept' takes no options"),
    ("label:hdf", "review line 1: expected '<explanation id> accept|reject|revise ...'"),
    ("# nothing\n\n", "the review answers no explanation"),
    ("label:hdf accept", "the review does not answer label:pwf, label:osf, model:osf; answer "
                         "each, or add '* accept'"),
    ("label:hdf accept; model:osf revise require=type", "review line 1, answer 2: 'type' is "
                                                        "categorical; require= takes numeric"),
    ("model:osf revise exclude=torque_nm require=torque_nm", "review line 1: torque_nm is both "
                                                             "excluded and required"),
    ("* accept\n* reject", "review line 2: explanation '*' was already answered"),
])
def test_every_mistake_names_its_line(text, message, data):
    spec, _, runs = data
    with pytest.raises(DaikiriError, match=re.escape(message)):
        parse_review(text, IDS, spec, runs)


def test_a_revision_changes_the_problem(data):
    spec, table, runs = data
    [osf] = problems_from_flags(table, spec, ["osf"])
    positive = next(r for r, flag in zip(runs, table["osf"], strict=True) if flag == 1)
    negative = next(r for r, flag in zip(runs, table["osf"], strict=True) if flag == 0)
    dropped = runs[5] if runs[5] not in (positive, negative) else runs[6]
    [revision] = parse_review(f"label:osf revise exclude=air_temperature_k "
                              f"relabel={positive}:0,{negative}:1 drop={dropped}",
                              ["label:osf"], spec, runs).revisions
    vocab = vocabulary(spec, categories_of(table, spec))
    changed = revised_problem(osf, revision, vocab)
    assert changed.exclude == (spec.base_iri + "air_temperature_k",)
    assert len(changed.positives) == len(osf.positives)  # one out, one in
    assert spec.base_iri + f"MachineRun_{negative}" in changed.positives
    assert spec.base_iri + f"MachineRun_{positive}" in changed.negatives
    assert len(changed.positives) + len(changed.negatives) == len(runs) - 1


def test_review_every_other_answer_reviewer_and_one_line_answers(data):
    spec, _, runs = data
    review = parse_review("reviewer: Jane Doe; label:pwf reject; * revise max_length=5",
                          IDS, spec, runs)
    assert review.reviewer == "Jane Doe"
    assert [(r.problem, r.decision, r.max_length) for r in review.revisions] == [
        ("label:pwf", Decision.REJECT, 0), ("label:hdf", Decision.REVISE, 5),
        ("label:osf", Decision.REVISE, 5), ("model:osf", Decision.REVISE, 5)]


def test_review_exclusion_of_a_categorical_feature_and_requirements_reach_the_problem(data):
    spec, table, runs = data
    [osf] = problems_from_flags(table, spec, ["osf"])
    [revision] = parse_review("label:osf revise exclude=type require=torque_nm max_length=7",
                              ["label:osf"], spec, runs).revisions
    changed = revised_problem(osf, revision, vocabulary(spec, categories_of(table, spec)))
    base = spec.base_iri
    assert set(changed.exclude) == {base + "ProductQualityVariant", base + "type_H",
                                    base + "type_L", base + "type_M"}
    assert changed.require == (base + "torque_nm",) and changed.max_length == 7
    data = changed.to_json()
    assert data["require"] == [base + "torque_nm"] and data["max_length"] == 7
    assert type(changed).from_json(data) == changed

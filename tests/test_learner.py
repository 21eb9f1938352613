"""The Java learner driven from Python: real Java processes on real OWL/RDF files."""

import json
import os
import re
import subprocess
import sys

import pytest

from daikiri.concepts import Or, Top, to_json
from daikiri.family import generate_family, write_family_kg
from daikiri.ingest import load_table
from daikiri.kg.build import KGConfig, build_knowledge_graph
from daikiri.kg.manifest import read_manifest
from daikiri.learner import (
    LEARNER_GC,
    ROOT,
    LearnerError,
    class_archive,
    jvm_options,
    learner_command,
    learner_jar,
    local_env,
    local_heap_mib,
    local_jvm_options,
    read_results,
    run_learner,
)
from daikiri.problems import ProblemKind, problems_from_flags
from daikiri.spec import default_spec

#: The build's class-data-sharing recorder (java_tasks/build.sh and the image run it).
ARCHIVE_SCRIPT = ROOT / "java_tasks" / "class-archive.sh"
EXPECTED_FAMILY = {
    "father": "Male ⊓ ∃hasChild.⊤",
    "mother": "Female ⊓ ∃hasChild.⊤",
    "grandparent": "∃hasChild.∃hasChild.⊤",
    "aunt": "Female ⊓ ∃hasSibling.∃hasChild.⊤",
    "cousin": "∃hasParent.∃hasSibling.∃hasChild.⊤",
    "great_grandfather": "Male ⊓ ∃hasChild.∃hasChild.∃hasChild.⊤",
}


@pytest.fixture(scope="module")
def family_results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("family")
    family = generate_family()
    assert 200 <= len(family.people) <= 600  # "a few hundred people"
    write_family_kg(family, folder / "kg")
    return run_learner(folder / "kg", family.problems(), folder / "work", max_runtime=10)


def test_every_family_concept_is_learned_exactly(family_results):
    assert [r.problem for r in family_results] == [
        "father", "mother", "son", "daughter", "brother", "sister", "grandparent",
        "grandfather", "grandmother", "aunt", "uncle", "cousin", "great_grandfather"]
    for result in family_results:
        assert result.best is not None and result.best.f1 == 1.0, result
        assert result.explainable
        assert result.search_seconds < 10.0 + 1.0  # the learner's own max-runtime bound
        assert result.tbox_reader == "n-triples"  # the platform's TBox skips the OWL API


def test_family_definitions_are_the_textbook_ones(family_results):
    by_name = {r.problem: r.best for r in family_results}
    for name, dl in EXPECTED_FAMILY.items():
        assert by_name[name].dl == dl
    father = to_json(by_name["father"].expression)
    assert father["type"] == "and"
    assert {"type": "class", "iri": "http://example.org/family#Male"} in father["operands"]


@pytest.fixture(scope="module")
def ai4i_kg(tmp_path_factory):
    """The default data's 10,000 runs and their knowledge graph (without the labels)."""
    folder = tmp_path_factory.mktemp("ai4i")
    spec = default_spec()
    table, _ = load_table(spec, None, rows=10_000, seed=42)
    build_knowledge_graph(table, spec, folder / "kg", KGConfig(include_labels=False))
    return table, folder / "kg"


@pytest.fixture(scope="module")
def ai4i_results(ai4i_kg, tmp_path_factory):
    table, kg = ai4i_kg
    problems = problems_from_flags(table, default_spec(), ["hdf", "pwf", "osf", "rnf"])
    results = run_learner(kg, problems, tmp_path_factory.mktemp("work"), max_runtime=10,
                          env={"JDK_JAVA_OPTIONS": "-XX:ActiveProcessorCount=1"})  # one thread
    assert [r.problem for r in results] == ["label:hdf", "label:pwf", "label:osf", "label:rnf"]
    return {r.target: r for r in results}


def test_a_local_learner_is_lean_as_the_graph_size_allows(ai4i_kg, ai4i_results, tmp_path):
    """Locally a small graph's learner runs on the client compiler, a large graph's on both
    compilers (C1 alone made loading 1M rows 4-5x slower), each with a heap bound by the
    graph's size (and, as everywhere, on the serial GC); the lean JVM finds the same
    explanation, on the processors it is given."""
    table, kg = ai4i_kg
    triples = read_manifest(kg).triples
    lean = local_env(kg, processors=1)["JDK_JAVA_OPTIONS"].split()
    assert lean == ["-XX:TieredStopAtLevel=1", f"-Xmx{local_heap_mib(triples)}m",
                    "-XX:ActiveProcessorCount=1"]
    assert local_jvm_options(11_000_000) == ("-Xmx3109m",)
    assert local_heap_mib(10**9) == 6_144  # never above the cluster task's heap
    assert local_env(tmp_path) == {}  # no manifest: nothing to add to jvm_options
    assert LEARNER_GC in learner_command(learner_jar(), kg, tmp_path / "p.json",
                                         tmp_path / "r.json", 1.0, 8, 5.0, 1)
    [hdf] = run_learner(kg, problems_from_flags(table, default_spec(), ["hdf"]), tmp_path,
                        max_runtime=10, env=local_env(kg, processors=1))
    assert hdf.best.dl == ai4i_results["hdf"].best.dl


def test_the_learner_solves_a_batch_on_threads_as_it_does_alone(ai4i_kg, ai4i_results,
                                                                tmp_path):
    """One JVM, a search per thread over one loaded graph: each problem's answer is the one
    it gets on one thread, in the problems' order; a search that ends well before any of its
    (CPU-time) deadlines tests the same expressions, however many run beside it."""
    table, kg = ai4i_kg
    problems = problems_from_flags(table, default_spec(), ["hdf", "pwf", "osf", "rnf"])
    threaded = run_learner(kg, problems, tmp_path, max_runtime=10,
                           env={"JDK_JAVA_OPTIONS": "-XX:ActiveProcessorCount=2"})
    assert [r.problem for r in threaded] == ["label:hdf", "label:pwf", "label:osf", "label:rnf"]
    for result in threaded:
        alone = ai4i_results[result.target]
        assert result.best.dl == alone.best.dl
        assert result.best.f1 == alone.best.f1
        if max(result.search_seconds, alone.search_seconds) < 0.35 * 10:  # CPU <= wall
            assert result.expressions_tested == alone.expressions_tested


def test_threads_override_the_jvms_processor_count(ai4i_kg, ai4i_results, tmp_path, caplog):
    """``threads`` sets how many searches run side by side, whatever processor count the JVM
    sees (its default); HDF's search ends in its first few hundred expressions either way."""
    table, kg = ai4i_kg
    problems = problems_from_flags(table, default_spec(), ["hdf", "hdf"])
    with caplog.at_level("INFO", logger="daikiri.learner"):
        both = run_learner(kg, problems, tmp_path, max_runtime=10, threads=2,
                           env={"JDK_JAVA_OPTIONS": "-XX:ActiveProcessorCount=1"})
    assert "2 problems on 2 threads" in caplog.text
    assert [r.best.dl for r in both] == [ai4i_results["hdf"].best.dl] * 2


def _bounds(ast: dict, found: dict | None = None) -> dict[str, list[float]]:
    """Every numeric threshold in an AST, by property local name."""
    found = {} if found is None else found
    if ast["type"] == "data_range":
        name = ast["property"].split("#")[-1]
        found.setdefault(name, []).extend(v for v in (ast["min"], ast["max"]) if v is not None)
    for child in ast.get("operands", []) + ([ast["filler"]] if "filler" in ast else []):
        _bounds(child, found)
    return found


def _near(value: float, target: float) -> bool:
    return abs(value - target) <= 0.02 * target


def test_heat_dissipation_failure_is_recovered(ai4i_results):
    best = ai4i_results["hdf"].best
    assert best.f1 >= 0.95
    bounds = _bounds(to_json(best.expression))
    assert set(bounds) == {"rotational_speed_rpm", "temperature_difference_k"}
    assert all(_near(v, 1380) for v in bounds["rotational_speed_rpm"])
    assert all(_near(v, 8.6) for v in bounds["temperature_difference_k"])


def test_power_failure_is_recovered_as_two_tails(ai4i_results):
    best = ai4i_results["pwf"].best
    assert best.f1 >= 0.95 and isinstance(best.expression, Or)
    bounds = sorted(_bounds(to_json(best.expression))["power_w"])
    assert len(bounds) == 2 and _near(bounds[0], 3500) and _near(bounds[1], 9000)


def test_overstrain_failure_is_recovered_per_variant(ai4i_results):
    best = ai4i_results["osf"].best
    assert best.f1 >= 0.95
    strain = _bounds(to_json(best.expression))["strain_minnm"]
    assert strain and all(any(_near(v, t) for t in (11_000, 12_000, 13_000)) for v in strain)
    assert re.search(r"type_L", best.dl)


def test_random_failure_is_not_explainable(ai4i_results):
    rnf = ai4i_results["rnf"]
    assert not rnf.explainable
    assert rnf.validation_f1 < 0.5
    assert all(ai4i_results[m].explainable for m in ("hdf", "pwf", "osf"))


def _learn(tmp_path, problems, *extra):
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    (tmp_path / "p.json").write_text(json.dumps(problems), encoding="utf-8")
    command = learner_command(learner_jar(), tmp_path / "kg", tmp_path / "p.json",
                              tmp_path / "r.json", 1.0, 8, 5.0, 1) + list(extra)
    return subprocess.run(command, capture_output=True, text=True)


@pytest.mark.parametrize("problems, extra, message", [
    ({"name": "x", "positives": ["https://example.org/ai4i#MachineRun_999999"],
      "negatives": []}, [], "not individuals of the knowledge base"),
    ({"name": "x", "positives": [], "negatives": []}, [], "positives is empty"),
    ({"name": "x", "positives": ["https://example.org/ai4i#MachineRun_1"],
      "negatives": ["https://example.org/ai4i#MachineRun_1"]}, [], "both positive and negative"),
    ({"name": "x", "positives": ["https://example.org/ai4i#MachineRun_1"], "negatives": [],
      "colour": "red"}, [], "unknown key 'colour'"),
    ({"name": "x", "positives": ["https://example.org/ai4i#MachineRun_1"], "negatives": []},
     ["--fast", "yes"], "unknown option --fast"),
])
def test_bad_inputs_exit_non_zero_with_one_line(tmp_path, problems, extra, message):
    done = _learn(tmp_path, problems, *extra)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if not line.startswith("[learner")]
    assert len(errors) == 1 and message in errors[0], done.stderr


def test_missing_and_malformed_files_are_named(tmp_path):
    jar = str(learner_jar())
    (tmp_path / "p.json").write_text("[", encoding="utf-8")
    done = subprocess.run(["java", "-jar", jar, "learn", "--tbox", str(tmp_path / "none.owl"),
                           "--problem", str(tmp_path / "p.json"), "--out", "r.json"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "none.owl' does not exist" in done.stderr
    (tmp_path / "t.owl").write_text("not rdf at all", encoding="utf-8")
    done = subprocess.run(["java", "-jar", jar, "validate", "--tbox", str(tmp_path / "t.owl")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "cannot read ontology" in done.stderr


def test_the_jar_passes_its_self_test_through_its_class_archive(tmp_path):
    """The build records a class-data-sharing archive valid for this jar: with -Xshare:on the
    JVM refuses to start on an archive it cannot use, so this fails for a missing or stale one
    (the learner command passes it with the default -Xshare:auto, which would hide that)."""
    jar = learner_jar()
    command = ["java", *jvm_options(jar), "-Xshare:on", "-jar", str(jar), "self-test"]
    assert f"-XX:SharedArchiveFile={class_archive(jar)}" in learner_command(
        jar, tmp_path, tmp_path / "p.json", tmp_path / "r.json", 1.0, 8, 5.0, 1)
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed: high_torque = torque ≥ " in done.stdout
    assert "worn_tool = ∃usesTool.WornTool (F1 1.000)" in done.stdout
    assert "TBox readers agree (52 individuals" in done.stdout
    # recorded under the collector every learner runs with (one recorded under G1 slowed the
    # serial-collector learner by a third)
    recording = next(line for line in ARCHIVE_SCRIPT.read_text().splitlines()
                     if "-XX:ArchiveClassesAtExit" in line)
    assert LEARNER_GC in recording.split(), recording
    # a copy of the jar elsewhere is not the jar the archive was recorded for
    copy = tmp_path / "copy.jar"
    copy.write_bytes(jar.read_bytes())
    stale = subprocess.run(["java", f"-XX:SharedArchiveFile={class_archive(jar)}", "-Xshare:on",
                            "-jar", str(copy), "--help"], capture_output=True, text=True)
    assert stale.returncode != 0 and "shared" in stale.stdout + stale.stderr


def test_run_learner_raises_with_the_java_reason(tmp_path):
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    with pytest.raises(LearnerError, match="exited with status 2: error: problem 'x': 1 "
                                           "positive example"):
        run_learner(tmp_path / "kg", [{"name": "x", "positives": ["urn:nobody"],
                                       "negatives": []}], tmp_path / "w", max_runtime=1)


def test_validate_and_parse_subcommands_on_the_generated_graph(tmp_path):
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    manifest = build_knowledge_graph(table, spec, tmp_path / "kg")
    jar = str(learner_jar())
    done = subprocess.run(["java", "-jar", jar, "validate", "--tbox",
                           str(tmp_path / "kg" / "tbox.owl"), "--abox",
                           str(tmp_path / "kg" / "abox"), "--quiet"],
                          capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    assert report["individuals"] == manifest.individuals
    assert report["data_properties"] == len(spec.feature_columns)
    assert report["owl2_dl"] is True
    done = subprocess.run(["java", "-jar", jar, "validate", "--tbox",
                           str(tmp_path / "kg" / "kg.ttl"), "--quiet"],
                          capture_output=True, text=True, check=True)
    combined = json.loads(done.stdout)  # the combined Turtle file loads in the OWL API too
    assert combined["individuals"] == manifest.individuals
    assert combined["owl2_dl"] is True
    done = subprocess.run(["java", "-jar", jar, "parse", "--tbox",
                           str(tmp_path / "kg" / "tbox.owl"), "--expression",
                           "MachineRun and (power_w some xsd:double[<= 3500.0])"],
                          capture_output=True, text=True, check=True)
    parsed = json.loads(done.stdout)
    assert parsed["dl"] == "MachineRun ⊓ (power_w ≤ 3500)"
    assert parsed["ast"]["operands"][1] == {"type": "data_range",
                                            "property": "https://example.org/ai4i#power_w",
                                            "min": None, "max": 3500.0}


def _validate(kg, reader: str, tbox: str = "tbox.nt") -> dict:
    done = subprocess.run(["java", "-jar", str(learner_jar()), "validate", "--tbox",
                           str(kg / tbox), "--abox", str(kg / "abox"), "--quiet",
                           "--tbox-reader", reader], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_built_in_tbox_reader_reads_what_the_owl_api_reads(tmp_path):
    """The platform's TBoxes (the default data's with labels, the family graph's) are read
    from their N-Triples without the OWL API, into exactly the knowledge base the OWL API
    builds from the same TBox in N-Triples and in RDF/XML."""
    spec = default_spec()
    table, _ = load_table(spec, None, rows=1_000, seed=5)
    build_knowledge_graph(table, spec, tmp_path / "runs", KGConfig(include_labels=True))
    write_family_kg(generate_family(), tmp_path / "family")
    for kg in (tmp_path / "runs", tmp_path / "family"):
        built_in, owl_api = _validate(kg, "auto"), _validate(kg, "owlapi")
        from_rdf_xml = _validate(kg, "auto", "tbox.owl")
        assert (built_in["tbox_reader"], owl_api["tbox_reader"]) == ("n-triples", "owl api")
        assert from_rdf_xml["tbox_reader"] == "owl api"  # only N-Triples skip the OWL API
        assert built_in["fingerprint"] == owl_api["fingerprint"] == from_rdf_xml["fingerprint"]
        assert built_in["individuals"] > 0 and built_in == {
            **owl_api, "tbox_reader": "n-triples"}
    with pytest.raises(subprocess.CalledProcessError) as bad:
        _validate(tmp_path / "runs", "jena")
    assert "--tbox-reader must be auto or owlapi, not 'jena'" in bad.value.stderr


def test_results_round_trip_into_dataclasses(tmp_path):
    (tmp_path / "r.json").write_text(json.dumps({
        "problem": "p", "hypotheses": [{
            "ast": {"type": "top"}, "dl": "⊤", "manchester": "Thing", "length": 1,
            "accuracy": 0.5, "precision": 0.5, "recall": 1.0, "f1": 0.6667,
            "covered_positives": 2, "covered_negatives": 2}],
        "stats": {"explainable": False, "validation_f1": None}}), encoding="utf-8")
    [result] = read_results(tmp_path / "r.json")
    assert isinstance(result.best.expression, Top) and result.validation_f1 == -1.0


def test_expressions_from_other_tools_are_verbalized(tmp_path):
    from daikiri.learner import parse_expression
    from daikiri.verbalize import Verbalizer, lexicon_from_tbox

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    tbox = tmp_path / "kg" / "tbox.owl"
    ast = parse_expression("type_H and (strain_minnm some xsd:double[>= 13000.0])", tbox)
    sentence = Verbalizer(lexicon_from_tbox(tbox)).sentence(ast)
    assert sentence == "it has product quality variant H and its strain is above 13000 min·Nm"
    dl_ast = parse_expression("power_w ≤ 3500 ⊔ power_w ≥ 9000", tbox, syntax="dl")
    assert isinstance(dl_ast, Or)
    with pytest.raises(LearnerError, match="unknown name 'speed'"):
        parse_expression("speed ≥ 3", tbox, syntax="dl")


def test_the_family_graph_is_the_same_file_in_every_python_process(tmp_path):
    # The order of individuals decides the learner's hold-out split; rdflib's order follows
    # Python's per-process string hashing, which once made "daughter" F1 0.95 in one process
    # out of eight. The ABox is written sorted, so every process writes the same bytes.
    script = ("import sys; from daikiri.family import generate_family, write_family_kg; "
              "write_family_kg(generate_family(), sys.argv[1])")
    for seed in ("1", "7"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / seed)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    first, second = (tmp_path / s / "abox" / "part-00000.nt" for s in ("1", "7"))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text().splitlines() == sorted(first.read_text().splitlines())


def test_few_positives_are_reported_as_not_checked_on_unseen_runs(tmp_path):
    # Fewer than 10 positives: the learner holds none out, so its F1 is a fit of those few.
    # The headline and the reviewer's text must say so (not "held-out 0.000", not a bare F1).
    from daikiri.diagnosis import explanation_table, explanations, headline
    from daikiri.review import review_prompt
    from daikiri.verbalize import lexicon_from_tbox

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    few = table[(table["hdf"] == 0) | table.index.isin(table.index[table["hdf"] == 1][:6])]
    problems = (problems_from_flags(table, spec, ["hdf"])
                + problems_from_flags(few, spec, ["hdf"], ProblemKind.MODEL))
    results = run_learner(tmp_path / "kg", problems, tmp_path / "work", max_runtime=2)
    validated, unchecked = results
    assert validated.validation_f1 >= 0.9 and unchecked.validation_f1 == -1.0
    assert unchecked.positives == 6 and unchecked.explainable
    items = explanations(results, spec, lexicon_from_tbox(tmp_path / "kg" / "tbox.ttl"))
    lines = headline(items)
    assert lines[0].endswith(f"(F1 {validated.best.f1:.3f})")
    assert lines[1].endswith("(F1 1.000 on only 6 positive examples, too few to hold any out: "
                             "not checked on unseen runs)")
    review = review_prompt(items, [], 1, 3).splitlines()[2:]
    assert f"held-out {validated.validation_f1:.3f})" in review[0]
    assert "held-out" not in review[1].replace("hold any out", "")
    table_rows = explanation_table(items)
    assert table_rows["held-out F1"].isna().tolist() == [False, True]
    assert table_rows["positives"].tolist() == [validated.positives, 6]

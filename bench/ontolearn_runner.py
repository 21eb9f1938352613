"""Runs an ontolearn learner (CELOE, EvoLearner, TDL) on learning problems, or scores given
expressions; executed by ``bench/learner_vs_ontolearn.py`` with the Python of the *separate*
ontolearn virtualenv.

Imports only the standard library and ontolearn/owlapy (never ``daikiri``: this file runs in
the other environment). Loads the knowledge base once, then learns each problem and scores the
best hypothesis by retrieving its instances with the same knowledge base: F1 = 2·TP /
(2·TP + FP + FN) over the problem's training positives and negatives (``f1``) and over its
held-out ones (``held_out_f1``: ``test_positives``/``test_negatives``, not shown to the
learner), and the expression's length by owlapy's length metric. ``--learner score`` learns
nothing: it parses each problem's ``expression`` (Manchester syntax, as the Java learner
writes it) and scores it the same way, so every learner's expressions are judged by one
retrieval.

    <venv>/bin/python bench/ontolearn_runner.py --kb kb.owl --problems p.json \\
        --learner celoe --max-runtime 10 --out results.jsonl
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

LEARNERS = ["celoe", "evolearner", "tdl"]


def f1_of(retrieved: set[str], positives: set[str], negatives: set[str]) -> float:
    tp = len(retrieved & positives)
    fp = len(retrieved & negatives)
    fn = len(positives - retrieved)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", required=True)
    parser.add_argument("--problems", required=True)
    parser.add_argument("--learner", choices=[*LEARNERS, "score"], required=True)
    parser.add_argument("--max-runtime", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    from ontolearn.knowledge_base import KnowledgeBase
    from ontolearn.learners import CELOE, TDL, EvoLearner
    from ontolearn.learning_problem import PosNegLPStandard
    from owlapy import manchester_to_owl_expression, owl_expression_to_dl
    from owlapy.iri import IRI
    from owlapy.owl_individual import OWLNamedIndividual
    from owlapy.utils import OWLClassExpressionLengthMetric

    started = time.perf_counter()
    kb = KnowledgeBase(path=args.kb)
    load_seconds = time.perf_counter() - started
    print(f"[ontolearn] loaded {args.kb} in {load_seconds:.1f} s", file=sys.stderr, flush=True)
    length = OWLClassExpressionLengthMetric.get_default()
    learners = {"celoe": CELOE, "evolearner": EvoLearner, "tdl": TDL}
    problems = json.loads(open(args.problems, encoding="utf-8").read())
    out = open(args.out, "a", encoding="utf-8")  # one JSON line per problem, as it finishes
    for number, problem in enumerate(problems, 1):
        positives, negatives = set(problem["positives"]), set(problem["negatives"])
        started = time.perf_counter()
        if args.learner == "score":
            namespace = problem["positives"][0].rsplit("#", 1)[0] + "#"
            best = manchester_to_owl_expression(problem["expression"], namespace)
        else:
            lp = PosNegLPStandard(pos={OWLNamedIndividual(IRI.create(i)) for i in positives},
                                  neg={OWLNamedIndividual(IRI.create(i)) for i in negatives})
            learner = learners[args.learner](knowledge_base=kb, max_runtime=args.max_runtime)
            try:
                learner.fit(lp)
                best = learner.best_hypotheses(n=1)
            except Exception as error:  # noqa: BLE001 - a learner's failure is a result too
                fit_seconds = time.perf_counter() - started
                print(f"[ontolearn] {args.learner} {number}/{len(problems)} {problem['name']}: "
                      f"failed after {fit_seconds:.1f} s: {error}", file=sys.stderr, flush=True)
                out.write(json.dumps({"problem": problem["name"], "f1": 0.0,
                                      "held_out_f1": None, "length": None,
                                      "fit_seconds": fit_seconds, "load_seconds": load_seconds,
                                      "expression": "", "error": str(error)[:300]}) + "\n")
                out.flush()
                continue
        fit_seconds = time.perf_counter() - started
        retrieved = {i.str for i in kb.individuals(best)}
        f1 = f1_of(retrieved, positives, negatives)
        test_positives = set(problem.get("test_positives", ()))
        held_out = (f1_of(retrieved, test_positives, set(problem.get("test_negatives", ())))
                    if test_positives else None)
        print(f"[ontolearn] {args.learner} {number}/{len(problems)} {problem['name']}: "
              f"F1 {f1:.3f}, held-out {'-' if held_out is None else f'{held_out:.3f}'} "
              f"in {fit_seconds:.1f} s", file=sys.stderr, flush=True)
        out.write(json.dumps({"problem": problem["name"], "f1": f1, "held_out_f1": held_out,
                              "length": length.length(best), "fit_seconds": fit_seconds,
                              "load_seconds": load_seconds,
                              "expression": owl_expression_to_dl(best)}) + "\n")
        out.flush()
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

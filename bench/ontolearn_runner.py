"""Runs ontolearn's CELOE or EvoLearner on learning problems; executed by
``bench/learner_vs_ontolearn.py`` with the Python of the *separate* ontolearn virtualenv.

Imports only the standard library and ontolearn/owlapy (never ``daikiri``: this file runs in
the other environment). Loads the knowledge base once, then learns each problem and scores the
best hypothesis by retrieving its instances with the same knowledge base: F1 = 2·TP /
(2·TP + FP + FN) over the problem's positives and negatives, as the Java learner reports it.

    <venv>/bin/python bench/ontolearn_runner.py --kb kb.owl --problems p.json \\
        --learner celoe --max-runtime 10 --out results.jsonl
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time


def f1_of(retrieved: set[str], positives: set[str], negatives: set[str]) -> float:
    tp = len(retrieved & positives)
    fp = len(retrieved & negatives)
    fn = len(positives - retrieved)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kb", required=True)
    parser.add_argument("--problems", required=True)
    parser.add_argument("--learner", choices=["celoe", "evolearner"], required=True)
    parser.add_argument("--max-runtime", type=int, default=10)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    from ontolearn.knowledge_base import KnowledgeBase
    from ontolearn.learners import CELOE, EvoLearner
    from ontolearn.learning_problem import PosNegLPStandard
    from owlapy import owl_expression_to_dl
    from owlapy.iri import IRI
    from owlapy.owl_individual import OWLNamedIndividual

    started = time.perf_counter()
    kb = KnowledgeBase(path=args.kb)
    load_seconds = time.perf_counter() - started
    print(f"[ontolearn] loaded {args.kb} in {load_seconds:.1f} s", file=sys.stderr, flush=True)
    problems = json.loads(open(args.problems, encoding="utf-8").read())
    out = open(args.out, "a", encoding="utf-8")  # one JSON line per problem, as it finishes
    for number, problem in enumerate(problems, 1):
        positives, negatives = set(problem["positives"]), set(problem["negatives"])
        lp = PosNegLPStandard(pos={OWLNamedIndividual(IRI.create(i)) for i in positives},
                              neg={OWLNamedIndividual(IRI.create(i)) for i in negatives})
        learner = (CELOE(knowledge_base=kb, max_runtime=args.max_runtime)
                   if args.learner == "celoe"
                   else EvoLearner(knowledge_base=kb, max_runtime=args.max_runtime))
        started = time.perf_counter()
        learner.fit(lp)
        fit_seconds = time.perf_counter() - started
        best = learner.best_hypotheses(n=1)
        retrieved = {i.str for i in kb.individuals(best)}
        f1 = f1_of(retrieved, positives, negatives)
        print(f"[ontolearn] {args.learner} {number}/{len(problems)} {problem['name']}: "
              f"F1 {f1:.3f} in {fit_seconds:.1f} s", file=sys.stderr, flush=True)
        out.write(json.dumps({"problem": problem["name"], "f1": f1, "fit_seconds": fit_seconds,
                              "load_seconds": load_seconds,
                              "expression": owl_expression_to_dl(best)}) + "\n")
        out.flush()
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

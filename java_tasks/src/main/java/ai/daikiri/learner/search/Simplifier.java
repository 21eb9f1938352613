package ai.daikiri.learner.search;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.kb.Retrieval;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Post-pruning: removes operands of conjunctions and disjunctions (outside quantifiers) as long
 * as the quality does not drop, so that, e.g., a redundant {@code ¬type_H} next to
 * {@code type_L}, or a condition that separate-and-conquer added only because other positives
 * were already covered, disappears from the explanation.
 */
public final class Simplifier {
    private final Retrieval retrieval;

    public Simplifier(Retrieval retrieval) {
        this.retrieval = retrieval;
    }

    public Concept simplify(Concept c, ToDoubleFunction<BitSet> quality) {
        Concept current = c;
        double q = quality.applyAsDouble(retrieval.instances(current));
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Concept shorter : withOneOperandLess(current)) {
                double sq = quality.applyAsDouble(retrieval.instances(shorter));
                if (sq >= q - 1e-12) {
                    current = shorter;
                    q = Math.max(q, sq);
                    changed = true;
                    break;
                }
            }
        }
        return current;
    }

    /** Every expression obtained by deleting one operand of one ⊓ or ⊔ (outside quantifiers). */
    static List<Concept> withOneOperandLess(Concept c) {
        List<Concept> out = new ArrayList<>();
        List<Concept> ops = c instanceof Concept.And a ? a.operands()
                : c instanceof Concept.Or o ? o.operands() : List.of();
        boolean and = c instanceof Concept.And;
        for (int i = 0; i < ops.size(); i++) {
            List<Concept> rest = new ArrayList<>(ops);
            rest.remove(i);
            out.add(and ? Concept.and(rest) : Concept.or(rest));
        }
        for (int i = 0; i < ops.size(); i++) {
            for (Concept inner : withOneOperandLess(ops.get(i))) {
                List<Concept> next = new ArrayList<>(ops);
                next.set(i, inner);
                out.add(and ? Concept.and(next) : Concept.or(next));
            }
        }
        return out;
    }
}

package ai.daikiri.learner.search;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.Retrieval;

import static ai.daikiri.learner.kb.Fixtures.iri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The tuner scores every candidate threshold of a bound in one sweep; these tests hold it to
 * what trying the candidates one by one, each through the retrieval, chooses.
 */
class ThresholdTunerTest {
    private static final String X = iri("x");
    private static final String Y = iri("y");
    private static final String A = iri("A");

    /** A fresh knowledge base, its examples and a tuner for each test (JUnit makes an instance
     *  per test). */
    private final BitSet pos = new BitSet();
    private final BitSet neg = new BitSet();
    private final Retrieval retrieval = new Retrieval(data(pos, neg));
    private final ThresholdTuner tuner = new ThresholdTuner(retrieval);

    /**
     * 500 individuals: x in 0..99 (some have a second x value), y ~ N(0, 1) in tenths, half in
     * class A; positives follow (A ⊓ x ≤ 30) ⊔ y ≥ 1.2, with one label in ten flipped.
     */
    private static KnowledgeBase data(BitSet positives, BitSet negatives) {
        Random random = new Random(7);
        KnowledgeBase.Builder b = new KnowledgeBase.Builder();
        boolean[] label = new boolean[500];
        for (int i = 0; i < 500; i++) {
            String ind = iri("i" + i);
            double x = Math.floor(random.nextDouble() * 100);
            double y = Math.round(random.nextGaussian() * 10) / 10.0;
            boolean a = random.nextBoolean();
            b.dataAssertion(X, ind, x);
            if (i % 7 == 0) {
                b.dataAssertion(X, ind, Math.floor(random.nextDouble() * 100));
            }
            b.dataAssertion(Y, ind, y);
            if (a) {
                b.classAssertion(A, ind);
            } else {
                b.classAssertion(iri("B"), ind);
            }
            label[i] = (a && x <= 30 || y >= 1.2) != (random.nextInt(10) == 0);
        }
        KnowledgeBase kb = b.build();
        for (int i = 0; i < 500; i++) {
            (label[i] ? positives : negatives).set(kb.indexOf(iri("i" + i)));
        }
        return kb;
    }

    /** The tuning rule applied candidate by candidate, each scored through the retrieval. */
    private static Concept oneByOne(ThresholdTuner tuner, Retrieval retrieval, Concept c,
            BitSet pos, BitSet neg, ToDoubleFunction<Scores> quality) {
        ToDoubleFunction<Concept> score = e -> quality.applyAsDouble(
                Scores.of(retrieval.instances(e), pos, neg));
        Concept current = c;
        double best = score.applyAsDouble(current);
        for (int round = 0; round < 3; round++) {
            boolean improved = false;
            for (int k = 0; k < ThresholdTuner.ranges(current).size(); k++) {
                for (boolean lower : new boolean[] {true, false}) {
                    Concept.DataRange range = ThresholdTuner.ranges(current).get(k);
                    if ((lower ? range.min() : range.max()) == null) {
                        continue;
                    }
                    for (double t : positiveValues(retrieval.knowledgeBase(), range.property(),
                            pos)) {
                        Double min = lower ? Double.valueOf(t) : range.min();
                        Double max = lower ? range.max() : Double.valueOf(t);
                        if (min != null && max != null && min > max) {
                            continue;
                        }
                        Concept next = ThresholdTuner.replace(current, k,
                                new Concept.DataRange(range.property(), min, max));
                        double q = score.applyAsDouble(next);
                        if (q > best + 1e-12) {
                            best = q;
                            current = next;
                            improved = true;
                            range = ThresholdTuner.ranges(current).get(k);
                        }
                    }
                }
            }
            if (!improved) {
                break;
            }
        }
        return tuner.widen(current);
    }

    private static List<Double> positiveValues(KnowledgeBase kb, String property, BitSet pos) {
        KnowledgeBase.NumericValues v = kb.values(property);
        TreeSet<Double> out = new TreeSet<>();
        for (int k = 0; k < v.values().length; k++) {
            if (pos.get(v.owners()[k])) {
                out.add(v.values()[k]);
            }
        }
        return List.copyOf(out);
    }

    @Test
    void sweptThresholdsAreTheOnesTriedOneByOneWouldGive() {
        Concept a = new Concept.Atomic(A);
        List<Concept> starts = List.of(
                new Concept.DataRange(X, null, 50.0),
                new Concept.DataRange(X, 10.0, 60.0),
                Concept.and(a, new Concept.DataRange(X, null, 50.0)),
                Concept.or(Concept.and(a, new Concept.DataRange(X, null, 50.0)),
                        new Concept.DataRange(Y, 0.5, null)),
                Concept.or(new Concept.DataRange(X, null, 20.0),
                        new Concept.DataRange(X, 90.0, null)),
                Concept.and(new Concept.Not(a), new Concept.DataRange(Y, -1.0, 2.0),
                        new Concept.DataRange(X, 40.0, null)),
                // operands are ordered by key: moving the first range's maximum from 0 to 4
                // makes it the second, and the rest of the candidates move the other's
                Concept.or(new Concept.DataRange(X, 0.0, 0.0),
                        new Concept.DataRange(X, 0.0, 3.0)));
        List<ToDoubleFunction<Scores>> qualities = List.of(Scores::f1, Scores::accuracy);
        for (Concept start : starts) {
            for (ToDoubleFunction<Scores> quality : qualities) {
                Concept swept = tuner.tune(start, pos, neg, quality);
                Concept reference = oneByOne(tuner, retrieval, start, pos, neg, quality);
                assertEquals(reference, swept, "tuning " + start.key());
            }
        }
        // Not vacuous: tuning moves the thresholds towards the rule behind the labels.
        Concept tuned = tuner.tune(starts.get(3), pos, neg, Scores::f1);
        assertNotEquals(starts.get(3), tuned);
        assertEquals(List.of(30.5, 1.15), ThresholdTuner.ranges(tuned).stream()
                .map(r -> r.min() != null ? r.min() : r.max()).toList());
    }

    @Test
    void candidatesAndCountsFollowTheExamplesWhenTheyChange() {
        Concept start = new Concept.DataRange(X, null, 50.0);
        tuner.tune(start, pos, neg, Scores::f1); // fills the tuner's per-examples memory
        BitSet fewer = (BitSet) pos.clone(); // positives with x ≤ 30 only, as a rule's search
        fewer.and(retrieval.instances(new Concept.DataRange(X, null, 30.0)));
        assertEquals(oneByOne(tuner, retrieval, start, fewer, neg, Scores::f1),
                tuner.tune(start, fewer, neg, Scores::f1));
        // the same positives, other negatives (none with y ≥ 0): the counts must follow them
        BitSet otherNegatives = (BitSet) neg.clone();
        otherNegatives.andNot(retrieval.instances(new Concept.DataRange(Y, 0.0, null)));
        Concept both = Concept.and(new Concept.DataRange(X, null, 50.0),
                new Concept.DataRange(Y, 0.0, null));
        Concept withAllNegatives = tuner.tune(both, pos, neg, Scores::f1);
        Concept expected = oneByOne(tuner, retrieval, both, pos, otherNegatives, Scores::f1);
        assertEquals(expected, tuner.tune(both, pos, otherNegatives, Scores::f1));
        assertNotEquals(expected, withAllNegatives);
        assertNotEquals(tuner.widen(both), expected); // the thresholds moved
    }
}

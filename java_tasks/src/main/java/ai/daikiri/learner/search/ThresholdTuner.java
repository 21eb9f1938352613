package ai.daikiri.learner.search;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Numbers;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.Retrieval;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * Chooses the thresholds of numeric data ranges from the data: every bound of a range that is
 * not under a quantifier (so it combines with the rest of the expression through ⊓ and ⊔
 * only) is moved, one at a time, to the positive example value that maximises the quality of
 * the whole expression. Finally each bound is moved into the gap to the nearest value beyond
 * it, onto the number with the fewest decimals near the gap's middle: coverage is unchanged
 * but it reads better ("at most 1377.5" rather than "at most 1377").
 */
public final class ThresholdTuner {
    private static final int MAX_CANDIDATES = 160;
    private final Retrieval retrieval;

    public ThresholdTuner(Retrieval retrieval) {
        this.retrieval = retrieval;
    }

    /** Whether {@code c} has any tunable numeric bound. */
    public static boolean tunable(Concept c) {
        return !ranges(c).isEmpty();
    }

    /** The tuned expression (or {@code c} itself when nothing improves). */
    public Concept tune(Concept c, BitSet positives, ToDoubleFunction<BitSet> quality) {
        Concept current = c;
        double best = quality.applyAsDouble(retrieval.instances(current));
        for (int round = 0; round < 3; round++) {
            boolean improved = false;
            int count = ranges(current).size();
            for (int k = 0; k < count; k++) {
                for (boolean lower : new boolean[] {true, false}) {
                    Concept.DataRange range = ranges(current).get(k);
                    if ((lower ? range.min() : range.max()) == null) {
                        continue;
                    }
                    double at = lower ? range.min() : range.max();
                    for (double t : candidates(range.property(), positives, at)) {
                        Concept.DataRange moved = lower
                                ? withBounds(range, t, range.max()) : withBounds(range, range.min(), t);
                        if (moved == null) {
                            continue;
                        }
                        Concept next = replace(current, k, moved);
                        double q = quality.applyAsDouble(retrieval.instances(next));
                        if (q > best + 1e-12) {
                            best = q;
                            current = next;
                            improved = true;
                            range = ranges(current).get(k);
                        }
                    }
                }
            }
            if (!improved) {
                break;
            }
        }
        return widen(current);
    }

    /**
     * The best single threshold of {@code property} for "≤ t" ({@code upper}) or "≥ t": one
     * sweep over the sorted values counting covered positives and negatives, no bitsets; the
     * threshold is then moved into the gap to the next value ({@link #widen}).
     */
    public Concept.DataRange bestSingle(String property, boolean upper, BitSet positives,
            BitSet negatives, ToDoubleFunction<Scores> quality) {
        KnowledgeBase.NumericValues v = retrieval.knowledgeBase().values(property);
        if (v == null || v.values().length == 0) {
            return null;
        }
        int p = positives.cardinality();
        int n = negatives.cardinality();
        int tp = 0;
        int fp = 0;
        double best = -1;
        Double threshold = null;
        int size = v.values().length;
        for (int step = 0; step < size; step++) {
            int k = upper ? step : size - 1 - step;
            int owner = v.owners()[k];
            tp += positives.get(owner) ? 1 : 0;
            fp += negatives.get(owner) ? 1 : 0;
            int next = upper ? k + 1 : k - 1;
            boolean boundary = next < 0 || next >= size || v.values()[next] != v.values()[k];
            if (boundary && positives.get(owner) || boundary && tp > 0) {
                double q = quality.applyAsDouble(new Scores(tp, fp, p - tp, n - fp));
                if (q > best + 1e-12) {
                    best = q;
                    threshold = v.values()[k];
                }
            }
        }
        if (threshold == null) {
            return null;
        }
        Concept.DataRange range = upper ? new Concept.DataRange(property, null, threshold)
                : new Concept.DataRange(property, threshold, null);
        return (Concept.DataRange) widen(range);
    }

    /**
     * Move every tunable bound into its gap between two neighbouring data values, onto the
     * simplest number there ({@link Numbers#simplestBetween}): coverage is unchanged.
     */
    public Concept widen(Concept c) {
        Concept current = c;
        List<Concept.DataRange> found = ranges(current);
        for (int k = 0; k < found.size(); k++) {
            Concept.DataRange r = ranges(current).get(k);
            double[] values = retrieval.knowledgeBase().values(r.property()).values();
            Double min = r.min();
            Double max = r.max();
            if (min != null) { // "≥ min" covers the same values anywhere in (below, first ≥ min]
                int i = Retrieval.lowerBound(values, min);
                if (i > 0 && i < values.length) {
                    min = Numbers.simplestBetween(values[i - 1], values[i]);
                }
            }
            if (max != null) { // "≤ max" covers the same values anywhere in [last ≤ max, above)
                int i = Retrieval.upperBound(values, max);
                if (i > 0 && i < values.length) {
                    max = Numbers.simplestBetween(values[i - 1], values[i]);
                }
            }
            Concept.DataRange wider = withBounds(r, min, max);
            if (wider != null) {
                current = replace(current, k, wider);
            }
        }
        return current;
    }

    /**
     * Candidate thresholds: the positives' distinct values when few; otherwise an even sample
     * of them plus every value near the current threshold, so that repeated rounds home in on
     * the exact best value.
     */
    private List<Double> candidates(String property, BitSet positives, double current) {
        KnowledgeBase.NumericValues v = retrieval.knowledgeBase().values(property);
        TreeSet<Double> distinct = new TreeSet<>();
        for (int k = 0; k < v.values().length; k++) {
            if (positives.get(v.owners()[k])) {
                distinct.add(v.values()[k]);
            }
        }
        List<Double> all = new ArrayList<>(distinct);
        if (all.size() <= MAX_CANDIDATES) {
            return all;
        }
        TreeSet<Double> chosen = new TreeSet<>();
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            chosen.add(all.get((int) ((long) i * (all.size() - 1) / (MAX_CANDIDATES - 1))));
        }
        int found = java.util.Collections.binarySearch(all, current);
        int near = found >= 0 ? found : -found - 1;
        int from = Math.max(0, near - MAX_CANDIDATES / 2);
        chosen.addAll(all.subList(from, Math.min(all.size(), near + MAX_CANDIDATES / 2)));
        return new ArrayList<>(chosen);
    }

    private static Concept.DataRange withBounds(Concept.DataRange r, Double min, Double max) {
        if (min != null && max != null && min > max) {
            return null;
        }
        return new Concept.DataRange(r.property(), min, max);
    }

    /** Numeric ranges reachable from the root through ⊓ and ⊔ only, in a fixed order. */
    static List<Concept.DataRange> ranges(Concept c) {
        List<Concept.DataRange> out = new ArrayList<>();
        collect(c, out);
        return out;
    }

    private static void collect(Concept c, List<Concept.DataRange> out) {
        if (c instanceof Concept.DataRange d) {
            out.add(d);
        } else if (c instanceof Concept.And a) {
            a.operands().forEach(op -> collect(op, out));
        } else if (c instanceof Concept.Or o) {
            o.operands().forEach(op -> collect(op, out));
        }
    }

    /** {@code c} with its {@code index}-th tunable range replaced. */
    static Concept replace(Concept c, int index, Concept.DataRange by) {
        int[] counter = {index};
        return replaceAt(c, counter, by);
    }

    private static Concept replaceAt(Concept c, int[] counter, Concept.DataRange by) {
        if (c instanceof Concept.DataRange) {
            return counter[0]-- == 0 ? by : c;
        }
        if (c instanceof Concept.And a) {
            List<Concept> ops = new ArrayList<>();
            for (Concept op : a.operands()) {
                ops.add(counter[0] >= 0 ? replaceAt(op, counter, by) : op);
            }
            return Concept.and(ops);
        }
        if (c instanceof Concept.Or o) {
            List<Concept> ops = new ArrayList<>();
            for (Concept op : o.operands()) {
                ops.add(counter[0] >= 0 ? replaceAt(op, counter, by) : op);
            }
            return Concept.or(ops);
        }
        return c;
    }
}

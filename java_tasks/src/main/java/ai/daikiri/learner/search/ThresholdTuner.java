package ai.daikiri.learner.search;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Numbers;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.Retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** The positives' distinct values per property, for the positives in {@code distinctFor}. */
    private final Map<String, double[]> distinctValues = new HashMap<>();
    private BitSet distinctFor;
    /** Whether each individual has at most one value, per property. */
    private final Map<String, Boolean> singleValued = new HashMap<>();
    /** The examples of the last sweep (a search sweeps thousands of times on one set). */
    private Examples examples;

    public ThresholdTuner(Retrieval retrieval) {
        this.retrieval = retrieval;
    }

    /** Whether {@code c} has any tunable numeric bound. */
    public static boolean tunable(Concept c) {
        return !ranges(c).isEmpty();
    }

    /**
     * The tuned expression (or {@code c} itself when nothing improves), by {@code quality} of
     * its confusion counts on {@code positives} and {@code negatives}.
     *
     * <p>Each bound's candidates are scored in one sweep ({@link #sweep}) rather than one
     * retrieval per candidate; they are then taken in ascending order, a candidate replacing
     * the current threshold when it scores better (by more than 1e-12), exactly as trying them
     * one by one would.
     */
    public Concept tune(Concept c, BitSet positives, BitSet negatives,
            ToDoubleFunction<Scores> quality) {
        Concept current = c;
        double best = quality.applyAsDouble(Scores.of(retrieval.instances(current), positives,
                negatives));
        for (int round = 0; round < 3; round++) {
            boolean improved = false;
            int count = ranges(current).size();
            for (int k = 0; k < count; k++) {
                for (boolean lower : new boolean[] {true, false}) {
                    Concept.DataRange range = ranges(current).get(k);
                    if ((lower ? range.min() : range.max()) == null) {
                        continue;
                    }
                    double[] candidates = candidates(range.property(), positives,
                            lower ? range.min() : range.max());
                    double[] scored = sweep(current, k, lower, candidates, 0, positives,
                            negatives, quality);
                    for (int i = 0; i < candidates.length; i++) {
                        if (Double.isNaN(scored[i]) || scored[i] <= best + 1e-12) {
                            continue; // the bounds would cross, or no better
                        }
                        double t = candidates[i];
                        best = scored[i];
                        Concept.DataRange moved = lower ? withBounds(range, t, range.max())
                                : withBounds(range, range.min(), t);
                        current = replace(current, k, moved);
                        improved = true;
                        range = ranges(current).get(k);
                        if (range != moved) {
                            // The canonical order moved another range to position k: the rest
                            // of the candidates are scored against what is there now. (When
                            // the moved range stays at k, the rest of the expression is the
                            // same, and so are the scores of the rest of the candidates.)
                            scored = sweep(current, k, lower, candidates, i + 1, positives,
                                    negatives, quality);
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
     * The quality of {@code c} with one bound of its {@code k}-th tunable range moved to each
     * of {@code candidates[from..]} (ascending; NaN where the bounds would cross), from
     * counts. The range sits under ⊓ and ⊔ only, so the instances of {@code c} with that range
     * denoting R are {@code A ∪ (B ∩ R)} (A: with R empty, B: with R everything); moving the
     * bound outwards only adds values, so one pass over the property's sorted values counts
     * the covered positives and negatives for every candidate.
     */
    private double[] sweep(Concept c, int k, boolean lower, double[] candidates, int from,
            BitSet positives, BitSet negatives, ToDoubleFunction<Scores> quality) {
        Concept.DataRange range = ranges(c).get(k);
        BitSet always = substituted(c, new int[] {k}, new BitSet());
        BitSet within = substituted(c, new int[] {k}, retrieval.instances(Concept.TOP));
        BitSet open = (BitSet) within.clone(); // covered only when the range covers them
        open.andNot(always);
        KnowledgeBase.NumericValues v = retrieval.knowledgeBase().values(range.property());
        Tally tally = new Tally(always, open, examples(positives, negatives),
                singleValued(range.property()));
        double[] values = v.values();
        int[] owners = v.owners();
        double[] scored = new double[candidates.length];
        Arrays.fill(scored, Double.NaN);
        if (lower) { // [t, max]: grows as t falls
            int j = (range.max() == null ? values.length
                    : Retrieval.upperBound(values, range.max())) - 1;
            for (int i = candidates.length - 1; i >= from; i--) {
                double t = candidates[i];
                if (range.max() != null && t > range.max()) {
                    continue;
                }
                for (int start = Retrieval.lowerBound(values, t); j >= start; j--) {
                    tally.add(owners[j]);
                }
                scored[i] = quality.applyAsDouble(tally.scores());
            }
        } else { // [min, t]: grows as t rises
            int j = range.min() == null ? 0 : Retrieval.lowerBound(values, range.min());
            for (int i = from; i < candidates.length; i++) {
                double t = candidates[i];
                if (range.min() != null && range.min() > t) {
                    continue;
                }
                for (int end = Retrieval.upperBound(values, t); j < end; j++) {
                    tally.add(owners[j]);
                }
                scored[i] = quality.applyAsDouble(tally.scores());
            }
        }
        return scored;
    }

    private Examples examples(BitSet positives, BitSet negatives) {
        if (examples == null || !examples.of(positives, negatives)) {
            examples = new Examples(positives, negatives, retrieval.knowledgeBase().size());
        }
        return examples;
    }

    private boolean singleValued(String property) {
        return singleValued.computeIfAbsent(property, p -> {
            BitSet seen = new BitSet();
            for (int owner : retrieval.knowledgeBase().values(p).owners()) {
                if (seen.get(owner)) {
                    return false;
                }
                seen.set(owner);
            }
            return true;
        });
    }

    /**
     * The confusion counts of a sweep: what is always covered, plus each open individual the
     * widening range reaches, once however many values it has. The sweep visits every value
     * of the property, so {@link #add} is the learner's innermost loop: one bit of the open
     * individuals (a plain word array: {@code BitSet.get} is not inlined by the client
     * compiler) and one byte of {@link Examples} per value, and a {@code counted} set only for
     * a property with several values per individual.
     */
    private static final class Tally {
        private final long[] open;
        private final byte[] examples;
        private final BitSet counted;
        private final int allPositives;
        private final int allNegatives;
        private int tp;
        private int fp;

        Tally(BitSet always, BitSet open, Examples examples, boolean singleValued) {
            this.open = open.toLongArray();
            this.examples = examples.kinds;
            this.counted = singleValued ? null : new BitSet();
            this.allPositives = examples.positiveCount;
            this.allNegatives = examples.negativeCount;
            this.tp = intersection(always, examples.positives);
            this.fp = intersection(always, examples.negatives);
        }

        void add(int owner) {
            int word = owner >>> 6;
            if (word < open.length && (open[word] & (1L << owner)) != 0) {
                if (counted != null) {
                    if (counted.get(owner)) {
                        return;
                    }
                    counted.set(owner);
                }
                int kind = examples[owner];
                tp += kind & Examples.POSITIVE;
                fp += (kind & Examples.NEGATIVE) >> 1;
            }
        }

        Scores scores() {
            return new Scores(tp, fp, allPositives - tp, allNegatives - fp);
        }

        private static int intersection(BitSet a, BitSet b) {
            BitSet both = (BitSet) a.clone();
            both.and(b);
            return both.cardinality();
        }
    }

    /** The examples of a search, with each individual's kind in one byte for {@link Tally}. */
    private static final class Examples {
        static final int POSITIVE = 1;
        static final int NEGATIVE = 2;
        final BitSet positives;
        final BitSet negatives;
        final int positiveCount;
        final int negativeCount;
        final byte[] kinds;

        Examples(BitSet positives, BitSet negatives, int individuals) {
            this.positives = (BitSet) positives.clone();
            this.negatives = (BitSet) negatives.clone();
            this.positiveCount = positives.cardinality();
            this.negativeCount = negatives.cardinality();
            this.kinds = new byte[individuals];
            positives.stream().forEach(i -> kinds[i] |= POSITIVE);
            negatives.stream().forEach(i -> kinds[i] |= NEGATIVE);
        }

        boolean of(BitSet p, BitSet n) {
            return positives.equals(p) && negatives.equals(n);
        }
    }

    /**
     * The instances of {@code c} with its {@code counter[0]}-th tunable range (in the order of
     * {@link #ranges}) denoting {@code by}; the cached sets of the retrieval are not modified.
     */
    private BitSet substituted(Concept c, int[] counter, BitSet by) {
        if (c instanceof Concept.DataRange) {
            return counter[0]-- == 0 ? by : retrieval.instances(c);
        }
        boolean and = c instanceof Concept.And;
        if (!and && !(c instanceof Concept.Or)) {
            return retrieval.instances(c);
        }
        List<Concept> operands = and ? ((Concept.And) c).operands() : ((Concept.Or) c).operands();
        BitSet out = null;
        for (Concept op : operands) {
            BitSet part = counter[0] >= 0 ? substituted(op, counter, by) : retrieval.instances(op);
            if (out == null) {
                out = (BitSet) part.clone();
            } else if (and) {
                out.and(part);
            } else {
                out.or(part);
            }
        }
        return out;
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
     * Candidate thresholds, ascending: the positives' distinct values when few; otherwise an
     * even sample of them plus every value near the current threshold, so that repeated rounds
     * home in on the exact best value. The positives' distinct values are kept per property
     * while the positives stay the same (a search tunes thousands of expressions on one set).
     */
    private double[] candidates(String property, BitSet positives, double current) {
        if (!positives.equals(distinctFor)) { // a search asks for one set of positives
            distinctFor = (BitSet) positives.clone();
            distinctValues.clear();
        }
        double[] distinct = distinctValues.computeIfAbsent(property,
                p -> distinctPositiveValues(p, positives));
        int size = distinct.length;
        if (size <= MAX_CANDIDATES) {
            return distinct;
        }
        BitSet chosen = new BitSet(size);
        for (int i = 0; i < MAX_CANDIDATES; i++) {
            chosen.set((int) ((long) i * (size - 1) / (MAX_CANDIDATES - 1)));
        }
        int found = Arrays.binarySearch(distinct, 0, size, current);
        int near = found >= 0 ? found : -found - 1;
        chosen.set(Math.max(0, near - MAX_CANDIDATES / 2),
                Math.min(size, near + MAX_CANDIDATES / 2));
        return chosen.stream().mapToDouble(i -> distinct[i]).toArray();
    }

    /** The distinct values of {@code property} among the positives, ascending. */
    private double[] distinctPositiveValues(String property, BitSet positives) {
        KnowledgeBase.NumericValues v = retrieval.knowledgeBase().values(property);
        double[] distinct = new double[v.values().length];
        int size = 0;
        for (int k = 0; k < v.values().length; k++) {
            double x = v.values()[k];
            if (positives.get(v.owners()[k])
                    && (size == 0 || Double.compare(distinct[size - 1], x) != 0)) {
                distinct[size++] = x;
            }
        }
        return Arrays.copyOf(distinct, size);
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

package ai.daikiri.learner.search;

import ai.daikiri.learner.Log;
import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Renderer;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.Retrieval;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Learns class expressions that separate positive from negative examples.
 *
 * <p>Strategy: (1) a CELOE-style best-first search through the {@link RefinementOperator}'s
 * refinement tree, scored by F1 with a length penalty, with numeric thresholds chosen from the
 * data by the {@link ThresholdTuner}; (2) when no expression reaches the quality asked for,
 * separate-and-conquer: repeated searches for precise rules over the positives not yet covered,
 * joined by ⊔ (how disjunctions of conjunctions such as per-variant limits are found). A part
 * of the examples is held out: it chooses the answer among the hypotheses (the best by training
 * F1, the first search's best of each length, the union of rules): the shortest within one
 * standard error of the best held-out F1, so narrow rules fitted to noise do not beat a short
 * rule that generalises as well (with at least 10 held-out positives; with fewer, the best by
 * training F1). If the answer does not reach {@code minF1} on the held-out
 * examples, the problem is reported as not explainable rather than over-fitted.
 * Deterministic for a seed (up to where the clock stops a search; the clock is the search
 * thread's CPU time, {@link SearchClock}, so how busy the machine is does not matter).
 *
 * <p>A search stops when it is done, not only at the maximum runtime: when an expression
 * reaches the quality asked for ({@link Stop#SOLVED}), when the best quality has not improved
 * by 0.001 over the last {@code patience} expressions tested or over 3,000 expansions in a row
 * ({@link Stop#NO_IMPROVEMENT}: the case of a problem with nothing to find, which used to spend
 * its whole budget), when nothing is left to refine ({@link Stop#EXHAUSTED}), or at the
 * deadline ({@link Stop#TIME_LIMIT}: {@code maxRuntimeSeconds} of the search thread's CPU time). {@link Stats#stopReason()} says which ended the problem's
 * last search (separate-and-conquer is solved when its rules cover the positives).
 *
 * <p>A problem may name classes or properties every answer must mention
 * ({@link LearningProblem#required()}): the search walks through expressions without them (they
 * are on the way to ones with them) but only answers that mention them all are kept. A
 * problem's own {@link LearningProblem#maxLength()} bounds whole answers, unions included.
 */
public final class Learner {

    /** Options of one learning run. */
    public record Options(double maxRuntimeSeconds, int maxLength, double noisePercent, int topK,
            long seed, double validationFraction, double minF1, int maxRules,
            long patience, RefinementOperator.Options operator) {
        /**
         * Expressions tested without a better one after which a search gives up: counted, not
         * timed, so the answer does not depend on how busy the machine is.
         */
        public static final long PATIENCE = 5_000;

        public static Options defaults() {
            return new Options(10.0, 12, 5.0, 5, 1L, 0.3, 0.5, 5, PATIENCE,
                    RefinementOperator.Options.defaults());
        }
    }

    /** Why a search ended. */
    public enum Stop {
        /** an expression reached the quality asked for */
        SOLVED("target reached"),
        /** nothing left to refine within the maximum length */
        EXHAUSTED("search space exhausted"),
        /** separate-and-conquer found no next rule precise enough on the training examples */
        NO_RULE("no precise rule"),
        /** the best quality stopped improving (patience) */
        NO_IMPROVEMENT("no improvement"),
        /** the maximum runtime ran out */
        TIME_LIMIT("time limit");

        private final String text;

        Stop(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A scored hypothesis. */
    public record Hypothesis(Concept concept, Scores scores) {
    }

    /** The outcome of one problem. */
    public record Result(String problem, List<Hypothesis> hypotheses, Stats stats) {
        public Result {
            hypotheses = List.copyOf(hypotheses);
        }
    }

    /**
     * How a problem's search went: its examples (all and the training part), the best
     * expression's F1 on the held-out examples (null when too few positives to hold any out),
     * whether that clears {@code minF1} ({@code explainable}), the strategy that found it, the
     * work done and why the search stopped ({@link Stop#text()}).
     */
    public record Stats(int positives, int negatives, int trainingPositives,
            int trainingNegatives, Double validationF1, boolean explainable, double minF1,
            String strategy, long expressionsTested, double searchSeconds, String stopReason) {
    }

    private final KnowledgeBase kb;
    private final Retrieval retrieval;
    private final ThresholdTuner tuner;
    private final Simplifier simplifier;
    private final Options options;
    private long expressionsTested;
    /** The current problem's longest expression, what it must mention, how its searches ended. */
    private int maxLength;
    private int answerLength;
    private Set<String> required = Set.of();
    private Stop stop = Stop.EXHAUSTED;
    /** While the first search runs: its best expression of each length (else null). */
    private TreeMap<Integer, Node> shortest;

    public Learner(KnowledgeBase kb, Options options) {
        this.kb = kb;
        this.retrieval = new Retrieval(kb);
        this.tuner = new ThresholdTuner(retrieval);
        this.simplifier = new Simplifier(retrieval);
        this.options = options;
    }

    public Retrieval retrieval() { return retrieval; }

    /** Solve one problem within the options' runtime. */
    public Result learn(LearningProblem problem) {
        long started = System.nanoTime();
        long searchStarted = SearchClock.now();
        long deadline = searchStarted + (long) (options.maxRuntimeSeconds() * 1e9);
        expressionsTested = 0;
        stop = Stop.EXHAUSTED;
        maxLength = problem.maxLength() > 0 ? problem.maxLength() : options.maxLength();
        answerLength = problem.maxLength();
        required = Set.copyOf(problem.required());
        BitSet positives = examples(problem.positives(), problem.name(), "positive");
        BitSet negatives = examples(problem.negatives(), problem.name(), "negative");
        BitSet both = (BitSet) positives.clone();
        both.and(negatives);
        if (!both.isEmpty()) {
            throw new LearnerException("problem '" + problem.name() + "': "
                    + both.cardinality() + " individual(s) are both positive and negative, e.g. "
                    + kb.individual(both.nextSetBit(0)));
        }
        for (String iri : problem.named()) {
            if (!kb.classes().contains(iri) && !kb.dataProperties().contains(iri)
                    && !kb.objectProperties().contains(iri)) {
                throw new LearnerException("problem '" + problem.name() + "': "
                        + (problem.excluded().contains(iri) ? "excluded" : "required") + " <"
                        + iri + "> is no class or property of the knowledge base");
            }
        }
        BitSet[] split = holdOut(positives, negatives);
        BitSet trainPos = split[0];
        BitSet trainNeg = split[1];
        BitSet examples = (BitSet) trainPos.clone();
        examples.or(trainNeg);
        RefinementOperator operator = new RefinementOperator(kb, examples, problem.unusable(),
                options.operator());
        double target = 1.0 - options.noisePercent() / 100.0;

        long celoeDeadline = searchStarted + (deadline - searchStarted) * 2 / 5;
        shortest = new TreeMap<>();
        List<Node> celoe = search(operator, trainPos, trainNeg, Scores::f1, celoeDeadline, 1.0,
                options.patience());
        String strategy = "celoe";
        List<Concept> candidates = new ArrayList<>();
        celoe.forEach(n -> candidates.add(n.concept));
        candidates.addAll(paretoFront(shortest));
        shortest = null;
        double bestTrain = celoe.isEmpty() ? 0.0 : celoe.get(0).quality;
        Concept union = null;
        if (bestTrain < target && SearchClock.now() < deadline) {
            union = separateAndConquer(operator, trainPos, trainNeg, target, deadline);
            if (union != null && acceptable(union)) {
                double q = Scores.of(retrieval.instances(union), trainPos, trainNeg).f1();
                candidates.add(union);
                if (q > bestTrain) {
                    strategy = "separate-and-conquer";
                }
            }
        }
        // Validation on held-out examples decides whether the best expression generalises.
        List<Hypothesis> ranked = rank(candidates, trainPos, trainNeg);
        BitSet valPos = (BitSet) positives.clone();
        valPos.andNot(trainPos);
        BitSet valNeg = (BitSet) negatives.clone();
        valNeg.andNot(trainNeg);
        double validationF1 = Double.NaN;
        boolean heldOutChose = false;
        if (!ranked.isEmpty() && !valPos.isEmpty()) {
            int chosen = valPos.cardinality() < MIN_HELD_OUT_TO_CHOOSE ? 0
                    : generalising(ranked, valPos, valNeg);
            if (chosen > 0) {
                heldOutChose = true;
                Log.info("problem '%s': the held-out examples prefer the shorter %s", problem
                        .name(), new Renderer().dl(ranked.get(chosen).concept()));
                ranked.add(0, ranked.remove(chosen));
                strategy = ranked.get(0).concept().equals(union) ? "separate-and-conquer"
                        : "celoe";
            }
            validationF1 = Scores.of(retrieval.instances(ranked.get(0).concept()), valPos, valNeg)
                    .f1();
        }
        // Final thresholds from all examples; scores reported on all examples. The one the
        // held-out examples chose stays first.
        List<Concept> retuned = new ArrayList<>();
        ToDoubleFunction<BitSet> allF1 = f1(positives, negatives);
        for (Hypothesis h : ranked) {
            Concept c = simplifier.simplify(h.concept(), allF1);
            if (!acceptable(c)) {
                c = h.concept(); // simplification dropped a required part
            }
            retuned.add(ThresholdTuner.tunable(c)
                    ? tuner.tune(c, positives, negatives, Scores::f1) : c);
        }
        List<Hypothesis> result = new ArrayList<>();
        for (Hypothesis h : rank(retuned, positives, negatives)) {
            result.add(heldOutChose && h.concept().equals(retuned.get(0)) ? 0 : result.size(),
                    h);
        }
        if (result.size() > options.topK()) {
            result = result.subList(0, options.topK());
        }
        double judged = Double.isNaN(validationF1)
                ? (result.isEmpty() ? 0.0 : result.get(0).scores().f1()) : validationF1;
        Stats stats = new Stats(positives.cardinality(), negatives.cardinality(),
                trainPos.cardinality(), trainNeg.cardinality(),
                Double.isNaN(validationF1) ? null : validationF1, judged >= options.minF1(),
                options.minF1(), strategy, expressionsTested,
                (System.nanoTime() - started) / 1e9, stop.text());
        Log.info("problem '%s': best F1 %.4f (validation %s), %d expressions in %.2f s (%s)",
                problem.name(), result.isEmpty() ? 0.0 : result.get(0).scores().f1(),
                Double.isNaN(validationF1) ? "n/a" : String.format("%.4f", validationF1),
                expressionsTested, (System.nanoTime() - started) / 1e9, stats.stopReason());
        return new Result(problem.name(), result, stats);
    }

    /**
     * The hypothesis to answer with, by the held-out examples: the shortest whose held-out F1
     * is within one standard error of the best held-out F1 ({@code sqrt(F1 (1 - F1) / n)} for
     * n held-out positives), so a long union of narrow rules that fits the training examples
     * (the tool-wear failures: 4 rules, length 41) does not beat a short rule that generalises
     * as well; ties in length go to the higher held-out F1, then to the training rank. Only
     * hypotheses that beat calling every example positive qualify (⊤, or a class every run
     * belongs to, is no answer). An index into {@code ranked} (0 when the training favourite
     * is that one).
     */
    private int generalising(List<Hypothesis> ranked, BitSet valPos, BitSet valNeg) {
        double[] heldOut = new double[ranked.size()];
        double best = 0.0;
        for (int i = 0; i < ranked.size(); i++) {
            heldOut[i] = Scores.of(retrieval.instances(ranked.get(i).concept()), valPos, valNeg)
                    .f1();
            best = Math.max(best, heldOut[i]);
        }
        double bar = best - Math.sqrt(best * (1.0 - best) / valPos.cardinality());
        // what "every example is positive" scores: an answer must do better
        double everything = 2.0 * valPos.cardinality()
                / (2.0 * valPos.cardinality() + valNeg.cardinality());
        int chosen = 0;
        for (int i = 1; i < ranked.size(); i++) {
            int length = ranked.get(i).concept().length();
            int chosenLength = ranked.get(chosen).concept().length();
            boolean qualifies = heldOut[i] > everything && heldOut[i] >= bar;
            boolean chosenQualifies = heldOut[chosen] >= bar;
            if (qualifies && (!chosenQualifies || length < chosenLength
                    || (length == chosenLength && heldOut[i] > heldOut[chosen]))) {
                chosen = i;
            }
        }
        return chosen;
    }

    /**
     * The first search's best expression of each length that beats every shorter one on the
     * training examples: short alternatives for {@link #generalising} to weigh.
     */
    private static List<Concept> paretoFront(TreeMap<Integer, Node> byLength) {
        List<Concept> front = new ArrayList<>();
        double beaten = Double.NEGATIVE_INFINITY;
        for (Node node : byLength.values()) {
            if (node.quality > beaten && !node.concept.equals(Concept.TOP)) {
                front.add(node.concept);
                beaten = node.quality;
            }
        }
        return front;
    }

    /**
     * Whether an expression may be an answer: it mentions every required class and property,
     * and when the problem sets its own maximum length, the whole expression (a union of rules
     * too) stays within it.
     */
    private boolean acceptable(Concept c) {
        return (answerLength == 0 || c.length() <= answerLength) && (required.isEmpty()
                || ai.daikiri.learner.concept.Signature.of(c).containsAll(required));
    }

    private BitSet examples(List<String> iris, String problem, String kind) {
        if (iris.isEmpty()) {
            throw new LearnerException("problem '" + problem + "' has no " + kind
                    + " examples: a class expression separates positives from negatives, so "
                    + "both are needed (a label that is " + (kind.equals("positive") ? "0" : "1")
                    + " in every row explains nothing)");
        }
        BitSet bits = new BitSet(kb.size());
        List<String> unknown = new ArrayList<>();
        for (String iri : iris) {
            Integer i = kb.indexOf(iri);
            if (i == null) {
                unknown.add(iri);
            } else {
                bits.set(i);
            }
        }
        if (!unknown.isEmpty()) {
            throw new LearnerException("problem '" + problem + "': " + unknown.size() + " " + kind
                    + " example(s) are not individuals of the knowledge base, e.g. "
                    + unknown.subList(0, Math.min(3, unknown.size())));
        }
        return bits;
    }

    /** Split examples into training and validation parts (stratified, seeded). */
    private BitSet[] holdOut(BitSet positives, BitSet negatives) {
        if (options.validationFraction() <= 0 || positives.cardinality() < 10) {
            return new BitSet[] {positives, negatives};
        }
        Random random = new Random(options.seed());
        return new BitSet[] {sample(positives, random), sample(negatives, random)};
    }

    private BitSet sample(BitSet bits, Random random) {
        List<Integer> members = new ArrayList<>();
        bits.stream().forEach(members::add);
        Collections.shuffle(members, random);
        int keep = (int) Math.round(members.size() * (1.0 - options.validationFraction()));
        BitSet out = new BitSet(kb.size());
        members.subList(0, Math.min(members.size(), Math.max(1, keep))).forEach(out::set);
        return out;
    }

    private ToDoubleFunction<BitSet> f1(BitSet pos, BitSet neg) {
        return onExamples(pos, neg, Scores::f1);
    }

    private static ToDoubleFunction<BitSet> onExamples(BitSet pos, BitSet neg,
            ToDoubleFunction<Scores> quality) {
        return covered -> quality.applyAsDouble(Scores.of(covered, pos, neg));
    }

    /**
     * Rule quality for separate-and-conquer: the share of the remaining positives covered,
     * counted fully only when the rule's precision reaches {@code minPrecision}.
     */
    private static ToDoubleFunction<Scores> ruleQuality(int total, double minPrecision) {
        return s -> {
            double coverage = (double) s.tp() / total;
            // Among rules precise enough, coverage first, then exactness (so "power ≤ 3500"
            // beats a look-alike that buys a little coverage with false positives).
            return s.precision() >= minPrecision
                    ? 0.5 + 0.45 * coverage + 0.05 * s.precision()
                    : 0.5 * coverage * s.precision();
        };
    }

    /** Rules, one search each, until the positives are covered or no precise rule is left. */
    private Concept separateAndConquer(RefinementOperator operator, BitSet pos, BitSet neg,
            double minPrecision, long deadline) {
        BitSet remaining = (BitSet) pos.clone();
        int minCover = Math.max(2, (int) Math.ceil(0.05 * pos.cardinality()));
        List<Concept> rules = new ArrayList<>();
        while (rules.size() < options.maxRules() && remaining.cardinality() >= minCover) {
            long now = SearchClock.now();
            if (now >= deadline) {
                break;
            }
            long slice = now + (deadline - now) / (options.maxRules() - rules.size());
            List<Node> found = search(operator, remaining, neg,
                    ruleQuality(remaining.cardinality(), minPrecision), slice, 1.0,
                    options.patience() > Long.MAX_VALUE / RULE_PATIENCE ? Long.MAX_VALUE
                            : RULE_PATIENCE * options.patience());
            if (found.isEmpty()) {
                break;
            }
            Concept rule = found.get(0).concept;
            Scores s = Scores.of(retrieval.instances(rule), remaining, neg);
            if (s.precision() < minPrecision || s.tp() < minCover) {
                if (stop != Stop.TIME_LIMIT) { // the clock, not the data, ended that search
                    stop = Stop.NO_RULE;
                }
                break;
            }
            rules.add(rule);
            remaining.andNot(retrieval.instances(rule));
            Log.info("rule %d covers %d positives (precision %.3f), %d left", rules.size(),
                    s.tp(), s.precision(), remaining.cardinality());
        }
        if (rules.isEmpty()) {
            return null;
        }
        Concept union = Concept.or(rules);
        union = ThresholdTuner.tunable(union) ? tuner.tune(union, pos, neg, Scores::f1) : union;
        if (remaining.cardinality() < minCover && acceptable(union)) {
            stop = Stop.SOLVED; // every positive (but a few) has a precise rule
        }
        return union;
    }

    private static final class Node {
        final Concept concept;
        final double quality;
        final double parentQuality;
        int expansions;
        boolean tuned;
        private String key;

        Node(Concept concept, double quality, double parentQuality) {
            this.concept = concept;
            this.quality = quality;
            this.parentQuality = parentQuality;
        }

        /** The concept's key, built once (the queues break ties by it). */
        String key() {
            if (key == null) {
                key = concept.key();
            }
            return key;
        }

        double score() {
            return quality + 0.3 * (quality - parentQuality) - 0.02 * expansions
                    - 0.005 * concept.length();
        }
    }

    private static final Comparator<Node> BY_SCORE = Comparator
            .comparingDouble((Node n) -> -n.score())
            .thenComparingInt(n -> n.concept.length())
            .thenComparing(Node::key);

    private static final Comparator<Node> BY_QUALITY = Comparator
            .comparingDouble((Node n) -> -n.quality)
            .thenComparingInt(n -> n.concept.length())
            .thenComparing(Node::key);

    /** Best-first search; returns the best nodes by quality (best first). */
    private List<Node> search(RefinementOperator operator, BitSet pos, BitSet neg,
            ToDoubleFunction<Scores> scoring, long deadline, double perfect, long patience) {
        ToDoubleFunction<BitSet> quality = onExamples(pos, neg, scoring);
        PriorityQueue<Node> open = new PriorityQueue<>(BY_SCORE);
        Set<Concept> seen = new HashSet<>();
        List<Node> best = new ArrayList<>();
        Node root = new Node(Concept.TOP, quality.applyAsDouble(retrieval.instances(Concept.TOP)),
                0.0);
        open.add(root);
        seen.add(Concept.TOP);
        offer(best, root);
        long improved = expressionsTested;
        // Seeds: every numeric property with its best single threshold, found by one sweep
        // over the sorted values (so "power ≤ 3500" is there before any expansion).
        for (String property : operator.dataProperties()) {
            for (boolean upper : new boolean[] {true, false}) {
                Concept.DataRange seed = tuner.bestSingle(property, upper, pos, neg, scoring);
                if (seed != null && seen.add(seed)) {
                    Node node = evaluate(seed, pos, quality, root.quality);
                    if (node != null) {
                        node.tuned = true;
                        open.add(node);
                        offer(best, node);
                    }
                }
            }
        }
        int stall = 0;
        while (true) {
            long now = SearchClock.now();
            Stop ended = open.isEmpty() ? Stop.EXHAUSTED : now >= deadline ? Stop.TIME_LIMIT
                    : stall >= 3000 || expressionsTested - improved > patience
                    ? Stop.NO_IMPROVEMENT : null;
            if (ended != null) {
                stop = ended;
                return best;
            }
            Node node = open.poll();
            if (!node.tuned && ThresholdTuner.tunable(node.concept)) {
                node.tuned = true;
                Node better = tuned(node, pos, neg, scoring, seen);
                if (better != null) {
                    open.add(better);
                    offer(best, better);
                    if (better.quality >= perfect && acceptable(better.concept)) {
                        stop = Stop.SOLVED;
                        return best;
                    }
                }
            }
            int limit = Math.min(maxLength, node.concept.length() + 4 + 2 * node.expansions);
            double before = quality(best);
            for (Concept refined : operator.refine(node.concept, limit)) {
                if (!seen.add(refined)) {
                    continue;
                }
                Node child = evaluate(refined, pos, quality, node.quality);
                if (child == null) {
                    continue;
                }
                open.add(child);
                offer(best, child);
                if (child.quality >= perfect && acceptable(child.concept)) {
                    stop = Stop.SOLVED;
                    return best;
                }
                if (SearchClock.now() >= deadline) {
                    break;
                }
            }
            node.expansions++;
            if (node.concept.length() + 4 + 2 * node.expansions <= maxLength + 4) {
                open.add(node);
            }
            if (quality(best) > before + MIN_IMPROVEMENT) {
                stall = 0;
                improved = expressionsTested;
            } else {
                stall++;
            }
        }
    }

    /**
     * A rule's search is this many times as patient as the first search: rule quality climbs
     * in small steps (machine_failure's union of rules needs them: at 2 its held-out F1 falls
     * from 0.618 to 0.407 on the default data). A rule's search also ends at its slice of the
     * remaining time (so later rules get time too): where the slice binds (the overstrain
     * rules on the default data), what it finds depends on the machine's speed, as before.
     */
    private static final long RULE_PATIENCE = 3;

    /**
     * Fewer held-out positives than this cannot choose between hypotheses (the training
     * favourite answers): with the 4 of a 14-positive problem, one positive more or less
     * decides (the model's heat failures at 4,000 rows: a perfect rule lost to one of F1 0.5).
     */
    private static final int MIN_HELD_OUT_TO_CHOOSE = 10;

    /** A smaller gain in quality does not count as progress for the patience. */
    private static final double MIN_IMPROVEMENT = 1e-3;

    private static double quality(List<Node> best) {
        return best.isEmpty() ? Double.NEGATIVE_INFINITY : best.get(0).quality;
    }

    private Node evaluate(Concept c, BitSet pos, ToDoubleFunction<BitSet> quality,
            double parentQuality) {
        expressionsTested++;
        BitSet covered = retrieval.instances(c);
        if (!covered.intersects(pos)) {
            return null; // downward refinement never covers more: prune
        }
        return new Node(c, quality.applyAsDouble(covered), parentQuality);
    }

    /** The node with its numeric thresholds chosen from the data, if that is new and better. */
    private Node tuned(Node node, BitSet pos, BitSet neg, ToDoubleFunction<Scores> scoring,
            Set<Concept> seen) {
        Concept better = tuner.tune(node.concept, pos, neg, scoring);
        if (!seen.add(better)) {
            return null;
        }
        expressionsTested++;
        double q = scoring.applyAsDouble(Scores.of(retrieval.instances(better), pos, neg));
        if (q <= node.quality) {
            return null;
        }
        Node result = new Node(better, q, node.parentQuality);
        result.tuned = true;
        return result;
    }

    private void offer(List<Node> best, Node node) {
        if (!acceptable(node.concept)) {
            return;
        }
        if (shortest != null) {
            shortest.merge(node.concept.length(), node, (old, now) -> BY_QUALITY.compare(now, old)
                    < 0 ? now : old);
        }
        for (Node b : best) {
            if (b.concept.equals(node.concept)) {
                return;
            }
        }
        best.add(node);
        best.sort(BY_QUALITY);
        int keep = Math.max(options.topK(), 5);
        while (best.size() > keep) {
            best.remove(best.size() - 1);
        }
    }

    private List<Hypothesis> rank(List<Concept> concepts, BitSet pos, BitSet neg) {
        Map<Concept, Hypothesis> unique = new LinkedHashMap<>();
        for (Concept c : concepts) {
            unique.putIfAbsent(c, new Hypothesis(c, Scores.of(retrieval.instances(c), pos, neg)));
        }
        List<Hypothesis> out = new ArrayList<>(unique.values());
        out.sort(Comparator.comparingDouble((Hypothesis h) -> -h.scores().f1())
                .thenComparingInt(h -> h.concept().length())
                .thenComparing(h -> h.concept().key()));
        return out;
    }
}

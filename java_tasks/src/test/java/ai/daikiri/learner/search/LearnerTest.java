package ai.daikiri.learner.search;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Numbers;
import ai.daikiri.learner.concept.Renderer;
import ai.daikiri.learner.kb.Fixtures;
import ai.daikiri.learner.kb.KnowledgeBase;

import static ai.daikiri.learner.kb.Fixtures.iri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnerTest {
    private static Learner.Options options(double validation) {
        Learner.Options d = Learner.Options.defaults();
        return new Learner.Options(5.0, d.maxLength(), d.noisePercent(), d.topK(), 1L, validation,
                d.minF1(), d.maxRules(), d.patience(), d.operator());
    }

    @Test
    void learnsFatherExactly() {
        KnowledgeBase kb = Fixtures.family();
        Learner learner = new Learner(kb, options(0.0));
        Learner.Result result = learner.learn(new LearningProblem("father",
                List.of(iri("grandpa"), iri("dad")),
                List.of(iri("mum"), iri("aunt"), iri("son"), iri("girl")), List.of()));
        Learner.Hypothesis best = result.hypotheses().get(0);
        assertEquals(1.0, best.scores().f1());
        assertEquals("Male ⊓ ∃hasChild.⊤", new Renderer().dl(best.concept()));
    }

    /** x in [0, 100); positives exactly those with x <= 30 or x >= 80, plus noise column y. */
    private static KnowledgeBase numeric(int n, long seed, List<String> pos, List<String> neg) {
        Random random = new Random(seed);
        KnowledgeBase.Builder b = new KnowledgeBase.Builder();
        for (int i = 0; i < n; i++) {
            String ind = iri("i" + i);
            double x = Math.floor(random.nextDouble() * 1000) / 10.0;
            b.classAssertion(iri("Thing"), ind);
            b.dataAssertion(iri("x"), ind, x);
            b.dataAssertion(iri("y"), ind, random.nextGaussian());
            (x <= 30.0 || x >= 80.0 ? pos : neg).add(ind);
        }
        return b.build();
    }

    @Test
    void anExcludedPropertyIsNeverUsedAndAnUnknownOneIsAnError() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = numeric(600, 5, pos, neg);
        LearningProblem tails = new LearningProblem("tails", pos, neg, List.of());
        Learner.Result free = new Learner(kb, options(0.3)).learn(tails);
        assertTrue(new Renderer().dl(free.hypotheses().get(0).concept()).contains("x"));
        Learner.Result without = new Learner(kb, options(0.3))
                .learn(tails.excluding(List.of(iri("x"))));
        for (Learner.Hypothesis h : without.hypotheses()) {
            String dl = new Renderer().dl(h.concept());
            assertFalse(dl.matches(".*\\bx\\b.*"), dl);
        }
        assertTrue(without.hypotheses().get(0).scores().f1()
                < free.hypotheses().get(0).scores().f1());
        LearnerException typo = assertThrows(LearnerException.class, () -> new Learner(kb,
                options(0.3)).learn(tails.excluding(List.of(iri("xx")))));
        assertEquals("problem 'tails': excluded <" + iri("xx") + "> is no class or property of "
                + "the knowledge base", typo.getMessage());
    }

    @Test
    void findsDisjunctiveNumericThresholdsFromTheData() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = numeric(2000, 3, pos, neg);
        Learner.Result result = new Learner(kb, options(0.3))
                .learn(new LearningProblem("tails", pos, neg, List.of()));
        Learner.Hypothesis best = result.hypotheses().get(0);
        assertEquals(1.0, best.scores().f1(), 1e-9);
        List<Concept.DataRange> ranges = ThresholdTuner.ranges(best.concept());
        assertEquals(2, ranges.size());
        for (Concept.DataRange r : ranges) {
            double t = r.min() != null ? r.min() : r.max();
            assertTrue(Math.abs(t - 30.0) <= 0.1 || Math.abs(t - 80.0) <= 0.1, "threshold " + t);
        }
        assertTrue(result.stats().explainable());
    }

    /** Runs of which a share {@code rate} of those with x ≥ 90 fail, and three noise columns. */
    private static KnowledgeBase noisyRuns(double rate, List<String> pos, List<String> neg) {
        Random random = new Random(21);
        KnowledgeBase.Builder b = new KnowledgeBase.Builder();
        for (int i = 0; i < 3000; i++) {
            String ind = iri("r" + i);
            double x = Math.floor(random.nextDouble() * 1000) / 10.0;
            b.classAssertion(iri("Run"), ind);
            b.dataAssertion(iri("x"), ind, x);
            for (String noise : List.of("u", "v", "w")) {
                b.dataAssertion(iri(noise), ind, Math.floor(random.nextGaussian() * 100) / 100);
            }
            (x >= 90.0 && random.nextDouble() < rate ? pos : neg).add(ind);
        }
        return b.build();
    }

    /**
     * A noisy mechanism (30 % of the runs with x ≥ 90 fail, like the tool-wear failures):
     * longer expressions that add thresholds on the noise columns fit the training examples
     * better, but the held-out examples prefer the short rule on x, and that is the answer
     * (without that choice the answer is {@code (u ≤ 1.555) ⊓ (v ≤ 2.17) ⊓ (x ≥ 90.15)}).
     */
    @Test
    void theHeldOutExamplesPreferAShortRuleThatGeneralisesToLongerOnesThatFitNoise() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = noisyRuns(0.3, pos, neg);
        Learner.Result result = new Learner(kb, options(0.3))
                .learn(new LearningProblem("noisy", pos, neg, List.of()));
        Learner.Hypothesis best = result.hypotheses().get(0);
        String dl = new Renderer().dl(best.concept());
        List<Concept.DataRange> ranges = ThresholdTuner.ranges(best.concept());
        assertEquals(1, ranges.size(), dl);
        assertEquals(iri("x"), ranges.get(0).property(), dl);
        assertEquals(90.0, ranges.get(0).min(), 3.0, dl);
        assertTrue(result.hypotheses().stream().anyMatch(h -> h.concept().length()
                > best.concept().length() && h.scores().f1() > best.scores().f1()),
                "a longer expression fits the training examples better: " + result.hypotheses());
    }

    /** With fewer than 10 held-out positives, one more or less would decide: no choice. */
    @Test
    void tooFewHeldOutPositivesLeaveTheAnswerToTheTrainingExamples() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = noisyRuns(0.08, pos, neg);
        Learner.Result result = new Learner(kb, options(0.3))
                .learn(new LearningProblem("few", pos, neg, List.of()));
        assertTrue(Math.round(0.3 * pos.size()) < 10, pos.size() + " positives");
        double best = result.hypotheses().get(0).scores().f1();
        for (Learner.Hypothesis h : result.hypotheses()) {
            assertTrue(h.scores().f1() <= best, result.hypotheses().toString());
        }
    }

    @Test
    void randomLabelsAreNotExplainable() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = numeric(3000, 5, new ArrayList<>(), new ArrayList<>());
        Random random = new Random(11);
        for (int i = 0; i < kb.size(); i++) {
            (random.nextDouble() < 0.02 ? pos : neg).add(kb.individual(i));
        }
        Learner.Result result = new Learner(kb, options(0.3))
                .learn(new LearningProblem("random", pos, neg, List.of()));
        assertFalse(result.stats().explainable());
    }

    @Test
    void aSearchStopsWhenItIsDoneAndSaysWhy() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = numeric(3000, 5, new ArrayList<>(), new ArrayList<>());
        Random random = new Random(11);
        for (int i = 0; i < kb.size(); i++) {
            (random.nextDouble() < 0.05 ? pos : neg).add(kb.individual(i));
        }
        Learner.Options d = Learner.Options.defaults();
        Learner.Options patient = new Learner.Options(600.0, d.maxLength(), d.noisePercent(),
                d.topK(), 1L, 0.3, d.minF1(), d.maxRules(), 2_000L, d.operator());
        Learner.Result random5 = new Learner(kb, patient)
                .learn(new LearningProblem("random", pos, neg, List.of()));
        // nothing to find: it gives up long before its 10 minutes, and says so
        assertEquals("no precise rule", random5.stats().stopReason());
        assertFalse(random5.stats().explainable());
        Learner.Result father = new Learner(Fixtures.family(), patient).learn(
                new LearningProblem("father", List.of(iri("grandpa"), iri("dad")),
                        List.of(iri("mum"), iri("aunt"), iri("son"), iri("girl")), List.of()));
        assertEquals("target reached", father.stats().stopReason());
        Learner.Options hurried = new Learner.Options(0.05, d.maxLength(), d.noisePercent(),
                d.topK(), 1L, 0.3, d.minF1(), d.maxRules(), Long.MAX_VALUE, d.operator());
        assertEquals("time limit", new Learner(kb, hurried)
                .learn(new LearningProblem("random", pos, neg, List.of())).stats().stopReason());
    }

    @Test
    void aRequiredPropertyIsInEveryAnswerAndAProblemsMaxLengthBoundsWholeAnswers() {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        KnowledgeBase kb = numeric(600, 5, pos, neg);
        LearningProblem tails = new LearningProblem("tails", pos, neg, List.of());
        Learner.Result withY = new Learner(kb, options(0.3))
                .learn(tails.requiring(List.of(iri("y"))));
        assertFalse(withY.hypotheses().isEmpty());
        for (Learner.Hypothesis h : withY.hypotheses()) {
            assertTrue(h.concept().key().contains(iri("y")), h.concept().key());
        }
        LearningProblem short3 = new LearningProblem("tails", "", "", "", pos, neg, List.of(),
                List.of(), List.of(), 3);
        Learner.Result shortOnes = new Learner(kb, options(0.3)).learn(short3);
        assertFalse(shortOnes.hypotheses().isEmpty());
        for (Learner.Hypothesis h : shortOnes.hypotheses()) {
            assertTrue(h.concept().length() <= 3, h.concept().key());
        }
        LearnerException typo = assertThrows(LearnerException.class, () -> new Learner(kb,
                options(0.3)).learn(tails.requiring(List.of(iri("yy")))));
        assertEquals("problem 'tails': required <" + iri("yy") + "> is no class or property of "
                + "the knowledge base", typo.getMessage());
        LearnerException both = assertThrows(LearnerException.class,
                () -> tails.excluding(List.of(iri("y"))).requiring(List.of(iri("y"))));
        assertEquals("problem 'tails': <" + iri("y") + "> is both required and excluded",
                both.getMessage());
    }

    @Test
    void ignoredClassesAreNeverUsed() {
        KnowledgeBase kb = Fixtures.family();
        Learner.Result result = new Learner(kb, options(0.0)).learn(new LearningProblem("women",
                List.of(iri("mum"), iri("aunt"), iri("girl")),
                List.of(iri("grandpa"), iri("dad"), iri("son")), List.of(iri("Female"))));
        for (Learner.Hypothesis h : result.hypotheses()) {
            assertFalse(h.concept().key().contains(iri("Female")), h.concept().key());
        }
        assertEquals(1.0, result.hypotheses().get(0).scores().f1());
    }

    @Test
    void badExamplesAreRejected() {
        Learner learner = new Learner(Fixtures.family(), options(0.0));
        LearnerException unknown = assertThrows(LearnerException.class, () -> learner.learn(
                new LearningProblem("p", List.of(iri("nobody")), List.of(iri("dad")), List.of())));
        assertTrue(unknown.getMessage().contains("not individuals of the knowledge base"));
        LearnerException both = assertThrows(LearnerException.class, () -> learner.learn(
                new LearningProblem("p", List.of(iri("dad")), List.of(iri("dad")), List.of())));
        assertTrue(both.getMessage().contains("both positive and negative"));
        LearnerException empty = assertThrows(LearnerException.class, () -> learner.learn(
                new LearningProblem("p", List.of(), List.of(iri("dad")), List.of())));
        assertTrue(empty.getMessage().contains("no positive examples"));
    }

    @Test
    void aProblemWithoutNegativesIsAnErrorNotAnExplanation() {
        List<String> pos = new ArrayList<>();
        KnowledgeBase kb = numeric(300, 2, pos, new ArrayList<>());
        List<String> all = new ArrayList<>();
        for (int i = 0; i < kb.size(); i++) {
            all.add(kb.individual(i));
        }
        LearnerException e = assertThrows(LearnerException.class, () -> new Learner(kb,
                options(0.3)).learn(new LearningProblem("everything", all, List.of(), List.of())));
        assertEquals("problem 'everything' has no negative examples: a class expression "
                + "separates positives from negatives, so both are needed (a label that is 1 in "
                + "every row explains nothing)", e.getMessage());
    }

    @Test
    void simplestBetweenPrefersShortDecimals() {
        assertEquals(1377.5, Numbers.simplestBetween(1377, 1378));
        assertEquals(8.6, Numbers.simplestBetween(8.599999999999994, 8.600000000000023));
        assertEquals(3500.0, Numbers.simplestBetween(3496.2, 3503.9));
    }
}

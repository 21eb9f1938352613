package ai.daikiri.learner.search;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Renderer;
import ai.daikiri.learner.kb.KnowledgeBase;

import static ai.daikiri.learner.kb.Fixtures.iri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProblemPoolTest {
    private static final int MACHINES = 400;
    private final double[] load = new double[MACHINES];
    private final double[] temperature = new double[MACHINES];
    private final KnowledgeBase kb = machines();

    /** Machines with a load and a temperature. */
    private KnowledgeBase machines() {
        Random random = new Random(11);
        KnowledgeBase.Builder b = new KnowledgeBase.Builder();
        for (int m = 0; m < MACHINES; m++) {
            load[m] = Math.round(random.nextDouble() * 1000);
            temperature[m] = Math.round(random.nextDouble() * 90);
            b.classAssertion(iri("Machine"), iri("m" + m));
            b.dataAssertion(iri("load"), iri("m" + m), load[m]);
            b.dataAssertion(iri("temperature"), iri("m" + m), temperature[m]);
        }
        return b.build();
    }

    /** Problem p: the machines above its thresholds, one in ten labelled at random (so that
     *  every search runs on until its patience ends it, side by side with the others). */
    private List<LearningProblem> problems(int count) {
        Random noise = new Random(3);
        List<LearningProblem> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            List<String> pos = new ArrayList<>();
            List<String> neg = new ArrayList<>();
            for (int m = 0; m < MACHINES; m++) {
                boolean above = noise.nextInt(10) == 0 ? noise.nextBoolean()
                        : load[m] >= 300 + 50 * p && temperature[m] >= 20 + 5 * p;
                (above ? pos : neg).add(iri("m" + m));
            }
            out.add(new LearningProblem("hot and loaded " + p, pos, neg, List.of()));
        }
        return out;
    }

    private static Learner.Options options() {
        Learner.Options d = Learner.Options.defaults();
        return new Learner.Options(20.0, d.maxLength(), d.noisePercent(), d.topK(), 1L, 0.3,
                d.minF1(), d.maxRules(), d.patience(), d.operator());
    }

    /** Everything a result says, as text: hypotheses with scores, the work done, the stop. */
    private static List<String> described(List<Learner.Result> results) {
        Renderer renderer = new Renderer();
        List<String> out = new ArrayList<>();
        for (Learner.Result r : results) {
            StringBuilder s = new StringBuilder(r.problem());
            r.hypotheses().forEach(h -> s.append(" | ").append(renderer.dl(h.concept()))
                    .append(' ').append(h.scores()));
            s.append(" | tested ").append(r.stats().expressionsTested())
                    .append(" | ").append(r.stats().stopReason());
            out.add(s.toString());
        }
        return out;
    }

    @Test
    void threadsSolveEachProblemAsOneThreadDoes() {
        List<LearningProblem> problems = problems(5);
        List<String> alone = described(ProblemPool.solve(kb, options(), problems, 1));
        List<String> shared = described(ProblemPool.solve(kb, options(), problems, 3));
        assertEquals(alone, shared);
        for (int p = 0; p < problems.size(); p++) {
            assertEquals(problems.get(p).name(), alone.get(p).split(" \\| ")[0]);
        }
        String best = alone.get(0).split(" \\| ")[1];
        assertTrue(best.contains("load") && best.contains("temperature"), best);
    }

    @Test
    void aFailingProblemFailsTheBatchWithItsOwnError() {
        List<LearningProblem> problems = new ArrayList<>(problems(4));
        problems.set(2, problems.get(2).excluding(List.of(iri("pressure"))));
        LearnerException e = assertThrows(LearnerException.class,
                () -> ProblemPool.solve(kb, options(), problems, 2));
        assertEquals("problem 'hot and loaded 2': excluded <" + iri("pressure")
                + "> is no class or property of the knowledge base", e.getMessage());
    }

    /** A problem of {@code positives} of the first {@code all} machines, the rest negative. */
    private static LearningProblem split(String name, int positives, int all) {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        for (int m = 0; m < all; m++) {
            (m < positives ? pos : neg).add(iri("m" + m));
        }
        return new LearningProblem(name, pos, neg, List.of());
    }

    @Test
    void theMostBalancedProblemsAreTakenFirstAndAnsweredInListOrder() {
        // a rare fault, a regime of half the runs, a fault of most runs, a tie with the first
        List<LearningProblem> problems = List.of(split("rare", 12, 400),
                split("regime", 190, 400), split("common", 330, 400), split("rare too", 12, 400));
        assertEquals(List.of(1, 2, 0, 3), Arrays.stream(ProblemPool.longestFirst(problems))
                .boxed().toList());
        List<Learner.Result> results = ProblemPool.solve(kb, options(), problems, 2);
        assertEquals(List.of("rare", "regime", "common", "rare too"),
                results.stream().map(Learner.Result::problem).toList());
    }
}

package ai.daikiri.learner.cli;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Renderer;
import ai.daikiri.learner.search.Learner;
import ai.daikiri.learner.search.LearningProblem;
import ai.daikiri.learner.search.Scores;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The learner's result file as immutable records, which Jackson writes with snake_case names
 * ({@link Main}'s mapper). Its layout is {@code schema/result.schema.json} (in the jar), version
 * {@link #SCHEMA_VERSION}; the Python reader ({@code daikiri.learner.read_results}) checks the
 * version and both sides' tests check files against the schema.
 */
final class ResultFile {
    /** The layout's version; a reader refuses a file from a newer learner. */
    static final int SCHEMA_VERSION = 1;

    private ResultFile() {
    }

    /** One problem's result: what was posed (echoed), the hypotheses (best first), stats. */
    record ProblemResult(int schemaVersion, String problem,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) String kind,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) String target,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) String title,
            List<HypothesisResult> hypotheses, RunStats stats) {
        ProblemResult {
            hypotheses = List.copyOf(hypotheses);
        }

        static ProblemResult of(LearningProblem problem, Learner.Result result,
                Renderer renderer, double loadSeconds, String tboxReader) {
            return new ProblemResult(SCHEMA_VERSION, result.problem(), problem.kind(),
                    problem.target(), problem.title(), result.hypotheses().stream()
                            .map(h -> HypothesisResult.of(h.concept(), h.scores(), renderer))
                            .toList(),
                    RunStats.of(result.stats(), loadSeconds, tboxReader));
        }
    }

    /**
     * One expression: its JSON AST, DL and Manchester text and length, and (for learned ones)
     * its scores on all of the problem's examples.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HypothesisResult(Map<String, Object> ast, String dl, String manchester, int length,
            Double accuracy, Double precision, Double recall, Double f1,
            Integer coveredPositives, Integer coveredNegatives) {

        static HypothesisResult of(Concept c, Scores s, Renderer renderer) {
            return new HypothesisResult(Renderer.ast(c), renderer.dl(c), renderer.manchester(c),
                    c.length(), s == null ? null : s.accuracy(),
                    s == null ? null : s.precision(), s == null ? null : s.recall(),
                    s == null ? null : s.f1(), s == null ? null : s.tp(),
                    s == null ? null : s.fp());
        }
    }

    /**
     * The search's stats ({@link Learner.Stats}) with the knowledge base's load time (once per
     * run, shared by its problems) and the reader that read the TBox.
     */
    record RunStats(int positives, int negatives, int trainingPositives,
            int trainingNegatives, @JsonInclude(JsonInclude.Include.ALWAYS) Double validationF1,
            boolean explainable, double minF1, String strategy, long expressionsTested,
            double searchSeconds, String stopReason, double loadSeconds, String tboxReader) {

        static RunStats of(Learner.Stats s, double loadSeconds, String tboxReader) {
            return new RunStats(s.positives(), s.negatives(), s.trainingPositives(),
                    s.trainingNegatives(), s.validationF1(), s.explainable(), s.minF1(),
                    s.strategy(), s.expressionsTested(), s.searchSeconds(), s.stopReason(),
                    loadSeconds, tboxReader);
        }
    }
}

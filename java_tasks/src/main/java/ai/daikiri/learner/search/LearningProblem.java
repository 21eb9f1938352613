package ai.daikiri.learner.search;

import ai.daikiri.learner.LearnerException;
import java.util.List;
import java.util.Set;

/**
 * One learning problem: explain the positive examples against the negative examples.
 * {@code ignoredClasses} are classes the learner must not use (e.g. the target class itself).
 *
 * <p>{@code kind} ({@code label}, {@code regime} or {@code model}), {@code target} and
 * {@code title} say what is explained, as the platform posed it; the learner does not use
 * them, it echoes them in the problem's result so no consumer parses {@code name}. Empty when
 * the problem file does not give them (problems posed by other tools).
 */
public record LearningProblem(String name, String kind, String target, String title,
        List<String> positives, List<String> negatives, List<String> ignoredClasses) {

    /** The kinds a problem file may name. */
    public static final Set<String> KINDS = Set.of("label", "regime", "model");

    public LearningProblem {
        kind = kind == null ? "" : kind;
        target = target == null ? "" : target;
        title = title == null ? "" : title;
        if (!kind.isEmpty() && !KINDS.contains(kind)) {
            throw new LearnerException("problem '" + name + "': unknown kind '" + kind
                    + "'; expected label, regime or model");
        }
        positives = List.copyOf(positives);
        negatives = List.copyOf(negatives);
        ignoredClasses = List.copyOf(ignoredClasses);
    }

    /** A problem that says only its name and examples. */
    public LearningProblem(String name, List<String> positives, List<String> negatives,
            List<String> ignoredClasses) {
        this(name, "", "", "", positives, negatives, ignoredClasses);
    }
}

package ai.daikiri.learner;

import java.util.List;

/**
 * One learning problem: explain the positive examples against the negative examples.
 * {@code ignoredClasses} are classes the learner must not use (e.g. the target class itself).
 */
public record LearningProblem(String name, List<String> positives, List<String> negatives,
        List<String> ignoredClasses) {
    public LearningProblem {
        positives = List.copyOf(positives);
        negatives = List.copyOf(negatives);
        ignoredClasses = List.copyOf(ignoredClasses);
    }
}

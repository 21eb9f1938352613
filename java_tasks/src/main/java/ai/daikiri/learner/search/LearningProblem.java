package ai.daikiri.learner.search;

import ai.daikiri.learner.LearnerException;
import java.util.List;
import java.util.Set;

/**
 * One learning problem: explain the positive examples against the negative examples.
 * {@code ignoredClasses} are classes the learner must not use (e.g. the target class itself);
 * {@code excluded} are classes or properties a person ruled out as an explanation (an expert's
 * "air temperature is no cause"): no expression mentions them; {@code required} are classes or
 * properties every answer must mention ("the explanation must use tool wear"); a positive
 * {@code maxLength} replaces the run's longest expression for this problem (an expert asking
 * for shorter explanations), 0 keeps it.
 *
 * <p>{@code kind} ({@code label}, {@code regime} or {@code model}), {@code target} and
 * {@code title} say what is explained, as the platform posed it; the learner does not use
 * them, it echoes them in the problem's result so no consumer parses {@code name}. Empty when
 * the problem file does not give them (problems posed by other tools).
 */
public record LearningProblem(String name, String kind, String target, String title,
        List<String> positives, List<String> negatives, List<String> ignoredClasses,
        List<String> excluded, List<String> required, int maxLength) {

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
        excluded = List.copyOf(excluded);
        required = List.copyOf(required);
        for (String iri : required) {
            if (excluded.contains(iri)) {
                throw new LearnerException("problem '" + name + "': <" + iri
                        + "> is both required and excluded");
            }
        }
        if (maxLength < 0) {
            throw new LearnerException("problem '" + name + "': max_length must be 0 (the "
                    + "run's) or positive, got " + maxLength);
        }
    }

    /** What no expression may use: the ignored classes and the excluded entities. */
    public java.util.Set<String> unusable() {
        java.util.Set<String> out = new java.util.HashSet<>(ignoredClasses);
        out.addAll(excluded);
        return out;
    }

    /** This problem with more entities excluded. */
    public LearningProblem excluding(List<String> more) {
        return new LearningProblem(name, kind, target, title, positives, negatives,
                ignoredClasses, union(excluded, more), required, maxLength);
    }

    /** This problem with more entities every answer must mention. */
    public LearningProblem requiring(List<String> more) {
        return new LearningProblem(name, kind, target, title, positives, negatives,
                ignoredClasses, excluded, union(required, more), maxLength);
    }

    /** The classes and properties a person named: excluded and required. */
    public List<String> named() {
        return union(excluded, required);
    }

    private static List<String> union(List<String> first, List<String> more) {
        List<String> all = new java.util.ArrayList<>(first);
        more.stream().filter(iri -> !all.contains(iri)).forEach(all::add);
        return all;
    }

    /** A problem that says only its name and examples. */
    public LearningProblem(String name, List<String> positives, List<String> negatives,
            List<String> ignoredClasses) {
        this(name, "", "", "", positives, negatives, ignoredClasses, List.of(), List.of(), 0);
    }
}

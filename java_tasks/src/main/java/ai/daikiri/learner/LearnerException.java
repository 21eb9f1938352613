package ai.daikiri.learner;

/** A user-facing error: the CLI prints its message as one line and exits non-zero. */
public final class LearnerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LearnerException(String message) {
        super(message);
    }
}

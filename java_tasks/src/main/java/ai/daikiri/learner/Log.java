package ai.daikiri.learner;

/** Progress messages on stderr (stdout is left to results), prefixed with elapsed seconds. */
public final class Log {
    private static final long START = System.nanoTime();
    private static volatile boolean quiet;

    private Log() {
    }

    public static void setQuiet(boolean value) {
        quiet = value;
    }

    public static void info(String format, Object... args) {
        if (!quiet) {
            double seconds = (System.nanoTime() - START) / 1e9;
            System.err.printf("[learner %7.2fs] %s%n", seconds, String.format(format, args));
        }
    }
}

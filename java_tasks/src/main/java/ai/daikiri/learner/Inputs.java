package ai.daikiri.learner;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks and messages about what a user hands the learner (files, error texts). */
public final class Inputs {
    private static final int LONGEST_MESSAGE = 300;

    private Inputs() {
    }

    /** Fail with one line naming the option when {@code path} is not a readable file. */
    public static void requireReadable(Path path, String option) {
        if (!Files.exists(path)) {
            throw new LearnerException(option + " file '" + path + "' does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new LearnerException(option + " file '" + path + "' is not a readable file");
        }
    }

    /** A message on one line, at most a few hundred characters (library messages run long). */
    public static String oneLine(String message) {
        String line = message.replace('\n', ' ').replace('\r', ' ').trim();
        return line.length() > LONGEST_MESSAGE ? line.substring(0, LONGEST_MESSAGE) + "..." : line;
    }
}

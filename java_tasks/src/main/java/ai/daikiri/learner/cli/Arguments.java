package ai.daikiri.learner.cli;

import ai.daikiri.learner.LearnerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed command-line arguments: a command, then {@code --name value} pairs and flags. */
final class Arguments {
    private static final Set<String> FLAGS = Set.of("no-negation", "universal", "quiet", "help");
    private final String command;
    private final Map<String, List<String>> values;

    private Arguments(String command, Map<String, List<String>> values) {
        this.command = command;
        this.values = values;
    }

    static Arguments parse(String[] args) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new LearnerException("unexpected argument '" + arg + "' (options start "
                        + "with --; see --help)");
            }
            String name = arg.substring(2);
            if (FLAGS.contains(name)) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new LearnerException("option --" + name + " needs a value");
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
        }
        return new Arguments(args[0], values);
    }

    String command() { return command; }

    /** Fail on any option not in {@code allowed}. */
    void allow(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String name : values.keySet()) {
            if (!ok.contains(name) && !name.equals("help")) {
                throw new LearnerException("unknown option --" + name + " for '" + command
                        + "'; allowed: --" + String.join(", --", allowed));
            }
        }
    }

    boolean flag(String name) { return values.containsKey(name); }

    String required(String name) {
        List<String> v = values.get(name);
        if (v == null) {
            throw new LearnerException("'" + command + "' needs --" + name + " (see --help)");
        }
        return v.get(v.size() - 1);
    }

    String optional(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    /** Every value of a repeatable option, in the order given. */
    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    List<Path> paths(String name) {
        List<Path> out = new ArrayList<>();
        values.getOrDefault(name, List.of()).forEach(v -> out.add(Path.of(v)));
        return out;
    }

    double number(String name, double fallback, double min, double max) {
        String text = optional(name, null);
        if (text == null) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new LearnerException("--" + name + " must be a number, got '" + text + "'");
        }
        if (value < min || value > max || Double.isNaN(value)) {
            throw new LearnerException("--" + name + " must be between " + min + " and " + max
                    + ", got " + text);
        }
        return value;
    }
}

package ai.daikiri.learner.cli;

import ai.daikiri.learner.Inputs;
import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.Log;
import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Renderer;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.KnowledgeBaseLoader;
import ai.daikiri.learner.owl.OwlOntologies;
import ai.daikiri.learner.search.Learner;
import ai.daikiri.learner.search.LearningProblem;
import ai.daikiri.learner.search.ProblemPool;
import ai.daikiri.learner.search.RefinementOperator;
import ai.daikiri.learner.search.Scores;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Command line of the DAIKIRI learner: {@code learn}, {@code parse}, {@code validate} and
 * {@code self-test}.
 * Every user error exits with status 2 and one line on stderr; results go to files or stdout.
 */
public final class Main {
    /** Results are records written in snake_case (ResultFile); maps keep their own keys. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    static final String USAGE = String.join("\n",
            "usage: java -jar daikiri-learner.jar <command> [options]",
            "",
            "commands:",
            "  learn     learn class expressions for one or more learning problems",
            "            --tbox T.owl [--abox A.nt|DIR ...] --problem P.json --out R.json",
            "            (or --kg DIR: DIR/tbox.nt, else DIR/tbox.owl, and the files in DIR/abox/)",
            "            [--max-runtime SECONDS] [--max-length N] [--noise PERCENT] [--top-k K]",
            "            [--seed S] [--validation FRACTION] [--min-f1 F] [--max-rules N]",
            "            [--no-negation] [--universal] [--summary-dir DIR] [--quiet]",
            "            [--threads N]  (problems solved side by side, sharing the loaded graph;",
            "            default: the JVM's processor count; a problem's search is one thread)",
            "            [--patience N]  (a search that tested N expressions without a better",
            "            one stops; default " + Learner.Options.PATIENCE + ")",
            "            [--exclude IRI ...]  (a class or property no expression may use)",
            "            [--require IRI ...]  (a class or property every answer must mention)",
            "            [--tbox-reader auto|owlapi]  (auto: an N-Triples TBox the built-in reader",
            "            fully interprets skips the OWL API's start-up; owlapi: always the OWL API)",
            "  parse     parse a class expression into the JSON AST",
            "            --tbox T.owl --expression TEXT [--syntax manchester|dl] [--out R.json]",
            "  validate  load an ontology (and ABox files), report counts and OWL 2 DL violations",
            "            --tbox T.owl [--abox A.nt ...] [--out R.json] [--tbox-reader auto|owlapi]",
            "            (also the knowledge base's fingerprint: equal for equal contents)",
            "  self-test learn two known concepts from a small generated graph; fail unless both",
            "            are found (a jar's smoke test and its class-data-sharing training run)",
            "",
            "P.json is {\"name\": str, \"positives\": [IRI...], \"negatives\": [IRI...],",
            "\"ignore_classes\": [IRI...], \"kind\": label|regime|model, \"target\": str,",
            "\"title\": str, \"exclude\": [IRI...], \"require\": [IRI...], \"max_length\": N}",
            "or a list of them; R.json is one result or a list (schemas in",
            "the jar: schema/problem.schema.json, schema/result.schema.json).");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Run the CLI; returns the exit status (0 ok, 2 user error, 1 internal error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            Arguments a = Arguments.parse(args);
            if (a.flag("help")) {
                out.println(USAGE);
                return 0;
            }
            switch (a.command()) {
                case "learn" -> learn(a);
                case "parse" -> parse(a, out);
                case "validate" -> validate(a, out);
                case "self-test" -> {
                    a.allow();
                    SelfTest.run(out);
                }
                default -> throw new LearnerException("unknown command '" + a.command()
                        + "'; expected learn, parse, validate or self-test (see --help)");
            }
            return 0;
        } catch (LearnerException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) {
            err.println("error: out of memory; give the JVM more heap (java -Xmx...)");
            return 1;
        } catch (RuntimeException e) {
            StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
            err.println("error: internal error " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + (at == null ? "" : " at " + at));
            return 1;
        }
    }

    private static void learn(Arguments a) {
        a.allow("tbox", "abox", "kg", "problem", "out", "max-runtime", "max-length", "noise",
                "top-k", "seed", "validation", "min-f1", "max-rules", "no-negation", "universal",
                "summary-dir", "quiet", "tbox-reader", "exclude", "require", "patience",
                "threads");
        Log.setQuiet(a.flag("quiet"));
        KnowledgeBaseLoader.TBoxReader tboxReader = tboxReader(a);
        Path tboxPath;
        List<Path> aboxes = new ArrayList<>(a.paths("abox"));
        if (a.flag("kg")) {
            Path kg = Path.of(a.required("kg"));
            if (!Files.isDirectory(kg)) {
                throw new LearnerException("--kg '" + kg + "' is not a directory");
            }
            tboxPath = Files.exists(kg.resolve("tbox.nt")) ? kg.resolve("tbox.nt")
                    : kg.resolve("tbox.owl");
            aboxes.add(kg.resolve("abox"));
        } else {
            tboxPath = Path.of(a.required("tbox"));
        }
        Inputs.requireReadable(tboxPath, "--tbox");
        aboxes = expandDirectories(aboxes);
        // one search per thread; the JVM's processor count honours container CPU limits and
        // -XX:ActiveProcessorCount
        int threads = (int) a.number("threads", Runtime.getRuntime().availableProcessors(), 1,
                1024);
        Path problemPath = Path.of(a.required("problem"));
        Path outPath = Path.of(a.required("out"));
        RefinementOperator.Options defaults = RefinementOperator.Options.defaults();
        Learner.Options options = new Learner.Options(
                a.number("max-runtime", 10.0, 0.01, 1e7), (int) a.number("max-length", 12, 1, 100),
                a.number("noise", 5.0, 0.0, 100.0), (int) a.number("top-k", 5, 1, 1000),
                (long) a.number("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE),
                a.number("validation", 0.3, 0.0, 0.9), a.number("min-f1", 0.5, 0.0, 1.0),
                (int) a.number("max-rules", 5, 1, 100),
                (long) a.number("patience", Learner.Options.PATIENCE, 1, 1e12),
                new RefinementOperator.Options(!a.flag("no-negation"), a.flag("universal"),
                        defaults.cardinality(), defaults.hasValue(), defaults.splitsPerProperty(),
                        defaults.maxCardinality()));
        Inputs.requireReadable(problemPath, "--problem");
        JsonNode root = readJson(problemPath);
        List<LearningProblem> problems = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new LearnerException("--problem file '" + problemPath
                        + "' holds an empty list of problems");
            }
            for (int i = 0; i < root.size(); i++) {
                problems.add(problem(root.get(i), problemPath + "[" + i + "]"));
            }
        } else {
            problems.add(problem(root, problemPath.toString()));
        }
        long loadStarted = System.nanoTime();
        KnowledgeBase kb = KnowledgeBaseLoader.load(tboxPath, aboxes, tboxReader);
        double loadSeconds = (System.nanoTime() - loadStarted) / 1e9;
        Log.info("knowledge base: %,d individuals, %d classes, %d object properties, "
                + "%d data properties, %,d assertions", kb.size(), kb.classes().size(),
                kb.objectProperties().size(), kb.dataProperties().size(), kb.assertionCount());
        List<String> excluded = a.all("exclude"); // checked against the graph by the learner
        List<String> required = a.all("require");
        problems.replaceAll(problem -> problem.excluding(excluded).requiring(required));
        List<Learner.Result> solved = ProblemPool.solve(kb, options, problems, threads);
        Renderer renderer = new Renderer();
        List<ResultFile.ProblemResult> results = new ArrayList<>();
        for (int i = 0; i < problems.size(); i++) {
            results.add(ResultFile.ProblemResult.of(problems.get(i), solved.get(i), renderer,
                    loadSeconds, kb.tboxReader()));
        }
        writeJson(outPath, root.isArray() ? results : results.get(0));
        String summary = a.optional("summary-dir", null);
        if (summary != null) {
            long explained = results.stream().filter(r -> r.stats().explainable()).count();
            writeText(Path.of(summary).resolve("explained"), Long.toString(explained));
            writeText(Path.of(summary).resolve("problems"), Integer.toString(results.size()));
        }
    }

    /** Directories among the ABox paths stand for the RDF files in them, in name order. */
    static List<Path> expandDirectories(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            try (var files = Files.list(p)) {
                List<Path> found = files.filter(f -> f.toString().matches(".*\\.(nt|ttl|owl|rdf|xml)$"))
                        .sorted().toList();
                if (found.isEmpty()) {
                    throw new LearnerException("ABox directory '" + p + "' holds no .nt, .ttl, "
                            + ".owl or .rdf files");
                }
                out.addAll(found);
            } catch (IOException e) {
                throw new LearnerException("cannot list '" + p + "': " + e.getMessage());
            }
        }
        return out;
    }

    /** Write a UTF-8 text file, creating its folder; a failure is a one-line user error. */
    static void writeText(Path path, String text) {
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            Files.writeString(path, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LearnerException("cannot write '" + path + "': " + e.getMessage());
        }
    }

    private static LearningProblem problem(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new LearnerException(where + ": a learning problem must be a JSON object");
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!PROBLEM_KEYS.contains(field)) {
                throw new LearnerException(where + ": unknown key '" + field
                        + "'; expected " + String.join(", ", PROBLEM_KEYS));
            }
        }
        String name = node.hasNonNull("name") ? text(node, "name", where) : where;
        List<String> positives = strings(node, "positives", where, true);
        if (positives.isEmpty()) {
            throw new LearnerException(where + " (problem '" + name + "'): positives is empty");
        }
        return new LearningProblem(name, text(node, "kind", where), text(node, "target", where),
                text(node, "title", where), positives, strings(node, "negatives", where, true),
                strings(node, "ignore_classes", where, false),
                strings(node, "exclude", where, false), strings(node, "require", where, false),
                maxLength(node, where));
    }

    /** The keys of a problem object (schema/problem.schema.json). */
    static final List<String> PROBLEM_KEYS = List.of("name", "kind", "target", "title",
            "positives", "negatives", "ignore_classes", "exclude", "require", "max_length");

    private static int maxLength(JsonNode node, String where) {
        JsonNode value = node.get("max_length");
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1
                || value.asInt() > 100) {
            throw new LearnerException(where + ": 'max_length' must be a whole number from 1 "
                    + "to 100, got " + value);
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new LearnerException(where + ": '" + key + "' must be a string, got " + value);
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode node, String key, String where, boolean required) {
        JsonNode list = node.get(key);
        if (list == null) {
            if (required) {
                throw new LearnerException(where + ": missing key '" + key + "'");
            }
            return List.of();
        }
        if (!list.isArray()) {
            throw new LearnerException(where + ": '" + key + "' must be a list of IRIs");
        }
        List<String> out = new ArrayList<>();
        list.forEach(v -> {
            if (!v.isTextual()) {
                throw new LearnerException(where + ": '" + key + "' holds a non-string " + v);
            }
            out.add(v.asText());
        });
        return out;
    }

    private static void parse(Arguments a, PrintStream out) {
        a.allow("tbox", "expression", "syntax", "out", "quiet");
        Concept c = OwlOntologies.parseExpression(Path.of(a.required("tbox")),
                a.required("expression"), a.optional("syntax", "manchester"));
        emit(a, out, ResultFile.HypothesisResult.of(c, null, new Renderer()));
    }

    private static void validate(Arguments a, PrintStream out) {
        a.allow("tbox", "abox", "out", "quiet", "tbox-reader");
        Log.setQuiet(a.flag("quiet"));
        KnowledgeBaseLoader.TBoxReader tboxReader = tboxReader(a);
        Path tbox = Path.of(a.required("tbox"));
        OwlOntologies.Profile profile = OwlOntologies.profile(tbox);
        KnowledgeBase kb = KnowledgeBaseLoader.load(tbox, expandDirectories(a.paths("abox")),
                tboxReader);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("tbox_axioms", profile.axioms());
        json.put("classes", kb.classes().size());
        json.put("object_properties", kb.objectProperties().size());
        json.put("data_properties", kb.dataProperties().size());
        json.put("individuals", kb.size());
        json.put("assertions", kb.assertionCount());
        json.put("tbox_reader", kb.tboxReader());
        json.put("fingerprint", kb.fingerprint());
        json.put("owl2_dl", profile.owl2Dl());
        json.put("profile_violations", profile.violations());
        emit(a, out, json);
    }

    private static KnowledgeBaseLoader.TBoxReader tboxReader(Arguments a) {
        return KnowledgeBaseLoader.TBoxReader.parse(a.optional("tbox-reader", "auto"));
    }

    private static void emit(Arguments a, PrintStream out, Object json) {
        String target = a.optional("out", null);
        if (target == null) {
            try {
                out.println(JSON.writeValueAsString(json));
            } catch (IOException e) {
                throw new LearnerException("cannot write JSON: " + e.getMessage());
            }
        } else {
            writeJson(Path.of(target), json);
        }
    }

    static JsonNode readJson(Path path) {
        try {
            return JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new LearnerException("--problem file '" + path + "' is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
        } catch (IOException e) {
            throw new LearnerException("cannot read '" + path + "': " + e.getMessage());
        }
    }

    static void writeJson(Path path, Object json) {
        try {
            writeText(path, JSON.writeValueAsString(json));
        } catch (IOException e) { // the serialisation: writeText reports its own I/O errors
            throw new LearnerException("cannot write '" + path + "': " + e.getMessage());
        }
    }
}

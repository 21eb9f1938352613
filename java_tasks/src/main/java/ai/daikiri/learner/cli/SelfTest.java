package ai.daikiri.learner.cli;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.KnowledgeBaseLoader;
import ai.daikiri.learner.rdf.Vocabulary;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * The {@code self-test} command: learns two known concepts from a small generated knowledge
 * graph through the same code path as {@code learn} and fails unless both are found exactly.
 *
 * <p>It exercises every part a real run needs — the TBox as N-Triples through the built-in
 * reader and as RDF/XML through the OWL API (which must agree), one ABox part in N-Triples (the platform's own
 * reader) and one in Turtle (Jena RIOT), a numeric threshold and a structural expression, the
 * renderers and the JSON writer — so it serves two purposes: a smoke test of a built jar or
 * image, and the training run from which the build records a class-data-sharing archive
 * ({@code java -XX:ArchiveClassesAtExit=learner.jsa -jar learner.jar self-test}), which
 * shortens a learner process's start-up (bench/RESULTS.md).
 */
final class SelfTest {

    private static final String NS = "http://daikiri.ai/self-test#";
    private static final String XSD = Vocabulary.XSD;
    private static final String RDF_TYPE = Vocabulary.RDF_TYPE;
    private static final int RUNS = 48;
    /** Runs with torque at or above this are the "high torque" positives. */
    private static final double HIGH_TORQUE = 60.0;

    private SelfTest() {
    }

    /** Run the self-test in a temporary folder (removed afterwards); report on {@code out}. */
    static void run(PrintStream out) {
        Path folder;
        try {
            folder = Files.createTempDirectory("daikiri-self-test-");
        } catch (IOException e) {
            throw new LearnerException("self-test: cannot create a temporary folder: "
                    + e.getMessage());
        }
        try {
            Path results = folder.resolve("results.json");
            Path kg = writeGraph(folder);
            int status = Main.run(new String[] {"learn", "--kg", kg.toString(),
                "--problem", writeProblems(folder).toString(), "--out", results.toString(),
                "--max-runtime", "5", "--quiet"}, out, System.err);
            if (status != 0) {
                throw new LearnerException("self-test: the learner exited with status " + status);
            }
            List<String> found = check(Main.readJson(results));
            found.add(compareTBoxReaders(kg));
            out.println("self-test passed: " + String.join("; ", found));
        } finally {
            delete(folder);
        }
    }

    /**
     * The graph loaded once through each TBox reader; fails unless the built-in N-Triples reader
     * read the TBox and both give the same knowledge base. (It also puts the OWL API's loading
     * path into the class-data-sharing archive, for TBoxes only the OWL API reads.)
     */
    private static String compareTBoxReaders(Path kg) {
        List<Path> aboxes = List.of(kg.resolve("abox").resolve("part-0.nt"),
                kg.resolve("abox").resolve("part-1.ttl"));
        Path tbox = kg.resolve("tbox.nt");
        KnowledgeBase builtIn = KnowledgeBaseLoader.load(tbox, aboxes,
                KnowledgeBaseLoader.TBoxReader.AUTO);
        // the same TBox in RDF/XML, through the OWL API
        KnowledgeBase owlApi = KnowledgeBaseLoader.load(kg.resolve("tbox.owl"), aboxes,
                KnowledgeBaseLoader.TBoxReader.OWL_API);
        if (!KnowledgeBaseLoader.BUILT_IN_READER.equals(builtIn.tboxReader())) {
            throw new LearnerException("self-test failed: the built-in N-Triples reader did not "
                    + "read the TBox (" + builtIn.tboxReader() + " did)");
        }
        if (!builtIn.fingerprint().equals(owlApi.fingerprint())) {
            throw new LearnerException("self-test failed: the built-in N-Triples reader and the "
                    + "OWL API read different knowledge bases from the same TBox");
        }
        return "TBox readers agree (" + builtIn.size() + " individuals, fingerprint "
                + builtIn.fingerprint().substring(0, 12) + ")";
    }

    /** Each problem's best expression; fails unless every problem is solved with F1 1. */
    private static List<String> check(JsonNode results) {
        List<String> found = new ArrayList<>();
        for (JsonNode result : results) {
            JsonNode best = result.get("hypotheses").path(0);
            double f1 = best.path("f1").asDouble(0.0);
            String line = result.get("problem").asText() + " = " + best.path("dl").asText("?")
                    + " (F1 " + String.format("%.3f", f1) + ")";
            if (f1 < 1.0) {
                throw new LearnerException("self-test failed: expected F1 1.000 for " + line);
            }
            found.add(line);
        }
        if (found.size() != 2) {
            throw new LearnerException("self-test failed: expected 2 results, got " + found.size());
        }
        return found;
    }

    private static String runIri(int i) {
        return NS + "run" + i;
    }

    /** A tool is worn when its number is even; run i uses tool i mod 4. */
    private static boolean worn(int tool) {
        return tool % 2 == 0;
    }

    private static Path writeGraph(Path folder) {
        Path kg = folder.resolve("kg");
        String owl = Vocabulary.OWL;
        String tbox = String.join("\n",
                triple(NS.substring(0, NS.length() - 1), RDF_TYPE, "<" + owl + "Ontology>"),
                triple(NS + "Run", RDF_TYPE, "<" + owl + "Class>"),
                triple(NS + "Run", Vocabulary.RDFS + "label", "\"run\""),
                triple(NS + "Tool", RDF_TYPE, "<" + owl + "Class>"),
                triple(NS + "WornTool", RDF_TYPE, "<" + owl + "Class>"),
                triple(NS + "WornTool", Vocabulary.RDFS + "subClassOf", "<" + NS + "Tool>"),
                triple(NS + "usesTool", RDF_TYPE, "<" + owl + "ObjectProperty>"),
                triple(NS + "torque", RDF_TYPE, "<" + owl + "DatatypeProperty>"),
                triple(NS + "torque", Vocabulary.RDFS + "range", "<" + XSD + "double>"), "");
        String rdfXml = String.join("\n",
                "<?xml version=\"1.0\"?>",
                "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"",
                "    xmlns:rdfs=\"http://www.w3.org/2000/01/rdf-schema#\"",
                "    xmlns:owl=\"http://www.w3.org/2002/07/owl#\">",
                "  <owl:Ontology rdf:about=\"" + NS.substring(0, NS.length() - 1) + "\"/>",
                "  <owl:Class rdf:about=\"" + NS + "Run\"><rdfs:label>run</rdfs:label></owl:Class>",
                "  <owl:Class rdf:about=\"" + NS + "Tool\"/>",
                "  <owl:Class rdf:about=\"" + NS + "WornTool\">",
                "    <rdfs:subClassOf rdf:resource=\"" + NS + "Tool\"/></owl:Class>",
                "  <owl:ObjectProperty rdf:about=\"" + NS + "usesTool\"/>",
                "  <owl:DatatypeProperty rdf:about=\"" + NS + "torque\">",
                "    <rdfs:range rdf:resource=\"" + XSD + "double\"/></owl:DatatypeProperty>",
                "</rdf:RDF>", "");
        StringBuilder runs = new StringBuilder();
        StringBuilder tools = new StringBuilder("@prefix : <" + NS + "> .\n");
        for (int i = 0; i < RUNS; i++) {
            String subject = "<" + runIri(i) + "> <";
            runs.append(subject).append(RDF_TYPE).append("> <").append(NS).append("Run> .\n");
            runs.append(subject).append(NS).append("torque> \"").append(i * 2.5).append("\"^^<")
                .append(XSD).append("double> .\n");
            runs.append(subject).append(NS).append("usesTool> <").append(NS).append("tool")
                .append(i % 4).append("> .\n");
        }
        for (int tool = 0; tool < 4; tool++) {
            tools.append(":tool").append(tool).append(" a :")
                .append(worn(tool) ? "WornTool" : "Tool").append(" .\n");
        }
        Main.writeText(kg.resolve("tbox.nt"), tbox);
        Main.writeText(kg.resolve("tbox.owl"), rdfXml);
        Main.writeText(kg.resolve("abox").resolve("part-0.nt"), runs.toString());
        Main.writeText(kg.resolve("abox").resolve("part-1.ttl"), tools.toString());
        return kg;
    }

    /** One N-Triples line; {@code object} is written as given (an IRI in brackets, a literal). */
    private static String triple(String subject, String predicate, String object) {
        return "<" + subject + "> <" + predicate + "> " + object + " .";
    }

    private static Path writeProblems(Path folder) {
        Path path = folder.resolve("problems.json");
        Main.writeJson(path, List.of(problem("high_torque", i -> i * 2.5 >= HIGH_TORQUE),
                problem("worn_tool", i -> worn(i % 4))));
        return path;
    }

    private static Map<String, Object> problem(String name, IntPredicate positive) {
        List<String> positives = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            (positive.test(i) ? positives : negatives).add(runIri(i));
        }
        return Map.of("name", name, "positives", positives, "negatives", negatives);
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing a passed self-test for
        }
    }
}

package ai.daikiri.learner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    private static final String TBOX = String.join("\n",
            "@prefix : <http://example.org/m#> .",
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            ":Run a owl:Class ; rdfs:label \"run\"@en .",
            ":power a owl:DatatypeProperty ; rdfs:label \"power\"@en .");

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Learns problem "low" (comma-separated quoted IRIs) from one ABox file; the result. */
    private JsonNode learnLow(Path tbox, Path abox, CharSequence positives,
            CharSequence negatives) throws Exception {
        Path problem = write("p.json", "{\"name\": \"low\", \"positives\": [" + positives
                + "], \"negatives\": [" + negatives + "]}");
        Path out = dir.resolve("r.json");
        String[] r = run("learn", "--tbox", tbox.toString(), "--abox", abox.toString(),
                "--problem", problem.toString(), "--out", out.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        return new ObjectMapper().readTree(out.toFile());
    }

    /** Streams an N-Triples ABox through the learner's own reader. */
    @Test
    void learnsFromAStreamedNTriplesAbox() throws Exception {
        Path tbox = write("t.ttl", TBOX);
        StringBuilder abox = new StringBuilder();
        StringBuilder pos = new StringBuilder();
        StringBuilder neg = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String ind = "<http://example.org/m#r" + i + ">";
            abox.append(ind).append(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ")
                .append("<http://example.org/m#Run> .\n");
            abox.append(ind).append(" <http://example.org/m#power> \"").append(i * 50.0)
                .append("\"^^<http://www.w3.org/2001/XMLSchema#double> .\n");
            StringBuilder target = i * 50.0 < 3500 ? pos : neg;
            target.append(target.length() == 0 ? "" : ",").append('"')
                .append("http://example.org/m#r").append(i).append('"');
        }
        JsonNode result = learnLow(tbox, write("a.nt", abox.toString()), pos, neg);
        JsonNode best = result.get("hypotheses").get(0);
        assertEquals("low", result.get("problem").asText());
        assertEquals(1.0, best.get("f1").asDouble());
        assertEquals("power ≤ 3480", best.get("dl").asText());
        assertEquals("data_range", best.get("ast").get("type").asText());
        assertEquals(3480.0, best.get("ast").get("max").asDouble());
        for (String key : new String[] {"manchester", "accuracy", "precision", "recall", "length"}) {
            assertTrue(best.has(key), key);
        }
        assertTrue(result.get("stats").has("expressions_tested"));
        assertTrue(result.get("stats").get("load_seconds").asDouble() > 0);
    }

    @Test
    void userErrorsExitTwoWithOneLine() throws Exception {
        Path tbox = write("t.ttl", TBOX);
        Path bad = write("bad.json", "{\"name\": \"x\", \"positives\": [");
        Path empty = write("empty.json", "{\"name\": \"x\", \"positives\": [], \"negatives\": []}");
        String[][] cases = {
            {"no-such", "unknown command 'no-such'"},
            {"learn --tbox " + tbox + " --problem " + bad + " --out " + dir.resolve("o.json"),
                "is not valid JSON"},
            {"learn --tbox " + tbox + " --problem " + empty + " --out " + dir.resolve("o.json"),
                "positives is empty"},
            {"learn --tbox " + dir.resolve("none.owl") + " --problem " + empty + " --out x",
                "--tbox file"},
            {"learn --tbox " + tbox + " --problem " + empty + " --out x --max-runtime fast",
                "--max-runtime must be a number"},
            {"learn --colour red", "unknown option --colour"},
            {"validate --tbox " + write("broken.owl", "<rdf:RDF"), "cannot read ontology"},
            {"validate --tbox " + tbox + " --abox " + write("broken.nt",
                "<http://x/a> <http://x/p> <http://x/b> .\n<http://x/a> <http://x/p> 5 .\n"),
                "broken.nt' as N-Triples: line 2, column 27: expected an object"},
        };
        for (String[] c : cases) {
            String[] r = run(c[0].split(" "));
            assertEquals("2", r[0], c[0]);
            assertTrue(r[2].contains(c[1]), c[0] + " -> " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
        }
    }

    @Test
    void helpAndParse() throws Exception {
        assertTrue(run("--help")[1].contains("usage: java -jar daikiri-learner.jar"));
        Path tbox = write("t.ttl", TBOX);
        String[] r = run("parse", "--tbox", tbox.toString(), "--syntax", "dl", "--expression",
                "Run ⊓ power ≥ 9000");
        assertEquals("0", r[0], r[2]);
        JsonNode parsed = new ObjectMapper().readTree(r[1]);
        assertEquals("and", parsed.get("ast").get("type").asText());
        assertEquals("Run ⊓ (power ≥ 9000)", parsed.get("dl").asText());
    }

    /** The self-test learns both of its concepts (N-Triples and Turtle ABox parts). */
    @Test
    void selfTestFindsBothConcepts() {
        String[] r = run("self-test");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("self-test passed: high_torque = torque ≥ "), r[1]);
        assertTrue(r[1].contains("worn_tool = ∃usesTool.WornTool (F1 1.000)"), r[1]);
        assertEquals("2", run("self-test", "--fast")[0]);
    }

    /** A Turtle ABox goes through Jena RIOT (and its XSD datatypes: the Debian Xerces fix). */
    @Test
    void learnsFromATurtleAbox() throws Exception {
        Path tbox = write("t.ttl", TBOX);
        StringBuilder abox = new StringBuilder("@prefix : <http://example.org/m#> .\n"
                + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n");
        StringBuilder pos = new StringBuilder();
        StringBuilder neg = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            abox.append(":r").append(i).append(" a :Run ; :power \"").append(i * 10.0)
                .append("\"^^xsd:double .\n");
            StringBuilder target = i < 30 ? pos : neg;
            target.append(target.length() == 0 ? "" : ",").append("\"http://example.org/m#r")
                .append(i).append('"');
        }
        JsonNode best = learnLow(tbox, write("a.ttl", abox.toString()), pos, neg)
                .get("hypotheses").get(0);
        assertEquals(1.0, best.get("f1").asDouble());
        assertEquals("power ≤ 295", best.get("dl").asText()); // between 290 and 300
    }
}

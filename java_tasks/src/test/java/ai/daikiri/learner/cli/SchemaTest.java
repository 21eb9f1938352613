package ai.daikiri.learner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The problem and result files match the schemas shipped in the jar (schema/*.json). */
class SchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String M = "http://example.org/m#";

    @TempDir
    Path dir;

    private static SchemaCheck schema(String name) throws Exception {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schema/" + name)) {
            return new SchemaCheck(JSON.readTree(in));
        }
    }

    /** A typed problem and an untyped one on a small graph; the result file as written. */
    private JsonNode[] learn() throws Exception {
        StringBuilder abox = new StringBuilder();
        List<String> low = new ArrayList<>();
        List<String> high = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String run = M + "r" + i;
            abox.append('<').append(run).append("> <").append(M).append("power> \"")
                .append(i * 100.0).append("\"^^<http://www.w3.org/2001/XMLSchema#double> .\n");
            (i < 20 ? low : high).add(run);
        }
        Path tbox = dir.resolve("t.nt");
        Files.writeString(tbox, "<" + M + "power> <http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                + "type> <http://www.w3.org/2002/07/owl#DatatypeProperty> .\n");
        Path abx = dir.resolve("a.nt");
        Files.writeString(abx, abox.toString());
        String problems = "[" + JSON.writeValueAsString(java.util.Map.of("name", "label:low",
                "kind", "label", "target", "low", "title", "low power", "positives", low,
                "negatives", high)) + ", " + JSON.writeValueAsString(java.util.Map.of(
                "positives", high, "negatives", low)) + "]";
        Path problem = dir.resolve("p.json");
        Files.writeString(problem, problems);
        Path out = dir.resolve("r.json");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"learn", "--tbox", tbox.toString(), "--abox",
            abx.toString(), "--problem", problem.toString(), "--out", out.toString(),
            "--max-runtime", "1", "--quiet"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return new JsonNode[] {JSON.readTree(problems), JSON.readTree(out.toFile())};
    }

    @Test
    void theFilesOfARunMatchTheirSchemas() throws Exception {
        JsonNode[] files = learn();
        assertEquals(List.of(), schema("problem.schema.json").violations(files[0]));
        JsonNode results = files[1];
        assertEquals(List.of(), schema("result.schema.json").violations(results));
        JsonNode typed = results.get(0);
        assertEquals(1, typed.get("schema_version").asInt());
        assertEquals("label", typed.get("kind").asText());
        assertEquals("low power", typed.get("title").asText());
        assertTrue(typed.get("stats").has("validation_f1"));
        assertFalse(results.get(1).has("kind"), "an untyped problem's result says no kind");
    }

    @Test
    void aResultThatDriftedFromTheSchemaIsCaught() throws Exception {
        JsonNode result = learn()[1].get(0);
        SchemaCheck check = schema("result.schema.json");
        ObjectNode renamed = result.deepCopy();
        ((ObjectNode) renamed.get("stats")).set("validationF1", renamed.get("stats")
                .get("validation_f1"));
        ((ObjectNode) renamed.get("stats")).remove("validation_f1");
        assertEquals(List.of("$.stats: missing 'validation_f1'", "$.stats: unexpected "
                + "'validationF1'"), check.violations(renamed));
        ObjectNode badAst = result.deepCopy();
        ((ObjectNode) badAst.get("hypotheses").get(0).get("ast")).put("type", "xor");
        assertTrue(check.violations(badAst).get(0).startsWith("$.hypotheses[0].ast.type: "
                + "\"xor\" is not one of"), check.violations(badAst).toString());
    }

    @Test
    void theProblemReaderAcceptsExactlyTheSchemasKeys() throws Exception {
        JsonNode properties;
        try (InputStream in = SchemaTest.class.getResourceAsStream("/schema/problem.schema.json")) {
            properties = JSON.readTree(in).get("$defs").get("problem").get("properties");
        }
        List<String> keys = new ArrayList<>();
        properties.fieldNames().forEachRemaining(keys::add);
        assertEquals(keys, Main.PROBLEM_KEYS);
    }
}

package ai.daikiri.learner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks a JSON document against the JSON Schema subset the learner's schemas use ({@code type},
 * {@code const}, {@code enum}, {@code properties}, {@code required},
 * {@code additionalProperties: false}, {@code items}, {@code minItems}, {@code oneOf},
 * {@code $ref} into {@code $defs}, {@code minimum}, {@code maximum}, {@code minLength}); any
 * other keyword is refused, so the schema cannot silently say more than is checked. The
 * Python tests check the same files with the {@code jsonschema} library.
 */
final class SchemaCheck {
    private static final List<String> KNOWN = List.of("$schema", "$id", "title", "description",
            "$defs", "type", "const", "enum", "properties", "required", "additionalProperties",
            "items", "minItems", "oneOf", "$ref", "minimum", "maximum", "minLength");
    private final JsonNode root;

    SchemaCheck(JsonNode schema) {
        this.root = schema;
    }

    /** The violations of {@code doc} (empty when it conforms), each with its JSON path. */
    List<String> violations(JsonNode doc) {
        List<String> out = new ArrayList<>();
        check(root, doc, "$", out);
        return out;
    }

    private void check(JsonNode schema, JsonNode doc, String path, List<String> out) {
        for (Iterator<String> keys = schema.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("schema keyword '" + key + "' is not checked");
            }
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            check(root.get("$defs").get(ref.substring("#/$defs/".length())), doc, path, out);
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            List<String> nearest = null;
            for (JsonNode option : schema.get("oneOf")) {
                List<String> found = new ArrayList<>();
                check(option, doc, path, found);
                matching += found.isEmpty() ? 1 : 0;
                // the closest option: one whose type fits the document, then the fewest misses
                boolean fits = found.stream().noneMatch(v -> v.startsWith(path + ": expected "));
                if (nearest == null || fits && found.size() < nearest.size()
                        || fits && nearest.stream().anyMatch(v -> v.startsWith(path + ": expected "))) {
                    nearest = found;
                }
            }
            if (matching == 0) {
                out.addAll(nearest); // what the closest option misses
            } else if (matching > 1) {
                out.add(path + ": matches " + matching + " of the oneOf options");
            }
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), doc)) {
            out.add(path + ": expected " + schema.get("type") + ", got " + doc.getNodeType());
            return;
        }
        if (schema.has("const") && !schema.get("const").equals(doc)) {
            out.add(path + ": expected " + schema.get("const"));
        }
        if (schema.has("enum") && !contains(schema.get("enum"), doc)) {
            out.add(path + ": " + doc + " is not one of " + schema.get("enum"));
        }
        if (schema.has("minimum") && doc.isNumber() && doc.asDouble() < schema.get("minimum").asDouble()) {
            out.add(path + ": below the minimum");
        }
        if (schema.has("maximum") && doc.isNumber() && doc.asDouble() > schema.get("maximum").asDouble()) {
            out.add(path + ": above the maximum");
        }
        if (schema.has("minLength") && doc.isTextual() && doc.asText().length() < schema.get("minLength").asInt()) {
            out.add(path + ": shorter than " + schema.get("minLength"));
        }
        if (doc.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                if (!doc.has(required.asText())) {
                    out.add(path + ": missing '" + required.asText() + "'");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = doc.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (properties.has(field.getKey())) {
                    check(properties.get(field.getKey()), field.getValue(),
                            path + "." + field.getKey(), out);
                } else if (schema.has("additionalProperties")
                        && !schema.get("additionalProperties").asBoolean()) {
                    out.add(path + ": unexpected '" + field.getKey() + "'");
                }
            }
        }
        if (doc.isArray()) {
            if (schema.has("minItems") && doc.size() < schema.get("minItems").asInt()) {
                out.add(path + ": fewer than " + schema.get("minItems") + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < doc.size(); i++) {
                    check(schema.get("items"), doc.get(i), path + "[" + i + "]", out);
                }
            }
        }
    }

    private static boolean contains(JsonNode options, JsonNode value) {
        for (JsonNode option : options) {
            if (option.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean typeMatches(JsonNode type, JsonNode doc) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, doc)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> doc.isObject();
            case "array" -> doc.isArray();
            case "string" -> doc.isTextual();
            case "number" -> doc.isNumber();
            case "integer" -> doc.isIntegralNumber();
            case "boolean" -> doc.isBoolean();
            case "null" -> doc.isNull();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}

package ai.daikiri.learner.concept;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the learner's {@link Concept}s as text — DL syntax and OWL 2 Manchester syntax,
 * both with short names — and as a JSON-ready tree, so Python never parses expression strings.
 *
 * <p>All three renderings are visitors ({@link Concept.Visitor}), so a new kind of expression
 * does not compile until each says how it is written. Nothing here touches the OWL API, so
 * writing results never starts it; {@code owl.ExpressionParser} reads both texts back
 * (Manchester through the OWL API's parser), which the tests check for every kind of
 * expression. Numbers are written by {@link Numbers#text}, the same digits everywhere.
 */
public final class Renderer {
    private static final String XSD_DOUBLE = "xsd:double";

    /**
     * Manchester syntax with short names on one line, as Protégé reads it: {@code Male and
     * (hasChild some Thing)}, {@code inverse hasChild some Male}, {@code power_w some
     * xsd:double[>= "3500"^^xsd:double]}; every operand that is not a name is bracketed.
     */
    public String manchester(Concept c) {
        return c.accept(MANCHESTER);
    }

    /**
     * DL syntax with short names; numeric ranges read {@code power_w ≤ 3500} (the OWL API's DL
     * renderer prints datatype restrictions as empty brackets). {@code owl.ExpressionParser}
     * reads this form back.
     */
    public String dl(Concept c) {
        return c.accept(new Dl(true));
    }

    /** The JSON AST of {@code c} (maps, lists, strings and numbers). */
    public static Map<String, Object> ast(Concept c) {
        return c.accept(AST);
    }

    /**
     * The local part of an IRI, as the OWL API's short forms have it: its longest suffix that
     * is an XML NCName ({@code http://x.org/a#type_L} → {@code type_L}); the IRI itself when it
     * has none.
     */
    public static String shortName(String iri) {
        int start = iri.length();
        while (start > 0 && isNameChar(iri.charAt(start - 1))) {
            start--;
        }
        while (start < iri.length() && !isNameStart(iri.charAt(start))) {
            start++;
        }
        return start < iri.length() ? iri.substring(start) : iri;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || Character.isDigit(c) || c == '-' || c == '.' || c == '\u00B7';
    }

    private static final Concept.Visitor<String> MANCHESTER = new Concept.Visitor<>() {
        public String top(Concept.Top c) { return "Thing"; }
        public String bottom(Concept.Bottom c) { return "Nothing"; }
        public String atomic(Concept.Atomic c) { return shortName(c.iri()); }
        public String not(Concept.Not c) { return "not " + operand(c.operand()); }
        public String and(Concept.And c) { return join(c.operands(), " and "); }
        public String or(Concept.Or c) { return join(c.operands(), " or "); }
        public String some(Concept.Some c) {
            return role(c.role()) + " some " + operand(c.filler());
        }
        public String all(Concept.All c) {
            return role(c.role()) + " only " + operand(c.filler());
        }
        public String hasValue(Concept.HasValue c) {
            return role(c.role()) + " value " + shortName(c.individual());
        }
        public String minCard(Concept.MinCard c) {
            return role(c.role()) + " min " + c.n() + " " + operand(c.filler());
        }
        public String dataRange(Concept.DataRange c) {
            List<String> facets = new ArrayList<>();
            if (c.min() != null) {
                facets.add(">= " + literal(c.min()));
            }
            if (c.max() != null) {
                facets.add("<= " + literal(c.max()));
            }
            return shortName(c.property()) + " some " + XSD_DOUBLE + "["
                    + String.join(", ", facets) + "]";
        }

        private String operand(Concept c) {
            boolean name = c instanceof Concept.Atomic || c instanceof Concept.Top
                    || c instanceof Concept.Bottom;
            return name ? c.accept(this) : "(" + c.accept(this) + ")";
        }

        private String join(List<Concept> operands, String operator) {
            List<String> parts = new ArrayList<>();
            operands.forEach(op -> parts.add(operand(op)));
            return String.join(operator, parts);
        }

        private String role(Concept.Role role) {
            return (role.inverse() ? "inverse " : "") + shortName(role.iri());
        }

        /** A typed xsd:double literal ({@code "3500"^^xsd:double}, digits from Numbers). */
        private String literal(double value) {
            return "\"" + Numbers.text(value) + "\"^^" + XSD_DOUBLE;
        }
    };

    /** DL syntax; {@code top} says whether the expression stands alone (no brackets). */
    private static final class Dl implements Concept.Visitor<String> {
        private final boolean top;

        Dl(boolean top) {
            this.top = top;
        }

        private static String nested(Concept c) {
            return c.accept(new Dl(false));
        }

        public String top(Concept.Top c) { return "⊤"; }
        public String bottom(Concept.Bottom c) { return "⊥"; }
        public String atomic(Concept.Atomic c) { return shortName(c.iri()); }
        public String not(Concept.Not c) { return "¬" + nested(c.operand()); }
        public String and(Concept.And c) { return group(c.operands(), " ⊓ "); }
        public String or(Concept.Or c) { return group(c.operands(), " ⊔ "); }
        public String some(Concept.Some c) {
            return "∃" + role(c.role()) + "." + nested(c.filler());
        }
        public String all(Concept.All c) {
            return "∀" + role(c.role()) + "." + nested(c.filler());
        }
        public String hasValue(Concept.HasValue c) {
            return "∃" + role(c.role()) + ".{" + shortName(c.individual()) + "}";
        }
        public String minCard(Concept.MinCard c) {
            return "≥" + c.n() + " " + role(c.role()) + "." + nested(c.filler());
        }
        public String dataRange(Concept.DataRange c) {
            String p = shortName(c.property());
            String text;
            if (c.min() != null && c.max() != null) {
                text = Numbers.text(c.min()) + " ≤ " + p + " ≤ " + Numbers.text(c.max());
            } else if (c.min() != null) {
                text = p + " ≥ " + Numbers.text(c.min());
            } else {
                text = p + " ≤ " + Numbers.text(c.max());
            }
            return top ? text : "(" + text + ")";
        }

        private String group(List<Concept> operands, String operator) {
            StringBuilder out = new StringBuilder();
            for (Concept op : operands) {
                out.append(out.length() == 0 ? "" : operator).append(nested(op));
            }
            return top ? out.toString() : "(" + out + ")";
        }

        private static String role(Concept.Role role) {
            return shortName(role.iri()) + (role.inverse() ? "⁻" : "");
        }
    }

    private static final Concept.Visitor<Map<String, Object>> AST = new Concept.Visitor<>() {
        public Map<String, Object> top(Concept.Top c) { return node("top"); }
        public Map<String, Object> bottom(Concept.Bottom c) { return node("bottom"); }
        public Map<String, Object> atomic(Concept.Atomic c) {
            Map<String, Object> node = node("class");
            node.put("iri", c.iri());
            return node;
        }
        public Map<String, Object> not(Concept.Not c) {
            Map<String, Object> node = node("not");
            node.put("operand", c.operand().accept(this));
            return node;
        }
        public Map<String, Object> and(Concept.And c) { return operands("and", c.operands()); }
        public Map<String, Object> or(Concept.Or c) { return operands("or", c.operands()); }
        public Map<String, Object> some(Concept.Some c) {
            return filled("some", c.role(), c.filler());
        }
        public Map<String, Object> all(Concept.All c) {
            return filled("all", c.role(), c.filler());
        }
        public Map<String, Object> hasValue(Concept.HasValue c) {
            Map<String, Object> node = role(node("has_value"), c.role());
            node.put("individual", c.individual());
            return node;
        }
        public Map<String, Object> minCard(Concept.MinCard c) {
            Map<String, Object> node = node("min_cardinality");
            node.put("n", c.n());
            role(node, c.role());
            node.put("filler", c.filler().accept(this));
            return node;
        }
        public Map<String, Object> dataRange(Concept.DataRange c) {
            Map<String, Object> node = node("data_range");
            node.put("property", c.property());
            node.put("min", c.min());
            node.put("max", c.max());
            return node;
        }

        private Map<String, Object> node(String type) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("type", type);
            return node;
        }

        private Map<String, Object> operands(String type, List<Concept> operands) {
            Map<String, Object> node = node(type);
            List<Object> out = new ArrayList<>();
            operands.forEach(op -> out.add(op.accept(this)));
            node.put("operands", out);
            return node;
        }

        private Map<String, Object> filled(String type, Concept.Role role, Concept filler) {
            Map<String, Object> node = role(node(type), role);
            node.put("filler", filler.accept(this));
            return node;
        }

        private Map<String, Object> role(Map<String, Object> node, Concept.Role role) {
            node.put("property", role.iri());
            node.put("inverse", role.inverse());
            return node;
        }
    };
}

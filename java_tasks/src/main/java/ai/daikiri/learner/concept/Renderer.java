package ai.daikiri.learner.concept;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.semanticweb.owlapi.model.IRI;

/**
 * Renders the learner's {@link Concept} AST as text — DL syntax and OWL 2 Manchester syntax,
 * both with short names — and as a JSON-ready tree, so Python never parses expression strings.
 *
 * <p>Both renderings are the learner's own (no OWL API object is built), so writing results
 * never initialises the OWL API; {@link ExpressionParser} reads both back (Manchester through
 * the OWL API's parser), which the tests check for every kind of expression.
 */
public final class Renderer {
    private static final String XSD_DOUBLE = "xsd:double";

    /**
     * Manchester syntax with short names on one line, as Protégé reads it: {@code Male and
     * (hasChild some Thing)}, {@code inverse hasChild some Male}, {@code power_w some
     * xsd:double[>= "3500.0"^^xsd:double]}; every operand that is not a name is bracketed.
     */
    public String manchester(Concept c) {
        if (c instanceof Concept.Top) {
            return "Thing";
        }
        if (c instanceof Concept.Bottom) {
            return "Nothing";
        }
        if (c instanceof Concept.Atomic a) {
            return shortName(a.iri());
        }
        if (c instanceof Concept.Not n) {
            return "not " + manchesterOperand(n.operand());
        }
        if (c instanceof Concept.And a) {
            return manchesterJoin(a.operands(), " and ");
        }
        if (c instanceof Concept.Or o) {
            return manchesterJoin(o.operands(), " or ");
        }
        if (c instanceof Concept.Some s) {
            return manchesterRole(s.role()) + " some " + manchesterOperand(s.filler());
        }
        if (c instanceof Concept.All a) {
            return manchesterRole(a.role()) + " only " + manchesterOperand(a.filler());
        }
        if (c instanceof Concept.HasValue h) {
            return manchesterRole(h.role()) + " value " + shortName(h.individual());
        }
        if (c instanceof Concept.MinCard m) {
            return manchesterRole(m.role()) + " min " + m.n() + " "
                    + manchesterOperand(m.filler());
        }
        Concept.DataRange d = (Concept.DataRange) c;
        List<String> facets = new ArrayList<>();
        if (d.min() != null) {
            facets.add(">= " + doubleLiteral(d.min()));
        }
        if (d.max() != null) {
            facets.add("<= " + doubleLiteral(d.max()));
        }
        return shortName(d.property()) + " some " + XSD_DOUBLE + "[" + String.join(", ", facets)
                + "]";
    }

    private String manchesterOperand(Concept c) {
        boolean name = c instanceof Concept.Atomic || c instanceof Concept.Top
                || c instanceof Concept.Bottom;
        return name ? manchester(c) : "(" + manchester(c) + ")";
    }

    private String manchesterJoin(List<Concept> operands, String operator) {
        List<String> parts = new ArrayList<>();
        operands.forEach(op -> parts.add(manchesterOperand(op)));
        return String.join(operator, parts);
    }

    private static String manchesterRole(Concept.Role role) {
        return (role.inverse() ? "inverse " : "") + shortName(role.iri());
    }

    /** A typed xsd:double literal ({@code "3500.0"^^xsd:double}: Java's double lexical form). */
    private static String doubleLiteral(double value) {
        return "\"" + value + "\"^^" + XSD_DOUBLE;
    }

    /**
     * DL syntax with short names; numeric ranges read {@code power_w ≤ 3500} (the OWL API's DL
     * renderer prints datatype restrictions as empty brackets). {@link ExpressionParser} reads
     * this form back.
     */
    public String dl(Concept c) {
        return dl(c, true);
    }

    private String dl(Concept c, boolean top) {
        if (c instanceof Concept.Top) {
            return "⊤";
        }
        if (c instanceof Concept.Bottom) {
            return "⊥";
        }
        if (c instanceof Concept.Atomic a) {
            return shortName(a.iri());
        }
        if (c instanceof Concept.Not n) {
            return "¬" + dl(n.operand(), false);
        }
        if (c instanceof Concept.And a) {
            return group(a.operands(), " ⊓ ", top);
        }
        if (c instanceof Concept.Or o) {
            return group(o.operands(), " ⊔ ", top);
        }
        if (c instanceof Concept.Some s) {
            return "∃" + roleName(s.role()) + "." + dl(s.filler(), false);
        }
        if (c instanceof Concept.All a) {
            return "∀" + roleName(a.role()) + "." + dl(a.filler(), false);
        }
        if (c instanceof Concept.HasValue h) {
            return "∃" + roleName(h.role()) + ".{" + shortName(h.individual()) + "}";
        }
        if (c instanceof Concept.MinCard m) {
            return "≥" + m.n() + " " + roleName(m.role()) + "." + dl(m.filler(), false);
        }
        Concept.DataRange d = (Concept.DataRange) c;
        String p = shortName(d.property());
        String text;
        if (d.min() != null && d.max() != null) {
            text = number(d.min()) + " ≤ " + p + " ≤ " + number(d.max());
        } else if (d.min() != null) {
            text = p + " ≥ " + number(d.min());
        } else {
            text = p + " ≤ " + number(d.max());
        }
        return top ? text : "(" + text + ")";
    }

    private String group(List<Concept> operands, String operator, boolean top) {
        StringBuilder out = new StringBuilder();
        for (Concept op : operands) {
            out.append(out.length() == 0 ? "" : operator).append(dl(op, false));
        }
        return top ? out.toString() : "(" + out + ")";
    }

    private static String roleName(Concept.Role role) {
        return shortName(role.iri()) + (role.inverse() ? "⁻" : "");
    }

    static String shortName(String iri) {
        String fragment = IRI.create(iri).getShortForm();
        return fragment.isEmpty() ? iri : fragment;
    }

    /** Shortest decimal form: 3500 rather than 3500.0. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** The JSON AST of {@code c} (maps, lists, strings and numbers). */
    public static Map<String, Object> ast(Concept c) {
        Map<String, Object> node = new LinkedHashMap<>();
        if (c instanceof Concept.Top) {
            node.put("type", "top");
        } else if (c instanceof Concept.Bottom) {
            node.put("type", "bottom");
        } else if (c instanceof Concept.Atomic a) {
            node.put("type", "class");
            node.put("iri", a.iri());
        } else if (c instanceof Concept.Not n) {
            node.put("type", "not");
            node.put("operand", ast(n.operand()));
        } else if (c instanceof Concept.And a) {
            node.put("type", "and");
            node.put("operands", asts(a.operands()));
        } else if (c instanceof Concept.Or o) {
            node.put("type", "or");
            node.put("operands", asts(o.operands()));
        } else if (c instanceof Concept.Some s) {
            node.put("type", "some");
            role(node, s.role());
            node.put("filler", ast(s.filler()));
        } else if (c instanceof Concept.All a) {
            node.put("type", "all");
            role(node, a.role());
            node.put("filler", ast(a.filler()));
        } else if (c instanceof Concept.HasValue h) {
            node.put("type", "has_value");
            role(node, h.role());
            node.put("individual", h.individual());
        } else if (c instanceof Concept.MinCard m) {
            node.put("type", "min_cardinality");
            node.put("n", m.n());
            role(node, m.role());
            node.put("filler", ast(m.filler()));
        } else if (c instanceof Concept.DataRange d) {
            node.put("type", "data_range");
            node.put("property", d.property());
            node.put("min", d.min());
            node.put("max", d.max());
        }
        return node;
    }

    private static List<Object> asts(List<Concept> operands) {
        List<Object> out = new ArrayList<>();
        operands.forEach(op -> out.add(ast(op)));
        return out;
    }

    private static void role(Map<String, Object> node, Concept.Role role) {
        node.put("property", role.iri());
        node.put("inverse", role.inverse());
    }
}

package ai.daikiri.learner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.manchestersyntax.renderer.ManchesterOWLSyntaxOWLObjectRendererImpl;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLClassExpression;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLFacetRestriction;
import org.semanticweb.owlapi.model.OWLObjectPropertyExpression;
import org.semanticweb.owlapi.util.SimpleShortFormProvider;
import org.semanticweb.owlapi.vocab.OWLFacet;

/**
 * Converts the learner's {@link Concept} AST into OWL API class expressions (for DL and
 * Manchester renderings and for axioms) and into a JSON-ready tree, so Python never parses
 * expression strings.
 */
public final class Renderer {
    private static final OWLDataFactory DF = OWLManager.getOWLDataFactory();
    private static final SimpleShortFormProvider SHORT = new SimpleShortFormProvider();
    private final ManchesterOWLSyntaxOWLObjectRendererImpl manchester =
            new ManchesterOWLSyntaxOWLObjectRendererImpl();

    public Renderer() {
        manchester.setShortFormProvider(SHORT);
    }

    /** Manchester syntax with short names, on one line (OWL API renderer). */
    public String manchester(Concept c) {
        return manchester.render(toOwl(c)).replaceAll("\\s+", " ").replace("( ", "(");
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

    /** The OWL API class expression of {@code c}. */
    public static OWLClassExpression toOwl(Concept c) {
        if (c instanceof Concept.Top) {
            return DF.getOWLThing();
        }
        if (c instanceof Concept.Bottom) {
            return DF.getOWLNothing();
        }
        if (c instanceof Concept.Atomic a) {
            return DF.getOWLClass(IRI.create(a.iri()));
        }
        if (c instanceof Concept.Not n) {
            return DF.getOWLObjectComplementOf(toOwl(n.operand()));
        }
        if (c instanceof Concept.And a) {
            return DF.getOWLObjectIntersectionOf(owl(a.operands()));
        }
        if (c instanceof Concept.Or o) {
            return DF.getOWLObjectUnionOf(owl(o.operands()));
        }
        if (c instanceof Concept.Some s) {
            return DF.getOWLObjectSomeValuesFrom(role(s.role()), toOwl(s.filler()));
        }
        if (c instanceof Concept.All a) {
            return DF.getOWLObjectAllValuesFrom(role(a.role()), toOwl(a.filler()));
        }
        if (c instanceof Concept.HasValue h) {
            return DF.getOWLObjectHasValue(role(h.role()),
                    DF.getOWLNamedIndividual(IRI.create(h.individual())));
        }
        if (c instanceof Concept.MinCard m) {
            return DF.getOWLObjectMinCardinality(m.n(), role(m.role()), toOwl(m.filler()));
        }
        Concept.DataRange d = (Concept.DataRange) c;
        Set<OWLFacetRestriction> facets = new LinkedHashSet<>();
        if (d.min() != null) {
            facets.add(DF.getOWLFacetRestriction(OWLFacet.MIN_INCLUSIVE, DF.getOWLLiteral(d.min())));
        }
        if (d.max() != null) {
            facets.add(DF.getOWLFacetRestriction(OWLFacet.MAX_INCLUSIVE, DF.getOWLLiteral(d.max())));
        }
        return DF.getOWLDataSomeValuesFrom(DF.getOWLDataProperty(IRI.create(d.property())),
                DF.getOWLDatatypeRestriction(DF.getDoubleOWLDatatype(), facets));
    }

    private static List<OWLClassExpression> owl(List<Concept> operands) {
        List<OWLClassExpression> out = new ArrayList<>();
        operands.forEach(op -> out.add(toOwl(op)));
        return out;
    }

    private static OWLObjectPropertyExpression role(Concept.Role role) {
        var property = DF.getOWLObjectProperty(IRI.create(role.iri()));
        return role.inverse() ? DF.getOWLObjectInverseOf(property) : property;
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

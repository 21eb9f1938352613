package ai.daikiri.learner.owl;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Concept;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.expression.ShortFormEntityChecker;
import org.semanticweb.owlapi.manchestersyntax.parser.ManchesterOWLSyntaxParserImpl;
import org.semanticweb.owlapi.expression.OWLEntityChecker;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLAnnotationProperty;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLClassExpression;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLDataProperty;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLNamedIndividual;
import org.semanticweb.owlapi.model.OWLObjectProperty;
import org.semanticweb.owlapi.model.OWLDataSomeValuesFrom;
import org.semanticweb.owlapi.model.OWLDatatypeRestriction;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLFacetRestriction;
import org.semanticweb.owlapi.model.OWLObjectAllValuesFrom;
import org.semanticweb.owlapi.model.OWLObjectComplementOf;
import org.semanticweb.owlapi.model.OWLObjectHasValue;
import org.semanticweb.owlapi.model.OWLObjectIntersectionOf;
import org.semanticweb.owlapi.model.OWLObjectMinCardinality;
import org.semanticweb.owlapi.model.OWLObjectPropertyExpression;
import org.semanticweb.owlapi.model.OWLObjectSomeValuesFrom;
import org.semanticweb.owlapi.model.OWLObjectUnionOf;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.util.BidirectionalShortFormProviderAdapter;
import org.semanticweb.owlapi.util.SimpleShortFormProvider;
import org.semanticweb.owlapi.vocab.OWLFacet;

/**
 * Reads class expressions written by other tools into the learner's AST: Manchester syntax
 * (through the OWL API's parser) or DL syntax as the learner renders it (⊓ ⊔ ¬ ∃ ∀ ≥n ⊤ ⊥,
 * inverse roles r⁻, nominals ∃r.{a}, numeric ranges {@code p ≤ 3500}). Names are short forms
 * (or full IRIs in angle brackets) resolved against an ontology's signature.
 */
public final class ExpressionParser {
    private final OWLOntology ontology;
    private final Map<String, String> names = new HashMap<>();

    public ExpressionParser(OWLOntology ontology) {
        this.ontology = ontology;
        SimpleShortFormProvider shortForms = new SimpleShortFormProvider();
        ontology.signature(Imports.INCLUDED).forEach(
                (OWLEntity e) -> names.putIfAbsent(shortForms.getShortForm(e), e.getIRI().toString()));
    }

    /** Parse {@code text} as Manchester syntax ({@code syntax} "manchester") or DL syntax. */
    public Concept parse(String text, String syntax) {
        if (text == null || text.isBlank()) {
            throw new LearnerException("cannot parse an empty class expression");
        }
        return switch (syntax) {
            case "manchester" -> manchester(text);
            case "dl" -> new DlReader(text).read();
            default -> throw new LearnerException("unknown syntax '" + syntax
                    + "'; expected manchester or dl");
        };
    }

    private Concept manchester(String text) {
        ManchesterOWLSyntaxParserImpl parser = (ManchesterOWLSyntaxParserImpl)
                OWLManager.createManchesterParser();
        parser.setDefaultOntology(ontology);
        parser.setOWLEntityChecker(new Names(new ShortFormEntityChecker(
                new BidirectionalShortFormProviderAdapter(OWLManager.createOWLOntologyManager(),
                        List.of(ontology), new SimpleShortFormProvider()))));
        parser.setStringToParse(text);
        try {
            return fromOwl(parser.parseClassExpression());
        } catch (RuntimeException e) {
            String line = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new LearnerException("cannot parse Manchester expression '" + text + "': " + line);
        }
    }

    /** Convert an OWL API class expression into the learner's AST. */
    public static Concept fromOwl(OWLClassExpression ce) {
        if (ce.isOWLThing()) {
            return Concept.TOP;
        }
        if (ce.isOWLNothing()) {
            return Concept.BOTTOM;
        }
        if (!ce.isAnonymous()) {
            return new Concept.Atomic(ce.asOWLClass().getIRI().toString());
        }
        if (ce instanceof OWLObjectIntersectionOf i) {
            return Concept.and(i.operands().map(ExpressionParser::fromOwl).toList());
        }
        if (ce instanceof OWLObjectUnionOf u) {
            return Concept.or(u.operands().map(ExpressionParser::fromOwl).toList());
        }
        if (ce instanceof OWLObjectComplementOf n) {
            return new Concept.Not(fromOwl(n.getOperand()));
        }
        if (ce instanceof OWLObjectSomeValuesFrom s) {
            return new Concept.Some(role(s.getProperty()), fromOwl(s.getFiller()));
        }
        if (ce instanceof OWLObjectAllValuesFrom a) {
            return new Concept.All(role(a.getProperty()), fromOwl(a.getFiller()));
        }
        if (ce instanceof OWLObjectHasValue h && h.getFiller().isNamed()) {
            return new Concept.HasValue(role(h.getProperty()),
                    h.getFiller().asOWLNamedIndividual().getIRI().toString());
        }
        if (ce instanceof OWLObjectMinCardinality m) {
            return new Concept.MinCard(m.getCardinality(), role(m.getProperty()),
                    fromOwl(m.getFiller()));
        }
        if (ce instanceof OWLDataSomeValuesFrom d && d.getFiller() instanceof OWLDatatypeRestriction r
                && !d.getProperty().isAnonymous()) {
            Double min = null;
            Double max = null;
            for (OWLFacetRestriction f : r.facetRestrictionsAsList()) {
                double v = Double.parseDouble(f.getFacetValue().getLiteral());
                if (f.getFacet() == OWLFacet.MIN_INCLUSIVE || f.getFacet() == OWLFacet.MIN_EXCLUSIVE) {
                    min = v;
                } else if (f.getFacet() == OWLFacet.MAX_INCLUSIVE
                        || f.getFacet() == OWLFacet.MAX_EXCLUSIVE) {
                    max = v;
                }
            }
            if (min != null || max != null) {
                return new Concept.DataRange(
                        d.getProperty().asOWLDataProperty().getIRI().toString(), min, max);
            }
        }
        throw new LearnerException("class expressions of kind " + ce.getClassExpressionType()
                + " are not supported: " + ce);
    }

    private static Concept.Role role(OWLObjectPropertyExpression p) {
        boolean inverse = p.isAnonymous();
        return new Concept.Role(p.getNamedProperty().getIRI().toString(), inverse);
    }

    private String resolve(String name) {
        if (name.startsWith("<") && name.endsWith(">")) {
            return name.substring(1, name.length() - 1);
        }
        String iri = names.get(name);
        if (iri == null) {
            throw new LearnerException("unknown name '" + name + "' in class expression (not in "
                    + "the ontology's signature)");
        }
        return iri;
    }

    /**
     * Resolves Manchester names: the ontology's short forms, full IRIs in angle brackets,
     * Thing / Nothing and the XSD datatypes.
     */
    private static final class Names implements OWLEntityChecker {
        private static final OWLDataFactory DF = OWLManager.getOWLDataFactory();
        private final OWLEntityChecker shortForms;

        Names(OWLEntityChecker shortForms) {
            this.shortForms = shortForms;
        }

        private static IRI full(String name) {
            return name.startsWith("<") && name.endsWith(">")
                    ? IRI.create(name.substring(1, name.length() - 1)) : null;
        }

        @Override
        public OWLClass getOWLClass(String name) {
            if (name.equals("Thing") || name.equals("owl:Thing")) {
                return DF.getOWLThing();
            }
            if (name.equals("Nothing") || name.equals("owl:Nothing")) {
                return DF.getOWLNothing();
            }
            IRI iri = full(name);
            return iri != null ? DF.getOWLClass(iri) : shortForms.getOWLClass(name);
        }

        @Override
        public OWLObjectProperty getOWLObjectProperty(String name) {
            return shortForms.getOWLObjectProperty(name);
        }

        @Override
        public OWLDataProperty getOWLDataProperty(String name) {
            return shortForms.getOWLDataProperty(name);
        }

        @Override
        public OWLNamedIndividual getOWLIndividual(String name) {
            IRI iri = full(name);
            return iri != null ? DF.getOWLNamedIndividual(iri) : shortForms.getOWLIndividual(name);
        }

        @Override
        public OWLDatatype getOWLDatatype(String name) {
            String local = name.startsWith("xsd:") ? name.substring(4) : name;
            if (List.of("double", "float", "decimal", "integer", "int", "long").contains(local)) {
                return DF.getOWLDatatype(IRI.create("http://www.w3.org/2001/XMLSchema#" + local));
            }
            return shortForms.getOWLDatatype(name);
        }

        @Override
        public OWLAnnotationProperty getOWLAnnotationProperty(String name) {
            return shortForms.getOWLAnnotationProperty(name);
        }
    }

    /** Recursive-descent reader of the learner's DL syntax. */
    private final class DlReader {
        private final List<String> tokens = new ArrayList<>();
        private final String text;
        private int at;

        DlReader(String text) {
            this.text = text;
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '<') {
                    int end = text.indexOf('>', i);
                    if (end < 0) {
                        throw error("unclosed '<'");
                    }
                    flush(name);
                    tokens.add(text.substring(i, end + 1));
                    i = end;
                } else if (Character.isWhitespace(ch) || "⊓⊔¬∃∀≥≤().{}⊤⊥⁻".indexOf(ch) >= 0) {
                    if (ch == '.' && name.length() > 0 && Character.isDigit(name.charAt(name.length() - 1))
                            && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
                        name.append(ch);
                        continue;
                    }
                    flush(name);
                    if (!Character.isWhitespace(ch)) {
                        tokens.add(String.valueOf(ch));
                    }
                } else {
                    name.append(ch);
                }
            }
            flush(name);
        }

        private void flush(StringBuilder name) {
            if (name.length() > 0) {
                tokens.add(name.toString());
                name.setLength(0);
            }
        }

        Concept read() {
            Concept c = or();
            if (at < tokens.size()) {
                throw error("unexpected '" + tokens.get(at) + "'");
            }
            return c;
        }

        private Concept or() {
            List<Concept> ops = new ArrayList<>(List.of(and()));
            while (accept("⊔")) {
                ops.add(and());
            }
            return ops.size() == 1 ? ops.get(0) : Concept.or(ops);
        }

        private Concept and() {
            List<Concept> ops = new ArrayList<>(List.of(unary()));
            while (accept("⊓")) {
                ops.add(unary());
            }
            return ops.size() == 1 ? ops.get(0) : Concept.and(ops);
        }

        private Concept unary() {
            String t = next();
            switch (t) {
                case "¬":
                    return new Concept.Not(unary());
                case "⊤":
                    return Concept.TOP;
                case "⊥":
                    return Concept.BOTTOM;
                case "(": {
                    Concept inner = or();
                    expect(")");
                    return inner;
                }
                case "∃": {
                    Concept.Role role = role();
                    expect(".");
                    if (accept("{")) {
                        String individual = resolve(next());
                        expect("}");
                        return new Concept.HasValue(role, individual);
                    }
                    return new Concept.Some(role, unary());
                }
                case "∀": {
                    Concept.Role role = role();
                    expect(".");
                    return new Concept.All(role, unary());
                }
                case "≥": {
                    int n = integer(next());
                    Concept.Role role = role();
                    expect(".");
                    return new Concept.MinCard(n, role, unary());
                }
                default:
                    break;
            }
            if (isNumber(t)) {
                expect("≤");
                String property = resolve(next());
                expect("≤");
                return new Concept.DataRange(property, Double.parseDouble(t),
                        Double.parseDouble(number()));
            }
            if (accept("≤")) {
                return new Concept.DataRange(resolve(t), null, Double.parseDouble(number()));
            }
            if (accept("≥")) {
                return new Concept.DataRange(resolve(t), Double.parseDouble(number()), null);
            }
            return new Concept.Atomic(resolve(t));
        }

        private Concept.Role role() {
            String name = resolve(next());
            return new Concept.Role(name, accept("⁻"));
        }

        private String number() {
            String t = next();
            if (!isNumber(t)) {
                throw error("expected a number, found '" + t + "'");
            }
            return t;
        }

        private boolean isNumber(String t) {
            try {
                Double.parseDouble(t);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        private int integer(String t) {
            try {
                return Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw error("expected a whole number after ≥, found '" + t + "'");
            }
        }

        private String next() {
            if (at >= tokens.size()) {
                throw error("unexpected end");
            }
            return tokens.get(at++);
        }

        private boolean accept(String token) {
            if (at < tokens.size() && tokens.get(at).equals(token)) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!accept(token)) {
                throw error("expected '" + token + "'" + (at < tokens.size()
                        ? " but found '" + tokens.get(at) + "'" : " at the end"));
            }
        }

        private LearnerException error(String what) {
            return new LearnerException("cannot parse DL expression '" + text + "': " + what);
        }
    }
}

package ai.daikiri.learner.kb;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.rdf.NTriplesReader;
import ai.daikiri.learner.rdf.NTriplesReader.Kind;
import ai.daikiri.learner.rdf.NTriplesReader.Term;
import ai.daikiri.learner.rdf.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads an N-Triples ontology document into a knowledge base without the OWL API, when every
 * triple in it is one this reader interprets exactly as {@link KnowledgeBaseLoader}'s OWL API
 * path would; otherwise it changes nothing and says why, and the caller uses the OWL API.
 *
 * <p>Why: initialising the OWL API in a cold JVM costs more than the rest of a learner run on a
 * small graph (bench/RESULTS.md). The learner only uses the named part
 * of a TBox — declarations, subclass and equivalence between named classes, labels and
 * assertions about named individuals — and each of those is one triple.
 *
 * <p>What it accepts: an N-Triples document whose every entity is declared (classes,
 * object, data and annotation properties, datatypes, named individuals) with no punning between
 * kinds and no {@code owl:imports}; class expressions, property axioms and other OWL
 * constructs on blank nodes are read and ignored, as the OWL API path ignores them. Anything
 * else — an undeclared property or class, an unknown vocabulary term, a syntax this reader does
 * not parse — returns the reason and leaves the builder untouched.
 */
final class RdfOntologyReader {

    private static final String RDF = Vocabulary.RDF;
    private static final String RDFS = Vocabulary.RDFS;
    private static final String OWL = Vocabulary.OWL;
    private static final String XSD = Vocabulary.XSD;
    private static final String TYPE = Vocabulary.RDF_TYPE;
    private static final String LABEL = RDFS + "label";

    private static final Set<String> OBJECT_PROPERTY_TYPES = owl("ObjectProperty",
            "TransitiveProperty", "SymmetricProperty", "AsymmetricProperty", "ReflexiveProperty",
            "IrreflexiveProperty", "InverseFunctionalProperty");
    private static final Set<String> BUILT_IN_ANNOTATIONS = Set.of(LABEL, RDFS + "comment",
            RDFS + "seeAlso", RDFS + "isDefinedBy", OWL + "versionInfo", OWL + "deprecated",
            OWL + "priorVersion", OWL + "backwardCompatibleWith", OWL + "incompatibleWith");
    /** Vocabulary predicates of axioms and class expressions the learner does not use. */
    private static final Set<String> IGNORED_AXIOM_PREDICATES = union(
            Set.of(RDF + "first", RDF + "rest", RDFS + "subPropertyOf", RDFS + "domain",
                    RDFS + "range"),
            owl("equivalentProperty", "disjointWith", "inverseOf", "complementOf",
                    "intersectionOf", "unionOf", "oneOf", "onProperty", "onProperties",
                    "someValuesFrom", "allValuesFrom", "hasValue", "hasSelf", "minCardinality",
                    "maxCardinality", "cardinality", "minQualifiedCardinality",
                    "maxQualifiedCardinality", "qualifiedCardinality", "onClass", "onDataRange",
                    "members", "distinctMembers", "propertyChainAxiom", "propertyDisjointWith",
                    "disjointUnionOf", "sameAs", "differentFrom", "hasKey", "onDatatype",
                    "withRestrictions", "datatypeComplementOf", "versionIRI", "annotatedSource",
                    "annotatedProperty", "annotatedTarget", "sourceIndividual",
                    "assertionProperty", "targetIndividual", "targetValue"));

    /** What the document declares, by kind. */
    private final Set<String> classes = new LinkedHashSet<>();
    private final Set<String> objectProperties = new LinkedHashSet<>();
    private final Set<String> dataProperties = new LinkedHashSet<>();
    private final Set<String> annotationProperties = new HashSet<>(BUILT_IN_ANNOTATIONS);
    private final Set<String> datatypes = new HashSet<>();
    private final Set<String> functional = new HashSet<>();
    private final Set<String> ontologies = new HashSet<>();
    /** Individuals: declared, or the subject or object of an assertion. */
    private final Set<String> individuals = new HashSet<>();
    /** IRIs an ignored axiom mentions: each must be a declared entity (else the OWL API would
     * add an entity to the signature that this reader does not know the kind of). */
    private final Set<String> mentioned = new LinkedHashSet<>();
    private final List<Consumer<KnowledgeBase.Builder>> actions = new ArrayList<>();

    /** One triple as the N-Triples reader reports it. */
    private record Triple(Term subject, String predicate, Term object) {
    }

    private RdfOntologyReader() {
    }

    /**
     * Read {@code path} into {@code builder} if it is an N-Triples ontology (a {@code .nt} file)
     * this reader fully interprets: returns null on success, or the reason it did not (builder
     * untouched).
     */
    static String read(Path path, KnowledgeBase.Builder builder) {
        if (!path.getFileName().toString().endsWith(".nt")) {
            return "not an N-Triples (.nt) file";
        }
        List<Triple> triples = new ArrayList<>();
        NTriplesReader.read(path, (s, p, o) -> triples.add(new Triple(s, p, o)));
        if (triples.isEmpty()) {
            return "no triples";
        }
        RdfOntologyReader reader = new RdfOntologyReader();
        String reason = reader.interpret(triples);
        if (reason != null) {
            return reason;
        }
        reader.classes.forEach(builder::declareClass);
        reader.objectProperties.forEach(builder::declareObjectProperty);
        reader.dataProperties.forEach(builder::declareDataProperty);
        reader.actions.forEach(action -> action.accept(builder));
        return null;
    }

    private String interpret(List<Triple> triples) {
        for (Triple t : triples) {
            String reason = declaration(t.subject(), t.predicate(), t.object());
            if (reason != null) {
                return reason;
            }
        }
        String reason = punning();
        if (reason != null) {
            return reason;
        }
        for (Triple t : triples) {
            reason = statement(t.subject(), t.predicate(), t.object());
            if (reason != null) {
                return reason;
            }
        }
        for (String iri : mentioned) {
            if (!declared(iri) && !individuals.contains(iri)) {
                return "<" + iri + "> is used without a declaration";
            }
        }
        return null;
    }

    /** First pass: the entity declarations ({@code x rdf:type owl:Class} and the like). */
    private String declaration(Term s, String p, Term o) {
        if (!TYPE.equals(p) || s.kind() != Kind.IRI || o.kind() != Kind.IRI
                || !Vocabulary.contains(o.value()) || Vocabulary.contains(s.value())) {
            return null;
        }
        String x = s.value();
        String type = o.value();
        if ((OWL + "Class").equals(type)) {
            classes.add(x);
        } else if (OBJECT_PROPERTY_TYPES.contains(type)) {
            objectProperties.add(x);
        } else if ((OWL + "DatatypeProperty").equals(type)) {
            dataProperties.add(x);
        } else if ((OWL + "AnnotationProperty").equals(type)) {
            annotationProperties.add(x);
        } else if ((RDFS + "Datatype").equals(type)) {
            datatypes.add(x);
        } else if ((OWL + "NamedIndividual").equals(type) || (OWL + "Thing").equals(type)) {
            individuals.add(x);
            actions.add(b -> b.individual(x));
        } else if ((OWL + "Ontology").equals(type)) {
            ontologies.add(x);
        } else if ((OWL + "FunctionalProperty").equals(type)) {
            functional.add(x);
        } else {
            return "<" + x + "> has type <" + type + ">, which this reader does not interpret";
        }
        return null;
    }

    /** One entity may be one kind only: the OWL API path reads punned entities its own way. */
    private String punning() {
        List<Set<String>> kinds = List.of(classes, objectProperties, dataProperties,
                annotationProperties, datatypes);
        Set<String> seen = new HashSet<>();
        for (Set<String> kind : kinds) {
            for (String iri : kind) {
                if (!seen.add(iri)) {
                    return "<" + iri + "> is declared as two kinds of entity";
                }
            }
        }
        for (String iri : functional) {
            if (!objectProperties.contains(iri) && !dataProperties.contains(iri)) {
                return "<" + iri + "> is functional but neither an object nor a data property";
            }
        }
        return null;
    }

    /** Second pass: what each triple means for the knowledge base, or why it is not read. */
    private String statement(Term s, String p, Term o) {
        if (s.kind() == Kind.IRI && ontologies.contains(s.value())) {
            // the ontology header and its annotations
            return (OWL + "imports").equals(p) ? "the ontology imports <" + o.value() + ">" : null;
        }
        if (vocabulary(s)) {
            // "owl:Thing a owl:Class" is harmless; a label or axiom on it the OWL API keeps
            return TYPE.equals(p) ? null : "a statement about vocabulary term <" + s.value() + ">";
        }
        if ((OWL + "imports").equals(p)) {
            return "owl:imports on a node that is not an ontology";
        }
        if (TYPE.equals(p)) {
            return type(s, o);
        }
        if (annotationProperties.contains(p)) {
            if (LABEL.equals(p) && s.kind() == Kind.IRI && o.kind() == Kind.LITERAL) {
                actions.add(b -> b.label(s.value(), o.value()));
            }
            return null;
        }
        if (objectProperties.contains(p)) {
            return objectAssertion(s, p, o);
        }
        if (dataProperties.contains(p)) {
            return dataAssertion(s, p, o);
        }
        if (!Vocabulary.contains(p)) {
            return "property <" + p + "> is not declared";
        }
        if ((OWL + "equivalentClass").equals(p) && vocabulary(o)) {
            // the OWL API path would add owl:Thing / owl:Nothing as a class of the graph
            return "a class is equivalent to a vocabulary term (" + o.value() + ")";
        }
        if ((RDFS + "subClassOf").equals(p) || (OWL + "equivalentClass").equals(p)) {
            mention(s);
            mention(o);
            if (namedClass(s) && namedClass(o)) {
                String sub = s.value();
                String sup = o.value();
                actions.add(b -> b.subClassOf(sub, sup));
                if ((OWL + "equivalentClass").equals(p)) {
                    actions.add(b -> b.subClassOf(sup, sub));
                }
            }
            return null;
        }
        if (IGNORED_AXIOM_PREDICATES.contains(p) || p.startsWith(XSD)) {
            mention(s);
            mention(o);
            return null;
        }
        return "vocabulary term <" + p + "> is not one this reader interprets";
    }

    private String type(Term s, Term o) {
        if (o.kind() != Kind.IRI) {
            return o.kind() == Kind.LITERAL ? "rdf:type with a literal value" : null;
        }
        String cls = o.value();
        if (Vocabulary.contains(cls)) {
            return null; // a declaration (first pass) or the type of a blank-node construct
        }
        if (!classes.contains(cls)) {
            return "<" + cls + "> is used as a class without a declaration";
        }
        if (s.kind() == Kind.IRI) {
            String individual = s.value();
            individuals.add(individual);
            actions.add(b -> b.classAssertion(cls, individual));
        }
        return null;
    }

    private String objectAssertion(Term s, String p, Term o) {
        if (o.kind() == Kind.LITERAL) {
            return "object property <" + p + "> with a literal value";
        }
        if (s.kind() != Kind.IRI) {
            return null; // an anonymous individual: not part of the learner's graph
        }
        String subject = s.value();
        individuals.add(subject);
        if (o.kind() == Kind.IRI) {
            String object = o.value();
            individuals.add(object);
            actions.add(b -> b.objectAssertion(p, subject, object));
        } else {
            actions.add(b -> b.individual(subject));
        }
        return null;
    }

    private String dataAssertion(Term s, String p, Term o) {
        if (o.kind() != Kind.LITERAL) {
            return "data property <" + p + "> with a non-literal value";
        }
        if (s.kind() != Kind.IRI) {
            return null;
        }
        String subject = s.value();
        individuals.add(subject);
        Double value = o.number();
        actions.add(value == null ? b -> b.individual(subject)
                : b -> b.dataAssertion(p, subject, value));
        return null;
    }

    private void mention(Term t) {
        if (t.kind() == Kind.IRI && !Vocabulary.contains(t.value())) {
            mentioned.add(t.value());
        }
    }

    private boolean namedClass(Term t) {
        return t.kind() == Kind.IRI && classes.contains(t.value());
    }

    private boolean declared(String iri) {
        return classes.contains(iri) || objectProperties.contains(iri)
                || dataProperties.contains(iri) || annotationProperties.contains(iri)
                || datatypes.contains(iri) || ontologies.contains(iri);
    }

    private static boolean vocabulary(Term t) {
        return t.kind() == Kind.IRI && Vocabulary.contains(t.value());
    }

    private static Set<String> owl(String... names) {
        Set<String> out = new HashSet<>();
        for (String name : names) {
            out.add(OWL + name);
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}

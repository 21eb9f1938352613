package ai.daikiri.learner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.jena.datatypes.RDFDatatype;
import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.StreamRDFBase;
import org.apache.jena.vocabulary.OWL2;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.OBODocumentFormat;
import org.semanticweb.owlapi.io.OWLParserFactory;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLAnnotationAssertionAxiom;
import org.semanticweb.owlapi.model.OWLClass;
import org.semanticweb.owlapi.model.OWLClassAssertionAxiom;
import org.semanticweb.owlapi.model.OWLClassExpression;
import org.semanticweb.owlapi.model.OWLDataPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLEquivalentClassesAxiom;
import org.semanticweb.owlapi.model.OWLLiteral;
import org.semanticweb.owlapi.model.OWLObjectPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.OWLSubClassOfAxiom;
import org.semanticweb.owlapi.model.parameters.Imports;

/**
 * Loads a knowledge base: the TBox file (any format the OWL API reads, possibly with an ABox in
 * it) through the OWL API, and ABox files through Jena RIOT as a stream of triples, so a large
 * N-Triples ABox never becomes OWL API objects.
 */
public final class KnowledgeBaseLoader {

    private static final Set<String> SKIPPED_NAMESPACES = Set.of(RDF.getURI(), RDFS.getURI(),
            OWL2.getURI(), "http://www.w3.org/2001/XMLSchema#");

    private KnowledgeBaseLoader() {
    }

    /** Load the TBox (and any ABox in it) and stream each ABox file into one knowledge base. */
    public static KnowledgeBase load(Path tbox, List<Path> aboxes) {
        KnowledgeBase.Builder builder = new KnowledgeBase.Builder();
        readOntology(tbox, builder);
        for (Path abox : aboxes) {
            streamTriples(abox, builder);
        }
        return builder.build();
    }

    /** Load an ontology document with the OWL API, failing with a one-line reason. */
    public static OWLOntology loadOntology(Path path) {
        requireReadable(path, "--tbox");
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        if (!path.toString().endsWith(".obo")) {
            // The OBO parser accepts almost any text as an (empty) ontology: only for .obo.
            List<OWLParserFactory> obo = new java.util.ArrayList<>();
            for (OWLParserFactory factory : manager.getOntologyParsers()) {
                if (factory.getSupportedFormat().createFormat() instanceof OBODocumentFormat) {
                    obo.add(factory);
                }
            }
            obo.forEach(manager.getOntologyParsers()::remove);
        }
        try {
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(
                    new File(path.toString()));
            if (ontology.getAxiomCount() == 0) {
                // Some OWL API parsers accept broken input as an empty ontology: never silent.
                throw new LearnerException("ontology '" + path + "' holds no axioms: its syntax "
                        + "was not recognised or it is empty");
            }
            return ontology;
        } catch (OWLOntologyCreationException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new LearnerException("cannot read ontology '" + path + "': "
                    + e.getClass().getSimpleName() + " " + trim(reason));
        }
    }

    static void readOntology(Path path, KnowledgeBase.Builder builder) {
        OWLOntology ontology = loadOntology(path);
        ontology.classesInSignature(Imports.INCLUDED).forEach(c -> {
            if (!c.isOWLThing() && !c.isOWLNothing()) {
                builder.declareClass(iri(c));
            }
        });
        ontology.objectPropertiesInSignature(Imports.INCLUDED)
                .filter(p -> !p.isOWLTopObjectProperty() && !p.isOWLBottomObjectProperty())
                .forEach(p -> builder.declareObjectProperty(p.getIRI().toString()));
        ontology.dataPropertiesInSignature(Imports.INCLUDED)
                .filter(p -> !p.isOWLTopDataProperty() && !p.isOWLBottomDataProperty())
                .forEach(p -> builder.declareDataProperty(p.getIRI().toString()));
        for (OWLSubClassOfAxiom ax : ontology.getAxioms(AxiomType.SUBCLASS_OF, Imports.INCLUDED)) {
            if (named(ax.getSubClass()) && named(ax.getSuperClass())) {
                builder.subClassOf(iri(ax.getSubClass().asOWLClass()),
                        iri(ax.getSuperClass().asOWLClass()));
            }
        }
        for (OWLEquivalentClassesAxiom ax
                : ontology.getAxioms(AxiomType.EQUIVALENT_CLASSES, Imports.INCLUDED)) {
            List<OWLClass> named = ax.namedClasses().toList();
            for (OWLClass a : named) {
                for (OWLClass b : named) {
                    builder.subClassOf(iri(a), iri(b));
                }
            }
        }
        for (OWLAnnotationAssertionAxiom ax
                : ontology.getAxioms(AxiomType.ANNOTATION_ASSERTION, Imports.INCLUDED)) {
            if (ax.getProperty().isLabel() && ax.getSubject().isIRI()
                    && ax.getValue().asLiteral().isPresent()) {
                builder.label(ax.getSubject().toString(), ax.getValue().asLiteral().get().getLiteral());
            }
        }
        for (OWLClassAssertionAxiom ax
                : ontology.getAxioms(AxiomType.CLASS_ASSERTION, Imports.INCLUDED)) {
            if (named(ax.getClassExpression()) && ax.getIndividual().isNamed()
                    && !ax.getClassExpression().isOWLThing()) {
                builder.classAssertion(iri(ax.getClassExpression().asOWLClass()),
                        ax.getIndividual().asOWLNamedIndividual().getIRI().toString());
            }
        }
        ontology.individualsInSignature(Imports.INCLUDED)
                .forEach(i -> builder.individual(i.getIRI().toString()));
        for (OWLObjectPropertyAssertionAxiom ax
                : ontology.getAxioms(AxiomType.OBJECT_PROPERTY_ASSERTION, Imports.INCLUDED)) {
            if (ax.getSubject().isNamed() && ax.getObject().isNamed()
                    && !ax.getProperty().isAnonymous()) {
                builder.objectAssertion(ax.getProperty().asOWLObjectProperty().getIRI().toString(),
                        ax.getSubject().asOWLNamedIndividual().getIRI().toString(),
                        ax.getObject().asOWLNamedIndividual().getIRI().toString());
            }
        }
        for (OWLDataPropertyAssertionAxiom ax
                : ontology.getAxioms(AxiomType.DATA_PROPERTY_ASSERTION, Imports.INCLUDED)) {
            Double value = number(ax.getObject());
            if (value != null && ax.getSubject().isNamed()) {
                builder.dataAssertion(ax.getProperty().asOWLDataProperty().getIRI().toString(),
                        ax.getSubject().asOWLNamedIndividual().getIRI().toString(), value);
            }
        }
    }

    /** Stream an RDF file (N-Triples, Turtle, RDF/XML, ...) of ABox triples into the builder. */
    static void streamTriples(Path path, KnowledgeBase.Builder builder) {
        requireReadable(path, "--abox");
        Lang lang = RDFLanguages.filenameToLang(path.toString(), Lang.NTRIPLES);
        final long[] count = {0};
        try {
            RDFParser.source(path).lang(lang).parse(new StreamRDFBase() {
                @Override
                public void triple(Triple t) {
                    count[0]++;
                    addTriple(t, builder);
                }
            });
        } catch (RiotException e) {
            throw new LearnerException("cannot read ABox '" + path + "' as " + lang.getLabel()
                    + ": " + trim(String.valueOf(e.getMessage())));
        }
        Log.info("read %,d triples from %s", count[0], path);
    }

    private static void addTriple(Triple t, KnowledgeBase.Builder builder) {
        Node s = t.getSubject();
        Node p = t.getPredicate();
        Node o = t.getObject();
        if (!s.isURI()) {
            return;
        }
        String predicate = p.getURI();
        if (RDF.type.getURI().equals(predicate)) {
            if (!o.isURI()) {
                return;
            }
            String cls = o.getURI();
            if (OWL2.NamedIndividual.getURI().equals(cls)) {
                builder.individual(s.getURI());
            } else if (!skipped(cls)) {
                builder.classAssertion(cls, s.getURI());
            }
            return;
        }
        if (skipped(predicate)) {
            return;
        }
        if (o.isLiteral()) {
            Double value = number(o.getLiteralDatatype(), o.getLiteralLexicalForm());
            if (value != null && !builder.isObjectProperty(predicate)) {
                builder.dataAssertion(predicate, s.getURI(), value);
            }
        } else if (o.isURI() && !builder.isDataProperty(predicate)) {
            builder.objectAssertion(predicate, s.getURI(), o.getURI());
        }
    }

    private static boolean skipped(String iri) {
        for (String ns : SKIPPED_NAMESPACES) {
            if (iri.startsWith(ns)) {
                return true;
            }
        }
        return false;
    }

    private static Double number(RDFDatatype type, String lexical) {
        if (type == null || !(type instanceof XSDDatatype xsd)) {
            return null;
        }
        Class<?> java = xsd.getJavaClass();
        boolean numeric = java != null && Number.class.isAssignableFrom(java)
                || XSDDatatype.XSDdecimal.equals(xsd) || XSDDatatype.XSDinteger.equals(xsd);
        if (!numeric) {
            return null;
        }
        try {
            return Double.parseDouble(lexical.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double number(OWLLiteral literal) {
        if (literal.isDouble() || literal.isFloat() || literal.isInteger()
                || literal.getDatatype().getIRI().toString().endsWith("#decimal")) {
            try {
                return Double.parseDouble(literal.getLiteral().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean named(OWLClassExpression ce) {
        return !ce.isAnonymous() && !ce.isOWLThing() && !ce.isOWLNothing();
    }

    private static String iri(OWLClass c) {
        return c.getIRI().toString();
    }

    static void requireReadable(Path path, String option) {
        if (!Files.exists(path)) {
            throw new LearnerException(option + " file '" + path + "' does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new LearnerException(option + " file '" + path + "' is not a readable file");
        }
    }

    private static String trim(String message) {
        String line = message.replace('\n', ' ').replace('\r', ' ').trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

package ai.daikiri.learner;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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
 * it) and ABox files as a stream of triples (N-Triples by {@link NTriplesReader}, other RDF
 * formats by Jena RIOT), so a large ABox never becomes OWL API objects.
 *
 * <p>An RDF/XML TBox that {@link RdfOntologyReader} fully interprets (the platform's own TBox
 * files) is read without the OWL API, whose initialisation is most of a small run; any other
 * TBox — or {@link TBoxReader#OWL_API} — goes through the OWL API. Both give the same
 * knowledge base ({@link KnowledgeBase#fingerprint()}).
 */
public final class KnowledgeBaseLoader {

    /** Which reader may read the TBox. */
    public enum TBoxReader {
        /** The built-in RDF/XML reader when it fully interprets the file, else the OWL API. */
        AUTO,
        /** Always the OWL API. */
        OWL_API;

        /** Parse a {@code --tbox-reader} value: {@code auto} or {@code owlapi}. */
        static TBoxReader parse(String value) {
            return switch (value) {
                case "auto" -> AUTO;
                case "owlapi" -> OWL_API;
                default -> throw new LearnerException("--tbox-reader must be auto or owlapi, not '"
                        + value + "'");
            };
        }
    }

    static final String BUILT_IN_READER = "rdf/xml";
    static final String OWL_API_READER = "owl api";

    private static final String XSD = Vocabulary.XSD;
    private static final String OWL_NAMED_INDIVIDUAL = Vocabulary.OWL + "NamedIndividual";
    /** XSD datatypes whose values are numbers (decimal, double, float and the integers). */
    private static final Set<String> NUMERIC_TYPES = Set.of("decimal", "double", "float",
            "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
            "unsignedShort", "unsignedByte");

    private KnowledgeBaseLoader() {
    }

    /** Load the TBox (and any ABox in it) and stream each ABox file into one knowledge base. */
    public static KnowledgeBase load(Path tbox, List<Path> aboxes) {
        return load(tbox, aboxes, TBoxReader.AUTO);
    }

    /** {@link #load(Path, List)} with a choice of TBox reader. */
    public static KnowledgeBase load(Path tbox, List<Path> aboxes, TBoxReader reader) {
        KnowledgeBase.Builder builder = new KnowledgeBase.Builder();
        builder.tboxReader(readTBox(tbox, builder, reader));
        for (Path abox : aboxes) {
            streamTriples(abox, builder);
        }
        return builder.build();
    }

    /** Read the TBox into the builder; returns the name of the reader that read it. */
    static String readTBox(Path tbox, KnowledgeBase.Builder builder, TBoxReader reader) {
        requireReadable(tbox, "--tbox");
        if (reader == TBoxReader.AUTO) {
            String notRead = RdfOntologyReader.read(tbox, builder);
            if (notRead == null) {
                Log.info("read TBox %s with the built-in RDF/XML reader", tbox);
                return BUILT_IN_READER;
            }
            Log.info("reading TBox %s through the OWL API (the built-in RDF/XML reader does "
                    + "not: %s)", tbox, trim(notRead));
        }
        readOntology(tbox, builder);
        return OWL_API_READER;
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

    /**
     * Stream an RDF file of ABox triples into the builder: N-Triples (the platform's ABox
     * parts) through {@link NTriplesReader}, any other format (Turtle, RDF/XML, ...) through
     * Jena RIOT.
     */
    static void streamTriples(Path path, KnowledgeBase.Builder builder) {
        requireReadable(path, "--abox");
        IllTypedLiterals illTyped = new IllTypedLiterals();
        NTriplesReader.Sink sink = (s, p, o) -> {
            if (!illTyped.skipped(p, o)) {
                addTriple(s, p, o, builder);
            }
        };
        // A ".nt" file never touches Jena (initialising it costs more than reading a small ABox);
        // its reader fails on an ill-typed number, naming the line
        long count = path.toString().endsWith(".nt") ? NTriplesReader.read(path, sink)
                : RdfTripleReader.read(path, sink);
        Log.info("read %,d triples from %s", count, path);
        if (illTyped.count > 0) {
            Log.info("warning: skipped %,d literal(s) of a numeric datatype that are not numbers "
                    + "in %s, e.g. %s", illTyped.count, path, illTyped.first);
        }
    }

    /** Counts literals of a numeric datatype that hold no number (in formats read by Jena,
     *  which passes them on): they are skipped and reported, never silently lost. */
    private static final class IllTypedLiterals {
        private long count;
        private String first;

        boolean skipped(String predicate, NTriplesReader.Term o) {
            if (o.kind() != NTriplesReader.Kind.LITERAL || !isNumericDatatype(o.datatype())
                    || number(o.datatype(), o.value()) != null) {
                return false;
            }
            if (count++ == 0) {
                first = "\"" + o.value() + "\"^^<" + o.datatype() + "> of <" + predicate + ">";
            }
            return true;
        }
    }

    private static void addTriple(NTriplesReader.Term s, String predicate, NTriplesReader.Term o,
            KnowledgeBase.Builder builder) {
        if (s.kind() != NTriplesReader.Kind.IRI) {
            return;
        }
        String subject = s.value();
        if (Vocabulary.RDF_TYPE.equals(predicate)) {
            if (o.kind() != NTriplesReader.Kind.IRI) {
                return;
            }
            String cls = o.value();
            if (OWL_NAMED_INDIVIDUAL.equals(cls)) {
                builder.individual(subject);
            } else if (!Vocabulary.contains(cls)) {
                builder.classAssertion(cls, subject);
            }
            return;
        }
        if (Vocabulary.contains(predicate)) {
            return;
        }
        if (o.kind() == NTriplesReader.Kind.LITERAL) {
            Double value = number(o.datatype(), o.value());
            if (value != null && !builder.isObjectProperty(predicate)) {
                builder.dataAssertion(predicate, subject, value);
            }
        } else if (o.kind() == NTriplesReader.Kind.IRI && !builder.isDataProperty(predicate)) {
            builder.objectAssertion(predicate, subject, o.value());
        }
    }

    /** Whether a datatype IRI is one of XSD's numeric datatypes. */
    static boolean isNumericDatatype(String datatype) {
        return datatype != null && datatype.startsWith(XSD)
                && NUMERIC_TYPES.contains(datatype.substring(XSD.length()));
    }

    /** The value of a literal of an XSD numeric datatype; null for any other literal, and for
     *  an ill-typed one ({@code "abc"^^xsd:double}), which {@link #streamTriples} counts. */
    static Double number(String datatype, String lexical) {
        if (!isNumericDatatype(datatype)) {
            return null;
        }
        try {
            return Double.parseDouble(lexical.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double number(OWLLiteral literal) {
        return number(literal.getDatatype().getIRI().toString(), literal.getLiteral());
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

    static String trim(String message) {
        String line = message.replace('\n', ' ').replace('\r', ' ').trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

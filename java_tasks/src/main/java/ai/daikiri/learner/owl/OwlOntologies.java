package ai.daikiri.learner.owl;

import ai.daikiri.learner.Inputs;
import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.rdf.Vocabulary;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * The learner's adapter to the OWL API: ontology documents in any syntax the OWL API reads,
 * loaded and turned into the learner's own knowledge base. This package is the only one that
 * imports the OWL API, so a run that never calls it never starts the OWL API.
 */
public final class OwlOntologies {

    private OwlOntologies() {
    }

    /** Load an ontology document with the OWL API, failing with a one-line reason. */
    public static OWLOntology load(Path path) {
        Inputs.requireReadable(path, "--tbox");
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        if (!path.toString().endsWith(".obo")) {
            // The OBO parser accepts almost any text as an (empty) ontology: only for .obo.
            List<OWLParserFactory> obo = new ArrayList<>();
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
                    + e.getClass().getSimpleName() + " " + Inputs.oneLine(reason));
        }
    }

    /** Read the ontology document at {@code path} into {@code builder}: declarations, the
     *  named class hierarchy, labels and assertions about named individuals. */
    public static void read(Path path, KnowledgeBase.Builder builder) {
        OWLOntology ontology = load(path);
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

    private static Double number(OWLLiteral literal) {
        return Vocabulary.number(literal.getDatatype().getIRI().toString(), literal.getLiteral());
    }

    private static boolean named(OWLClassExpression ce) {
        return !ce.isAnonymous() && !ce.isOWLThing() && !ce.isOWLNothing();
    }

    private static String iri(OWLClass c) {
        return c.getIRI().toString();
    }

    /** What {@code validate} reports of a TBox: its axioms and its OWL 2 DL profile check. */
    public record Profile(int axioms, boolean owl2Dl, List<String> violations) {
        public Profile {
            violations = List.copyOf(violations);
        }
    }

    /** Load {@code path} and check it against the OWL 2 DL profile (at most 50 violations). */
    public static Profile profile(Path path) {
        OWLOntology ontology = load(path);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        return new Profile(ontology.getAxiomCount(Imports.INCLUDED), report.isInProfile(),
                report.getViolations().stream().limit(50).map(OWLProfileViolation::toString)
                        .toList());
    }

    /** Read a class expression in Manchester or DL syntax against the TBox at {@code tbox}. */
    public static Concept parseExpression(Path tbox, String text, String syntax) {
        return new ExpressionParser(load(tbox)).parse(text, syntax);
    }
}

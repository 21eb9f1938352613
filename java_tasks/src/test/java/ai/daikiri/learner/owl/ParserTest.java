package ai.daikiri.learner.owl;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.concept.Renderer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLDataFactory;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.model.OWLOntologyManager;

class ParserTest {
    private static final String NS = "http://example.org/f#";

    private static OWLOntology ontology() throws OWLOntologyCreationException {
        OWLOntologyManager m = OWLManager.createOWLOntologyManager();
        OWLDataFactory df = m.getOWLDataFactory();
        OWLOntology o = m.createOntology(IRI.create("http://example.org/f"));
        for (String c : List.of("Male", "Female")) {
            m.addAxiom(o, df.getOWLDeclarationAxiom(df.getOWLClass(IRI.create(NS + c))));
        }
        m.addAxiom(o, df.getOWLDeclarationAxiom(df.getOWLObjectProperty(IRI.create(NS + "hasChild"))));
        m.addAxiom(o, df.getOWLDeclarationAxiom(df.getOWLDataProperty(IRI.create(NS + "power"))));
        m.addAxiom(o, df.getOWLDeclarationAxiom(df.getOWLNamedIndividual(IRI.create(NS + "ann"))));
        return o;
    }

    private final Concept.Role hasChild = new Concept.Role(NS + "hasChild", false);
    private final Concept male = new Concept.Atomic(NS + "Male");

    @Test
    void manchesterIsReadThroughTheOwlApi() throws Exception {
        ExpressionParser parser = new ExpressionParser(ontology());
        assertEquals(Concept.and(male, new Concept.Some(hasChild, Concept.TOP)),
                parser.parse("Male and hasChild some Thing", "manchester"));
        assertEquals(new Concept.DataRange(NS + "power", null, 3500.0),
                parser.parse("power some xsd:double[<= \"3500.0\"^^xsd:double]", "manchester"));
    }

    /** Every kind of expression the learner builds, nested and combined. */
    private List<Concept> shapes() {
        Concept.Role parent = new Concept.Role(NS + "hasChild", true);
        return List.of(
                Concept.and(male, new Concept.Some(hasChild, Concept.TOP)),
                Concept.or(new Concept.DataRange(NS + "power", null, 3500.0),
                        new Concept.DataRange(NS + "power", 9000.5, null)),
                new Concept.DataRange(NS + "power", 1.25, 2.0),
                new Concept.DataRange(NS + "power", -1e-7, 6.02e23),
                new Concept.Not(new Concept.Some(parent, new Concept.Not(male))),
                new Concept.All(hasChild, Concept.BOTTOM),
                new Concept.HasValue(hasChild, NS + "ann"),
                new Concept.HasValue(parent, NS + "ann"),
                new Concept.MinCard(2, hasChild, Concept.or(male, new Concept.Atomic(NS + "Female"))),
                new Concept.MinCard(3, parent, Concept.TOP),
                Concept.or(Concept.and(male, new Concept.DataRange(NS + "power", -2.5, null)),
                        new Concept.Some(hasChild, new Concept.Some(hasChild, Concept.TOP))),
                Concept.and(new Concept.Not(Concept.or(male, new Concept.Atomic(NS + "Female"))),
                        new Concept.All(parent, Concept.and(male,
                                new Concept.MinCard(2, hasChild, new Concept.Not(male))))));
    }

    @Test
    void everyRenderingParsesBack() throws Exception {
        ExpressionParser parser = new ExpressionParser(ontology());
        Renderer renderer = new Renderer();
        for (Concept c : shapes()) {
            String dl = renderer.dl(c);
            assertEquals(c, parser.parse(dl, "dl"), dl);
            String manchester = renderer.manchester(c);
            assertEquals(c, parser.parse(manchester, "manchester"), manchester);
        }
    }

    @Test
    void manchesterIsWrittenAsProtegeReadsIt() {
        Renderer renderer = new Renderer();
        List<String> expected = List.of(
                "Male and (hasChild some Thing)",
                "(power some xsd:double[<= \"3500\"^^xsd:double]) or "
                        + "(power some xsd:double[>= \"9000.5\"^^xsd:double])",
                "power some xsd:double[>= \"1.25\"^^xsd:double, <= \"2\"^^xsd:double]",
                "power some xsd:double[>= \"-1.0E-7\"^^xsd:double, <= \"6.02E23\"^^xsd:double]",
                "not (inverse hasChild some (not Male))",
                "hasChild only Nothing",
                "hasChild value ann",
                "inverse hasChild value ann",
                "hasChild min 2 (Female or Male)",
                "inverse hasChild min 3 Thing");
        List<Concept> shapes = shapes();
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), renderer.manchester(shapes.get(i)));
        }
    }

    @Test
    void errorsSayWhatIsWrong() throws Exception {
        ExpressionParser parser = new ExpressionParser(ontology());
        LearnerException unknown = assertThrows(LearnerException.class,
                () -> parser.parse("Male ⊓ Robot", "dl"));
        assertTrue(unknown.getMessage().contains("unknown name 'Robot'"));
        LearnerException open = assertThrows(LearnerException.class,
                () -> parser.parse("(Male ⊓ Female", "dl"));
        assertTrue(open.getMessage().contains("expected ')'"));
        assertThrows(LearnerException.class, () -> parser.parse("Male andd Female", "manchester"));
        assertThrows(LearnerException.class, () -> parser.parse("Male", "turtle"));
    }
}

package ai.daikiri.learner.kb;

import ai.daikiri.learner.rdf.TripleText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.daikiri.learner.kb.KnowledgeBaseLoader.TBoxReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ai.daikiri.learner.owl.OwlOntologies;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;

/** The built-in N-Triples TBox reader reads what the OWL API reads, or leaves the file to it. */
class RdfOntologyReaderTest {
    private static final String T = "http://example.org/t#";

    /** TBox and ABox in one RDF/XML file, with the OWL constructs the learner ignores. */
    private static final String ONTOLOGY = """
            <?xml version="1.0"?>
            <!DOCTYPE rdf:RDF [ <!ENTITY xsd "http://www.w3.org/2001/XMLSchema#"> ]>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
                xmlns:owl="http://www.w3.org/2002/07/owl#"
                xmlns:t="http://example.org/t#" xml:base="http://example.org/t">
              <owl:Ontology rdf:about=""><rdfs:label>not an entity's label</rdfs:label>
                <owl:versionIRI rdf:resource="http://example.org/t/1"/></owl:Ontology>
              <owl:AnnotationProperty rdf:about="#priority"/>
              <owl:Class rdf:about="#Person"><rdfs:label xml:lang="en">person</rdfs:label>
                <t:priority rdf:datatype="&xsd;integer">3</t:priority></owl:Class>
              <owl:Class rdf:about="#Human"><owl:equivalentClass rdf:resource="#Person"/>
              </owl:Class>
              <owl:Class rdf:about="#Male"><rdfs:subClassOf rdf:resource="#Person"/>
                <rdfs:subClassOf><owl:Restriction>
                  <owl:onProperty rdf:resource="#hasChild"/>
                  <owl:allValuesFrom rdf:resource="#Person"/></owl:Restriction></rdfs:subClassOf>
              </owl:Class>
              <owl:Class rdf:about="#Female"><rdfs:subClassOf rdf:resource="#Person"/></owl:Class>
              <owl:Class rdf:about="#Parent"><owl:equivalentClass><owl:Restriction>
                <owl:onProperty rdf:resource="#hasChild"/>
                <owl:someValuesFrom rdf:resource="http://www.w3.org/2002/07/owl#Thing"/>
              </owl:Restriction></owl:equivalentClass></owl:Class>
              <owl:Class rdf:about="#ChildOfDad"><owl:equivalentClass><owl:Restriction>
                <owl:onProperty rdf:resource="#hasParent"/><owl:hasValue rdf:resource="#dad"/>
              </owl:Restriction></owl:equivalentClass></owl:Class>
              <owl:AllDisjointClasses><owl:members rdf:parseType="Collection">
                <rdf:Description rdf:about="#Male"/><rdf:Description rdf:about="#Female"/>
              </owl:members></owl:AllDisjointClasses>
              <owl:ObjectProperty rdf:about="#hasChild">
                <rdf:type rdf:resource="http://www.w3.org/2002/07/owl#IrreflexiveProperty"/>
                <owl:inverseOf rdf:resource="#hasParent"/>
                <rdfs:domain rdf:resource="#Person"/><rdfs:range rdf:resource="#Person"/>
              </owl:ObjectProperty>
              <owl:ObjectProperty rdf:about="#hasParent"/>
              <owl:DatatypeProperty rdf:about="#age">
                <rdf:type rdf:resource="http://www.w3.org/2002/07/owl#FunctionalProperty"/>
                <rdfs:range rdf:resource="&xsd;double"/></owl:DatatypeProperty>
              <owl:DatatypeProperty rdf:about="#nickname"/>
              <owl:NamedIndividual rdf:about="#dad">
                <rdf:type rdf:resource="#Male"/><t:age rdf:datatype="&xsd;double">50.5</t:age>
                <t:hasChild rdf:resource="#girl"/><t:hasChild rdf:resource="#son"/>
                <rdfs:label>Dad</rdfs:label><rdfs:label>Daddy</rdfs:label>
              </owl:NamedIndividual>
              <t:Female rdf:about="#girl"><t:age rdf:datatype="&xsd;integer">17</t:age>
                <t:age>seventeen</t:age></t:Female>
              <rdf:Description rdf:about="#son"><t:nickname>Junior</t:nickname>
                <rdf:type><owl:Restriction><owl:onProperty rdf:resource="#hasParent"/>
                  <owl:someValuesFrom rdf:resource="#Male"/></owl:Restriction></rdf:type>
              </rdf:Description>
              <owl:Thing rdf:about="#stranger"/>
              <owl:NamedIndividual rdf:about="#loner"/>
              <rdf:Description><t:hasChild rdf:resource="#girl"/></rdf:Description>
            </rdf:RDF>
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return TripleText.write(dir, name, text);
    }

    /** The same graph as N-Triples ({@code X.owl} -> {@code X.nt}), written by Jena. */
    private static Path nTriples(Path rdf) throws Exception {
        Model model = ModelFactory.createDefaultModel();
        RDFDataMgr.read(model, rdf.toUri().toString(), Lang.RDFXML);
        Path nt = rdf.resolveSibling(rdf.getFileName().toString().replaceAll("\\.\\w+$", "")
                + ".nt");
        try (OutputStream out = Files.newOutputStream(nt)) {
            RDFDataMgr.write(out, model, Lang.NTRIPLES);
        }
        return nt;
    }

    private static KnowledgeBase load(Path tbox, TBoxReader reader) {
        return KnowledgeBaseLoader.load(tbox, List.of(), reader);
    }

    @Test
    void readsTheSameKnowledgeBaseAsTheOwlApi() throws Exception {
        Path tbox = nTriples(write("ontology.owl", ONTOLOGY));
        KnowledgeBase ours = load(tbox, TBoxReader.AUTO);
        KnowledgeBase owlApi = load(tbox, TBoxReader.OWL_API);
        assertEquals(KnowledgeBaseLoader.BUILT_IN_READER, ours.tboxReader());
        assertEquals(KnowledgeBaseLoader.OWL_API_READER, owlApi.tboxReader());
        assertEquals(owlApi.fingerprint(), ours.fingerprint());
        // and what both read is what the file says
        assertEquals(5, ours.size()); // dad, girl, son, stranger, loner (not the blank node)
        assertTrue(ours.subClassesOf(T + "Person").containsAll(List.of(T + "Male", T + "Female",
                T + "Human")));
        assertTrue(ours.subClassesOf(T + "Human").contains(T + "Person"));
        assertEquals(2, ours.instancesOf(T + "Person").cardinality()); // dad and girl, told
        assertEquals(List.of(17.0, 50.5), List.of(ours.values(T + "age").values()[0],
                ours.values(T + "age").values()[1]));
        assertEquals("person", ours.label(T + "Person"));
        assertEquals("Dad", ours.label(T + "dad"));
        assertNull(ours.label("http://example.org/t"));
        assertTrue(ours.dataProperties().contains(T + "nickname"));
        assertTrue(!ours.dataProperties().contains(T + "priority"));
    }

    /** An ontology as the OWL API (and so Protégé) writes it, then as N-Triples. */
    @Test
    void readsWhatTheOwlApiWrites() throws Exception {
        Path source = write("ontology.owl", ONTOLOGY);
        OWLOntology ontology = OwlOntologies.load(source);
        Path saved = dir.resolve("saved-by-owlapi.owl");
        try (OutputStream out = Files.newOutputStream(saved)) {
            ontology.getOWLOntologyManager().saveOntology(ontology, new RDFXMLDocumentFormat(),
                    out);
        }
        assertTrue(Files.readString(saved).contains("xml:base="), "expected the OWL API layout");
        KnowledgeBase ours = load(nTriples(saved), TBoxReader.AUTO);
        assertEquals(KnowledgeBaseLoader.BUILT_IN_READER, ours.tboxReader());
        assertEquals(load(saved, TBoxReader.OWL_API).fingerprint(), ours.fingerprint());
        assertEquals(load(source, TBoxReader.OWL_API).fingerprint(), ours.fingerprint());
    }

    @Test
    void leavesAnythingItCannotFullyInterpretToTheOwlApi() throws Exception {
        String header = "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" "
                + "xmlns:owl=\"http://www.w3.org/2002/07/owl#\" xmlns:t=\"" + T + "\" "
                + "xmlns:rdfs=\"http://www.w3.org/2000/01/rdf-schema#\">\n"
                + "<owl:Class rdf:about=\"" + T + "A\"/>\n";
        String[][] cases = {
            {"undeclared property", header + "<t:A rdf:about=\"" + T + "a\"><t:p rdf:resource=\""
                + T + "b\"/></t:A></rdf:RDF>", "is not declared"},
            {"undeclared class", header + "<t:B rdf:about=\"" + T + "a\"/></rdf:RDF>",
                "without a declaration"},
            {"punning", header + "<owl:ObjectProperty rdf:about=\"" + T + "A\"/><t:A rdf:about=\""
                + T + "a\"/></rdf:RDF>",
                "two kinds"},
            {"equivalent to owl:Thing", header + "<owl:Class rdf:about=\"" + T + "B\"><owl:"
                + "equivalentClass rdf:resource=\"http://www.w3.org/2002/07/owl#Thing\"/>"
                + "</owl:Class><t:A rdf:about=\"" + T + "a\"/></rdf:RDF>", "vocabulary term"},
            {"label on owl:Thing", header + "<owl:Thing rdf:about=\"" + T + "a\"/>"
                + "<rdf:Description rdf:about=\"http://www.w3.org/2002/07/owl#Thing\">"
                + "<rdfs:label>anything</rdfs:label></rdf:Description></rdf:RDF>",
                "statement about vocabulary term"},
            {"OWL/XML.owl", "<?xml version=\"1.0\"?>\n<Ontology xmlns=\"http://www.w3.org/2002/07/owl#\""
                + " ontologyIRI=\"http://example.org/t\"><Declaration><Class IRI=\"" + T + "A\"/>"
                + "</Declaration><ClassAssertion><Class IRI=\"" + T + "A\"/><NamedIndividual IRI=\""
                + T + "a\"/></ClassAssertion></Ontology>", "not an N-Triples"},
            {"Turtle.ttl", "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<" + T + "A> a owl:Class ."
                + "\n<" + T + "a> a <" + T + "A> .\n", "not an N-Triples"},
        };
        String empty = new KnowledgeBase.Builder().build().fingerprint();
        for (String[] c : cases) {
            // RDF/XML cases are read as N-Triples; the others are other syntaxes, kept as given
            boolean other = c[0].contains(".");
            Path given = write(other ? c[0].replace('/', '_')
                    : c[0].replaceAll("[^A-Za-z]", "_") + ".owl", c[1]);
            Path tbox = other ? given : nTriples(given);
            KnowledgeBase.Builder untouched = new KnowledgeBase.Builder();
            String reason = RdfOntologyReader.read(tbox, untouched);
            assertNotNull(reason, c[0]);
            assertTrue(reason.contains(c[2]), c[0] + ": " + reason);
            assertEquals(empty, untouched.build().fingerprint(), c[0] + " changed the builder");
            KnowledgeBase auto = load(tbox, TBoxReader.AUTO);
            assertEquals(KnowledgeBaseLoader.OWL_API_READER, auto.tboxReader(), c[0]);
            assertEquals(load(tbox, TBoxReader.OWL_API).fingerprint(), auto.fingerprint(), c[0]);
            assertTrue(auto.size() > 0, c[0] + ": the OWL API read no individual");
        }
    }

    @Test
    void importsAreLeftToTheOwlApi() throws Exception {
        Path tbox = nTriples(write("imports.owl", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
                + "22-rdf-syntax-ns#\" xmlns:owl=\"http://www.w3.org/2002/07/owl#\">"
                + "<owl:Ontology rdf:about=\"http://example.org/t\"><owl:imports rdf:resource="
                + "\"http://example.org/other\"/></owl:Ontology></rdf:RDF>"));
        String reason = RdfOntologyReader.read(tbox, new KnowledgeBase.Builder());
        assertTrue(reason.contains("imports <http://example.org/other>"), reason);
    }
}

package ai.daikiri.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.jena.riot.Lang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in RDF/XML reader against Jena RIOT's, triple for triple. */
class RdfXmlReaderTest {

    /** Most of the RDF/XML grammar an ontology file uses, including the awkward parts. */
    private static final String RICH_DOCUMENT = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE rdf:RDF [
              <!ENTITY owl "http://www.w3.org/2002/07/owl#">
              <!ENTITY ex "http://example.org/t#">
            ]>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
                xmlns:owl="http://www.w3.org/2002/07/owl#"
                xmlns:ex="http://example.org/t#"
                xml:base="http://example.org/t" xml:lang="en">
              <!-- an ontology header with a relative IRI -->
              <owl:Ontology rdf:about="">
                <rdfs:label>test ontology</rdfs:label>
              </owl:Ontology>
              <owl:Class rdf:about="&ex;Person"><rdfs:label xml:lang="de">Person</rdfs:label>
              </owl:Class>
              <owl:Class rdf:ID="Male">
                <rdfs:subClassOf rdf:resource="#Person"/>
                <rdfs:subClassOf>
                  <owl:Restriction>
                    <owl:onProperty rdf:resource="&ex;hasChild"/>
                    <owl:allValuesFrom rdf:resource="&owl;Thing"/>
                  </owl:Restriction>
                </rdfs:subClassOf>
              </owl:Class>
              <rdf:Description rdf:about="#Female" rdfs:comment="a property attribute">
                <rdf:type rdf:resource="&owl;Class"/>
                <owl:equivalentClass>
                  <owl:Class>
                    <owl:intersectionOf rdf:parseType="Collection">
                      <rdf:Description rdf:about="#Person"/>
                      <owl:Class><owl:complementOf rdf:resource="#Male"/></owl:Class>
                    </owl:intersectionOf>
                  </owl:Class>
                </owl:equivalentClass>
              </rdf:Description>
              <owl:ObjectProperty rdf:about="&ex;hasChild" rdf:type="&owl;IrreflexiveProperty"/>
              <owl:DatatypeProperty rdf:about="&ex;age"/>
              <ex:Male rdf:about="&ex;dad">
                <ex:age rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">50</ex:age>
                <ex:hasChild><ex:Female rdf:about="&ex;girl" ex:age="17"/></ex:hasChild>
                <ex:hasChild rdf:nodeID="unnamed"/>
                <ex:note xml:lang="">plain &amp; simple</ex:note>
                <ex:empty/>
                <ex:address rdf:parseType="Resource"><ex:city>Paderborn</ex:city></ex:address>
                <ex:bag><rdf:Bag><rdf:li>one</rdf:li><rdf:li>two</rdf:li></rdf:Bag></ex:bag>
                <ex:nothing rdf:parseType="Collection"/>
              </ex:Male>
              <rdf:Description rdf:nodeID="unnamed"><ex:age>
                 3 </ex:age></rdf:Description>
            </rdf:RDF>
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        return TripleText.write(dir, name, text);
    }

    private static List<String> readOurs(Path path) {
        List<String> triples = new ArrayList<>();
        RdfXmlReader.read(path, TripleText.into(triples));
        Collections.sort(triples);
        return triples;
    }

    private static List<String> readJena(Path path) {
        List<String> triples = TripleText.jena(path, Lang.RDFXML);
        Collections.sort(triples);
        return triples;
    }

    @Test
    void readsTheSameTriplesAsJena() throws Exception {
        Path path = write("rich.owl", RICH_DOCUMENT);
        List<String> ours = readOurs(path);
        assertEquals(readJena(path), ours);
        // spot checks that the comparison is about something
        assertTrue(ours.contains("<http://example.org/t#Male> "
                + "http://www.w3.org/2000/01/rdf-schema#subClassOf <http://example.org/t#Person>"));
        assertTrue(ours.contains("<http://example.org/t#girl> http://example.org/t#age "
                + "\"17\"^^http://www.w3.org/1999/02/22-rdf-syntax-ns#langString@en"));
        assertTrue(ours.contains("<http://example.org/t> "
                + "http://www.w3.org/1999/02/22-rdf-syntax-ns#type "
                + "<http://www.w3.org/2002/07/owl#Ontology>"));
    }

    @Test
    void readsWhatRdflibWrites() throws Exception {
        // the platform's TBox writer: rdf:Description blocks and rdf:nodeID lists
        Path path = write("tbox.owl", """
                <?xml version="1.0" encoding="utf-8"?>
                <rdf:RDF
                   xmlns:owl="http://www.w3.org/2002/07/owl#"
                   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                   xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
                >
                  <rdf:Description rdf:nodeID="d">
                    <rdf:type rdf:resource="http://www.w3.org/2002/07/owl#AllDisjointClasses"/>
                    <owl:members rdf:nodeID="d0"/>
                  </rdf:Description>
                  <rdf:Description rdf:nodeID="d0">
                    <rdf:first rdf:resource="http://example.org/a#L"/>
                    <rdf:rest rdf:resource="http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"/>
                  </rdf:Description>
                </rdf:RDF>
                """);
        assertEquals(readJena(path), readOurs(path));
        assertEquals(4, readOurs(path).size());
    }

    @Test
    void leavesXmlLiteralsAndReificationToACompleteParser() throws Exception {
        Path literal = write("literal.rdf", """
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                    xmlns:ex="http://example.org/t#">
                  <rdf:Description rdf:about="http://example.org/t#a">
                    <ex:note rdf:parseType="Literal"><b>bold</b></ex:note>
                  </rdf:Description>
                </rdf:RDF>
                """);
        RdfXmlReader.Unsupported e = assertThrows(RdfXmlReader.Unsupported.class,
                () -> readOurs(literal));
        assertTrue(e.getMessage().contains("parseType=\"Literal\""), e.getMessage());
        Path reified = write("reified.rdf", """
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                    xmlns:ex="http://example.org/t#">
                  <rdf:Description rdf:about="http://example.org/t#a">
                    <ex:p rdf:ID="statement1">x</ex:p>
                  </rdf:Description>
                </rdf:RDF>
                """);
        assertThrows(RdfXmlReader.Unsupported.class, () -> readOurs(reified));
    }

    @Test
    void malformedXmlNamesTheFile() throws Exception {
        Path path = write("broken.owl", "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
                + "22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"http://x/a\">\n</rdf:RDF>");
        LearnerException e = assertThrows(LearnerException.class, () -> readOurs(path));
        assertTrue(e.getMessage().contains("broken.owl"), e.getMessage());
    }
}

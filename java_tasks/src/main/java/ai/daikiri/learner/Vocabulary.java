package ai.daikiri.learner;

import java.util.List;

/** The W3C vocabulary namespaces (RDF, RDFS, OWL, XSD) every reader of the learner needs. */
final class Vocabulary {
    static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    static final String RDFS = "http://www.w3.org/2000/01/rdf-schema#";
    static final String OWL = "http://www.w3.org/2002/07/owl#";
    static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    static final String RDF_TYPE = RDF + "type";
    private static final List<String> NAMESPACES = List.of(RDF, RDFS, OWL, XSD);

    private Vocabulary() {
    }

    /** Whether the IRI is a term of one of these vocabularies (never data to learn from). */
    static boolean contains(String iri) {
        for (String namespace : NAMESPACES) {
            if (iri.startsWith(namespace)) {
                return true;
            }
        }
        return false;
    }
}

package ai.daikiri.learner.rdf;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The W3C vocabulary namespaces (RDF, RDFS, OWL, XSD) every reader of the learner needs. */
public final class Vocabulary {
    public static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public static final String RDFS = "http://www.w3.org/2000/01/rdf-schema#";
    public static final String OWL = "http://www.w3.org/2002/07/owl#";
    public static final String XSD = "http://www.w3.org/2001/XMLSchema#";
    public static final String RDF_TYPE = RDF + "type";
    private static final List<String> NAMESPACES = List.of(RDF, RDFS, OWL, XSD);
    /** XSD datatypes whose values are numbers (decimal, double, float and the integers), as
     *  IRIs: a lookup needs no substring of the datatype, once per literal of a large ABox. */
    private static final Set<String> NUMERIC_TYPES = Stream.of("decimal", "double", "float",
            "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
            "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
            "unsignedShort", "unsignedByte").map(name -> XSD + name)
            .collect(Collectors.toUnmodifiableSet());

    private Vocabulary() {
    }

    /** Whether the IRI is a term of one of these vocabularies (never data to learn from). */
    public static boolean contains(String iri) {
        for (String namespace : NAMESPACES) {
            if (iri.startsWith(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a datatype IRI is one of XSD's numeric datatypes. */
    public static boolean isNumericDatatype(String datatype) {
        return datatype != null && NUMERIC_TYPES.contains(datatype);
    }

    /** The value of a literal of an XSD numeric datatype; null for any other literal, and for
     *  an ill-typed one ({@code "abc"^^xsd:double}), which the readers report. */
    public static Double number(String datatype, String lexical) {
        if (!isNumericDatatype(datatype)) {
            return null;
        }
        try {
            return Double.parseDouble(lexical.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package ai.daikiri.learner;

import ai.daikiri.learner.NTriplesReader.Kind;
import ai.daikiri.learner.NTriplesReader.Term;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A streaming RDF/XML parser on the JDK's own StAX reader, emitting triples to the same
 * {@link NTriplesReader.Sink} as the N-Triples reader.
 *
 * <p>Why it exists: the platform's TBox files are RDF/XML, and parsing one through the OWL API
 * means initialising the OWL API (its manager, parsers and object model) in a cold JVM — on a
 * small graph most of a learner run. This reader covers the RDF/XML grammar an ontology file
 * uses: node elements ({@code rdf:Description} and typed nodes) with {@code rdf:about},
 * {@code rdf:ID} and {@code rdf:nodeID}; property elements with {@code rdf:resource},
 * {@code rdf:nodeID}, {@code rdf:datatype}, nested node elements, literals and property
 * attributes; {@code rdf:parseType="Resource"} and {@code "Collection"}; {@code rdf:li};
 * {@code xml:base}, {@code xml:lang} and internal DTD entities ({@code &owl;}). What it does not
 * cover — XML literals ({@code rdf:parseType="Literal"}) and reification ({@code rdf:ID} on a
 * property element) — raises {@link Unsupported}, so a caller can fall back to a complete
 * parser. Malformed XML raises {@link LearnerException}.
 */
final class RdfXmlReader {

    private static final String RDF = Vocabulary.RDF;
    private static final String XML_NS = XMLConstants.XML_NS_URI;
    private static final String XSD_STRING = NTriplesReader.XSD_STRING;
    private static final String LANG_STRING = NTriplesReader.RDF_LANG_STRING;

    /** A construct this reader does not handle; the input may still be valid RDF/XML. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }
    }

    private final XMLStreamReader xml;
    private final NTriplesReader.Sink sink;
    private long triples;
    private long blanks;

    private RdfXmlReader(XMLStreamReader xml, NTriplesReader.Sink sink) {
        this.xml = xml;
        this.sink = sink;
    }

    /** Parse the RDF/XML file into the sink; returns the number of triples. */
    static long read(Path path, NTriplesReader.Sink sink) {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory(); // the JDK's own, always
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try (InputStream in = Files.newInputStream(path)) {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                RdfXmlReader reader = new RdfXmlReader(xml, sink);
                reader.document(path.toUri().toString());
                return reader.triples;
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new LearnerException("cannot read '" + path + "' as RDF/XML: "
                    + KnowledgeBaseLoader.trim(String.valueOf(e.getMessage())));
        } catch (IOException e) {
            throw new LearnerException("cannot read '" + path + "': " + e.getMessage());
        }
    }

    private void document(String documentBase) throws XMLStreamException {
        while (xml.hasNext() && xml.next() != XMLStreamConstants.START_ELEMENT) {
            // prolog: declaration, comments, DOCTYPE
        }
        if (!xml.isStartElement()) {
            throw new LearnerException("no XML element in the document");
        }
        Scope scope = new Scope(documentBase, null).enter(xml);
        if (isRdf("RDF")) {
            while (nextElement()) {
                nodeElement(scope);
            }
        } else {
            nodeElement(new Scope(documentBase, null));
        }
    }

    /** The language and base IRI in force at an element (xml:lang and xml:base inherit). */
    private record Scope(String base, String language) {
        Scope enter(XMLStreamReader xml) {
            String newBase = xml.getAttributeValue(XML_NS, "base");
            String newLanguage = xml.getAttributeValue(XML_NS, "lang");
            return new Scope(newBase == null ? base : resolve(base, newBase),
                    newLanguage == null ? language : newLanguage.isEmpty() ? null : newLanguage);
        }

        String resolve(String reference) {
            return resolve(base, reference);
        }

        private static String resolve(String base, String reference) {
            // same-document references directly: java.net.URI resolves "" to the base's folder
            if (reference.isEmpty() || reference.startsWith("#")) {
                int fragment = base.indexOf('#');
                return (fragment < 0 ? base : base.substring(0, fragment)) + reference;
            }
            try {
                URI uri = new URI(reference);
                return uri.isAbsolute() ? reference : new URI(base).resolve(uri).toString();
            } catch (URISyntaxException e) {
                throw new Unsupported("IRI '" + reference + "' cannot be resolved against '"
                        + base + "'");
            }
        }
    }

    /**
     * Advance to the next child element of the current one; false at the current element's
     * end tag. Non-blank text between elements is an error.
     */
    private boolean nextElement() throws XMLStreamException {
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            if ((event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)
                    && !xml.isWhiteSpace() && !xml.getText().isBlank()) {
                throw new LearnerException("unexpected text '" + xml.getText().strip()
                        + "' at line " + xml.getLocation().getLineNumber());
            }
        }
        return false;
    }

    /** A node element (the reader is at its start tag); returns its subject. */
    private Term nodeElement(Scope outer) throws XMLStreamException {
        Scope scope = outer.enter(xml);
        Term subject = subjectOf(scope);
        if (!isRdf("Description")) {
            emit(subject, RDF + "type", Term.iri(elementIri()));
        }
        for (int i : propertyAttributes("about", "ID", "nodeID")) {
            propertyAttribute(subject, i, scope);
        }
        propertyElements(subject, scope);
        return subject;
    }

    /** The property elements up to the current element's end tag, all of {@code subject}. */
    private void propertyElements(Term subject, Scope scope) throws XMLStreamException {
        int item = 0;
        while (nextElement()) {
            item = propertyElement(subject, scope, item);
        }
    }

    private Term subjectOf(Scope scope) {
        String about = rdfAttribute("about");
        String id = rdfAttribute("ID");
        String nodeId = rdfAttribute("nodeID");
        if (about != null) {
            return Term.iri(scope.resolve(about));
        }
        if (id != null) {
            return Term.iri(scope.resolve("#" + id));
        }
        return nodeId != null ? blank("n" + nodeId) : freshBlank();
    }

    /** A property element of {@code subject}; returns the rdf:li counter after it. */
    private int propertyElement(Term subject, Scope outer, int item) throws XMLStreamException {
        Scope scope = outer.enter(xml);
        String predicate = elementIri();
        if (isRdf("li")) {
            item++;
            predicate = RDF + "_" + item;
        }
        if (rdfAttribute("ID") != null) {
            throw new Unsupported("reification (rdf:ID on property element <"
                    + xml.getLocalName() + "> at line " + xml.getLocation().getLineNumber() + ")");
        }
        String parseType = rdfAttribute("parseType");
        if ("Resource".equals(parseType)) {
            Term object = freshBlank();
            emit(subject, predicate, object);
            propertyElements(object, scope);
            return item;
        }
        if ("Collection".equals(parseType)) {
            collection(subject, predicate, scope);
            return item;
        }
        if (parseType != null) {
            throw new Unsupported("rdf:parseType=\"" + parseType + "\" at line "
                    + xml.getLocation().getLineNumber());
        }
        String resource = rdfAttribute("resource");
        String nodeId = rdfAttribute("nodeID");
        String datatype = rdfAttribute("datatype");
        List<Integer> attributes = propertyAttributes("resource", "nodeID", "datatype");
        if (resource != null || nodeId != null || !attributes.isEmpty()) {
            Term object = resource != null ? Term.iri(scope.resolve(resource))
                    : nodeId != null ? blank("n" + nodeId) : freshBlank();
            for (int i : attributes) {
                propertyAttribute(object, i, scope);
            }
            emit(subject, predicate, object);
            if (nextElement()) {
                throw new LearnerException("property element <" + xml.getLocalName()
                        + "> with rdf:resource or rdf:nodeID has content at line "
                        + xml.getLocation().getLineNumber());
            }
            return item;
        }
        StringBuilder text = new StringBuilder();
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.SPACE) {
                text.append(xml.getText());
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                if (!text.toString().isBlank()) {
                    throw new Unsupported("mixed text and markup in <" + predicate + ">");
                }
                emit(subject, predicate, nodeElement(scope));
                if (nextElement()) {
                    throw new LearnerException("property element <" + predicate
                            + "> holds more than one node at line "
                            + xml.getLocation().getLineNumber());
                }
                return item;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                break;
            }
        }
        emit(subject, predicate, literal(text.toString(), datatype, scope));
        return item;
    }

    /** {@code rdf:parseType="Collection"}: the node elements inside as an RDF list. */
    private void collection(Term subject, String predicate, Scope scope)
            throws XMLStreamException {
        String link = predicate;
        Term owner = subject;
        while (nextElement()) {
            Term cell = freshBlank();
            emit(owner, link, cell);
            emit(cell, RDF + "first", nodeElement(scope));
            owner = cell;
            link = RDF + "rest";
        }
        emit(owner, link, Term.iri(RDF + "nil"));
    }

    private Term literal(String text, String datatype, Scope scope) {
        if (datatype != null) {
            return new Term(Kind.LITERAL, text, scope.resolve(datatype), null);
        }
        return scope.language() != null
                ? new Term(Kind.LITERAL, text, LANG_STRING, scope.language())
                : new Term(Kind.LITERAL, text, XSD_STRING, null);
    }

    /** Attribute {@code i} as a property of {@code subject} (rdf:type's value is an IRI). */
    private void propertyAttribute(Term subject, int i, Scope scope) {
        String predicate = xml.getAttributeNamespace(i) + xml.getAttributeLocalName(i);
        String value = xml.getAttributeValue(i);
        emit(subject, predicate, (RDF + "type").equals(predicate)
                ? Term.iri(scope.resolve(value)) : literal(value, null, scope));
    }

    /** Indexes of the current element's attributes that state properties ({@code syntax}: the
     * rdf: attributes allowed here as syntax). */
    private List<Integer> propertyAttributes(String... syntax) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            if (isPropertyAttribute(i, syntax)) {
                found.add(i);
            }
        }
        return found;
    }

    /** Whether attribute {@code i} states a property (not syntax, not xml:*, not {@code except}). */
    private boolean isPropertyAttribute(int i, String... syntax) {
        String namespace = xml.getAttributeNamespace(i);
        if (namespace == null || namespace.isEmpty() || XML_NS.equals(namespace)) {
            return false; // unqualified attributes and xml:lang / xml:base say nothing about data
        }
        if (RDF.equals(namespace)) {
            String name = xml.getAttributeLocalName(i);
            for (String s : syntax) {
                if (s.equals(name)) {
                    return false;
                }
            }
            if (name.equals("parseType") || name.equals("about") || name.equals("resource")
                    || name.equals("nodeID") || name.equals("ID") || name.equals("datatype")) {
                throw new LearnerException("rdf:" + name + " is not allowed on <"
                        + xml.getLocalName() + "> at line " + xml.getLocation().getLineNumber());
            }
        }
        return true;
    }

    private String rdfAttribute(String name) {
        return xml.getAttributeValue(RDF, name);
    }

    private boolean isRdf(String name) {
        return RDF.equals(xml.getNamespaceURI()) && name.equals(xml.getLocalName());
    }

    private String elementIri() {
        String namespace = xml.getNamespaceURI();
        if (namespace == null || namespace.isEmpty()) {
            throw new LearnerException("element <" + xml.getLocalName() + "> at line "
                    + xml.getLocation().getLineNumber() + " has no namespace, so no IRI");
        }
        return namespace + xml.getLocalName();
    }

    private Term freshBlank() {
        return blank("g" + ++blanks);
    }

    private static Term blank(String id) {
        return new Term(Kind.BLANK, id, null, null);
    }

    private void emit(Term subject, String predicate, Term object) {
        triples++;
        sink.triple(subject, predicate, object);
    }
}

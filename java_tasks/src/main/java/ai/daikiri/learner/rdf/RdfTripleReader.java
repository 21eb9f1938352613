package ai.daikiri.learner.rdf;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.Inputs;

import java.nio.file.Path;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.StreamRDFBase;

/**
 * Reads an ABox file in any RDF syntax Jena RIOT knows (Turtle, RDF/XML, N-Quads, ...) into the
 * same {@link NTriplesReader.Sink} as the N-Triples reader. Kept in its own class so that a
 * learner run reading only N-Triples never loads or initialises Jena (several hundred classes,
 * a noticeable part of a small run's start-up).
 */
public final class RdfTripleReader {

    private RdfTripleReader() {
    }

    /**
     * Read the file in the RDF syntax its name says (Jena RIOT's rules) into the sink; a name
     * that says N-Triples, or nothing (the platform writes N-Triples), goes to the faster
     * {@link NTriplesReader}. Returns the number of triples read.
     */
    public static long read(Path path, NTriplesReader.Sink sink) {
        Lang lang = RDFLanguages.filenameToLang(path.toString(), Lang.NTRIPLES);
        if (Lang.NTRIPLES.equals(lang)) {
            return NTriplesReader.read(path, sink);
        }
        final long[] count = {0};
        try {
            RDFParser.source(path).lang(lang).parse(new StreamRDFBase() {
                @Override
                public void triple(Triple t) {
                    count[0]++;
                    if (t.getPredicate().isURI()) {
                        sink.triple(term(t.getSubject()), t.getPredicate().getURI(),
                                term(t.getObject()));
                    }
                }
            });
        } catch (RiotException e) {
            throw new LearnerException("cannot read ABox '" + path + "' as " + lang.getLabel()
                    + ": " + Inputs.oneLine(String.valueOf(e.getMessage())));
        }
        return count[0];
    }

    private static NTriplesReader.Term term(Node node) {
        if (node.isURI()) {
            return NTriplesReader.Term.iri(node.getURI());
        }
        if (node.isLiteral()) {
            String language = node.getLiteralLanguage();
            return new NTriplesReader.Term(NTriplesReader.Kind.LITERAL,
                    node.getLiteralLexicalForm(), node.getLiteralDatatypeURI(),
                    language == null || language.isEmpty() ? null : language);
        }
        return new NTriplesReader.Term(NTriplesReader.Kind.BLANK, node.toString(), null, null);
    }
}

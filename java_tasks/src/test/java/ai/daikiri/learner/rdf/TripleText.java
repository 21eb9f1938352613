package ai.daikiri.learner.rdf;

import ai.daikiri.learner.rdf.NTriplesReader.Term;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.system.StreamRDFBase;

/**
 * Triples as comparable text (blank nodes all "_:b", language tags lower-case), from our
 * readers and from Jena RIOT, so a reader test can compare the two triple for triple.
 */
public final class TripleText {

    private TripleText() {
    }

    /** A test file with the given UTF-8 text. */
    public static Path write(Path dir, String name, String text) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    /** A sink that records each triple as text. */
    public static NTriplesReader.Sink into(List<String> triples) {
        return (s, p, o) -> triples.add(show(s) + " " + p + " " + show(o));
    }

    /** The file's triples as Jena RIOT reads them in {@code lang}, in file order. */
    public static List<String> jena(Path path, Lang lang) {
        List<String> triples = new ArrayList<>();
        RDFParser.source(path).lang(lang).parse(new StreamRDFBase() {
            @Override
            public void triple(Triple t) {
                triples.add(show(t.getSubject()) + " " + t.getPredicate().getURI() + " "
                        + show(t.getObject()));
            }
        });
        return triples;
    }

    public static String show(Term t) {
        return switch (t.kind()) {
            case IRI -> "<" + t.value() + ">";
            case BLANK -> "_:b";
            case LITERAL -> "\"" + t.value() + "\"^^" + t.datatype()
                    + (t.language() == null ? "" : "@" + t.language().toLowerCase());
        };
    }

    public static String show(Node n) {
        if (n.isURI()) {
            return "<" + n.getURI() + ">";
        }
        if (n.isBlank()) {
            return "_:b";
        }
        String language = n.getLiteralLanguage();
        return "\"" + n.getLiteralLexicalForm() + "\"^^" + n.getLiteralDatatypeURI()
                + (language.isEmpty() ? "" : "@" + language.toLowerCase());
    }
}

package ai.daikiri.learner.rdf;

import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.kb.KnowledgeBase;
import ai.daikiri.learner.kb.KnowledgeBaseLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.daikiri.learner.rdf.NTriplesReader.Kind;
import ai.daikiri.learner.rdf.NTriplesReader.Term;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.jena.riot.Lang;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NTriplesReaderTest {
    private static final String XSD = "http://www.w3.org/2001/XMLSchema#";

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        return TripleText.write(dir, "a.nt", text);
    }

    private static List<String> readOurs(Path path) {
        List<String> triples = new ArrayList<>();
        NTriplesReader.read(path, TripleText.into(triples));
        return triples;
    }

    @Test
    void readsEveryKindOfTerm() throws Exception {
        Path path = write(String.join("\n",
                "\uFEFF# a comment line after a byte order mark",
                "",
                "<http://x/a\\u00E9> <http://x/p> <http://x/b> . # trailing comment",
                "_:n1\t<http://x/p>\t_:n2.",
                "<http://x/a> <http://x/label> \"tab\\there \\\"quoted\\\" \\U0001F600\"@en-GB .",
                "<http://x/a> <http://x/power> \"9000.5\"^^<" + XSD + "double> .",
                "<http://x/a> <http://x/name> \"plain\" ."));
        List<Term> objects = new ArrayList<>();
        List<Term> subjects = new ArrayList<>();
        long count = NTriplesReader.read(path, (s, p, o) -> {
            subjects.add(s);
            objects.add(o);
        });
        assertEquals(5, count);
        assertEquals(Term.iri("http://x/aé"), subjects.get(0));
        assertEquals(new Term(Kind.BLANK, "n1", null, null), subjects.get(1));
        assertEquals(new Term(Kind.BLANK, "n2", null, null), objects.get(1));
        assertEquals(new Term(Kind.LITERAL, "tab\there \"quoted\" \uD83D\uDE00",
                NTriplesReader.RDF_LANG_STRING, "en-GB"), objects.get(2));
        assertEquals(new Term(Kind.LITERAL, "9000.5", XSD + "double", null), objects.get(3));
        assertEquals(new Term(Kind.LITERAL, "plain", NTriplesReader.XSD_STRING, null),
                objects.get(4));
    }

    /** A predicate or datatype repeated from the line before is handed on as the same String
     *  (its hash code computed once for a whole ABox part); one that merely starts like it, or
     *  that the line before wrote with an escape, is read afresh. Numbers are parsed once, in
     *  the term. */
    @Test
    void repeatedIrisAreOneObjectAndOnlyEqualOnesAreReused() throws Exception {
        Path path = write(String.join("\n",
                "<http://x/a> <http://x/p> \"1\"^^<" + XSD + "double> .",
                "<http://x/b> <http://x/p> \"2.5\"^^<" + XSD + "double> .",
                "<http://x/c> <http://x/p2> \"3\"^^<" + XSD + "decimal> .",
                "<http://x/d> <http://x/p> \"4\"^^<" + XSD + "double> .",
                "<http://x/e> <http://x/\\u0071> \"x\" .",
                "<http://x/f> <http://x/q> \"y\" .",
                "<http://x/g> <http://x/p> \"5\"^^<" + XSD + "doubleX> ."));
        List<String> predicates = new ArrayList<>();
        List<Term> objects = new ArrayList<>();
        NTriplesReader.read(path, (s, p, o) -> {
            predicates.add(p);
            objects.add(o);
        });
        assertEquals(List.of("http://x/p", "http://x/p", "http://x/p2", "http://x/p",
                "http://x/q", "http://x/q", "http://x/p"), predicates);
        assertTrue(predicates.get(0) == predicates.get(1), "a repeated predicate is reused");
        assertTrue(objects.get(0).datatype() == objects.get(1).datatype());
        assertEquals(List.of(1.0, 2.5, 3.0, 4.0), objects.subList(0, 4).stream()
                .map(Term::number).toList());
        assertEquals(XSD + "decimal", objects.get(2).datatype());
        assertEquals(XSD + "doubleX", objects.get(6).datatype());
        assertEquals(null, objects.get(6).number(), "not a numeric datatype: no number");
        assertEquals(null, objects.get(4).number());
    }

    /** The same triples as Jena RIOT on a generated file with every feature mixed in. */
    @Test
    void agreesWithJena() throws Exception {
        Random random = new Random(7);
        String[] objects = {"<http://x/o%d>", "\"%d\"^^<" + XSD + "integer>", "\"v\\\\%d\\n\"",
            "\"%d caf\\u00E9\"@fr", "_:o%d", "\"%d.5e1\"^^<" + XSD + "double>"};
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            String subject = random.nextInt(5) == 0 ? "_:s" + i : "<http://x/s" + i + ">";
            text.append(subject).append(random.nextBoolean() ? " " : "\t")
                .append("<http://x/p").append(random.nextInt(4)).append("> ")
                .append(String.format(objects[random.nextInt(objects.length)], i))
                .append(random.nextBoolean() ? " ." : ".").append('\n');
        }
        Path path = write(text.toString());
        List<String> jena = TripleText.jena(path, Lang.NTRIPLES);
        assertEquals(2000, jena.size());
        assertEquals(jena, readOurs(path));
    }

    @Test
    void malformedLinesNameFileLineColumnAndWhatWasExpected() throws Exception {
        String good = "<http://x/a> <http://x/p> <http://x/b> .\n";
        String[][] cases = {
            {"<http://x/a> <http://x/p> <http://x/b>", "line 2, column 39: expected '.' ending"},
            {"<http://x/a> p <http://x/b> .", "line 2, column 14: expected a predicate"},
            {"<http://x/a <http://x/p> <http://x/b> .", "not allowed in an IRI"},
            {"<http://x/a> <http://x/p> \"open .", "has no closing '\"'"},
            {"<http://x/a> <http://x/p> \"x\\q\" .", "unknown string escape '\\q'"},
            {"<http://x/a> <http://x/p> \"x\"^^xsd:int .", "expected a datatype '<iri>'"},
            {"<http://x/a> <http://x/p> <http://x/b> . <http://x/c>", "expected the end of the"},
            {"<http://x/\\u00G1> <http://x/p> <http://x/b> .", "hexadecimal digits"},
            {"<a> <http://x/p> <http://x/b> .", "line 2, column 2: IRI <a> is relative"},
            {"<http://x/a> <http://x/p> <../b> .", "IRI <../b> is relative; N-Triples allows"},
            {"<http://x/a> <http://x/p> \"abc\"^^<" + XSD + "double> .",
             "line 2, column 27: literal \"abc\" is not a valid number of its datatype"},
            {"<http://x/a> <http://x/p> \"1.5.2\"^^<" + XSD + "decimal> .", "not a valid number"},
        };
        for (String[] c : cases) {
            Path path = write(good + c[0] + "\n");
            LearnerException e = assertThrows(LearnerException.class, () -> readOurs(path));
            assertTrue(e.getMessage().startsWith("cannot read ABox '" + path + "' as N-Triples"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        Files.write(dir.resolve("latin1.nt"), new byte[] {'<', 'h', ':', '>', ' ', (byte) 0xE9});
        LearnerException e = assertThrows(LearnerException.class,
                () -> readOurs(dir.resolve("latin1.nt")));
        assertTrue(e.getMessage().contains("line 1 is not UTF-8"), e.getMessage());
    }

    @Test
    void absoluteIrisHaveASchemeAndRelativeOnesDoNot() {
        for (String iri : List.of("http://x/a", "urn:isbn:1", "tag:x.org,2000:a", "h:")) {
            assertTrue(NTriplesReader.absolute(iri), iri);
        }
        for (String iri : List.of("", "a", "../b", "/x/y", "#f", "1a:b", "a b:c", ":x")) {
            assertTrue(!NTriplesReader.absolute(iri), iri);
        }
    }

    @Test
    void illTypedNumbersReadByJenaAreSkippedAndCounted() throws Exception {
        Path path = TripleText.write(dir, "a.ttl", "<http://x/a> <http://x/p> \"abc\"^^<"
                + XSD + "double> .\n<http://x/b> <http://x/p> \"2.5\"^^<" + XSD + "double> .\n"
                + "<http://x/a> a <http://www.w3.org/2002/07/owl#NamedIndividual> .\n"
                + "<http://x/b> a <http://www.w3.org/2002/07/owl#NamedIndividual> .\n");
        KnowledgeBase.Builder builder = new KnowledgeBase.Builder();
        KnowledgeBaseLoader.streamTriples(path, builder);
        KnowledgeBase kb = builder.build();
        assertEquals(2, kb.size());
        assertEquals(1, kb.values("http://x/p").values().length);
    }
}

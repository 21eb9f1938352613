package ai.daikiri.learner.kb;

import ai.daikiri.learner.Inputs;
import ai.daikiri.learner.LearnerException;
import ai.daikiri.learner.Log;
import ai.daikiri.learner.owl.OwlOntologies;
import ai.daikiri.learner.rdf.NTriplesReader;
import ai.daikiri.learner.rdf.RdfTripleReader;
import ai.daikiri.learner.rdf.ReadAhead;
import ai.daikiri.learner.rdf.Vocabulary;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a knowledge base: the TBox file and ABox files as a stream of triples (N-Triples by
 * {@link NTriplesReader}, other RDF formats by Jena RIOT), so a large ABox never becomes OWL
 * API objects.
 *
 * <p>An N-Triples TBox that {@link RdfOntologyReader} fully interprets (the platform's own
 * {@code tbox.nt}) is read without the OWL API, whose start-up is most of a small run; any other
 * TBox (any format the OWL API reads, possibly with an ABox in it) — or
 * {@link TBoxReader#OWL_API} — goes through the adapter in {@code owl}. Both give the same
 * knowledge base ({@link KnowledgeBase#fingerprint()}).
 */
public final class KnowledgeBaseLoader {

    /** Which reader may read the TBox. */
    public enum TBoxReader {
        /** The built-in reader when it fully interprets an N-Triples TBox, else the OWL API. */
        AUTO,
        /** Always the OWL API. */
        OWL_API;

        /** Parse a {@code --tbox-reader} value: {@code auto} or {@code owlapi}. */
        public static TBoxReader parse(String value) {
            return switch (value) {
                case "auto" -> AUTO;
                case "owlapi" -> OWL_API;
                default -> throw new LearnerException("--tbox-reader must be auto or owlapi, not '"
                        + value + "'");
            };
        }
    }

    /** What {@link KnowledgeBase#tboxReader()} says for each reader. */
    public static final String BUILT_IN_READER = "n-triples";
    public static final String OWL_API_READER = "owl api";

    private static final String OWL_NAMED_INDIVIDUAL = Vocabulary.OWL + "NamedIndividual";
    private KnowledgeBaseLoader() {
    }

    /** Load the TBox (and any ABox in it) and stream each ABox file into one knowledge base. */
    public static KnowledgeBase load(Path tbox, List<Path> aboxes) {
        return load(tbox, aboxes, TBoxReader.AUTO);
    }

    /** {@link #load(Path, List)} with a choice of TBox reader. */
    public static KnowledgeBase load(Path tbox, List<Path> aboxes, TBoxReader reader) {
        KnowledgeBase.Builder builder = new KnowledgeBase.Builder();
        builder.tboxReader(readTBox(tbox, builder, reader));
        for (Path abox : aboxes) {
            streamTriples(abox, builder);
        }
        return builder.build();
    }

    /** Read the TBox into the builder; returns the name of the reader that read it. */
    static String readTBox(Path tbox, KnowledgeBase.Builder builder, TBoxReader reader) {
        Inputs.requireReadable(tbox, "--tbox");
        if (reader == TBoxReader.AUTO) {
            String notRead = RdfOntologyReader.read(tbox, builder);
            if (notRead == null) {
                Log.info("read TBox %s with the built-in N-Triples reader", tbox);
                return BUILT_IN_READER;
            }
            Log.info("reading TBox %s through the OWL API (the built-in N-Triples reader does "
                    + "not: %s)", tbox, Inputs.oneLine(notRead));
        }
        OwlOntologies.read(tbox, builder);
        return OWL_API_READER;
    }

    /**
     * Stream an RDF file of ABox triples into the builder: N-Triples (the platform's ABox
     * parts) through {@link NTriplesReader}, any other format (Turtle, RDF/XML, ...) through
     * Jena RIOT.
     */
    public static void streamTriples(Path path, KnowledgeBase.Builder builder) {
        Inputs.requireReadable(path, "--abox");
        IllTypedLiterals illTyped = new IllTypedLiterals();
        NTriplesReader.Sink sink = (s, p, o) -> {
            if (!illTyped.skipped(p, o)) {
                addTriple(s, p, o, builder);
            }
        };
        // A ".nt" file never touches Jena (initialising it costs more than reading a small ABox);
        // its reader fails on an ill-typed number, naming the line. Parsed on a thread of its
        // own while this one fills the builder.
        boolean nTriples = path.toString().endsWith(".nt");
        long count = ReadAhead.read(reader -> nTriples ? NTriplesReader.read(path, reader)
                : RdfTripleReader.read(path, reader), sink);
        Log.info("read %,d triples from %s", count, path);
        if (illTyped.count > 0) {
            Log.info("warning: skipped %,d literal(s) of a numeric datatype that are not numbers "
                    + "in %s, e.g. %s", illTyped.count, path, illTyped.first);
        }
    }

    /** Counts literals of a numeric datatype that hold no number (in formats read by Jena,
     *  which passes them on): they are skipped and reported, never silently lost. */
    private static final class IllTypedLiterals {
        private long count;
        private String first;

        boolean skipped(String predicate, NTriplesReader.Term o) {
            if (o.kind() != NTriplesReader.Kind.LITERAL || o.number() != null
                    || !Vocabulary.isNumericDatatype(o.datatype())) {
                return false;
            }
            if (count++ == 0) {
                first = "\"" + o.value() + "\"^^<" + o.datatype() + "> of <" + predicate + ">";
            }
            return true;
        }
    }

    private static void addTriple(NTriplesReader.Term s, String predicate, NTriplesReader.Term o,
            KnowledgeBase.Builder builder) {
        if (s.kind() != NTriplesReader.Kind.IRI) {
            return;
        }
        String subject = s.value();
        if (Vocabulary.RDF_TYPE.equals(predicate)) {
            if (o.kind() != NTriplesReader.Kind.IRI) {
                return;
            }
            String cls = o.value();
            if (OWL_NAMED_INDIVIDUAL.equals(cls)) {
                builder.individual(subject);
            } else if (!Vocabulary.contains(cls)) {
                builder.classAssertion(cls, subject);
            }
            return;
        }
        if (Vocabulary.contains(predicate)) {
            return;
        }
        if (o.kind() == NTriplesReader.Kind.LITERAL) {
            Double value = o.number();
            if (value != null && !builder.isObjectProperty(predicate)) {
                builder.dataAssertion(predicate, subject, value);
            }
        } else if (o.kind() == NTriplesReader.Kind.IRI && !builder.isDataProperty(predicate)) {
            builder.objectAssertion(predicate, subject, o.value());
        }
    }
}

package ai.daikiri.learner.rdf;

import ai.daikiri.learner.LearnerException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads N-Triples (RDF 1.1) line by line into plain strings, with none of a general RDF
 * parser's work: no IRI resolution, no node objects, no datatype registry. The platform's ABox
 * parts and its TBox ({@code tbox.nt}) are N-Triples, and loading them is most of a learner run
 * on a large graph, so this path matters (bench/RESULTS.md); other formats go through Jena.
 *
 * <p>Full N-Triples grammar: IRIs and literals with {@code \}u / {@code \}U and string escapes,
 * blank nodes, language tags, datatypes, comments and blank lines. A malformed line fails with
 * its file, line and column and what was expected there.
 */
public final class NTriplesReader {

    /** What a term is. */
    public enum Kind { IRI, BLANK, LITERAL }

    /**
     * One RDF term. For a literal {@code value} is its lexical form, {@code datatype} its
     * datatype IRI (xsd:string or rdf:langString when the line names none), {@code language}
     * its language tag or null, and {@code number} its value when its datatype is one of XSD's
     * numeric ones and it is a valid number of it (else null); for an IRI or blank node only
     * {@code value} is set.
     */
    public record Term(Kind kind, String value, String datatype, String language, Double number) {
        /** A term whose number, if any, is parsed from its lexical form. */
        public Term(Kind kind, String value, String datatype, String language) {
            this(kind, value, datatype, language, kind == Kind.LITERAL
                    ? Vocabulary.number(datatype, value) : null);
        }

        static Term iri(String iri) {
            return new Term(Kind.IRI, iri, null, null, null);
        }
    }

    /** Receives each triple in file order. */
    @FunctionalInterface
    public interface Sink {
        void triple(Term subject, String predicate, Term object);
    }

    static final String XSD_STRING = Vocabulary.XSD + "string";
    static final String RDF_LANG_STRING = Vocabulary.RDF + "langString";

    private final String line;
    private final Recent recent;
    private int pos;

    private NTriplesReader(String line, Recent recent) {
        this.line = line;
        this.recent = recent;
    }

    /**
     * The last predicate and datatype IRIs of a file. An ABox part repeats one predicate and
     * one datatype for thousands of lines; handing the same String on lets every lookup of it
     * (hash sets and maps while loading) use its cached hash code, and saves the copies.
     */
    private static final class Recent {
        private final Slot predicate = new Slot();
        private final Slot datatype = new Slot();
    }

    /** One remembered IRI: the last one read in its place, when its text in a line can only
     *  be itself (no backslash, which a line could only write as an escape); else null. */
    private static final class Slot {
        private String iri;
    }

    /** Read every triple of an N-Triples file into the sink; returns the number of triples. */
    public static long read(Path path, Sink sink) {
        long triples = 0;
        long number = 0;
        Recent recent = new Recent();
        try (BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(
                Files.newInputStream(path), StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)), 1 << 16)) {
            String text;
            while ((text = reader.readLine()) != null) {
                number++;
                if (number == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1); // a byte order mark some editors write
                }
                try {
                    if (new NTriplesReader(text, recent).parse(sink)) {
                        triples++;
                    }
                } catch (Malformed e) {
                    throw new LearnerException("cannot read ABox '" + path + "' as N-Triples: line "
                            + number + ", column " + (e.column + 1) + ": " + e.getMessage());
                }
            }
        } catch (CharacterCodingException e) {
            throw new LearnerException("cannot read ABox '" + path + "' as N-Triples: line "
                    + (number + 1) + " is not UTF-8 text");
        } catch (IOException e) {
            throw new LearnerException("cannot read ABox '" + path + "': " + e.getMessage());
        }
        return triples;
    }

    /** Parse this line; false when it holds no triple (blank or comment). */
    private boolean parse(Sink sink) {
        skipSpace();
        if (atEnd() || peek() == '#') {
            return false;
        }
        Term subject = switch (peek()) {
            case '<' -> Term.iri(iri());
            case '_' -> blank();
            default -> throw expected("a subject: '<iri>' or '_:label'");
        };
        skipSpace();
        if (atEnd() || peek() != '<') {
            throw expected("a predicate: '<iri>'");
        }
        String predicate = iri(recent.predicate);
        skipSpace();
        Term object = switch (atEnd() ? ' ' : peek()) {
            case '<' -> Term.iri(iri());
            case '_' -> blank();
            case '"' -> literal();
            default -> throw expected("an object: '<iri>', '_:label' or '\"literal\"'");
        };
        skipSpace();
        if (atEnd() || peek() != '.') {
            throw expected("'.' ending the triple");
        }
        pos++;
        skipSpace();
        if (!atEnd() && peek() != '#') {
            throw expected("the end of the line after '.'");
        }
        sink.triple(subject, predicate, object);
        return true;
    }

    private String iri() {
        return iri((String) null);
    }

    /** An IRI, remembered in its slot: the slot's own String when it is the same IRI. */
    private String iri(Slot slot) {
        String read = iri(slot.iri);
        if (read != slot.iri) {
            slot.iri = read.indexOf('\\') < 0 ? read : null;
        }
        return read;
    }

    /** An IRI; {@code previous} itself when the IRI is equal to it (a checked IRI, reused). */
    private String iri(String previous) {
        int start = ++pos;
        if (previous != null && line.startsWith(previous, start)
                && start + previous.length() < line.length()
                && line.charAt(start + previous.length()) == '>') {
            pos = start + previous.length() + 1; // the same IRI, checked when first read
            return previous;
        }
        StringBuilder decoded = null;
        while (true) {
            if (atEnd()) {
                throw new Malformed("IRI starting at column " + start + " has no closing '>'", pos);
            }
            char c = line.charAt(pos);
            if (c == '>') {
                String value = decoded == null ? line.substring(start, pos)
                        : decoded.toString();
                if (!absolute(value)) {
                    throw new Malformed("IRI <" + shortened(value) + "> is relative; N-Triples "
                            + "allows only absolute IRIs (with a scheme, such as https:)", start);
                }
                pos++;
                return value;
            }
            if (c == '\\') {
                if (decoded == null) {
                    decoded = new StringBuilder(line.substring(start, pos));
                }
                decoded.appendCodePoint(unicodeEscape());
                continue;
            }
            if (c <= ' ' || c == '<' || c == '"' || c == '{' || c == '}' || c == '|'
                    || c == '^' || c == '`') {
                throw new Malformed("character '" + printable(c) + "' is not allowed in an IRI",
                        pos);
            }
            if (decoded != null) {
                decoded.append(c);
            }
            pos++;
        }
    }

    /** Whether an IRI starts with a scheme (RFC 3987: a letter, then letters, digits, '+',
     *  '-' or '.', then ':'), which makes it absolute. */
    static boolean absolute(String iri) {
        if (iri.isEmpty() || !isAsciiLetter(iri.charAt(0))) {
            return false;
        }
        for (int i = 1; i < iri.length(); i++) {
            char c = iri.charAt(i);
            if (c == ':') {
                return true;
            }
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-'
                    && c != '.') {
                return false;
            }
        }
        return false;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String shortened(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    private Term blank() {
        if (!line.startsWith("_:", pos)) {
            throw expected("'_:' starting a blank node");
        }
        int start = pos + 2;
        pos = start;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '<' && peek() != '"') {
            if (peek() == '.' && (pos + 1 == line.length()
                    || Character.isWhitespace(line.charAt(pos + 1)))) {
                break; // a label never ends with '.': this one ends the triple
            }
            pos++;
        }
        if (pos == start) {
            throw expected("a blank node label after '_:'");
        }
        return new Term(Kind.BLANK, line.substring(start, pos), null, null, null);
    }

    private Term literal() {
        int start = ++pos;
        StringBuilder decoded = null;
        while (true) {
            if (atEnd()) {
                throw new Malformed("literal starting at column " + start + " has no closing '\"'",
                        pos);
            }
            char c = line.charAt(pos);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (decoded == null) {
                    decoded = new StringBuilder(line.substring(start, pos));
                }
                char next = pos + 1 < line.length() ? line.charAt(pos + 1) : ' ';
                if (next == 'u' || next == 'U') {
                    decoded.appendCodePoint(unicodeEscape());
                } else {
                    decoded.append(stringEscape(next));
                    pos += 2;
                }
                continue;
            }
            if (decoded != null) {
                decoded.append(c);
            }
            pos++;
        }
        String lexical = decoded == null ? line.substring(start, pos) : decoded.toString();
        pos++;
        if (!atEnd() && peek() == '@') {
            int tag = ++pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '-')) {
                pos++;
            }
            if (pos == tag) {
                throw expected("a language tag after '@'");
            }
            return new Term(Kind.LITERAL, lexical, RDF_LANG_STRING, line.substring(tag, pos),
                    null);
        }
        if (line.startsWith("^^", pos)) {
            pos += 2;
            if (atEnd() || peek() != '<') {
                throw expected("a datatype '<iri>' after '^^'");
            }
            String datatype = iri(recent.datatype);
            Double number = Vocabulary.number(datatype, lexical);
            if (number == null && Vocabulary.isNumericDatatype(datatype)) {
                throw new Malformed("literal \"" + shortened(lexical) + "\" is not a valid "
                        + "number of its datatype <" + datatype + ">", start - 1);
            }
            return new Term(Kind.LITERAL, lexical, datatype, null, number);
        }
        return new Term(Kind.LITERAL, lexical, XSD_STRING, null, null);
    }

    private int unicodeEscape() {
        char kind = pos + 1 < line.length() ? line.charAt(pos + 1) : ' ';
        int digits = kind == 'u' ? 4 : kind == 'U' ? 8 : 0;
        if (digits == 0 || pos + 2 + digits > line.length()) {
            throw new Malformed("expected \\uXXXX or \\UXXXXXXXX", pos);
        }
        try {
            int code = Integer.parseUnsignedInt(line.substring(pos + 2, pos + 2 + digits), 16);
            if (!Character.isValidCodePoint(code)) {
                throw new Malformed("escape names no Unicode character", pos);
            }
            pos += 2 + digits;
            return code;
        } catch (NumberFormatException e) {
            throw new Malformed("expected " + digits + " hexadecimal digits after \\" + kind, pos);
        }
    }

    private char stringEscape(char c) {
        return switch (c) {
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 'f' -> '\f';
            case '"' -> '"';
            case '\'' -> '\'';
            case '\\' -> '\\';
            default -> throw new Malformed("unknown string escape '\\" + printable(c) + "'", pos);
        };
    }

    private void skipSpace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= line.length();
    }

    private char peek() {
        return line.charAt(pos);
    }

    private Malformed expected(String what) {
        String found = atEnd() ? "the end of the line" : "'" + printable(peek()) + "'";
        return new Malformed("expected " + what + ", found " + found, pos);
    }

    private static String printable(char c) {
        return c < ' ' ? String.format("\\u%04X", (int) c) : String.valueOf(c);
    }

    /** A syntax error at a column of the current line. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int column;

        Malformed(String message, int column) {
            super(message, null, false, false);
            this.column = column;
        }
    }
}

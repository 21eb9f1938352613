package ai.daikiri.learner.concept;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable class expression: the learner's own compact AST (ALC with inverse roles,
 * hasValue, qualified at-least cardinality and numeric data ranges).
 *
 * <p>Conjunctions and disjunctions are kept canonical (flattened, duplicates removed, operands
 * sorted by {@link #key()}), so equal expressions are equal records and the search can
 * eliminate redundant candidates with a hash set. Lengths follow DL-Learner's convention.
 */
public sealed interface Concept permits Concept.Top, Concept.Bottom, Concept.Atomic,
        Concept.Not, Concept.And, Concept.Or, Concept.Some, Concept.All, Concept.HasValue,
        Concept.MinCard, Concept.DataRange {

    /** Syntactic length used for the length penalty and the maximum length. */
    int length();

    /** A canonical string, unique per expression, used for ordering and deduplication. */
    String key();

    /** Dispatch to the visitor's method for this kind of expression. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of expression: a consumer (renderer, retrieval, JSON writer)
     * implements them all, so a new kind of expression does not compile until every consumer
     * handles it.
     */
    interface Visitor<R> {
        R top(Top c);
        R bottom(Bottom c);
        R atomic(Atomic c);
        R not(Not c);
        R and(And c);
        R or(Or c);
        R some(Some c);
        R all(All c);
        R hasValue(HasValue c);
        R minCard(MinCard c);
        R dataRange(DataRange c);
    }

    /** An object property, possibly used inversely. */
    record Role(String iri, boolean inverse) {
        public String key() {
            return inverse ? "inv(" + iri + ")" : iri;
        }
    }

    record Top() implements Concept {
        public <R> R accept(Visitor<R> v) { return v.top(this); }
        public int length() { return 1; }
        public String key() { return "T"; }
    }

    record Bottom() implements Concept {
        public <R> R accept(Visitor<R> v) { return v.bottom(this); }
        public int length() { return 1; }
        public String key() { return "F"; }
    }

    record Atomic(String iri) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.atomic(this); }
        public int length() { return 1; }
        public String key() { return "<" + iri + ">"; }
    }

    record Not(Concept operand) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.not(this); }
        public int length() { return 1 + operand.length(); }
        public String key() { return "not(" + operand.key() + ")"; }
    }

    record And(List<Concept> operands) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.and(this); }
        public And {
            operands = List.copyOf(operands);
        }
        public int length() { return sum(operands) + operands.size() - 1; }
        public String key() { return join("and", operands); }
    }

    record Or(List<Concept> operands) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.or(this); }
        public Or {
            operands = List.copyOf(operands);
        }
        public int length() { return sum(operands) + operands.size() - 1; }
        public String key() { return join("or", operands); }
    }

    record Some(Role role, Concept filler) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.some(this); }
        public int length() { return 2 + filler.length(); }
        public String key() { return "some(" + role.key() + "," + filler.key() + ")"; }
    }

    record All(Role role, Concept filler) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.all(this); }
        public int length() { return 2 + filler.length(); }
        public String key() { return "all(" + role.key() + "," + filler.key() + ")"; }
    }

    record HasValue(Role role, String individual) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.hasValue(this); }
        public int length() { return 3; }
        public String key() { return "value(" + role.key() + ",<" + individual + ">)"; }
    }

    record MinCard(int n, Role role, Concept filler) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.minCard(this); }
        public int length() { return 3 + filler.length(); }
        public String key() { return "min(" + n + "," + role.key() + "," + filler.key() + ")"; }
    }

    /** {@code ∃ property . double[>= min, <= max]}; a null bound is open. */
    record DataRange(String property, Double min, Double max) implements Concept {
        public <R> R accept(Visitor<R> v) { return v.dataRange(this); }
        public DataRange {
            if (min == null && max == null) {
                throw new IllegalArgumentException("a data range needs at least one bound");
            }
        }
        public int length() { return min != null && max != null ? 4 : 3; }
        public String key() {
            return "data(<" + property + ">," + (min == null ? "" : min) + ","
                    + (max == null ? "" : max) + ")";
        }
    }

    Top TOP = new Top();
    Bottom BOTTOM = new Bottom();

    /** A canonical conjunction (flattened, deduplicated, sorted); one operand is itself. */
    static Concept and(List<Concept> operands) {
        List<Concept> flat = canonical(operands, And.class);
        flat.removeIf(c -> c instanceof Top && flat.size() > 1);
        return flat.size() == 1 ? flat.get(0) : new And(flat);
    }

    static Concept and(Concept... operands) {
        return and(List.of(operands));
    }

    /** A canonical disjunction (flattened, deduplicated, sorted); one operand is itself. */
    static Concept or(List<Concept> operands) {
        List<Concept> flat = canonical(operands, Or.class);
        return flat.size() == 1 ? flat.get(0) : new Or(flat);
    }

    static Concept or(Concept... operands) {
        return or(List.of(operands));
    }

    private static List<Concept> canonical(List<Concept> operands, Class<?> kind) {
        // sorted by key as they are collected: each key is built once (a key is a string built
        // recursively; a comparator calling key() built two per comparison)
        Map<String, Concept> unique = new TreeMap<>();
        for (Concept operand : operands) {
            List<Concept> inner = kind.isInstance(operand)
                    ? (operand instanceof And a ? a.operands() : ((Or) operand).operands())
                    : List.of(operand);
            for (Concept c : inner) {
                unique.putIfAbsent(c.key(), c);
            }
        }
        return new ArrayList<>(unique.values());
    }

    private static int sum(List<Concept> operands) {
        int total = 0;
        for (Concept c : operands) {
            total += c.length();
        }
        return total;
    }

    private static String join(String name, List<Concept> operands) {
        StringBuilder out = new StringBuilder(name).append('(');
        for (int i = 0; i < operands.size(); i++) {
            out.append(i == 0 ? "" : ",").append(operands.get(i).key());
        }
        return out.append(')').toString();
    }
}

package ai.daikiri.learner.concept;

import java.util.HashSet;
import java.util.Set;

/**
 * The named classes and properties an expression mentions (its signature), e.g. to check that
 * an expression uses what a person required of it ("the explanation must use tool wear").
 */
public final class Signature {
    private Signature() {
    }

    /** The IRIs of the classes and properties in {@code c}. */
    public static Set<String> of(Concept c) {
        Set<String> out = new HashSet<>();
        c.accept(new Collector(out));
        return out;
    }

    private record Collector(Set<String> out) implements Concept.Visitor<Void> {
        public Void top(Concept.Top c) { return null; }
        public Void bottom(Concept.Bottom c) { return null; }
        public Void atomic(Concept.Atomic c) { out.add(c.iri()); return null; }
        public Void not(Concept.Not c) { return c.operand().accept(this); }
        public Void and(Concept.And c) { c.operands().forEach(o -> o.accept(this)); return null; }
        public Void or(Concept.Or c) { c.operands().forEach(o -> o.accept(this)); return null; }
        public Void some(Concept.Some c) { out.add(c.role().iri()); return c.filler().accept(this); }
        public Void all(Concept.All c) { out.add(c.role().iri()); return c.filler().accept(this); }
        public Void hasValue(Concept.HasValue c) { out.add(c.role().iri()); return null; }
        public Void minCard(Concept.MinCard c) {
            out.add(c.role().iri());
            return c.filler().accept(this);
        }
        public Void dataRange(Concept.DataRange c) { out.add(c.property()); return null; }
    }
}

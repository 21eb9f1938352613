package ai.daikiri.learner.concept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConceptTest {
    private final Concept a = new Concept.Atomic("http://x#A");
    private final Concept b = new Concept.Atomic("http://x#B");
    private final Concept c = new Concept.Atomic("http://x#C");

    @Test
    void conjunctionsAreCanonicalFlatAndDeduplicated() {
        assertEquals(Concept.and(a, Concept.and(b, c)), Concept.and(c, b, a, b));
        assertEquals(a, Concept.and(a, a));
        assertEquals(a, Concept.and(Concept.TOP, a));
        assertTrue(Concept.and(a, b) instanceof Concept.And);
        assertEquals(Concept.or(a, b), Concept.or(b, a));
    }

    @Test
    void lengthsFollowDlLearner() {
        Concept.Role r = new Concept.Role("http://x#r", false);
        assertEquals(1, a.length());
        assertEquals(3, Concept.and(a, b).length());
        assertEquals(3, new Concept.Some(r, Concept.TOP).length());
        assertEquals(5, Concept.and(a, new Concept.Some(r, Concept.TOP)).length());
        assertEquals(2, new Concept.Not(a).length());
        assertEquals(3, new Concept.DataRange("http://x#p", 1.0, null).length());
        assertEquals(4, new Concept.DataRange("http://x#p", 1.0, 2.0).length());
    }

    @Test
    void aDataRangeNeedsABound() {
        assertThrows(IllegalArgumentException.class,
                () -> new Concept.DataRange("http://x#p", null, null));
    }
}

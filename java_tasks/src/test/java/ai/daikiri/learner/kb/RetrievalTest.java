package ai.daikiri.learner.kb;

import ai.daikiri.learner.concept.Concept;
import static ai.daikiri.learner.kb.Fixtures.iri;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RetrievalTest {
    private final KnowledgeBase kb = Fixtures.family();
    private final Retrieval retrieval = new Retrieval(kb);
    private final Concept.Role hasChild = new Concept.Role(iri("hasChild"), false);
    private final Concept.Role hasParent = new Concept.Role(iri("hasChild"), true);

    private Set<String> names(Concept c) {
        BitSet bits = retrieval.instances(c);
        Set<String> out = new TreeSet<>();
        bits.stream().forEach(i -> out.add(kb.individual(i).substring(Fixtures.NS.length())));
        return out;
    }

    @Test
    void classesIncludeInstancesOfSubclasses() {
        assertEquals(6, names(new Concept.Atomic(iri("Person"))).size());
        assertEquals(Set.of("aunt", "girl", "mum"), names(new Concept.Atomic(iri("Female"))));
    }

    @Test
    void negationIsClosedWorld() {
        assertEquals(Set.of("dad", "grandpa", "son"),
                names(new Concept.Not(new Concept.Atomic(iri("Female")))));
    }

    @Test
    void existentialAndInverseRoles() {
        assertEquals(Set.of("dad", "grandpa", "mum"), names(new Concept.Some(hasChild, Concept.TOP)));
        assertEquals(Set.of("aunt", "dad", "girl", "son"),
                names(new Concept.Some(hasParent, Concept.TOP)));
        assertEquals(Set.of("grandpa"), names(new Concept.Some(hasChild,
                new Concept.Some(hasChild, Concept.TOP))));
    }

    @Test
    void universalHoldsVacuouslyWithoutSuccessors() {
        Concept onlyMaleChildren = new Concept.All(hasChild, new Concept.Atomic(iri("Male")));
        assertEquals(Set.of("aunt", "girl", "son"), names(onlyMaleChildren));
    }

    @Test
    void hasValueAndCardinality() {
        assertEquals(Set.of("dad", "mum"),
                names(new Concept.HasValue(hasChild, iri("girl"))));
        assertEquals(Set.of("dad", "grandpa", "mum"),
                names(new Concept.MinCard(2, hasChild, Concept.TOP)));
        assertEquals(Set.of(), names(new Concept.MinCard(3, hasChild, Concept.TOP)));
        assertEquals(Set.of("dad", "grandpa", "mum"), names(new Concept.MinCard(1, hasChild,
                new Concept.Atomic(iri("Female")))));
        assertEquals(Set.of(), names(new Concept.MinCard(2, hasChild,
                new Concept.Atomic(iri("Female")))));
    }

    @Test
    void numericRangesAreInclusive() {
        assertEquals(Set.of("aunt", "dad"),
                names(new Concept.DataRange(iri("age"), 47.0, 50.0)));
        assertEquals(Set.of("girl"), names(new Concept.DataRange(iri("age"), null, 20.0)));
        assertEquals(Set.of("grandpa", "mum", "son"), names(new Concept.DataRange(iri("age"), 50.5, null)));
    }

    @Test
    void boundsOfSortedArrays() {
        double[] values = {1, 2, 2, 2, 5};
        assertEquals(1, Retrieval.lowerBound(values, 2));
        assertEquals(4, Retrieval.upperBound(values, 2));
        assertEquals(4, Retrieval.lowerBound(values, 3));
        assertEquals(5, Retrieval.upperBound(values, 9));
    }
}

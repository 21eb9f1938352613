package ai.daikiri.learner.kb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {
    private static final String P = Fixtures.iri("wear");

    /** Values sorted with their owners; equal values keep the order they were added in (the
     *  radix sort against a comparison sort: negatives, both zeros, subnormals, infinities,
     *  NaN, values a bit apart). */
    @Test
    void numericValuesAreSortedStablyWithTheirOwners() {
        Random random = new Random(3);
        double[] pool = {-1.5, -0.0, 0.0, 2.0, 2.0, 7.25, Double.NaN, 1e9, Math.nextUp(2.0),
            Math.nextDown(-1.5), Double.MIN_VALUE, -Double.MIN_VALUE, -Double.MAX_VALUE,
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -1e-300};
        KnowledgeBase.Builder builder = new KnowledgeBase.Builder();
        List<double[]> added = new ArrayList<>(); // (value, owner)
        for (int i = 0; i < 5000; i++) {
            double value = switch (random.nextInt(4)) {
                case 0 -> pool[random.nextInt(pool.length)];
                case 1 -> random.nextGaussian() * 1e3; // every byte of the bits differs
                default -> random.nextInt(40);
            };
            builder.dataAssertion(P, Fixtures.iri("run" + i), value);
            added.add(new double[] {value, i});
        }
        KnowledgeBase kb = builder.build();
        List<double[]> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingDouble(pair -> pair[0])); // stable, Double.compare
        KnowledgeBase.NumericValues values = kb.values(P);
        assertArrayEquals(expected.stream().mapToDouble(pair -> pair[0]).toArray(),
                values.values());
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(Fixtures.iri("run" + (int) expected.get(k)[1]),
                    kb.individual(values.owners()[k]), "position " + k);
        }
    }

    /** The fingerprint depends on what the knowledge base holds, not on the reading order. */
    @Test
    void fingerprintIgnoresOrderButNotContent() {
        List<Runnable> steps = new ArrayList<>();
        KnowledgeBase.Builder[] builder = {null};
        steps.add(() -> builder[0].subClassOf(Fixtures.iri("Male"), Fixtures.iri("Person")));
        steps.add(() -> builder[0].classAssertion(Fixtures.iri("Male"), Fixtures.iri("dad")));
        steps.add(() -> builder[0].objectAssertion(Fixtures.iri("hasChild"), Fixtures.iri("dad"),
                Fixtures.iri("son")));
        steps.add(() -> builder[0].dataAssertion(P, Fixtures.iri("son"), 3.0));
        steps.add(() -> builder[0].label(Fixtures.iri("dad"), "Dad"));
        steps.add(() -> builder[0].label(Fixtures.iri("dad"), "Daddy"));
        builder[0] = new KnowledgeBase.Builder();
        steps.forEach(Runnable::run);
        String forward = builder[0].build().fingerprint();
        Collections.reverse(steps);
        builder[0] = new KnowledgeBase.Builder();
        steps.forEach(Runnable::run);
        KnowledgeBase reversed = builder[0].build();
        assertEquals(forward, reversed.fingerprint());
        assertEquals("Dad", reversed.label(Fixtures.iri("dad"))); // of two labels, the first
        builder[0] = new KnowledgeBase.Builder();
        steps.forEach(Runnable::run);
        builder[0].dataAssertion(P, Fixtures.iri("dad"), 3.0);
        assertNotEquals(forward, builder[0].build().fingerprint());
    }
}

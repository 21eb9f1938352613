package ai.daikiri.learner.rdf;

import ai.daikiri.learner.LearnerException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    private static NTriplesReader.Term subject(long i) {
        return NTriplesReader.Term.iri("http://example.org/t#s" + i);
    }

    @Test
    void triplesArriveInTheOrderReadOnTheCallingThreadAcrossBatches() {
        int n = ReadAhead.BATCH * ReadAhead.QUEUE * 3 + 17; // more than the queue holds
        List<String> seen = new ArrayList<>();
        AtomicReference<Thread> readerThread = new AtomicReference<>();
        Thread caller = Thread.currentThread();
        long count = ReadAhead.read(sink -> {
            readerThread.set(Thread.currentThread());
            for (int i = 0; i < n; i++) {
                sink.triple(subject(i), "http://example.org/t#p", subject(i + 1));
            }
            return n;
        }, (s, p, o) -> {
            assertEquals(caller, Thread.currentThread());
            seen.add(s.value());
        });
        assertEquals(n, count);
        assertEquals(n, seen.size());
        for (int i = 0; i < n; i++) {
            assertEquals("http://example.org/t#s" + i, seen.get(i));
        }
        assertNotEquals(caller, readerThread.get());
    }

    @Test
    void aReadersFailureIsThrownHereAfterTheTriplesBeforeIt() {
        List<String> seen = new ArrayList<>();
        LearnerException thrown = assertThrows(LearnerException.class, () -> ReadAhead.read(
                sink -> {
                    for (int i = 0; i < ReadAhead.BATCH + 5; i++) {
                        sink.triple(subject(i), "http://example.org/t#p", subject(0));
                    }
                    throw new LearnerException("cannot read ABox 'a.nt' as N-Triples: line 4102");
                }, (s, p, o) -> seen.add(s.value())));
        assertEquals("cannot read ABox 'a.nt' as N-Triples: line 4102", thrown.getMessage());
        assertEquals(ReadAhead.BATCH + 5, seen.size());
    }

    @Test
    void theConsumersFailureStopsTheReader() throws InterruptedException {
        CountDownLatch readerEnded = new CountDownLatch(1);
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> ReadAhead.read(sink -> {
                    try {
                        for (long i = 0; i < Long.MAX_VALUE; i++) { // endless unless stopped
                            sink.triple(subject(i), "http://example.org/t#p", subject(0));
                        }
                        return 0;
                    } finally {
                        readerEnded.countDown();
                    }
                }, (s, p, o) -> {
                    throw new IllegalStateException("builder refused " + s.value());
                }));
        assertEquals("builder refused http://example.org/t#s0", thrown.getMessage());
        assertTrue(readerEnded.await(10, TimeUnit.SECONDS), "the reader still runs");
    }
}

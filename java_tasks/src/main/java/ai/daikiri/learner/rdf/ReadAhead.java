package ai.daikiri.learner.rdf;

import ai.daikiri.learner.LearnerException;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.ToLongFunction;

/**
 * Parsing on a thread of its own while the caller consumes: a reader writes triples into a
 * sink that hands them on in batches through a short queue, and the calling thread passes
 * them, in the order read, to the real sink, so the knowledge base is the same (same
 * fingerprint). Loading a large graph is parsing plus filling the knowledge base; side by side
 * on two cores, 11 M triples (the 1,000,000-run graph) load in 7.9 / 8.1 s instead of
 * 10.1 / 9.8 s (serial collector; 9.5 / 9.8 instead of 12.1 / 11.1 s with G1).
 *
 * <p>What the reader throws (a malformed line, an unreadable file) is thrown on the calling
 * thread as it was; what the consumer throws stops the reader.
 */
public final class ReadAhead {
    /** Triples per hand-over: large enough that the queue's locking does not count. */
    static final int BATCH = 4096;
    /** Batches parsed ahead of the consumer (bounds the memory the reader may run ahead by). */
    static final int QUEUE = 8;

    private ReadAhead() {
    }

    /** One hand-over: triples in the order read; the last batch of a file is {@code last}. */
    private static final class Batch {
        final NTriplesReader.Term[] subjects = new NTriplesReader.Term[BATCH];
        final String[] predicates = new String[BATCH];
        final NTriplesReader.Term[] objects = new NTriplesReader.Term[BATCH];
        int size;
        boolean last;
        long count;
        Throwable failure;
    }

    /**
     * Run {@code reader} (which writes every triple into the sink it is given and returns how
     * many it read) on a new thread, and hand its triples to {@code consumer} on this one;
     * returns the reader's count.
     */
    public static long read(ToLongFunction<NTriplesReader.Sink> reader,
            NTriplesReader.Sink consumer) {
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
        Thread parser = new Thread(() -> produce(reader, queue), "daikiri-read-ahead");
        parser.setDaemon(true);
        parser.start();
        boolean done = false;
        try {
            while (true) {
                Batch batch = queue.take();
                for (int i = 0; i < batch.size; i++) {
                    consumer.triple(batch.subjects[i], batch.predicates[i], batch.objects[i]);
                }
                if (batch.last) {
                    done = true;
                    rethrow(batch.failure);
                    return batch.count;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LearnerException("interrupted while reading triples");
        } finally {
            if (!done) {
                parser.interrupt(); // the consumer failed: the reader stops at its next batch
            }
        }
    }

    private static void produce(ToLongFunction<NTriplesReader.Sink> reader,
            BlockingQueue<Batch> queue) {
        Producer producer = new Producer(queue);
        Batch end;
        try {
            long count = reader.applyAsLong(producer);
            end = producer.current;
            end.count = count;
        } catch (RuntimeException | Error e) {
            if (producer.stopped) {
                return; // the consumer is gone (a reader may have wrapped the Stopped)
            }
            end = producer.current;
            end.failure = e;
        }
        end.last = true;
        try {
            producer.put(end);
        } catch (Stopped e) {
            // the consumer is gone
        }
    }

    /** The reader's sink: fills a batch, hands it over when full. */
    private static final class Producer implements NTriplesReader.Sink {
        private final BlockingQueue<Batch> queue;
        private Batch current = new Batch();
        private boolean stopped;

        Producer(BlockingQueue<Batch> queue) {
            this.queue = queue;
        }

        @Override
        public void triple(NTriplesReader.Term subject, String predicate,
                NTriplesReader.Term object) {
            Batch batch = current;
            batch.subjects[batch.size] = subject;
            batch.predicates[batch.size] = predicate;
            batch.objects[batch.size] = object;
            if (++batch.size == BATCH) {
                put(batch);
                current = new Batch();
            }
        }

        void put(Batch batch) {
            if (stopped) {
                return;
            }
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                stopped = true;
                throw new Stopped();
            }
        }
    }

    private static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The consumer stopped: unwinds the reader's thread. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }
}

package ai.daikiri.learner.search;

import ai.daikiri.learner.Log;
import ai.daikiri.learner.kb.KnowledgeBase;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Solves a batch of learning problems on several threads that share one loaded knowledge base.
 *
 * <p>The knowledge base is read-only once built; everything a search changes (the retrieval's
 * cache, the threshold tuner's candidates, the learner's counters) belongs to one
 * {@link Learner} per thread. A problem's answer therefore does not depend on the thread count
 * or on which thread solved it: its runtime budget is the CPU time of its own thread
 * ({@link SearchClock}), and the retrieval cache changes only how fast a set is found. One
 * JVM with a thread per core holds the graph once, where one JVM per core would hold it once
 * per core (at 1,000,000 rows a graph is gigabytes).
 */
public final class ProblemPool {

    private ProblemPool() {
    }

    /**
     * The results of {@code problems}, in their order, solved on up to {@code threads} threads
     * (one per problem at most), each taking the next unsolved problem when it is free, the
     * problems expected to take longest first ({@link #longestFirst}). After a
     * problem fails no further problem starts (a user error shows at once, not after every
     * other search's budget); the searches under way end, and the failure of the first failed
     * problem in list order is thrown.
     */
    public static List<Learner.Result> solve(KnowledgeBase kb, Learner.Options options,
            List<LearningProblem> problems, int threads) {
        int workers = Math.max(1, Math.min(threads, problems.size()));
        Learner.Result[] results = new Learner.Result[problems.size()];
        Throwable[] failures = new Throwable[problems.size()];
        int[] order = longestFirst(problems);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable work = () -> {
            Learner learner = new Learner(kb, options);
            for (int taken = next.getAndIncrement(); taken < order.length && !failed.get();
                    taken = next.getAndIncrement()) {
                int i = order[taken];
                try {
                    results[i] = learner.learn(problems.get(i));
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                    failed.set(true);
                }
            }
        };
        if (workers == 1) {
            work.run();
        } else {
            Log.info("%d problems on %d threads", problems.size(), workers);
            List<Thread> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                Thread thread = new Thread(work, "learner-" + w);
                thread.start();
                running.add(thread);
            }
            for (Thread thread : running) {
                joinUninterruptibly(thread);
            }
        }
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
        return Arrays.asList(results);
    }

    /**
     * The order the threads take the problems in: the most balanced first (the larger of the
     * smaller example set), ties in list order. A balanced problem is the slowest to search
     * (more examples to cover, more rules to find; the default data's regimes take 4 s where
     * a rare fault takes 0.1 to 2 s), and started last it runs alone on one core at the end
     * while the other cores idle (10,000 runs: the second regime's last 2 of 11 s).
     */
    static int[] longestFirst(List<LearningProblem> problems) {
        return IntStream.range(0, problems.size()).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -balance(problems.get(i))))
                .mapToInt(Integer::intValue).toArray();
    }

    private static int balance(LearningProblem problem) {
        return Math.min(problem.positives().size(), problem.negatives().size());
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package ai.daikiri.learner.search;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The clock a search's runtime is measured on: the CPU time of the thread that searches (the
 * search is single-threaded), where the JVM can read it, else the wall clock.
 *
 * <p>On CPU time a search finds the same on a busy machine as on a quiet one: learners running
 * side by side, a benchmark beside them, a shared CI runner make it take longer, not stop
 * earlier with less. The wall-clock bound of a whole run is its task's timeout.
 */
final class SearchClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported()
            && THREADS.isThreadCpuTimeEnabled();

    private SearchClock() {
    }

    /** Nanoseconds on this clock (only differences mean anything). */
    static long now() {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Whether {@link #now()} counts this thread's CPU time (else the wall clock). */
    static boolean countsCpuTime() {
        return CPU_TIME;
    }
}

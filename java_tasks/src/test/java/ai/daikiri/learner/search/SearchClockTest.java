package ai.daikiri.learner.search;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SearchClockTest {

    @Test
    void countsTheThreadsWorkNotTheTimeItWaits() throws InterruptedException {
        assertTrue(SearchClock.countsCpuTime(), "this JVM reads thread CPU time");
        long before = SearchClock.now();
        Thread.sleep(300);
        long waited = SearchClock.now() - before;
        assertTrue(waited < 100_000_000L, "300 ms asleep counted as " + waited / 1e6 + " ms");

        before = SearchClock.now();
        long wallStarted = System.nanoTime();
        double sink = 0;
        while (System.nanoTime() - wallStarted < 300_000_000L) {
            sink += Math.sqrt(sink + 1);
        }
        long worked = SearchClock.now() - before;
        assertTrue(worked > 30_000_000L && sink > 0,
                "300 ms of work counted as " + worked / 1e6 + " ms");
    }
}

package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CPU backend's worker threads: every task once per phase, failures surface, close stops them. */
class WorkerGangTest {

    @ParameterizedTest
    @ValueSource(longs = {0L, 200_000L})   // park at once; spin 200 µs
    void runsEveryTaskExactlyOncePerPhaseOnSeveralThreads(long spinNanos) {
        try (WorkerGang gang = new WorkerGang(3, spinNanos, "test")) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int phase = 0; phase < 500; phase++) {
                int tasks = 1 + phase % 9;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                gang.run(tasks, i -> {
                    runs.incrementAndGet(i);
                    threads.add(Thread.currentThread().getName());
                    // long enough that the helpers take some tasks
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                });
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, runs.get(i), "phase " + phase + " task " + i);
                }
            }
            assertEquals(3, threads.size(), "caller and both helpers worked: " + threads);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})   // the failing task on the caller or wherever it lands
    void rethrowsATaskFailureAndStaysUsable(int failing) {
        try (WorkerGang gang = new WorkerGang(2, 50_000L, "test")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gang.run(8, i -> {
                if (i == failing) {
                    throw new IllegalStateException("task " + i + " failed");
                }
            }));
            assertEquals("task " + failing + " failed", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            gang.run(8, runs::incrementAndGet);
            for (int i = 0; i < 8; i++) {
                assertEquals(1, runs.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1_000_000_000L})   // parked helpers and spinning ones
    void closeStopsTheHelpers(long spinNanos) throws InterruptedException {
        WorkerGang gang = new WorkerGang(3, spinNanos, "test");
        gang.run(4, i -> { });
        gang.close();
        for (Thread t : gang.helperThreads()) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still running after close");
        }
        assertThrows(IllegalStateException.class, () -> gang.run(2, i -> { }));
    }
}

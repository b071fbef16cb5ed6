package org.grokscope.compute.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
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
            Map<Integer, String> workers = new ConcurrentHashMap<>();
            for (int phase = 0; phase < 500; phase++) {
                int tasks = 1 + phase % 9;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                AtomicIntegerArray busy = new AtomicIntegerArray(gang.threads());
                gang.run(tasks, (i, worker) -> {
                    runs.incrementAndGet(i);
                    threads.add(Thread.currentThread().getName());
                    // a worker index belongs to one thread, and runs one task at a time
                    assertEquals(Thread.currentThread().getName(),
                            workers.computeIfAbsent(worker, w -> Thread.currentThread().getName()));
                    assertEquals(1, busy.incrementAndGet(worker), "worker " + worker + " runs two tasks at once");
                    // long enough that the helpers take some tasks
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    busy.decrementAndGet(worker);
                });
                for (int i = 0; i < tasks; i++) {
                    assertEquals(1, runs.get(i), "phase " + phase + " task " + i);
                }
            }
            assertEquals(3, threads.size(), "caller and both helpers worked: " + threads);
            assertEquals(Set.of(0, 1, 2), workers.keySet());
            assertEquals(Thread.currentThread().getName(), workers.get(0), "the caller is worker 0");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5})   // the failing task on the caller or wherever it lands
    void rethrowsATaskFailureAndStaysUsable(int failing) {
        try (WorkerGang gang = new WorkerGang(2, 50_000L, "test")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gang.run(8, (i, worker) -> {
                if (i == failing) {
                    throw new IllegalStateException("task " + i + " failed");
                }
            }));
            assertEquals("task " + failing + " failed", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(8);
            gang.run(8, (i, worker) -> runs.incrementAndGet(i));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, runs.get(i));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1_000_000_000L})   // parked helpers and spinning ones
    void closeStopsTheHelpers(long spinNanos) throws InterruptedException {
        WorkerGang gang = new WorkerGang(3, spinNanos, "test");
        gang.run(4, (i, worker) -> { });
        gang.close();
        for (Thread t : gang.helperThreads()) {
            t.join(5_000);
            assertFalse(t.isAlive(), t.getName() + " still running after close");
        }
        assertThrows(IllegalStateException.class, () -> gang.run(2, (i, worker) -> { }));
    }
}

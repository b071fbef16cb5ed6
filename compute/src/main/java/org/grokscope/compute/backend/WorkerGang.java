package org.grokscope.compute.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The worker threads of one CPU engine: {@link #run} hands the tasks of one step phase (lanes, then
 * reduction slices) to the calling thread and {@code threads - 1} helpers, which claim task indices
 * until none are left. Which thread runs a task never changes what the task computes, so results
 * do not depend on the thread count. Each task also gets the index of the worker running it (the
 * caller is 0, helpers 1 … threads-1), so per-worker scratch needs no locking.
 *
 * <p>A step has phases a few milliseconds apart. An executor parks its threads between them and
 * pays a wake-up (tens of microseconds on a virtual machine) plus a hand-off to a pool thread each
 * time; here the caller works too and idle threads spin for {@code spinNanos} before they park.
 * One owner: {@link #run} must not be called from two threads at once.
 */
final class WorkerGang implements AutoCloseable {
    /** One task of a phase, run by worker {@code worker}; no two tasks run on one worker at once. */
    @FunctionalInterface
    interface Task {
        void run(int index, int worker);
    }

    private final Thread[] helpers;
    private final long spinNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    // 1 while helper i is parked (or about to park) and needs an unpark to see a new phase
    private final AtomicIntegerArray parked;
    private volatile int generation;
    private volatile Task job;
    private volatile int jobSize;
    private volatile Throwable failure;
    private volatile Thread waiter;
    private volatile boolean closed;

    WorkerGang(int threads, long spinNanos, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.spinNanos = spinNanos;
        this.helpers = new Thread[threads - 1];
        this.parked = new AtomicIntegerArray(helpers.length);
        for (int i = 0; i < helpers.length; i++) {
            int id = i;
            Thread t = new Thread(() -> helperLoop(id), name + "-" + (i + 1));
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    int threads() {
        return helpers.length + 1;
    }

    /**
     * Runs task(0) … task(tasks - 1), each exactly once, and returns when all have finished. If
     * tasks throw, one of their exceptions (the caller's own first) is rethrown here once every
     * thread is done.
     */
    void run(int tasks, Task task) {
        if (closed) {
            throw new IllegalStateException("worker gang is closed");
        }
        if (helpers.length == 0 || tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                task.run(i, 0);
            }
            return;
        }
        job = task;
        jobSize = tasks;
        failure = null;
        next.set(0);
        pending.set(helpers.length);
        generation++;
        for (int i = 0; i < helpers.length; i++) {
            if (parked.get(i) != 0) {
                LockSupport.unpark(helpers[i]);
            }
        }
        Throwable mine = null;
        try {
            drain(task, tasks, 0);
        } catch (RuntimeException | Error e) {
            mine = e;
        }
        awaitHelpers();
        job = null;
        Throwable first = mine != null ? mine : failure;
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error e) {
            throw e;
        }
    }

    private void awaitHelpers() {
        long deadline = System.nanoTime() + spinNanos;
        while (pending.get() != 0) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                if (pending.get() != 0) {
                    LockSupport.park(this);
                }
                waiter = null;
            }
        }
    }

    private void drain(Task task, int tasks, int worker) {
        for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
            task.run(i, worker);
        }
    }

    private void helperLoop(int id) {
        int seen = 0;
        while (true) {
            long deadline = System.nanoTime() + spinNanos;
            while (generation == seen && !closed) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    parked.set(id, 1);
                    if (generation == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked.set(id, 0);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                drain(job, jobSize, id + 1);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            if (pending.decrementAndGet() == 0) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    /** Stops the helpers; a helper in the middle of a task finishes it first. */
    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }

    /** The helper threads, for tests that check {@link #close} stops them. */
    Thread[] helperThreads() {
        return helpers.clone();
    }
}

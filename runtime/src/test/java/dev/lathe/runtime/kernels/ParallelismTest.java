package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelismTest {
    @Test
    void everyTaskRunsExactlyOnce() {
        for (int threads : new int[] {1, 2, 5}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(1000);
            Parallelism.of(threads).forEach(1000, runs::incrementAndGet);
            for (int i = 0; i < 1000; i++) assertEquals(1, runs.get(i), "task " + i + " with " + threads + " threads");
        }
    }

    @Test
    void nestedUseFromPoolWorkersCompletes() {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Parallelism par = Parallelism.of(4, pool);
            AtomicIntegerArray runs = new AtomicIntegerArray(64);
            par.forEach(8, outer -> par.forEach(8, inner -> runs.incrementAndGet(outer * 8 + inner)));
            for (int i = 0; i < 64; i++) assertEquals(1, runs.get(i));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theFirstFailureIsRethrown() {
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallelism.of(3).forEach(100, t -> {
            if (t == 17) throw boom;
        }));
        assertSame(boom, thrown);
        // The pool is still usable afterwards.
        AtomicIntegerArray runs = new AtomicIntegerArray(10);
        Parallelism.of(3).forEach(10, runs::incrementAndGet);
        for (int i = 0; i < 10; i++) assertEquals(1, runs.get(i));
    }

    @Test
    void aParkedWorkerIsWokenForEveryBatch() throws Exception {
        // Each batch's two tasks wait for each other, so it finishes in time only if a worker took one:
        // a lost wake-up would leave the caller alone with a task that cannot finish.
        Parallelism par = Parallelism.of(2, new SpinningPool(1, "test-wake"));
        for (int round = 0; round < 20; round++) {
            Thread.sleep(round % 2 == 0 ? 2 : 0); // longer than the spin: the worker has parked
            CountDownLatch both = new CountDownLatch(2);
            boolean[] met = new boolean[2];
            par.forEach(2, t -> {
                both.countDown();
                try {
                    met[t] = both.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(met[0] && met[1], "round " + round + ": the tasks did not run at the same time");
        }
    }

    @Test
    void idleWorkersStopSpinning() throws Exception {
        SpinningPool pool = new SpinningPool(2, "test-idle");
        Parallelism.of(3, pool).forEach(100, t -> { });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.spinning() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(0, pool.spinning(), "workers still spinning long after the last task");
    }

    @Test
    void concurrentCallersEachRunEveryTaskOnce() throws Exception {
        Parallelism par = Parallelism.of(2);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                done.add(callers.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(37);
                        par.forEach(37, runs::incrementAndGet);
                        for (int i = 0; i < 37; i++) assertEquals(1, runs.get(i), "round " + round + " task " + i);
                    }
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void smallWorkSplitsOnlyWhileAWorkerIsAwake() throws Exception {
        SpinningPool pool = new SpinningPool(1, "test-split");
        Parallelism par = Parallelism.of(2, pool);
        long min = Parallelism.MIN_WORK_PER_THREAD;
        assertEquals(2, par.forWork(4 * min, min).threads(), "large work always splits");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.spinning() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        assertEquals(1, par.forWork(min / 2, min).threads(), "a parked worker is not worth waking for half the share");
        assertEquals(1, par.forWork(min / 4 / Parallelism.AWAKE_DIVISOR, min).threads(), "tiny work never splits");
    }
}

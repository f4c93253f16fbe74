package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.ForkJoinPool;
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
}

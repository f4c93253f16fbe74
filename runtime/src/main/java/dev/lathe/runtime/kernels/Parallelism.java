package dev.lathe.runtime.kernels;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * How many threads a kernel may use, and the pool they come from. Immutable and thread-safe; one
 * instance is meant to be shared by all calls of a compiled model. Kernels split their work into
 * independent tasks (GEMM: blocks of rows, or of columns when there are few rows) which the calling
 * thread and up to {@code threads - 1} pool workers take from a shared counter, so uneven tasks
 * balance themselves. Nested use (a kernel called from a pool worker) is safe: the caller always
 * works too and waits only for tasks already running, so progress never waits on a free worker.
 */
public final class Parallelism {
    /** Everything on the calling thread. */
    public static final Parallelism SERIAL = new Parallelism(1, null);

    private static final class Shared {
        /** One worker fewer than CPUs, since the caller always works too; {@code -Dlathe.workers} for tuning. */
        static final SpinningPool POOL = new SpinningPool(
                Math.max(1, Integer.getInteger("lathe.workers", Runtime.getRuntime().availableProcessors() - 1)), "lathe-kernels");
    }

    /** About 10 µs of vector flops: less work than this is not worth another thread. */
    static final long MIN_WORK_PER_THREAD = 1L << 20;
    /**
     * With a worker of the shared pool spinning, a hand-off costs about a microsecond instead of a
     * wake-up, so a thread's share may be this many times smaller.
     */
    static final int AWAKE_DIVISOR = 8;

    private final int threads;
    private final Executor executor;

    private Parallelism(int threads, Executor executor) {
        this.threads = threads;
        this.executor = executor;
    }

    /**
     * {@code threads} threads: the caller and workers from a pool shared by the whole runtime (daemon
     * workers, one fewer than CPUs, that spin briefly between tasks, see {@link SpinningPool}).
     */
    public static Parallelism of(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        return threads == 1 ? SERIAL : new Parallelism(threads, Shared.POOL);
    }

    /**
     * {@code threads} threads: the caller plus up to {@code threads - 1} runs on {@code executor}
     * (which the caller owns; a pool with fewer threads only makes the caller do more).
     */
    public static Parallelism of(int threads, Executor executor) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (executor == null) throw new IllegalArgumentException("executor must not be null");
        return threads == 1 ? SERIAL : new Parallelism(threads, executor);
    }

    /** One thread per available processor. */
    public static Parallelism allCores() {
        return of(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public int threads() { return threads; }

    /**
     * This parallelism, or {@link #SERIAL} when {@code work} (in flops or element operations) is too
     * small to repay waking another thread: handing a task to a pool worker costs some microseconds,
     * so each thread should get at least {@code minPerThread} of work. When a worker of the shared pool
     * is spinning the hand-off is cheap and the share is {@link #AWAKE_DIVISOR} times smaller; work
     * that would split at that share but finds no worker awake runs here and wakes one for the kernels
     * that follow.
     */
    Parallelism forWork(long work, long minPerThread) {
        if (threads == 1) return this;
        long min = Math.max(1, minPerThread);
        if (executor instanceof SpinningPool pool) {
            long awakeMin = Math.max(1, min / AWAKE_DIVISOR);
            if (pool.spinning() > 0) {
                min = awakeMin;
            } else if (work / awakeMin > 1 && work / min <= 1) {
                pool.prime();
                return SERIAL;
            }
        }
        long useful = work / min;
        if (useful <= 1) return SERIAL;
        return useful >= threads ? this : new Parallelism((int) useful, executor);
    }

    /**
     * Runs {@code task.accept(t)} for every t in [0, tasks), each exactly once, on up to
     * {@link #threads()} threads, and returns when all have finished. The first exception a task
     * throws is rethrown here, after the tasks already running have finished; tasks not yet started
     * are then skipped.
     */
    public void forEach(int tasks, IntConsumer task) {
        if (tasks <= 0) return;
        int workers = Math.min(threads, tasks);
        if (workers == 1) {
            for (int t = 0; t < tasks; t++) task.accept(t);
            return;
        }
        Batch batch = new Batch(tasks, task);
        // Helpers that start late find the counter spent and return at once, so the caller waits only
        // for tasks actually running, never for a helper to be scheduled.
        for (int w = 1; w < workers; w++) executor.execute(batch);
        batch.run();
        batch.await();
    }

    private static final class Batch implements Runnable {
        final int tasks;
        final IntConsumer task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Batch(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
        }

        @Override
        public void run() {
            for (int t; (t = next.getAndIncrement()) < tasks; ) {
                try {
                    task.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    int skipped = tasks - Math.min(tasks, next.getAndSet(tasks));
                    finished.addAndGet(skipped);
                } finally {
                    finished.incrementAndGet();
                }
            }
        }

        void await() {
            for (int spins = 0; finished.get() < tasks; spins++) {
                if (spins < 1000) Thread.onSpinWait();
                else LockSupport.parkNanos(20_000);
            }
            Throwable e = failure.get();
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Parallelism[threads=" + threads + "]";
    }
}

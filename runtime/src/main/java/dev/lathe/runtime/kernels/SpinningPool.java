package dev.lathe.runtime.kernels;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernels' shared worker pool. A worker that runs out of tasks spins for {@link #SPIN_NANOS}
 * before it parks, so the kernels of one model call, which follow each other within microseconds,
 * find it awake: only the first pays the wake-up (13-28 µs measured for a parked ForkJoinPool worker;
 * a spinning one only has to see the queued task). The spin is bounded, so an idle pool burns no CPU.
 *
 * <p>Wake-ups are never lost: {@link #execute} enqueues before it reads how many workers spin, and a
 * worker stops counting as spinning, lists itself as parked and then looks at the queue once more
 * before it parks. Parked workers are woken most recently parked first (their caches are warmest).
 */
final class SpinningPool implements Executor {
    /** How long an idle worker waits for the next task before parking. */
    static final long SPIN_NANOS = 50_000;
    /** Polls between yields while spinning (a power of two). */
    private static final int YIELD_EVERY = Integer.getInteger("lathe.yieldEvery", 16);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedDeque<Thread> parked = new ConcurrentLinkedDeque<>();
    private final AtomicInteger spinning = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();

    SpinningPool(int workers, String name) {
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(this::work, name + "-" + w);
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        // Spinning workers take queued tasks themselves; wake a parked one only for tasks beyond them.
        if (pending.incrementAndGet() > spinning.get()) wakeOne();
    }

    /** Workers now spinning for a task: a hand-off to them is cheap. */
    int spinning() {
        return spinning.get();
    }

    /**
     * Wakes one worker when none is spinning, without giving it work, so that a kernel following soon
     * (the next layer of the same call) finds it awake.
     */
    void prime() {
        if (spinning.get() == 0) wakeOne();
    }

    private void wakeOne() {
        Thread t = parked.pollFirst();
        if (t != null) LockSupport.unpark(t);
    }

    private void work() {
        Thread me = Thread.currentThread();
        while (true) {
            spinning.incrementAndGet();
            Runnable task = spinForTask();
            spinning.decrementAndGet();
            if (task != null) {
                run(me, task);
                continue;
            }
            parked.addFirst(me);
            if (!queue.isEmpty()) {
                parked.remove(me); // if a waker took us first, its unpark only makes the next park return early
                continue;
            }
            LockSupport.park(this);
            parked.remove(me); // still listed after a spurious return
        }
    }

    private Runnable spinForTask() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        for (int polls = 1; ; polls++) {
            Runnable task = queue.poll();
            if (task != null) {
                pending.decrementAndGet();
                return task;
            }
            if (System.nanoTime() - deadline > 0) return null;
            // Yielding now and then lets a thread with work run first where cores are oversubscribed;
            // with a core to spare it returns at once.
            if ((polls & (YIELD_EVERY - 1)) == 0) Thread.yield();
            else Thread.onSpinWait();
        }
    }

    private static void run(Thread me, Runnable task) {
        try {
            task.run();
        } catch (Throwable e) { // keep the worker alive; Parallelism's batches catch their own failures
            me.getUncaughtExceptionHandler().uncaughtException(me, e);
        }
    }
}

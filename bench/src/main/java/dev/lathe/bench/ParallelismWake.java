package dev.lathe.bench;

import dev.lathe.runtime.kernels.Parallelism;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * What handing work to a pool worker costs: the median time of {@code Parallelism.forEach} over two
 * busy-wait tasks on 2 threads against the same tasks on the caller, after {@code gap} µs in which the
 * worker has nothing to do (as between the kernels of a model call). A plain main, not JMH, because
 * the gap must precede every call. Runs the shared pool (workers spin 50 µs before parking) and, for
 * comparison, a plain ForkJoinPool (the pool before that change):
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.lathe.bench.ParallelismWake}.
 */
public final class ParallelismWake {
    private static volatile double sink;

    private ParallelismWake() {}

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        double s = 0;
        while (System.nanoTime() < end) s += 1;
        sink = s;
    }

    public static void main(String[] args) {
        run("shared spinning pool", Parallelism.of(2));
        run("ForkJoinPool", Parallelism.of(2, new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors() - 1))));
    }

    private static void run(String name, Parallelism two) {
        System.out.println(name + ":");
        for (long gapUs : new long[] {0, 20, 200}) {
            for (long taskUs : new long[] {1, 4, 8}) {
                long[] par = new long[2000], ser = new long[2000];
                for (int rep = 0; rep < 2; rep++) { // the first round warms up
                    for (int i = 0; i < par.length; i++) {
                        spin(gapUs * 1000);
                        long t0 = System.nanoTime();
                        two.forEach(2, t -> spin(taskUs * 1000));
                        long t1 = System.nanoTime();
                        Parallelism.SERIAL.forEach(2, t -> spin(taskUs * 1000));
                        long t2 = System.nanoTime();
                        par[i] = t1 - t0;
                        ser[i] = t2 - t1;
                    }
                }
                Arrays.sort(par);
                Arrays.sort(ser);
                System.out.printf("gap %3d us, 2 tasks of %d us: 2 threads median %.1f us (p90 %.1f), serial median %.1f us%n",
                        gapUs, taskUs, par[par.length / 2] / 1e3, par[par.length * 9 / 10] / 1e3, ser[ser.length / 2] / 1e3);
            }
        }
    }
}

package dev.lathe.bench;

import dev.lathe.runtime.kernels.Epilogue;
import dev.lathe.runtime.kernels.Gemm;
import dev.lathe.runtime.kernels.Kernels;
import dev.lathe.runtime.kernels.PackedMatrix;
import dev.lathe.runtime.kernels.Parallelism;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FP32 GEMM throughput, C[n, n] = A[n, n] · B[n, n] with B pre-packed (as a model's weights are).
 * The {@code gflops} column is the rate of the auxiliary counter: GFLOP/s, counting 2·n³ per call.
 * Compare with one core's peak: FMA pipes × float lanes per pipe × 2 × clock.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBench {
    @Param({"512", "1024"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private float[] a;
    private float[] c;
    private PackedMatrix b;
    private Parallelism par;

    /** Counts GFLOP done; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;

        @Setup(Level.Iteration)
        public void reset() {
            gflops = 0;
        }
    }

    @Setup
    public void setup() {
        Random r = new Random(42);
        a = new float[n * n];
        float[] w = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
            w[i] = r.nextFloat() - 0.5f;
        }
        c = new float[n * n];
        b = Gemm.pack(w, 0, n, n, false);
        par = Parallelism.of(threads);
        System.out.println("kernels: " + Kernels.describe());
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        Gemm.gemm(n, a, 0, n, b, c, 0, n, Epilogue.NONE, par);
        flops.gflops += 2.0 * n * n * n / 1e9;
        return c;
    }
}

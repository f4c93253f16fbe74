package dev.lathe.bench;

import dev.lathe.runtime.kernels.Epilogue;
import dev.lathe.runtime.kernels.Gemm;
import dev.lathe.runtime.kernels.Kernels;
import dev.lathe.runtime.kernels.PackedMatrix;
import dev.lathe.runtime.kernels.Parallelism;
import dev.lathe.runtime.kernels.QuantGemm;
import dev.lathe.runtime.kernels.QuantMatrix;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5's targets, each quantized kernel next to the f32 kernel it replaces, all on one thread:
 * <ul>
 *   <li>{@code gemm1024F32} vs {@code gemm1024Int8Dynamic}: C[1024, 1024] = A[1024, 1024] · Wᵀ, W
 *       int8 per channel, activations quantized per row at run time (target: 1.5x faster);</li>
 *   <li>{@code gemv4096F32} vs {@code gemv4096Int4G32} (target: 2x faster) and {@code gemv4096Int8}:
 *       y[1, 4096] = x[1, 4096] · Wᵀ, W [4096, 4096], i4 with a scale per 32 inputs, i8 per channel
 *       (weight-only, and {@code gemv4096Int8Dynamic} with the row of x quantized to int8).</li>
 * </ul>
 * Compare ratios within one run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar QuantBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class QuantBench {
    /** A random linear layer [n, k] in f32 and quantized (symmetric, scale per cell of {@code group} inputs). */
    private static final class Layer {
        final PackedMatrix f32;
        final QuantMatrix q;
        final float[] scales;
        final int group;

        Layer(Random r, int n, int k, int bits, int group) {
            float[] w = new float[n * k];
            long[] qi = new long[n * k];
            int groups = k / group;
            scales = new float[n * groups];
            int max = (1 << (bits - 1)) - 1;
            for (int i = 0; i < w.length; i++) {
                qi[i] = r.nextInt(2 * max + 1) - max;
            }
            for (int c = 0; c < scales.length; c++) scales[c] = 0.001f + r.nextFloat() * 0.01f;
            for (int o = 0; o < n; o++) for (int i = 0; i < k; i++) w[o * k + i] = qi[o * k + i] * scales[o * groups + i / group];
            f32 = Gemm.pack(w, 0, n, k, true);
            q = QuantMatrix.of(QuantMatrix.pack(qi, n, k, bits, true), n, k, bits, true);
            this.group = group;
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }

    @State(Scope.Benchmark)
    public static class Gemm1024 {
        final int n = 1024;
        Layer layer;
        float[] a;
        float[] c;

        @Setup
        public void setup() {
            Random r = new Random(1);
            layer = new Layer(r, n, n, 8, n);
            a = random(r, n * n);
            c = new float[n * n];
            System.out.println("kernels: " + Kernels.describe());
        }
    }

    @State(Scope.Benchmark)
    public static class Gemv4096 {
        final int n = 4096;
        Layer int4;
        Layer int8;
        float[] x;
        float[] y;

        @Setup
        public void setup() {
            Random r = new Random(2);
            int4 = new Layer(r, n, n, 4, 32);
            int8 = new Layer(r, n, n, 8, n);
            x = random(r, n);
            y = new float[n];
        }
    }

    @Benchmark
    public float[] gemm1024F32(Gemm1024 s) {
        Gemm.gemm(s.n, s.a, 0, s.n, s.layer.f32, s.c, 0, s.n, Epilogue.NONE, Parallelism.SERIAL);
        return s.c;
    }

    @Benchmark
    public float[] gemm1024Int8Dynamic(Gemm1024 s) {
        QuantGemm.dynamic(s.n, s.a, 0, s.n, s.layer.q, s.layer.scales, null, s.layer.group, true, null, 0, s.c, 0, s.n, Parallelism.SERIAL);
        return s.c;
    }

    @Benchmark
    public float[] gemv4096F32(Gemv4096 s) {
        Gemm.gemm(1, s.x, 0, s.n, s.int4.f32, s.y, 0, s.n, Epilogue.NONE, Parallelism.SERIAL);
        return s.y;
    }

    @Benchmark
    public float[] gemv4096Int4G32(Gemv4096 s) {
        QuantGemm.linear(1, s.x, 0, s.n, s.int4.q, s.int4.scales, null, s.int4.group, true, null, 0, s.y, 0, s.n, Parallelism.SERIAL);
        return s.y;
    }

    @Benchmark
    public float[] gemv4096Int8Dynamic(Gemv4096 s) {
        QuantGemm.dynamic(1, s.x, 0, s.n, s.int8.q, s.int8.scales, null, s.int8.group, true, null, 0, s.y, 0, s.n, Parallelism.SERIAL);
        return s.y;
    }

    @Benchmark
    public float[] gemv4096Int8(Gemv4096 s) {
        QuantGemm.linear(1, s.x, 0, s.n, s.int8.q, s.int8.scales, null, s.int8.group, true, null, 0, s.y, 0, s.n, Parallelism.SERIAL);
        return s.y;
    }
}

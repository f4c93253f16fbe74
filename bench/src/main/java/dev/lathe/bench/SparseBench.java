package dev.lathe.bench;

import dev.lathe.runtime.kernels.Activation;
import dev.lathe.runtime.kernels.CsrWeight;
import dev.lathe.runtime.kernels.Epilogue;
import dev.lathe.runtime.kernels.Gemm;
import dev.lathe.runtime.kernels.Kernels;
import dev.lathe.runtime.kernels.PackedMatrix;
import dev.lathe.runtime.kernels.Parallelism;
import dev.lathe.runtime.kernels.SparseGemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1024x1024 linear layer, {@code y[batch, 1024] = x[batch, 1024] · Wᵀ}, on one thread: the dense
 * runtime GEMM over the packed weight (at batch 1 a GEMV) against {@link SparseGemm} on the same
 * weight magnitude-pruned: unstructured CSR at 90, 70 and 50%, BSR 4x4 at 80%, and 2:4 (run as CSR
 * with absolute columns, as the JVM backend stores it), each through {@code SparseGemm.linear} as a compiled
 * model calls it (CSR as a {@code CsrWeight} laid out in setup, as at model load: at batch 1 it runs on the row slices). The ratios dense / sparse per batch are
 * what {@code dev.lathe.pass.sparsify.SparseCostModel} is calibrated on; compare scores only
 * within one run. Run: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar SparseBench}
 * (batch 1 only: add {@code -p batch=1}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SparseBench {
    private static final int N = 1024;

    @Param({"1", "4", "16", "64"})
    public int batch;

    /** csr90_gather and csr70_gather: the same weights through {@code SparseGemm.csr}, which never packs (the gather dot at batch 1). */
    @Param({"dense", "csr90", "csr70", "csr50", "bsr4x4_80", "nm2of4", "csr90_gather", "csr70_gather"})
    public String weight;

    private float[] x, y, values;
    private int[] columns, pointers;
    private int blockSide;
    private PackedMatrix packed;
    private CsrWeight csrWeight;

    @Setup
    public void setup() {
        Random r = new Random(42);
        float[] w = new float[N * N];
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat() - 0.5f;
        x = new float[batch * N];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
        y = new float[batch * N];
        blockSide = 1;
        switch (weight) {
            case "dense" -> packed = Gemm.pack(w, 0, N, N, true);
            case "csr90", "csr90_gather" -> csr(w, keepLargest(w, 0.1));
            case "csr70", "csr70_gather" -> csr(w, keepLargest(w, 0.3));
            case "csr50" -> csr(w, keepLargest(w, 0.5));
            case "nm2of4" -> csr(w, twoOfFour(w));
            case "bsr4x4_80" -> bsr(w, 4, 0.2, r);
            default -> throw new IllegalArgumentException(weight);
        }
        if (blockSide == 1 && values != null) csrWeight = CsrWeight.of(N, N, values, columns, pointers);
        System.out.println("kernels: " + Kernels.describe());
    }

    @Benchmark
    public float[] multiply() {
        if (packed != null) Gemm.gemm(batch, x, 0, N, packed, y, 0, N, Epilogue.NONE, Parallelism.SERIAL);
        else if (weight.endsWith("_gather")) SparseGemm.csr(batch, x, 0, N, N, N, values, columns, pointers, y, 0, N, Epilogue.NONE, Parallelism.SERIAL);
        else if (csrWeight != null) SparseGemm.linear(batch, x, csrWeight, null, Activation.NONE, null, 0, y, Parallelism.SERIAL);
        else SparseGemm.linear(batch, x, N, N, blockSide, blockSide, values, columns, pointers, null, Activation.NONE, null, 0, y, Parallelism.SERIAL);
        return y;
    }

    /** The mask keeping the {@code keep} fraction of largest magnitudes. */
    private static boolean[] keepLargest(float[] w, double keep) {
        float[] mags = new float[w.length];
        for (int i = 0; i < w.length; i++) mags[i] = Math.abs(w[i]);
        Arrays.sort(mags);
        float cut = mags[(int) (w.length * (1 - keep))];
        boolean[] mask = new boolean[w.length];
        for (int i = 0; i < w.length; i++) mask[i] = Math.abs(w[i]) >= cut;
        return mask;
    }

    private static boolean[] twoOfFour(float[] w) {
        boolean[] mask = new boolean[w.length];
        for (int start = 0; start < w.length; start += 4) {
            int g = start;
            Integer[] order = {0, 1, 2, 3};
            Arrays.sort(order, (a, b) -> Float.compare(Math.abs(w[g + b]), Math.abs(w[g + a])));
            mask[g + order[0]] = true;
            mask[g + order[1]] = true;
        }
        return mask;
    }

    private void csr(float[] w, boolean[] mask) {
        List<Integer> cols = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        pointers = new int[N + 1];
        for (int o = 0; o < N; o++) {
            for (int i = 0; i < N; i++) {
                if (!mask[o * N + i]) continue;
                cols.add(i);
                vals.add(w[o * N + i]);
            }
            pointers[o + 1] = cols.size();
        }
        columns = cols.stream().mapToInt(Integer::intValue).toArray();
        values = new float[vals.size()];
        for (int i = 0; i < values.length; i++) values[i] = vals.get(i);
    }

    /** Random blocks kept (the kernel's speed depends on the count, not on which blocks). */
    private void bsr(float[] w, int side, double keep, Random r) {
        blockSide = side;
        int nb = N / side;
        List<Integer> cols = new ArrayList<>();
        pointers = new int[nb + 1];
        for (int rb = 0; rb < nb; rb++) {
            for (int cb = 0; cb < nb; cb++) if (r.nextDouble() < keep) cols.add(cb);
            pointers[rb + 1] = cols.size();
        }
        columns = cols.stream().mapToInt(Integer::intValue).toArray();
        values = new float[columns.length * side * side];
        for (int i = 0; i < values.length; i++) values[i] = w[i];
    }
}

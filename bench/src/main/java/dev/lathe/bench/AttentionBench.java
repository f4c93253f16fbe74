package dev.lathe.bench;

import dev.lathe.runtime.kernels.Attention;
import dev.lathe.runtime.kernels.Kernels;
import dev.lathe.runtime.kernels.LinearAttention;
import dev.lathe.runtime.kernels.Parallelism;
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
 * Issue 6's target: kernelized attention against exact attention (the runtime's tiled online-softmax
 * {@link Attention}) at batch 1, 4 heads, head size 64, one thread, on one JVM so that the ratios
 * compare like with like. {@code method} is {@code exact} or a kernelize method with its size:
 * {@code favor-M} (M random features), {@code elu}, {@code nystrom-L} (L landmarks), {@code window-W}.
 * Setup prints the scratch one call holds ({@link LinearAttention#scratchBytes}), which for every
 * method is independent of {@code seq}: run with {@code -p seq=1024,4096,16384} to see it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class AttentionBench {
    private static final int HEADS = 4, DH = 64;

    @Param({"4096"})
    public int seq;

    @Param({"exact", "favor-64", "favor-128", "favor-256", "elu", "nystrom-64", "window-256"})
    public String method;

    @Param({"false", "true"})
    public boolean causal;

    private float[] q, k, v, out;
    private int kind = -1, size;

    @Setup
    public void setup() {
        Random r = new Random(42);
        int n = seq * HEADS * DH;
        q = new float[n];
        k = new float[n];
        v = new float[n];
        for (int i = 0; i < n; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
            v[i] = (float) r.nextGaussian();
        }
        out = new float[n];
        if (!method.equals("exact")) {
            String[] parts = method.split("-");
            kind = switch (parts[0]) {
                case "favor" -> LinearAttention.FAVOR;
                case "elu" -> LinearAttention.ELU;
                case "nystrom" -> LinearAttention.NYSTROM;
                case "window" -> LinearAttention.WINDOW;
                default -> throw new IllegalArgumentException("method " + method);
            };
            size = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            // Nystrom has no causal form: its causal rows measure the non-causal kernel again.
            LinearAttention.releaseScratch();
            run();
            System.out.println("kernels: " + Kernels.describe() + "; " + method + " seq=" + seq + " causal=" + causal
                    + " scratch_bytes=" + LinearAttention.scratchBytes());
        }
    }

    private void run() {
        if (kind < 0) {
            Attention.forward(q, 0, k, 0, v, 0, 1, seq, seq, HEADS, DH, DH, (float) (1 / Math.sqrt(DH)), causal, null, out, 0, Parallelism.SERIAL);
        } else {
            LinearAttention.forward(q, k, v, 1, seq, seq, HEADS, DH, DH, kind, size, 1, causal && kind != LinearAttention.NYSTROM, Double.NaN, out,
                    Parallelism.SERIAL);
        }
    }

    @Benchmark
    public float[] attention() {
        run();
        return out;
    }
}

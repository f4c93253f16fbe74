package dev.lathe.bench;

import dev.lathe.runtime.kernels.Activation;
import dev.lathe.runtime.kernels.Conv2d;
import dev.lathe.runtime.kernels.ConvGeometry;
import dev.lathe.runtime.kernels.ConvWeights;
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
 * The small CNN's two stages as the compiled model runs them: conv 3x3 pad 1 + bias + relu + 2x2 max
 * pool in one call. {@code stage1}: 1 -> 16 channels on 28x28; {@code stage2}: 16 -> 32 channels on 14x14.
 * Useful work is 2 * batch * cout * cin * 9 * h * w flops. {@code impl}: {@code direct} is
 * {@code Conv2d.forwardMaxPool2x2} on the plain weight (the row-wise direct kernel, packing the weight
 * per call); {@code packed} is {@code Conv2d.forwardPackedMaxPool2x2} on the weight packed at setup for
 * the direct kernel, as compiled models run it; {@code implicit} the same packed for the implicit GEMM.
 * Compare them within one run, e.g. {@code ConvBench -p stage=stage2 -p batch=1,16 -p threads=1,2}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBench {
    @Param({"stage1", "stage2"})
    public String stage;

    @Param({"1", "16"})
    public int batch;

    @Param({"1"})
    public int threads;

    @Param({"direct", "packed", "implicit"})
    public String impl;

    private int cin, h, w, cout;
    private float[] x, weight, bias, out;
    private ConvWeights packed;
    private Parallelism par;
    private final ConvGeometry same = new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1);

    @Setup
    public void setup() {
        boolean first = stage.equals("stage1");
        cin = first ? 1 : 16;
        h = w = first ? 28 : 14;
        cout = first ? 16 : 32;
        Random r = new Random(11);
        x = fill(r, batch * cin * h * w);
        weight = fill(r, cout * cin * 9);
        bias = fill(r, cout);
        out = new float[batch * cout * (h / 2) * (w / 2)];
        packed = ConvWeights.pack(weight, 0, cout, cin, 3, 3, impl.equals("packed"));
        par = Parallelism.of(threads);
    }

    private static float[] fill(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() - 0.5f;
        return a;
    }

    @Benchmark
    public float[] convReluMaxPool() {
        if (!impl.equals("direct")) {
            Conv2d.forwardPackedMaxPool2x2(x, 0, batch, cin, h, w, packed, bias, 0, same, Activation.RELU, out, 0, par);
        } else {
            Conv2d.forwardMaxPool2x2(x, 0, batch, cin, h, w, weight, 0, cout, 3, 3, bias, 0, same, Activation.RELU, out, 0, par);
        }
        return out;
    }
}

package dev.lathe.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.ir.Graph;
import dev.lathe.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared helpers: one device for all tests, skipped (JUnit assumption) where no OpenCL platform exists. */
final class OpenClTestSupport {
    private static OpenClDevice device;
    private static Boolean available;

    private OpenClTestSupport() {}

    /** The test device (system property {@code lathe.opencl.device}, default: the first GPU, else device 0); skips the test when none. */
    static synchronized OpenClDevice device() {
        if (available == null) available = OpenClDevice.available();
        assumeTrue(available, "no OpenCL platform found: the OpenCL tests are skipped (install pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev)");
        if (device == null) device = OpenClDevice.open(Integer.getInteger("lathe.opencl.device", -1));
        return device;
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the lathe checkout");
        return p;
    }

    static Graph load(String model) {
        return Lathe.requireBound(Lathe.load(root().resolve(model), LoadOptions.defaults()));
    }

    /** Inputs with B = batch, S = seq, floats uniform in [-2, 2). */
    static Map<String, Tensor> randomBatch(Graph graph, long batch, long seq, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().shape().stream().mapToLong(d -> d.evaluate(Map.of("B", batch, "S", seq))).toArray();
            float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(-2, 2);
            in.put(gi.name(), Tensor.ofFloats(shape, v));
        }
        return in;
    }
}

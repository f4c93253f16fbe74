package dev.lathe.tornado;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Param;
import dev.lathe.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** The repository's example models with seeded or generated weights, and random inputs. */
final class ExampleModels {
    private ExampleModels() {}

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the lathe checkout");
        return p;
    }

    /**
     * The model's graph bound to its weight file when the examples module has generated it, else to seeded
     * values (the examples module builds after this one): uniform in [-0.5, 0.5), variances in [0.5, 1.5),
     * or with {@code fanIn} every matrix uniform in +-1/sqrt(fan_in) (deep f32 models need the usual
     * initialisation scale, or their activations outgrow f32 GEMM rounding; see docs/opencl-backend.md).
     */
    static Graph load(String model, boolean fanIn) {
        Graph graph = Lathe.load(root().resolve(model), LoadOptions.defaults().withBindWeights(false)).graph();
        SplittableRandom r = new SplittableRandom(model.hashCode());
        Map<String, Tensor> data = new LinkedHashMap<>();
        for (Param p : graph.params()) {
            long[] shape = p.type().staticShape();
            double[] v = new double[Math.toIntExact(Tensor.checkedSize(shape))];
            boolean variance = p.path().endsWith("running_var");
            double bound = fanIn && shape.length >= 2 ? 1 / Math.sqrt(shape[0]) : 0.5;
            for (int i = 0; i < v.length; i++) v[i] = variance ? r.nextDouble(0.5, 1.5) : r.nextDouble(-bound, bound);
            data.put(p.path(), Tensor.fromDoubles(p.type().dtype(), shape, v));
        }
        return graph.withParamData(data);
    }

    /** Inputs with the named dims bound by {@code dims}, floats uniform in [lo, hi). */
    static Map<String, Tensor> randomInputs(Graph graph, Map<String, Long> dims, double lo, double hi, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : graph.inputs()) {
            long[] shape = gi.value().type().shape().stream().mapToLong(d -> d.evaluate(dims)).toArray();
            float[] v = new float[Math.toIntExact(Tensor.checkedSize(shape))];
            for (int i = 0; i < v.length; i++) v[i] = (float) r.nextDouble(lo, hi);
            in.put(gi.name(), Tensor.ofFloats(shape, v));
        }
        return in;
    }
}

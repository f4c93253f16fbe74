package dev.lathe.examples;

import dev.lathe.api.Lathe;
import dev.lathe.api.LoadOptions;
import dev.lathe.ir.Graph;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.io.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Makes the example models' weights at build time, so nothing is downloaded and nothing large is
 * committed. Deterministic: every tensor is drawn from {@code SplittableRandom(SEED ^ key hash)}
 * in row-major order, where the key hash is {@code String.hashCode()} of the file key, so the files
 * are identical on every machine and the fixture script (tests/fixtures/generate_expected.py) can
 * read them back.
 *
 * <p>Initialisation follows PyTorch's defaults in spirit, by the role the op using a param gives
 * it: a matrix (rank >= 2) is uniform in ±1/sqrt(fan_in) (fan_in = product of all dims but the
 * first); any other float vector (a bias) uniform in ±0.05; a norm's scale 1 + uniform ±0.1 and its
 * shift uniform ±0.1; BatchNorm's running_mean uniform ±0.1, running_var 0.5 + uniform [0, 1);
 * integer params (num_batches_tracked) 0.
 */
public final class WeightsGenerator {
    public static final long SEED = 20261127L;

    /** The example models, and how each maps param paths back to the file keys it declares. */
    static final List<Example> EXAMPLES = List.of(
            new Example("mlp/mlp.model", "mlp/mlp.safetensors", UnaryOperator.identity()),
            new Example("cnn/small_cnn.model", "cnn/small_cnn.safetensors", UnaryOperator.identity()),
            // tiny_encoder.model declares rename "layers.{i}." -> "blk.{i}.", so the file uses layers.{i}.
            new Example("encoder/tiny_encoder.model", "encoder/tiny_encoder.safetensors",
                    path -> path.replaceFirst("^blk\\.(\\d+)\\.", "layers.$1.")));

    record Example(String model, String weights, UnaryOperator<String> fileKey) {}

    private WeightsGenerator() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "examples");
        for (Example e : EXAMPLES) {
            Path model = dir.resolve(e.model());
            Graph graph = Lathe.load(model, LoadOptions.defaults().withBindWeights(false)).graph();
            Map<Integer, Role> roles = roles(graph);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Param p : graph.params()) {
                String key = e.fileKey().apply(p.path());
                tensors.put(key, generate(key, roleOf(p, roles), p.type().dtype(), p.type().staticShape()));
            }
            SafetensorsWriter.write(dir.resolve(e.weights()), tensors, Map.of("generator", "dev.lathe.examples.WeightsGenerator", "seed", Long.toString(SEED)));
            System.out.println("wrote " + dir.resolve(e.weights()) + " (" + tensors.size() + " tensors)");
        }
    }

    /** What a param is for, read off the op that uses it, which decides its initialisation. */
    enum Role { MATRIX, BIAS, NORM_SCALE, NORM_SHIFT, RUNNING_MEAN, RUNNING_VAR, COUNTER }

    static Map<Integer, Role> roles(Graph graph) {
        Map<Integer, Role> roles = new HashMap<>();
        for (Node n : graph.nodes()) {
            switch (n) {
                case Node.LayerNorm ln -> {
                    roles.put(ln.w().id(), Role.NORM_SCALE);
                    if (ln.b() != null) roles.put(ln.b().id(), Role.NORM_SHIFT);
                }
                case Node.RmsNorm rn -> roles.put(rn.w().id(), Role.NORM_SCALE);
                case Node.BatchNorm bn -> {
                    roles.put(bn.scale().id(), Role.NORM_SCALE);
                    roles.put(bn.bias().id(), Role.NORM_SHIFT);
                    roles.put(bn.mean().id(), Role.RUNNING_MEAN);
                    roles.put(bn.var().id(), Role.RUNNING_VAR);
                }
                default -> { }
            }
        }
        return roles;
    }

    static Role roleOf(Param p, Map<Integer, Role> roles) {
        Role r = roles.get(p.value().id());
        if (r != null) return r;
        if (!p.type().dtype().isFloating()) return Role.COUNTER;
        return p.type().rank() >= 2 ? Role.MATRIX : Role.BIAS;
    }

    static Tensor generate(String key, Role role, DType dtype, long[] shape) {
        SplittableRandom rnd = new SplittableRandom(SEED ^ key.hashCode());
        int n = Math.toIntExact(Tensor.checkedSize(shape));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u = 2 * rnd.nextDouble() - 1; // uniform [-1, 1)
            v[i] = switch (role) {
                case MATRIX -> u / Math.sqrt(fanIn(shape));
                case BIAS -> 0.05 * u;
                case NORM_SCALE -> 1 + 0.1 * u;
                case NORM_SHIFT, RUNNING_MEAN -> 0.1 * u;
                case RUNNING_VAR -> 0.5 + (u + 1) / 2;
                case COUNTER -> 0;
            };
        }
        return Tensor.fromDoubles(dtype, shape, v);
    }

    private static long fanIn(long[] shape) {
        long f = 1;
        for (int i = 1; i < shape.length; i++) f *= shape[i];
        return Math.max(f, 1);
    }
}

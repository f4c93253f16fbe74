package dev.lathe.cli;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphInput;
import dev.lathe.ir.TensorType;
import dev.lathe.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random inputs for {@code --random --seed N}: floats standard normal, integers uniform in
 * [0, 8), bools fair coins. Named dims take their {@code --dim} value, else 2 clamped into their
 * declared bounds. The same seed gives the same inputs on every machine.
 */
final class RandomInputs {
    static final long DEFAULT_DIM = 2;
    static final int INT_RANGE = 8;

    private RandomInputs() {}

    static Map<String, Long> dimValues(Graph graph, Map<String, Long> given) {
        Map<String, Long> env = new LinkedHashMap<>(given);
        for (var e : graph.dims().entrySet()) {
            if (env.containsKey(e.getKey())) continue;
            DimBounds b = e.getValue();
            long v = DEFAULT_DIM;
            if (b.lo() != null) v = Math.max(v, b.lo());
            if (b.hi() != null) v = Math.min(v, b.hi());
            env.put(e.getKey(), v);
        }
        return env;
    }

    static Map<String, Tensor> generate(Graph graph, Map<String, Long> dims, long seed) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        SplittableRandom root = new SplittableRandom(seed);
        for (GraphInput in : graph.inputs()) {
            SplittableRandom rnd = root.split();
            TensorType t = in.value().type();
            long[] shape = new long[t.rank()];
            for (int i = 0; i < shape.length; i++) {
                Dim d = t.shape().get(i);
                try {
                    shape[i] = d.evaluate(dims);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new UserError("input " + in.name() + ": cannot size dim " + d + " (" + e.getMessage() + "); give it with --dim NAME=N");
                }
            }
            int n = Math.toIntExact(Tensor.checkedSize(shape));
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = switch (t.dtype()) {
                    case BOOL -> rnd.nextBoolean() ? 1 : 0;
                    case F32, F16, BF16, F64 -> gaussian(rnd);
                    default -> rnd.nextInt(INT_RANGE);
                };
            }
            inputs.put(in.name(), Tensor.fromDoubles(t.dtype(), shape, v));
        }
        return inputs;
    }

    /** Box–Muller, so the values depend only on SplittableRandom's documented sequence. */
    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

package dev.lathe.pass;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A bound test graph built op by op through {@link GraphBuilder}, with seeded random data: shared
 * by the pass tests here and in {@code lowrank}.
 */
public final class TestGraph {
    public static final Dim B = Dim.var("B");

    private final GraphBuilder builder = new GraphBuilder("main");
    private final Map<String, Tensor> data = new LinkedHashMap<>();

    public TestGraph() {
        builder.dim("B", 1L, 64L);
    }

    public Value input(String name, TensorType type) {
        return builder.input(name, type, Provenance.NONE);
    }

    public Value param(String path, Tensor value) {
        data.put(path, value);
        return builder.param(path, TensorType.of(value.dtype(), value.shape()), new Provenance(dev.lathe.diag.SourceSpan.UNKNOWN, instanceOf(path)));
    }

    /** The single result of a std/ops primitive; {@code attrs} alternate names and values. */
    public Value op(String op, List<Value> inputs, Object... attrs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) m.put((String) attrs[i], attrs[i + 1]);
        try {
            return builder.op(op, inputs, m, new Provenance(dev.lathe.diag.SourceSpan.UNKNOWN, op)).getFirst();
        } catch (OpTypeException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public Value op(String op, Value... inputs) {
        return op(op, Arrays.asList(inputs));
    }

    /** The bound graph with outputs {@code y} (one) or {@code y0, y1, ...}. */
    public Graph build(Value... outputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) names.add(outputs.length == 1 ? "y" : "y" + i);
        return builder.build(List.of(outputs), names).withParamData(data);
    }

    /** x [B, in] -> linear fc1 [hidden, in] + bias -> relu -> linear fc2 [out, hidden], weights from seeds 1, 2, 3. */
    public static Graph mlp(int in, int hidden, int out) {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, in));
        Value w1 = t.param("fc1.weight", gaussian(1, hidden, in));
        Value b1 = t.param("fc1.bias", gaussian(2, hidden));
        Value w2 = t.param("fc2.weight", gaussian(3, out, hidden));
        Value h = t.op("linear", x, w1, b1);
        return t.build(t.op("linear", t.op("relu", h), w2));
    }

    private static String instanceOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    public static TensorType f32(Object... dims) {
        List<Dim> shape = new ArrayList<>();
        for (Object o : dims) shape.add(o instanceof Dim d ? d : Dim.of(((Number) o).longValue()));
        return new TensorType(DType.F32, shape);
    }

    /** Standard normal elements of {@code dtype}, drawn from {@code seed}. */
    public static Tensor gaussian(DType dtype, long seed, long... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[Math.toIntExact(Tensor.checkedSize(shape))];
        for (int i = 0; i < v.length; i++) v[i] = normal(r);
        return Tensor.fromDoubles(dtype, shape, v);
    }

    public static Tensor gaussian(long seed, long... shape) {
        return gaussian(DType.F32, seed, shape);
    }

    public static double normal(SplittableRandom r) {
        // Box-Muller: SplittableRandom has no nextGaussian.
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

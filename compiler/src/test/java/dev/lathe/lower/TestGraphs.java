package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small bound graphs and inputs for the lowering and backend tests. */
public final class TestGraphs {
    public static final Provenance P = Provenance.NONE;
    public static final Dim B = Dim.var("B");

    private TestGraphs() {}

    public static TensorType f32(Dim... dims) {
        return new TensorType(DType.F32, List.of(dims));
    }

    public static Dim d(long v) {
        return Dim.of(v);
    }

    public static Value op(GraphBuilder g, String op, List<Value> in, Map<String, Object> attrs) {
        try {
            return g.op(op, in, attrs, P).getFirst();
        } catch (OpTypeException e) {
            throw new AssertionError(e);
        }
    }

    public static Value op(GraphBuilder g, String op, Value... in) {
        return op(g, op, List.of(in), Map.of());
    }

    /** Every param bound to deterministic values in [-1, 1). */
    public static Graph bind(Graph g, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> data = new HashMap<>();
        for (Param p : g.params()) data.put(p.path(), random(p.type().dtype(), p.type().staticShape(), r));
        return g.withParamData(data);
    }

    public static Tensor random(DType dtype, long[] shape, SplittableRandom r) {
        double[] v = new double[Math.toIntExact(Tensor.checkedSize(shape))];
        for (int i = 0; i < v.length; i++) v[i] = dtype.isFloating() ? r.nextDouble(-1, 1) : r.nextInt(0, 3);
        return Tensor.fromDoubles(dtype, shape, v);
    }

    /** Random inputs with every named dim at {@code dim}. */
    public static Map<String, Tensor> inputs(Graph g, long dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (var gi : g.inputs()) {
            long[] shape = gi.value().type().shape().stream().mapToLong(x -> x.isConstant() ? x.constant().getAsLong() : x.evaluate(Map.of("B", dim, "S", dim))).toArray();
            in.put(gi.name(), random(gi.value().type().dtype(), shape, r));
        }
        return in;
    }

    /** x: f32[B, 8] -> relu(linear(x, 16)) -> linear(., 4) + x2 where x2: f32[B, 4]. */
    public static Graph mlp() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(8)), P);
        Value skip = g.input("skip", f32(B, d(4)), P);
        Value w1 = g.param("fc1.weight", f32(d(16), d(8)), P);
        Value b1 = g.param("fc1.bias", f32(d(16)), P);
        Value w2 = g.param("fc2.weight", f32(d(4), d(16)), P);
        Value h = op(g, "relu", op(g, "linear", x, w1, b1));
        Value y = op(g, "add", op(g, "linear", h, w2), skip);
        return bind(g.build(List.of(y), List.of("y")), 1);
    }

    /** An elementwise chain over x: f32[B, 3, 5]: exp(-|x|) * x + tanh(x) - 0.5 (a constant). */
    public static Graph chain() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(3), d(5)), P);
        Value half = g.constant(Tensor.scalar(0.5f), P);
        Value e = op(g, "exp", op(g, "neg", op(g, "abs", x)));
        Value y = op(g, "sub", op(g, "add", op(g, "mul", e, x), op(g, "tanh", x)), half);
        return g.build(List.of(y), List.of("y"));
    }

    /**
     * x: f32[B, 3] -> every other row (B + 1) / 2 rows -> those rows reversed (start -1, step -1): the reversed
     * slice's first row, (B + 1) / 2 - 1, is not provably >= 0 from the dim's form alone.
     */
    public static Graph reversedHalf() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(3)), P);
        Value half = op(g, "slice", List.of(x), Map.of("axis", d(0), "start", d(0), "end", d(Integer.MAX_VALUE), "step", d(2)));
        Value reversed = op(g, "slice", List.of(half), Map.of("axis", d(0), "start", d(-1), "end", d(-(long) Integer.MAX_VALUE), "step", d(-1)));
        return g.build(List.of(reversed), List.of("y"));
    }

    /** x @ w1 @ w2 @ w3 @ w4 through transposes, which neither fuse nor alias: many intermediates. */
    public static Graph deep() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value h = g.input("x", f32(B, d(6)), P);
        for (int i = 0; i < 4; i++) {
            Value w = g.param("w" + i, f32(d(6), d(6)), P);
            h = op(g, "transpose", List.of(op(g, "matmul", h, w)), Map.of("perm", List.of(Dim.of(1), Dim.of(0))));
            h = op(g, "transpose", List.of(h), Map.of("perm", List.of(Dim.of(1), Dim.of(0))));
        }
        return bind(g.build(List.of(h), List.of("y")), 2);
    }

    /**
     * x: f32[B, 6] through a factored linear layer a: [2, 6], b: [5, 2], bias [5] (the node the
     * lowrank pass makes; built directly since it is no source-level op).
     */
    public static Graph lowRank() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(6)), P);
        Value a = g.param("fc.a", f32(d(2), d(6)), P);
        Value b = g.param("fc.b", f32(d(5), d(2)), P);
        Value bias = g.param("fc.bias", f32(d(5)), P);
        Value anchor = op(g, "relu", x);
        Graph base = g.build(List.of(anchor), List.of("y"));
        Value out = new Value(1000, f32(B, d(5)), "y");
        var node = new dev.lathe.ir.Node.LowRankLinear(anchor, a, b, bias, out, P);
        List<dev.lathe.ir.Node> nodes = new java.util.ArrayList<>(base.nodes());
        nodes.add(node);
        Graph g2 = new Graph("main", base.inputs(), base.params(), nodes, List.of(new dev.lathe.ir.GraphOutput("y", out)), base.dims());
        return bind(g2, 3);
    }

    /** x: f32[B, 3, 9, 11] -> relu(conv 3->10 k3 p1) -> max_pool2d k2 -> avg_pool2d k3 stride 2 pad 1 (windows partly in the padding). */
    public static Graph convPool() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(3), d(9), d(11)), P);
        Value w = g.param("conv.weight", f32(d(10), d(3), d(3), d(3)), P);
        Value b = g.param("conv.bias", f32(d(10)), P);
        Value y = op(g, "relu", op(g, "conv2d", List.of(x, w, b), Map.of("stride", List.of(Dim.of(1)), "padding", List.of(Dim.of(1)),
                "dilation", List.of(Dim.of(1)), "groups", Dim.of(1))));
        y = op(g, "max_pool2d", List.of(y), Map.of("kernel", List.of(Dim.of(2)), "stride", List.of(Dim.of(2)), "padding", List.of(Dim.of(0))));
        y = op(g, "avg_pool2d", List.of(y), Map.of("kernel", List.of(Dim.of(3)), "stride", List.of(Dim.of(2)), "padding", List.of(Dim.of(1))));
        return bind(g.build(List.of(y), List.of("y")), 4);
    }

    /** x: f32[B, 4, 10, 13] -> gelu(conv 4->6 k3 stride 2 pads 1/0/1/2 dilation 1) -> conv 6->3 k2 dilation 2 (both with params, one group). */
    public static Graph convStrided() {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 16L);
        Value x = g.input("x", f32(B, d(4), d(10), d(13)), P);
        Value w1 = g.param("c1.weight", f32(d(6), d(4), d(3), d(3)), P);
        Value b1 = g.param("c1.bias", f32(d(6)), P);
        Value w2 = g.param("c2.weight", f32(d(3), d(6), d(2), d(2)), P);
        Value y = op(g, "gelu", op(g, "conv2d", List.of(x, w1, b1), Map.of("stride", List.of(Dim.of(2)),
                "padding", List.of(Dim.of(1), Dim.of(0), Dim.of(1), Dim.of(2)), "dilation", List.of(Dim.of(1)), "groups", Dim.of(1))));
        y = op(g, "conv2d", List.of(y, w2), Map.of("stride", List.of(Dim.of(1)), "padding", List.of(Dim.of(0)),
                "dilation", List.of(Dim.of(2)), "groups", Dim.of(1)));
        return bind(g.build(List.of(y), List.of("y")), 6);
    }
}

package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertLongs;
import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.bool;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.i64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.ir.Dim;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every primitive of std/ops.model once through GraphBuilder and the interpreter, so that each
 * node kind reaches the right reference op with the right attributes. Values are worked by hand.
 */
class NodeEvaluatorTest {
    /** [[1, 2], [3, 4]] */
    private static final Tensor A = f32(shape(2, 2), 1, 2, 3, 4);
    /** [[5, 6], [7, 8]] */
    private static final Tensor B = f32(shape(2, 2), 5, 6, 7, 8);
    /** [[1, 3], [3, 1]] */
    private static final Tensor C = f32(shape(2, 2), 1, 3, 3, 1);
    /** [[1, -2], [3, -4]] */
    private static final Tensor X = f32(shape(2, 2), 1, -2, 3, -4);
    private static final double LN3 = Math.log(3);

    /** Runs one call of {@code op}; a null input is an absent optional one. */
    private static List<Tensor> call(String op, Map<String, Object> attrs, Tensor... inputs) throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        List<Value> values = new ArrayList<>();
        List<Tensor> given = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                values.add(null);
                continue;
            }
            List<Dim> dims = Arrays.stream(inputs[i].shape()).mapToObj(Dim::of).toList();
            values.add(g.input("in" + i, new TensorType(inputs[i].dtype(), dims), Provenance.NONE));
            given.add(inputs[i]);
        }
        List<Value> outs = g.op(op, values, attrs, Provenance.NONE);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) names.add("out" + i);
        var graph = g.build(outs, names);
        java.util.Map<String, Tensor> in = new java.util.HashMap<>();
        for (int i = 0, j = 0; i < inputs.length; i++) {
            if (inputs[i] != null) in.put("in" + i, given.get(j++));
        }
        return List.copyOf(Interpreter.run(graph, in).values());
    }

    private static Tensor call1(String op, Map<String, Object> attrs, Tensor... inputs) throws OpTypeException {
        return call(op, attrs, inputs).getFirst();
    }

    private static List<Object> dims(long... values) {
        return Arrays.stream(values).mapToObj(v -> (Object) Dim.of(v)).toList();
    }

    @Test
    void binaryAndCompare() throws OpTypeException {
        assertTensor(call1("add", Map.of(), A, B), shape(2, 2), 0, 6, 8, 10, 12);
        assertTensor(call1("sub", Map.of(), A, B), shape(2, 2), 0, -4, -4, -4, -4);
        assertTensor(call1("mul", Map.of(), A, B), shape(2, 2), 0, 5, 12, 21, 32);
        // 5/1, 6/2, 7/3, 8/4
        assertTensor(call1("div", Map.of(), B, A), shape(2, 2), 1e-6, 5, 3, 7.0 / 3, 2);
        assertTensor(call1("pow", Map.of(), A, f32(shape(1), 2)), shape(2, 2), 0, 1, 4, 9, 16);
        assertTensor(call1("max", Map.of(), A, C), shape(2, 2), 0, 1, 3, 3, 4);
        assertTensor(call1("min", Map.of(), A, C), shape(2, 2), 0, 1, 2, 3, 1);
        assertLongs(call1("equal", Map.of(), A, C), DType.BOOL, shape(2, 2), 1, 0, 1, 0);
        assertLongs(call1("less", Map.of(), A, C), DType.BOOL, shape(2, 2), 0, 1, 0, 0);
        assertLongs(call1("greater", Map.of(), A, C), DType.BOOL, shape(2, 2), 0, 0, 0, 1);
        assertTensor(call1("where", Map.of(), bool(shape(2), true, false), A, B), shape(2, 2), 0, 1, 6, 3, 8);
    }

    @Test
    void unary() throws OpTypeException {
        assertTensor(call1("neg", Map.of(), X), shape(2, 2), 0, -1, 2, -3, 4);
        assertTensor(call1("abs", Map.of(), X), shape(2, 2), 0, 1, 2, 3, 4);
        assertTensor(call1("relu", Map.of(), X), shape(2, 2), 0, 1, 0, 3, 0);
        assertTensor(call1("exp", Map.of(), f32(shape(3), 0, 1, -1)), shape(3), 1e-6, 1, Math.E, 1 / Math.E);
        assertTensor(call1("log", Map.of(), f32(shape(2), 1, Math.E)), shape(2), 1e-6, 0, 1);
        assertTensor(call1("sqrt", Map.of(), f32(shape(2), 4, 9)), shape(2), 0, 2, 3);
        assertTensor(call1("rsqrt", Map.of(), f32(shape(2), 4, 16)), shape(2), 0, 0.5, 0.25);
        assertTensor(call1("erf", Map.of(), f32(shape(1), 1)), shape(1), 1e-7, 0.8427007929497149);
        assertTensor(call1("tanh", Map.of(), f32(shape(1), 1)), shape(1), 1e-7, 0.7615941559557649);
        assertTensor(call1("sigmoid", Map.of(), f32(shape(1), 2)), shape(1), 1e-7, 0.8807970779778823);
        assertTensor(call1("silu", Map.of(), f32(shape(1), 1)), shape(1), 1e-7, 0.7310585786300049);
        assertTensor(call1("softplus", Map.of(), f32(shape(1), 0)), shape(1), 1e-7, Math.log(2));
        assertTensor(call1("gelu", Map.of(), f32(shape(1), 1)), shape(1), 1e-7, 0.8413447460685429);
        assertTensor(call1("gelu", Map.of("mode", "tanh"), f32(shape(1), 1)), shape(1), 1e-7, 0.8411919906082768);
        // alpha 0.5: [1, -1, 3, -2]
        assertTensor(call1("leaky_relu", Map.of("alpha", 0.5), X), shape(2, 2), 0, 1, -1, 3, -2);
        assertTensor(call1("clip", Map.of("min", -1.0, "max", 2.0), X), shape(2, 2), 0, 1, -1, 2, -1);
        assertTensor(call1("clip", Map.of("min", 0.0), X), shape(2, 2), 0, 1, 0, 3, 0);
    }

    @Test
    void linearAlgebra() throws OpTypeException {
        assertTensor(call1("matmul", Map.of(), A, B), shape(2, 2), 0, 19, 22, 43, 50);
        // A @ B^T = [[5+12, 7+16], [15+24, 21+32]] = [[17, 23], [39, 53]]; bias [1, 2]
        assertTensor(call1("linear", Map.of(), A, B), shape(2, 2), 0, 17, 23, 39, 53);
        assertTensor(call1("linear", Map.of(), A, B, f32(shape(2), 1, 2)), shape(2, 2), 0, 18, 25, 40, 55);
    }

    @Test
    void reductions() throws OpTypeException {
        assertTensor(call1("sum", Map.of("axes", dims(0)), A), shape(2), 0, 4, 6);
        assertTensor(call1("sum", Map.of(), A), shape(), 0, 10);
        assertTensor(call1("mean", Map.of("axes", dims(1), "keepdims", true), A), shape(2, 1), 0, 1.5, 3.5);
        // max/min with one input reduce
        assertTensor(call1("max", Map.of("axes", dims(-1)), A), shape(2), 0, 2, 4);
        assertTensor(call1("min", Map.of(), A, null), shape(), 0, 1);
        // rows of C: [1, 3] -> 1, [3, 1] -> 0
        Tensor am = call1("argmax", Map.of("axes", dims(1)), C);
        assertLongs(am, DType.I64, shape(2), 1, 0);
        assertTensor(call1("softmax", Map.of(), f32(shape(2), 0, LN3)), shape(2), 1e-7, 0.25, 0.75);
        assertTensor(call1("log_softmax", Map.of("axis", Dim.of(0)), f32(shape(2), 0, LN3)), shape(2), 1e-6, Math.log(0.25), Math.log(0.75));
    }

    @Test
    void normalization() throws OpTypeException {
        // [1, 2, 3, 4] -> (x - 2.5) / sqrt(1.25)
        double a = 1.3416407864998738, b = 0.4472135954999579;
        Tensor ones = f32(shape(4), 1, 1, 1, 1);
        assertTensor(call1("layer_norm", Map.of("eps", 0.0), f32(shape(1, 4), 1, 2, 3, 4), ones, f32(shape(4), 0, 0, 0, 1)), shape(1, 4), 1e-6,
                -a, -b, b, a + 1);
        // [3, 4] / sqrt(12.5)
        assertTensor(call1("rms_norm", Map.of("eps", 0.0), f32(shape(2), 3, 4), f32(shape(2), 1, 1)), shape(2), 1e-6, 0.848528137423857, 1.131370849898476);
        // channel 0 [1, 2]: (x - 1) / 2; channel 1 [3, 4]: (x - 3) * 2 + 1
        Tensor y = call1("batch_norm", Map.of("eps", 0.0), f32(shape(1, 2, 1, 2), 1, 2, 3, 4), f32(shape(2), 1, 2), f32(shape(2), 0, 1),
                f32(shape(2), 1, 3), f32(shape(2), 4, 1));
        assertTensor(y, shape(1, 2, 1, 2), 1e-6, 0, 0.5, 1, 3);
    }

    @Test
    void shapeOps() throws OpTypeException {
        assertTensor(call1("reshape", Map.of("shape", dims(-1)), A), shape(4), 0, 1, 2, 3, 4);
        assertTensor(call1("transpose", Map.of(), A), shape(2, 2), 0, 1, 3, 2, 4);
        assertTensor(call1("transpose", Map.of("perm", dims(1, 0)), A), shape(2, 2), 0, 1, 3, 2, 4);
        assertTensor(call1("flatten", Map.of("axis", Dim.of(0)), A), shape(1, 4), 0, 1, 2, 3, 4);
        assertTensor(call1("concat", Map.of("axis", Dim.of(1)), A, B), shape(2, 4), 0, 1, 2, 5, 6, 3, 4, 7, 8);
        List<Tensor> parts = call("split", Map.of("sizes", dims(1, 1), "axis", Dim.of(0)), A);
        assertEquals(2, parts.size());
        assertTensor(parts.get(0), shape(1, 2), 0, 1, 2);
        assertTensor(parts.get(1), shape(1, 2), 0, 3, 4);
        assertTensor(call1("slice", Map.of("axis", Dim.of(1), "start", Dim.of(1), "end", Dim.of(2), "step", Dim.of(1)), A), shape(2, 1), 0, 2, 4);
        // reversed rows: start -1, end very negative, step -1
        assertTensor(call1("slice", Map.of("axis", Dim.of(0), "start", Dim.of(-1), "end", Dim.of(-1000), "step", Dim.of(-1)), A), shape(2, 2), 0, 3, 4, 1, 2);
        assertTensor(call1("unsqueeze", Map.of("axes", dims(0)), A), shape(1, 2, 2), 0, 1, 2, 3, 4);
        assertTensor(call1("squeeze", Map.of("axes", dims(0)), f32(shape(1, 2), 7, 8)), shape(2), 0, 7, 8);
        assertTensor(call1("gather", Map.of("axis", Dim.of(1)), A, i64(shape(1), -1)), shape(2, 1), 0, 2, 4);
        assertTensor(call1("embedding", Map.of(), i64(shape(1), 1), A), shape(1, 2), 0, 3, 4);
        assertLongs(call1("cast", Map.of("dtype", "i64"), f32(shape(2), 2.9, -2.9)), DType.I64, shape(2), 2, -2);
    }

    @Test
    void convolutionAndPooling() throws OpTypeException {
        Tensor x = f32(shape(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // diagonal kernel: 1+5, 2+6, 4+8, 5+9, plus bias 1
        assertTensor(call1("conv2d", Map.of(), x, f32(shape(1, 1, 2, 2), 1, 0, 0, 1), f32(shape(1), 1)), shape(1, 1, 2, 2), 0, 7, 9, 13, 15);
        // ones kernel, stride 2, padding 1: {1}, {2,3}, {4,7}, {5,6,8,9}
        assertTensor(call1("conv2d", Map.of("stride", dims(2), "padding", dims(1)), x, f32(shape(1, 1, 2, 2), 1, 1, 1, 1)), shape(1, 1, 2, 2), 0,
                1, 5, 11, 28);
        assertTensor(call1("max_pool2d", Map.of("kernel", dims(2), "stride", dims(1)), x), shape(1, 1, 2, 2), 0, 5, 6, 8, 9);
        // default stride = kernel, padding 1: {1}, {2,3}/2, {4,7}/2, {5,6,8,9}/4
        assertTensor(call1("avg_pool2d", Map.of("kernel", dims(2), "padding", dims(1)), x), shape(1, 1, 2, 2), 0, 1, 2.5, 5.5, 7);
        // (1 + ... + 9) / 9 = 5
        assertTensor(call1("global_avg_pool", Map.of(), x), shape(1, 1, 1, 1), 0, 5);
    }

    @Test
    void attentionWithABoolMask() throws OpTypeException {
        // scale ln3, q = k = I, v = [[1,2],[3,4]]; row 0 may only see key 1 -> [3, 4]; row 1 -> 1/4 [1,2] + 3/4 [3,4]
        Tensor id = f32(shape(1, 2, 2), 1, 0, 0, 1);
        Tensor v = f32(shape(1, 2, 2), 1, 2, 3, 4);
        Tensor mask = bool(shape(2, 2), false, true, true, true);
        assertTensor(call1("attention", Map.of("heads", Dim.of(1), "scale", LN3), id, id, v, mask), shape(1, 2, 2), 1e-6, 3, 4, 2.5, 3.5);
    }
}

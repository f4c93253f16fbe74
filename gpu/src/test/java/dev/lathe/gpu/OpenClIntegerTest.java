package dev.lathe.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.interp.InterpreterException;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.Lowering;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.ModelRunException;
import dev.lathe.testkit.TensorAssertions;
import dev.lathe.testkit.Tolerance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Integer and bool tensors, gathers and argmax in loop nests against the interpreter, and the run-time errors of gathers. */
class OpenClIntegerTest {
    private static final Provenance P = Provenance.NONE;

    private static Value op(GraphBuilder g, String op, List<Value> in, Map<String, Object> attrs) throws OpTypeException {
        return g.op(op, in, attrs, P).getFirst();
    }

    private static void agrees(Graph graph, Map<String, Tensor> in) {
        try (OpenClModel m = new OpenClModel(Lowering.lower(graph), OpenClTestSupport.device())) {
            Map<String, Tensor> expected = Interpreter.run(graph, in), actual = m.run(in);
            List<String> diffs = TensorAssertions.differences(expected, actual, Tolerance.DEFAULT);
            assertTrue(diffs.isEmpty(), diffs.toString());
            for (String name : expected.keySet()) assertEquals(expected.get(name).dtype(), actual.get(name).dtype(), name);
        }
    }

    /** embedding and gather (negative indices count from the end) read rows chosen by integer inputs. */
    @Test
    void embeddingAndGatherAgree() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("gathers");
        Value table = g.input("table", TensorType.of(DType.F32, 10, 4), P);
        Value ids = g.input("ids", TensorType.of(DType.I64, 2, 3), P);
        Value x = g.input("x", TensorType.of(DType.F32, 3, 5), P);
        Value cols = g.input("cols", TensorType.of(DType.I64, 4), P);
        Value e = op(g, "embedding", List.of(ids, table), Map.of());
        Value c = op(g, "gather", List.of(x, cols), Map.of("axis", 1));
        Graph graph = g.build(List.of(e, c), List.of("e", "c"));
        Map<String, Tensor> in = new LinkedHashMap<>();
        float[] t = new float[40], xs = new float[15];
        for (int i = 0; i < t.length; i++) t[i] = i * 0.25f - 3;
        for (int i = 0; i < xs.length; i++) xs[i] = i * 1.5f;
        in.put("table", Tensor.ofFloats(new long[] {10, 4}, t));
        in.put("ids", Tensor.ofLongs(DType.I64, new long[] {2, 3}, new long[] {0, 9, 3, 3, 7, 1}));
        in.put("x", Tensor.ofFloats(new long[] {3, 5}, xs));
        in.put("cols", Tensor.ofLongs(DType.I64, new long[] {4}, new long[] {4, -1, 0, -5}));
        agrees(graph, in);

        // an index out of range is the runtime's error, as in the interpreter, not a read past the table
        in.put("ids", Tensor.ofLongs(DType.I64, new long[] {2, 3}, new long[] {0, 9, 3, 10, 7, 1}));
        InterpreterException want = assertThrows(InterpreterException.class, () -> Interpreter.run(graph, in));
        try (OpenClModel m = new OpenClModel(Lowering.lower(graph), OpenClTestSupport.device())) {
            ModelRunException got = assertThrows(ModelRunException.class, () -> m.run(in));
            assertEquals("embedding: index 10 is out of range for a table of 10 rows", got.getMessage());
            assertTrue(want.getMessage().startsWith(got.getMessage()), want.getMessage() + " vs " + got.getMessage());
            // the error does not stick: the next good call runs
            in.put("ids", Tensor.ofLongs(DType.I64, new long[] {2, 3}, new long[] {0, 1, 2, 3, 4, 5}));
            assertTrue(TensorAssertions.differences(Interpreter.run(graph, in), m.run(in), Tolerance.DEFAULT).isEmpty());
        }
    }

    /** argmax (NaN counts as largest, first of equals wins) gives i64; comparisons give bool; where selects. */
    @Test
    void argmaxComparisonsAndWhereAgree() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("ints");
        Value x = g.input("x", TensorType.of(DType.F32, 3, 4), P);
        Value y = g.input("y", TensorType.of(DType.F32, 3, 4), P);
        Value am = op(g, "argmax", List.of(x), Map.of("axes", List.of(1)));
        Value less = op(g, "less", List.of(x, y), Map.of());
        Value w = op(g, "where", List.of(less, x, y), Map.of());
        Graph graph = g.build(List.of(am, less, w), List.of("am", "less", "w"));
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", Tensor.ofFloats(new long[] {3, 4}, new float[] {1, 3, 3, 2, Float.NaN, 5, Float.NaN, 1, -1, -2, -3, -1}));
        in.put("y", Tensor.ofFloats(new long[] {3, 4}, new float[] {2, 2, 3, 1, 0, 6, 1, 1, -1, -1, -4, 0}));
        agrees(graph, in);
    }

    /** Casts to integers saturate (NaN to 0) and wrap to their width; integer arithmetic wraps. */
    @Test
    void castsAndIntegerArithmeticAgree() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("casts");
        Value x = g.input("x", TensorType.of(DType.F32, 6), P);
        Value n = g.input("n", TensorType.of(DType.I32, 6), P);
        Value i64 = op(g, "cast", List.of(x), Map.of("dtype", "i64"));
        Value i32 = op(g, "cast", List.of(x), Map.of("dtype", "i32"));
        Value sq = op(g, "mul", List.of(n, n), Map.of());
        Value sum = op(g, "add", List.of(sq, n), Map.of());
        Value back = op(g, "cast", List.of(sum), Map.of("dtype", "f32"));
        Value b = op(g, "cast", List.of(x), Map.of("dtype", "bool"));
        Graph graph = g.build(List.of(i64, i32, sum, back, b), List.of("i64", "i32", "sum", "back", "b"));
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", Tensor.ofFloats(new long[] {6}, new float[] {1.7f, -2.5f, 3e9f, -1e20f, Float.NaN, 0}));
        in.put("n", Tensor.ofLongs(DType.I32, new long[] {6}, new long[] {3, -7, 65536, 2147483647, -2147483648L, 46341}));
        agrees(graph, in);
    }
}

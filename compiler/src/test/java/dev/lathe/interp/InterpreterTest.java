package dev.lathe.interp;

import static dev.lathe.interp.TestTensors.assertTensor;
import static dev.lathe.interp.TestTensors.f32;
import static dev.lathe.interp.TestTensors.f64;
import static dev.lathe.interp.TestTensors.i64;
import static dev.lathe.interp.TestTensors.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.diag.ErrorCode;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.OpTypeException;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    private static final Provenance P = Provenance.NONE;
    private static final Dim B = Dim.var("B");
    private static final Dim S = Dim.var("S");

    private static TensorType f32Type(Dim... dims) {
        return new TensorType(DType.F32, List.of(dims));
    }

    private static Dim d(long v) {
        return Dim.of(v);
    }

    /** y = relu(linear(x, w, b)) with x: f32[B, 3], dim B in 1..4, w: [2, 3], b: [2]. */
    private static Graph mlp() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 4L);
        Value x = g.input("x", f32Type(B, d(3)), P);
        Value w = g.param("fc.weight", f32Type(d(2), d(3)), P);
        Value b = g.param("fc.bias", f32Type(d(2)), P);
        Value h = g.op("linear", List.of(x, w, b), Map.of(), P).getFirst();
        Value y = g.op("relu", List.of(h), Map.of(), P).getFirst();
        return g.build(List.of(y), List.of("y")).withParamData(Map.of(
                "fc.weight", f32(shape(2, 3), 1, 0, 1, 0, 1, 0),
                "fc.bias", f32(shape(2), 0, -1)));
    }

    @Test
    void runsALinearLayer() throws OpTypeException {
        Tensor x = f32(shape(2, 3), 1, 2, 3, -1, -2, -3);
        // row 0: [1+3+0, 2-1] = [4, 1]; row 1: [-1-3+0, -2-1] = [-4, -3] -> relu -> [0, 0]
        LinkedHashMap<String, Tensor> out = Interpreter.run(mlp(), Map.of("x", x));
        assertEquals(List.of("y"), List.copyOf(out.keySet()));
        assertTensor(out.get("y"), shape(2, 2), 0, 4, 1, 0, 0);
    }

    @Test
    void namedDimsTakeTheirSizeFromTheInput() throws OpTypeException {
        // B = 1 and B = 4 (the bounds) both run; the output keeps B.
        assertTensor(Interpreter.run(mlp(), Map.of("x", f32(shape(1, 3), 1, 1, 1))).get("y"), shape(1, 2), 0, 2, 0);
        assertTensor(Interpreter.run(mlp(), Map.of("x", f32(shape(4, 3), new double[12]))).get("y"), shape(4, 2), 0, new double[8]);
    }

    @Test
    void splitGivesOutputsInSignatureOrder() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("halves");
        Value x = g.input("x", f32Type(d(2), d(4)), P);
        List<Value> parts = g.op("split", List.of(x), Map.of("parts", d(2), "axis", d(-1)), P);
        Graph graph = g.build(List.of(parts.get(1), parts.get(0)), List.of("right", "left"));
        var out = Interpreter.run(graph, Map.of("x", f32(shape(2, 4), 1, 2, 3, 4, 5, 6, 7, 8)));
        assertEquals(List.of("right", "left"), List.copyOf(out.keySet()));
        assertTensor(out.get("right"), shape(2, 2), 0, 3, 4, 7, 8);
        assertTensor(out.get("left"), shape(2, 2), 0, 1, 2, 5, 6);
    }

    @Test
    void symbolicReshapeUsesRunTimeDims() throws OpTypeException {
        // reshape(x: f32[B, 6], shape = [0, -1, 3]) is [B, 2, 3]
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32Type(B, d(6)), P);
        Value y = g.op("reshape", List.of(x), Map.of("shape", List.of(d(0), d(-1), d(3))), P).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        double[] data = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        assertTensor(Interpreter.run(graph, Map.of("x", f32(shape(2, 6), data))).get("y"), shape(2, 2, 3), 0, data);
    }

    @Test
    void exactDivisionThatFailsAtRunTimeIsAnInterpreterError() throws OpTypeException {
        // reshape(x: f32[S], [2, -1]) is [2, S / 2]; S = 7 does not divide
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32Type(S), P);
        Value y = g.op("reshape", List.of(x), Map.of("shape", List.of(d(2), d(-1))), new Provenance(null, "blk.0.r")).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        assertTensor(Interpreter.run(graph, Map.of("x", f32(shape(6), 1, 2, 3, 4, 5, 6))).get("y"), shape(2, 3), 0, 1, 2, 3, 4, 5, 6);
        var e = assertThrows(InterpreterException.class, () -> Interpreter.run(graph, Map.of("x", f32(shape(7), new double[7]))));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("blk.0.r"), e.getMessage());
    }

    @Test
    void gatherOutOfRangeNamesTheInstance() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        Value table = g.input("table", f32Type(d(3), d(2)), P);
        Value idx = g.input("idx", new TensorType(DType.I64, List.of(d(2))), P);
        Value y = g.op("embedding", List.of(idx, table), Map.of(), new Provenance(null, "emb")).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        Tensor t = f32(shape(3, 2), 1, 2, 3, 4, 5, 6);
        assertTensor(Interpreter.run(graph, Map.of("table", t, "idx", i64(shape(2), 2, 0))).get("y"), shape(2, 2), 0, 5, 6, 1, 2);
        var e = assertThrows(InterpreterException.class, () -> Interpreter.run(graph, Map.of("table", t, "idx", i64(shape(2), 0, 3))));
        assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("emb"), e.getMessage());
    }

    @Test
    void constantsAndBroadcasting() throws OpTypeException {
        // y = x * 2 + [10, 20, 30]
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32Type(B, d(3)), P);
        Value two = g.constant(Tensor.scalar(2), P);
        Value bias = g.constant(f32(shape(3), 10, 20, 30), P);
        Value m = g.op("mul", List.of(x, two), Map.of(), P).getFirst();
        Value y = g.op("add", List.of(m, bias), Map.of(), P).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        assertTensor(Interpreter.run(graph, Map.of("x", f32(shape(1, 3), 1, 2, 3))).get("y"), shape(1, 3), 0, 12, 24, 36);
    }

    @Test
    void attentionWithSymbolicModelDimTakesItsScaleAtRunTime() throws OpTypeException {
        // D is symbolic, so the default scale 1 / sqrt(D / heads) is known only at run time: D = 2 gives 1/sqrt 2.
        // Same numbers as AttentionOpsTest.singleHeadWithDefaultScale: p = 1 / (1 + e^(-1/sqrt 2)).
        Dim dModel = Dim.var("D");
        GraphBuilder g = new GraphBuilder("main");
        Value q = g.input("q", f32Type(d(1), d(2), dModel), P);
        Value v = g.input("v", f32Type(d(1), d(2), dModel), P);
        Value y = g.op("attention", Arrays.asList(q, q, v, null), Map.of("heads", d(1), "causal", false), P).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        double p = 1 / (1 + Math.exp(-1 / Math.sqrt(2)));
        var out = Interpreter.run(graph, Map.of("q", f32(shape(1, 2, 2), 1, 0, 0, 1), "v", f32(shape(1, 2, 2), 1, 2, 3, 4)));
        assertTensor(out.get("y"), shape(1, 2, 2), 1e-6, 3 - 2 * p, 4 - 2 * p, 1 + 2 * p, 2 + 2 * p);
    }

    @Test
    void causalTwoHeadAttentionGraph() throws OpTypeException {
        // heads 2 on D = 2 (head dim 1, scale 1); q = [[ln3, 0], [0, ln3]], k = I, v = [[1, 10], [3, 30]], causal.
        // Query 0 sees only key 0: [1, 10]. Query 1 sees both: head 0 scores [0, 0] -> (1 + 3) / 2 = 2;
        // head 1 scores [0, ln3] -> 1/4 * 10 + 3/4 * 30 = 25.
        GraphBuilder g = new GraphBuilder("main");
        Value q = g.input("q", f32Type(d(1), d(2), d(2)), P);
        Value k = g.input("k", f32Type(d(1), d(2), d(2)), P);
        Value v = g.input("v", f32Type(d(1), d(2), d(2)), P);
        Value y = g.op("attention", List.of(q, k, v), Map.of("heads", d(2), "causal", true), P).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        double ln3 = Math.log(3);
        var out = Interpreter.run(graph, Map.of(
                "q", f32(shape(1, 2, 2), ln3, 0, 0, ln3),
                "k", f32(shape(1, 2, 2), 1, 0, 0, 1),
                "v", f32(shape(1, 2, 2), 1, 10, 3, 30)));
        assertTensor(out.get("y"), shape(1, 2, 2), 1e-5, 1, 10, 2, 25);
    }

    @Test
    void unboundParamsAreAnInternalError() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        Value x = g.input("x", f32Type(d(2)), P);
        Value w = g.param("w", f32Type(d(2)), P);
        Value y = g.op("mul", List.of(x, w), Map.of(), P).getFirst();
        Graph graph = g.build(List.of(y), List.of("y"));
        var e = assertThrows(IllegalStateException.class, () -> Interpreter.run(graph, Map.of("x", f32(shape(2), 1, 2))));
        assertTrue(e.getMessage().contains("graph is not bound") && e.getMessage().contains("w"), e.getMessage());
    }

    // ---- E06xx -----------------------------------------------------------------------------

    /** x: f32[B, 3], y: f32[B] with dim B in 1..4; returns x + unsqueeze(y, -1). */
    private static Graph twoInputs() throws OpTypeException {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 4L);
        Value x = g.input("x", f32Type(B, d(3)), P);
        Value y = g.input("y", f32Type(B), P);
        Value col = g.op("unsqueeze", List.of(y), Map.of("axes", List.of(d(-1))), P).getFirst();
        Value z = g.op("add", List.of(x, col), Map.of(), P).getFirst();
        return g.build(List.of(z), List.of("z"));
    }

    private static InputException inputError(Graph graph, Map<String, Tensor> inputs) {
        return assertThrows(InputException.class, () -> Interpreter.run(graph, inputs));
    }

    private static void assertMentions(InputException e, String... parts) {
        for (String s : parts) assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
    }

    @Test
    void twoInputsRunWhenTheyAgree() throws OpTypeException {
        // [[1,2,3],[4,5,6]] + [[10],[20]]
        var out = Interpreter.run(twoInputs(), Map.of("x", f32(shape(2, 3), 1, 2, 3, 4, 5, 6), "y", f32(shape(2), 10, 20)));
        assertTensor(out.get("z"), shape(2, 3), 0, 11, 12, 13, 24, 25, 26);
    }

    @Test
    void unknownInputIsE0605() throws OpTypeException {
        var e = inputError(twoInputs(), Map.of("x", f32(shape(1, 3), 1, 2, 3), "y", f32(shape(1), 1), "w", f32(shape(1), 1)));
        assertEquals(ErrorCode.E0605, e.code());
        assertMentions(e, "w", "x, y");
    }

    @Test
    void missingInputIsE0602() throws OpTypeException {
        var e = inputError(twoInputs(), Map.of("x", f32(shape(1, 3), 1, 2, 3)));
        assertEquals(ErrorCode.E0602, e.code());
        assertMentions(e, "input y", "f32[B]");
    }

    @Test
    void wrongElementTypeIsE0603() throws OpTypeException {
        var e = inputError(twoInputs(), Map.of("x", f64(shape(1, 3), 1, 2, 3), "y", f32(shape(1), 1)));
        assertEquals(ErrorCode.E0603, e.code());
        assertMentions(e, "input x", "f32", "got f64");
        // f16 data is not silently accepted for an f32 input either
        Tensor half = Tensor.ofFloats(DType.F16, shape(1), new float[] {1});
        assertEquals(ErrorCode.E0603, inputError(twoInputs(), Map.of("x", f32(shape(1, 3), 1, 2, 3), "y", half)).code());
    }

    @Test
    void wrongRankOrStaticDimIsE0604() throws OpTypeException {
        var rank = inputError(twoInputs(), Map.of("x", f32(shape(3), 1, 2, 3), "y", f32(shape(1), 1)));
        assertEquals(ErrorCode.E0604, rank.code());
        assertMentions(rank, "input x", "rank 2", "rank 1");
        var dim = inputError(twoInputs(), Map.of("x", f32(shape(1, 4), 1, 2, 3, 4), "y", f32(shape(1), 1)));
        assertEquals(ErrorCode.E0604, dim.code());
        assertMentions(dim, "input x", "dim 1 = 3", "got 4");
    }

    @Test
    void dimOutsideItsBoundsIsE0601() throws OpTypeException {
        var e = inputError(twoInputs(), Map.of("x", f32(shape(5, 3), new double[15]), "y", f32(shape(5), new double[5])));
        assertEquals(ErrorCode.E0601, e.code());
        assertMentions(e, "input x", "B = 5", "1..4");
    }

    @Test
    void dimBoundInconsistentlyIsE0601() throws OpTypeException {
        var e = inputError(twoInputs(), Map.of("x", f32(shape(2, 3), new double[6]), "y", f32(shape(3), 1, 2, 3)));
        assertEquals(ErrorCode.E0601, e.code());
        assertMentions(e, "input y", "B = 3", "input x", "B = 2");
    }

    @Test
    void expressionDimsAreSolvedAndChecked() throws OpTypeException {
        // x: f32[2 * S], y: f32[S + 1]: x of size 6 gives S = 3, so y must have 4 elements
        GraphBuilder g = new GraphBuilder("main");
        g.dim("S", 1L, 8L);
        Value x = g.input("x", f32Type(S.times(2)), P);
        Value y = g.input("y", f32Type(S.plus(1)), P);
        Value sx = g.op("sum", List.of(x), Map.of(), P).getFirst();
        Value sy = g.op("sum", List.of(y), Map.of(), P).getFirst();
        Value z = g.op("add", List.of(sx, sy), Map.of(), P).getFirst();
        Graph graph = g.build(List.of(z), List.of("z"));
        // (1+2+3+4+5+6) + (1+1+1+1) = 21 + 4
        assertTensor(Interpreter.run(graph, Map.of("x", f32(shape(6), 1, 2, 3, 4, 5, 6), "y", f32(shape(4), 1, 1, 1, 1))).get("z"),
                shape(), 0, 25);
        var mismatch = inputError(graph, Map.of("x", f32(shape(6), new double[6]), "y", f32(shape(3), 1, 1, 1)));
        assertEquals(ErrorCode.E0604, mismatch.code());
        assertMentions(mismatch, "input y", "S + 1 = 4", "got 3");
        // an odd size cannot be 2 * S
        var odd = inputError(graph, Map.of("x", f32(shape(5), new double[5]), "y", f32(shape(3), 1, 1, 1)));
        assertEquals(ErrorCode.E0604, odd.code());
        assertMentions(odd, "input x");
        // x of size 18 gives S = 9, outside 1..8
        var bounds = inputError(graph, Map.of("x", f32(shape(18), new double[18]), "y", f32(shape(10), new double[10])));
        assertEquals(ErrorCode.E0601, bounds.code());
        assertMentions(bounds, "input x", "S = 9");
    }
}

package dev.lathe.pass.sparsify;

import static dev.lathe.pass.Reports.bound;
import static dev.lathe.pass.Reports.only;
import static dev.lathe.pass.ExpectedGraph.P;
import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.interp.LinalgOps;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.SparseFormat;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.pass.ExpectedGraph;
import dev.lathe.pass.IrStructure;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.Plans;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetReport;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden before/after tests of sparsify in its three storage formats, and the targets it must not prune. */
class SparsifyPassTest {
    /** x [B, 16] -> linear fc1 [8, 16] + bias -> relu -> matmul by m [8, 4]. */
    static Graph mlp() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 16));
        Value w1 = t.param("fc1.weight", gaussian(1, 8, 16));
        Value b1 = t.param("fc1.bias", gaussian(2, 8));
        Value m = t.param("m.weight", gaussian(3, 8, 4));
        return t.build(t.op("matmul", t.op("relu", t.op("linear", x, w1, b1)), m));
    }

    /** The expected graph with the sparse layer made by {@code make} from the parts' values. */
    private static Graph expected(TensorType values, TensorType indices, TensorType pointers, SparseFormat f) {
        ExpectedGraph e = new ExpectedGraph();
        Value x = e.input("x", f32(B, 16));
        Value v = e.param("fc1.weight.values", values);
        Value i = e.param("fc1.weight.indices", indices);
        Value p = pointers == null ? null : e.param("fc1.weight.pointers", pointers);
        Value bias = e.param("fc1.bias", f32(8));
        Value m = e.param("m.weight", f32(8, 4));
        Value h = e.node(f32(B, 8), o -> new Node.SparseLinear(x, f, v, i, p, bias, o, P));
        Value relu = e.node(f32(B, 8), o -> new Node.Unary(Node.UnaryKind.RELU, h, o, P));
        return e.build(e.node(f32(B, 4), o -> new Node.MatMul(relu, m, o, P)));
    }

    private static TensorType i32(long... shape) {
        return TensorType.of(DType.I32, shape);
    }

    /** Runs both graphs; the sparse one must equal linear with the masked weight bit for bit. */
    private static void assertMaskedDense(Graph before, Graph after, boolean[] mask) {
        double[] w = before.param("fc1.weight").data().toDoubleArray();
        Tensor masked = Tensor.fromDoubles(DType.F32, new long[] {8, 16}, Pruning.apply(w, mask));
        Tensor x = gaussian(9, 3, 16);
        Tensor relu = dev.lathe.interp.ElementwiseOps.relu(LinalgOps.linear(x, masked, before.param("fc1.bias").data()));
        Tensor want = LinalgOps.matmul(relu, before.param("m.weight").data());
        Tensor got = Interpreter.run(after, Map.of("x", x)).get("y");
        assertArrayEquals(want.toFloatArray(), got.toFloatArray());
    }

    @Test
    void sparsifyLinearStoresTwoOfFourAsNmParts() {
        Graph g = mlp();
        PipelineResult r = Plans.run(g, "sparsify(pattern = \"2:4\") on \"fc1.weight\"");
        SparseFormat f = SparseFormat.nm(8, 16, 2, 4);
        IrStructure.assertSame(expected(TensorType.of(DType.F32, 8, 8), i32(8, 8), null, f), r.graph());
        assertTrue(IrVerifier.verify(r.graph()).isEmpty());

        TargetReport t = only(r);
        assertTrue(t.applied());
        assertEquals(8 * 16, t.before().params());
        assertEquals(64 + 64, t.after().params());
        assertEquals(4L * 8 * 16, t.before().bytes());
        assertEquals(4L * 64 + 4L * 64, t.after().bytes());
        // linear: 2 * B * 8 * 16 + B * 8; sparse: 2 * B * 64 stored + B * 8
        assertEquals(B.times(264), t.before().flops());
        assertEquals(B.times(136), t.after().flops());
        assertEquals("0.5000", t.details().get("sparsity achieved"));
        assertEquals(64L, t.details().get("stored"));

        double[] w = g.param("fc1.weight").data().toDoubleArray();
        boolean[] mask = Pruning.nOfM(w, 8, 16, 2, 4);
        assertEquals(Pruning.prunedMass(w, mask), bound(t, "||W - W_pruned||_F"), 0);
        assertMaskedDense(g, r.graph(), mask);
        assertTrue(IrPrinter.print(r.graph()).contains("sparse_linear"), IrPrinter.print(r.graph()));
    }

    @Test
    void unstructuredStoresCsrWithExactlyTheKeptCount() {
        Graph g = mlp();
        PipelineResult r = Plans.run(g, "sparsify(sparsity = 0.7) on \"fc1.weight\"");
        // N = 128: 128 - floor(0.7 * 128) = 128 - 89 = 39 survive.
        IrStructure.assertSame(expected(TensorType.of(DType.F32, 39), i32(39), i32(9), SparseFormat.csr(8, 16)), r.graph());
        TargetReport t = only(r);
        assertEquals(39L, t.details().get("stored"));
        assertEquals(39 + 39 + 9, t.after().params());
        double[] w = g.param("fc1.weight").data().toDoubleArray();
        boolean[] mask = Pruning.unstructured(w, 0.7);
        assertEquals(Pruning.prunedMass(w, mask), bound(t, "||W - W_pruned||_F"), 0);
        assertMaskedDense(g, r.graph(), mask);
    }

    private static PipelineResult runBlock(Graph g, long r, long c, double s) {
        return Plans.run(g, "sparsify(pattern = \"block\", block = [" + r + ", " + c + "], sparsity = " + s + ") on \"fc1.weight\"");
    }

    @Test
    void blockStoresBsr() {
        Graph g = mlp();
        PipelineResult r = runBlock(g, 2, 4, 0.5);
        // 4 x 4 = 16 blocks, 8 survive.
        IrStructure.assertSame(expected(TensorType.of(DType.F32, 8, 2, 4), i32(8), i32(5), SparseFormat.bsr(8, 16, 2, 4)), r.graph());
        double[] w = g.param("fc1.weight").data().toDoubleArray();
        assertMaskedDense(g, r.graph(), Pruning.blocks(w, 8, 16, 2, 4, 0.5));
    }

    @Test
    void doesNotFireOnAMatMulWeight() {
        PipelineResult r = Plans.run(mlp(), "sparsify(pattern = \"2:4\") on \"m.weight\"");
        TargetReport t = only(r);
        assertFalse(t.applied());
        assertEquals(SkipReason.Kind.PRECONDITION_FAILED, t.reason().kind());
        assertTrue(t.reason().message().contains("matmul"), t.reason().message());
        IrStructure.assertSame(mlp(), r.graph());
    }

    @Test
    void doesNotFireWhenMDoesNotDivideTheInputs() {
        TargetReport t = only(Plans.run(mlp(), "sparsify(pattern = \"2:5\") on \"fc1.weight\""));
        assertFalse(t.applied());
        assertTrue(t.reason().message().contains("divisible by 5"), t.reason().message());
    }

    @Test
    void doesNotFireWhenBlocksDoNotTile() {
        TargetReport t = only(runBlock(mlp(), 3, 4, 0.8));
        assertFalse(t.applied());
        assertTrue(t.reason().message().contains("do not tile"), t.reason().message());
    }

    @Test
    void aPrunedWeightIsNotPrunedAgain() {
        PipelineResult r = Plans.run(mlp(), "sparsify(pattern = \"2:4\") on \"fc1.weight\"", "sparsify(pattern = \"1:4\") on \"fc1.weight\"");
        // the later statement replaces the earlier one on the same target (LANGUAGE.md §7)
        assertEquals(1, r.report().targets().size());
        assertEquals("1:4", r.report().targets().getFirst().details().get("format"));
    }
}

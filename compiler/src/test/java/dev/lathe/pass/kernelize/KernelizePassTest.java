package dev.lathe.pass.kernelize;

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
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Value;
import dev.lathe.pass.ErrorBound;
import dev.lathe.pass.ExpectedGraph;
import dev.lathe.pass.IrStructure;
import dev.lathe.pass.PassPipeline;
import dev.lathe.pass.PassRegistry;
import dev.lathe.pass.PipelineResult;
import dev.lathe.api.PassStatementText;
import dev.lathe.pass.PassPlanner;
import dev.lathe.pass.PassStatement;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetReport;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden before/after tests of kernelize, the targets it must not replace, and its report. */
class KernelizePassTest {
    private static final Map<String, String> KINDS = Map.of("attention", "attention");

    /** q, k, v [B, 6, 8] -> attention with 2 heads (instance "attention"). */
    static Graph attention(boolean causal, boolean mask) {
        TestGraph t = new TestGraph();
        Value q = t.input("q", f32(B, 6, 8));
        Value k = t.input("k", f32(B, 6, 8));
        Value v = t.input("v", f32(B, 6, 8));
        if (mask) {
            Value m = t.input("m", f32(B, 2, 6, 6));
            return t.build(t.op("attention", List.of(q, k, v, m), "heads", Dim.of(2), "causal", causal));
        }
        return t.build(t.op("attention", List.of(q, k, v), "heads", Dim.of(2), "causal", causal));
    }

    static PipelineResult run(Graph g, List<Map<String, Tensor>> calibration, String statement) {
        PassStatement stmt = PassStatementText.parse(statement, "test", PassStatement.Origin.COMMAND_LINE);
        return PassPipeline.standard().run(g, PassPlanner.plan(PassRegistry.standard(), List.of(stmt), g, KINDS), calibration);
    }

    private static Node.Attention attentionOf(Graph g) {
        return (Node.Attention) g.nodes().stream().filter(n -> n instanceof Node.Attention).findFirst().orElseThrow();
    }

    private static Graph expected(Node.Attention before, Node.KernelMethod method, int size, long seed) {
        ExpectedGraph e = new ExpectedGraph();
        Value q = e.input("q", f32(B, 6, 8));
        Value k = e.input("k", f32(B, 6, 8));
        Value v = e.input("v", f32(B, 6, 8));
        return e.build(e.node(f32(B, 6, 8), o -> new Node.LinearAttention(q, k, v, 2, method, size, seed, before.causal(), before.scale(), o, P)));
    }

    @Test
    void kernelizeAttentionMakesFavorLinearAttention() {
        Graph g = attention(false, false);
        PipelineResult r = run(g, List.of(), "kernelize(method = \"favor\", features = 16, seed = 7) on \"attention\"");
        IrStructure.assertSame(expected(attentionOf(g), Node.KernelMethod.FAVOR, 16, 7), r.graph());
        assertTrue(IrVerifier.verify(r.graph()).isEmpty());
        TargetReport t = only(r);
        assertTrue(t.applied());
        assertEquals(1.0 / 16, t.certificate().getFirst().value());
        assertTrue(IrPrinter.print(r.graph()).contains("method=\"favor\""), IrPrinter.print(r.graph()));
        // a fixed seed gives bitwise-identical output
        Map<String, Tensor> feed = Map.of("q", gaussian(1, 1, 6, 8), "k", gaussian(2, 1, 6, 8), "v", gaussian(3, 1, 6, 8));
        assertArrayEquals(Interpreter.run(r.graph(), feed).get("y").toFloatArray(), Interpreter.run(r.graph(), feed).get("y").toFloatArray());
    }

    @Test
    void causalEluAndWindowKeepCausality() {
        Graph g = attention(true, false);
        IrStructure.assertSame(expected(attentionOf(g), Node.KernelMethod.ELU, 0, 0),
                run(g, List.of(), "kernelize(method = \"elu\") on \"attention\"").graph());
        IrStructure.assertSame(expected(attentionOf(g), Node.KernelMethod.WINDOW, 3, 0),
                run(g, List.of(), "kernelize(window = 3) on \"attention\"").graph());
    }

    @Test
    void aWindowOfTheSequenceLengthReproducesAttentionOnCalibration() {
        Graph g = attention(true, false);
        Map<String, Tensor> feed = Map.of("q", gaussian(1, 2, 6, 8), "k", gaussian(2, 2, 6, 8), "v", gaussian(3, 2, 6, 8));
        PipelineResult r = run(g, List.of(feed), "kernelize(window = 6) on \"attention\"");
        TargetReport t = only(r);
        double measured = t.certificate().stream().filter(e -> e.quantity().endsWith("measured")).mapToDouble(ErrorBound::value).findFirst()
                .orElseThrow();
        assertTrue(measured < 1e-6, "relative error " + measured);
        float[] want = Interpreter.run(g, feed).get("y").toFloatArray();
        float[] got = Interpreter.run(r.graph(), feed).get("y").toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f);
    }

    @Test
    void favorReportsTheMeasuredErrorAndVarianceOnCalibration() {
        Graph g = attention(false, false);
        Map<String, Tensor> feed = Map.of("q", gaussian(1, 2, 6, 8), "k", gaussian(2, 2, 6, 8), "v", gaussian(3, 2, 6, 8));
        TargetReport t = only(run(g, List.of(feed), "kernelize(features = 64) on \"attention\""));
        List<String> quantities = t.certificate().stream().map(ErrorBound::quantity).toList();
        assertEquals(3, quantities.size(), quantities.toString());
        assertTrue(t.certificate().stream().allMatch(e -> e.value() > 0 && Double.isFinite(e.value())), t.certificate().toString());
    }

    @Test
    void doesNotFireOnAMaskedAttention() {
        TargetReport t = only(run(attention(false, true), List.of(), "kernelize(method = \"elu\") on \"attention\""));
        assertFalse(t.applied());
        assertTrue(t.reason().message().contains("mask"), t.reason().message());
    }

    @Test
    void nystromAppliesWithoutCausalityAndIsExactWithALandmarkPerToken() {
        Graph g = attention(false, false);
        PipelineResult r = run(g, List.of(), "kernelize(method = \"nystrom\", landmarks = 6) on \"attention\"");
        IrStructure.assertSame(expected(attentionOf(g), Node.KernelMethod.NYSTROM, 6, 0), r.graph());
        // Keys = queries, each head's row of norm 8: q_i . q_j = 64 cos < 64 = q_i . q_i, so P is diagonally dominant,
        // well-conditioned enough for the pseudo-inverse's LinearAttention.NEWTON_SCHULZ_ITERATIONS to invert fully
        // (they damp small singular values).
        float[] qk = gaussian(1, 2, 6, 8).toFloatArray();
        for (int row = 0; row < qk.length; row += 4) {
            double norm = 0;
            for (int c = 0; c < 4; c++) norm += qk[row + c] * qk[row + c];
            for (int c = 0; c < 4; c++) qk[row + c] *= (float) (8 / Math.sqrt(norm));
        }
        Tensor sharp = Tensor.ofFloats(new long[] {2, 6, 8}, qk);
        Map<String, Tensor> feed = Map.of("q", sharp, "k", sharp, "v", gaussian(3, 2, 6, 8));
        float[] want = Interpreter.run(g, feed).get("y").toFloatArray();
        float[] got = Interpreter.run(r.graph(), feed).get("y").toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4f);

        TargetReport causal = only(run(attention(true, false), List.of(), "kernelize(method = \"nystrom\") on \"attention\""));
        assertEquals(SkipReason.Kind.PRECONDITION_FAILED, causal.reason().kind());
        assertEquals("nystrom needs causal = false", causal.reason().message());
    }
}

package dev.lathe.pass.lowrank;

import static dev.lathe.pass.ExpectedGraph.P;
import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.ir.Graph;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.pass.ExpectedGraph;
import dev.lathe.pass.GraphEdits;
import dev.lathe.pass.IrStructure;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.Plans;
import dev.lathe.pass.RewriteDriver;
import dev.lathe.pass.Rule;
import dev.lathe.pass.RuleStats;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each rule on its own, through the driver: it fires on the node that uses the target, does not
 * fire on the nodes that do not (with the reason counted), and stops at a fixpoint.
 */
class LowRankRulesTest {
    /** x [B, 8] -> linear w1 [8, 8] -> linear w2 [8, 8] -> matmul m [8, 8]; factor params A [2, 8], B [8, 2] added. */
    private record Setup(Graph graph, Value w1, Value w2, Value m, Value a, Value b) {}

    private static Setup setup() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 8));
        Value w1 = t.param("w1", gaussian(1, 8, 8));
        Value w2 = t.param("w2", gaussian(2, 8, 8));
        Value m = t.param("m", gaussian(3, 8, 8));
        Graph g = t.build(t.op("matmul", t.op("linear", t.op("linear", x, w1), w2), m));
        int id = GraphEdits.nextValueId(g);
        Param a = new Param("A", new Value(id, f32(2, 8), "A"), P, gaussian(4, 2, 8));
        Param b = new Param("B", new Value(id + 1, f32(8, 2), "B"), P, gaussian(5, 8, 2));
        g = GraphEdits.addParamsAfter(g, "m", List.of(a, b));
        return new Setup(g, w1, w2, m, a.value(), b.value());
    }

    private static RuleStats run(Setup s, Rule<?> rule, int expectedIterations) {
        RewriteDriver.Result r = new RewriteDriver("lowrank", List.of(rule)).run(s.graph());
        assertTrue(r.converged());
        assertEquals(expectedIterations, r.iterations());
        assertTrue(IrVerifier.verify(r.graph()).isEmpty(), IrVerifier.verify(r.graph()).toString());
        return r.stats().getFirst();
    }

    @Test
    void factorLinearLowRankFiresOnlyOnTheTargetsLinear() {
        Setup s = setup();
        RuleStats st = run(s, new FactorLinearLowRank(s.w2(), s.a(), s.b()), 2);
        assertEquals(1, st.fired());
        // Sweep 1: w1's linear does not match, w2's fires; sweep 2: w1's linear again.
        assertEquals(Map.of("the weight is not the target", 2), st.noMatch());
    }

    @Test
    void factorMatMulLowRankFiresOnlyOnTheTargetOperand() {
        Setup s = setup();
        RuleStats none = run(s, new FactorMatMulLowRank(s.w1(), s.a(), s.b()), 1);
        assertEquals(0, none.fired());
        assertEquals(Map.of("the right operand is not the target", 1), none.noMatch());
        assertEquals(1, run(s, new FactorMatMulLowRank(s.m(), s.a(), s.b()), 2).fired());
    }

    @Test
    void compensateRulesFireOnceAndThenSeeTheirOwnPath() {
        Setup s = setup();
        RuleStats linear = run(s, new CompensateLinearLowRank(s.w1(), s.a(), s.b()), 2);
        assertEquals(1, linear.fired());
        // The linear left behind still reads w1, and is recognized as compensated.
        assertEquals(1, linear.noMatch().get("already compensated"));
        RuleStats matmul = run(s, new CompensateMatMulLowRank(s.m(), s.a(), s.b()), 2);
        assertEquals(1, matmul.fired());
        assertEquals(Map.of("already compensated", 1), matmul.noMatch());
    }

    @Test
    void factorConv1x1LowRankDoesNotFireOnOtherKernels() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(1, 4, 3, 3));
        Value k = t.param("k", gaussian(1, 4, 4, 1, 1));
        Value other = t.param("other", gaussian(2, 4, 4, 1, 1));
        List<Object> conv = List.of("stride", List.of(dev.lathe.ir.Dim.of(1), dev.lathe.ir.Dim.of(1)), "padding",
                List.of(dev.lathe.ir.Dim.of(0), dev.lathe.ir.Dim.of(0), dev.lathe.ir.Dim.of(0), dev.lathe.ir.Dim.of(0)),
                "dilation", List.of(dev.lathe.ir.Dim.of(1), dev.lathe.ir.Dim.of(1)), "groups", dev.lathe.ir.Dim.of(1));
        Value y = t.op("conv2d", List.of(t.op("conv2d", List.of(x, other), conv.toArray()), k), conv.toArray());
        Graph g = t.build(y);
        int id = GraphEdits.nextValueId(g);
        Param a = new Param("k.A", new Value(id, f32(1, 4, 1, 1), ""), P, gaussian(3, 1, 4, 1, 1));
        Param b = new Param("k.B", new Value(id + 1, f32(4, 1, 1, 1), ""), P, gaussian(4, 4, 1, 1, 1));
        RewriteDriver.Result r = new RewriteDriver("lowrank", List.of(new FactorConv1x1LowRank(k, a.value(), b.value())))
                .run(GraphEdits.addParamsAfter(g, "k", List.of(a, b)));
        assertEquals(1, r.stats().getFirst().fired());
        // Sweep 1: the other conv; sweep 2: the other conv and the two convs through the factors.
        assertEquals(Map.of("the kernel is not the target", 4), r.stats().getFirst().noMatch());
        assertEquals(3, r.graph().nodes().size());
    }

    /** Golden: {@code x @ W'} gains the residual path {@code lowrank_linear(x, A, B)}. */
    @Test
    void compensateMatMulLowRankAddsTheResidualPath() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 10));
        Graph g = t.build(t.op("matmul", x, t.param("proj", gaussian(51, 10, 6))));
        List<Map<String, Tensor>> calibration = List.of(Map.of("x", LowRankPassTest.anisotropic(52, 40, 10)));
        PipelineResult r = Plans.runWithRound(g, calibration, "round(step = 0.5) on \"proj\"", "lowrank(rank = 2, compensate = true) on \"proj\"");

        ExpectedGraph e = new ExpectedGraph();
        Value ex = e.input("x", f32(B, 10));
        Value w = e.param("proj", f32(10, 6));
        Value a = e.param("proj.A", f32(2, 10));
        Value b = e.param("proj.B", f32(6, 2));
        Value main = e.node(f32(B, 6), o -> new Node.MatMul(ex, w, o, P));
        Value residual = e.node(f32(B, 6), o -> new Node.LowRankLinear(ex, a, b, null, o, P));
        Value y = e.node(f32(B, 6), o -> new Node.Binary(Node.BinaryKind.ADD, main, residual, o, P));
        IrStructure.assertSame(e.build(y), r.graph());
        assertEquals(TensorType.of(dev.lathe.runtime.DType.F32, 6, 2), r.graph().param("proj.B").type());
    }
}

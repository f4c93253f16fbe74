package dev.lathe.pass.quantize;

import static dev.lathe.pass.Reports.bound;
import static dev.lathe.pass.Reports.only;
import static dev.lathe.pass.Reports.target;
import static dev.lathe.pass.ExpectedGraph.P;
import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.backend.jvm.JvmCompiler;
import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrPrinter;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.lower.LowerOptions;
import dev.lathe.lower.Lowering;
import dev.lathe.lower.UnsupportedOpException;
import dev.lathe.pass.ExpectedGraph;
import dev.lathe.pass.IrStructure;
import dev.lathe.pass.PipelineResult;
import dev.lathe.pass.Plans;
import dev.lathe.pass.SkipReason;
import dev.lathe.pass.TargetReport;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import dev.lathe.runtime.model.RunOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden before/after tests of quantize, its report and certificate, the targets it must not touch, and both backends. */
class QuantizePassTest {
    /** x [B, 64] -> linear fc1 [8, 64] + bias -> relu -> linear fc2 [4, 8]. */
    static Graph mlp() {
        return TestGraph.mlp(64, 8, 4);
    }

    @Test
    void quantizeLinearWeightReplacesTheLinearByAQuantizedLinear() {
        PipelineResult r = Plans.run(mlp(), "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc1.weight\"");

        ExpectedGraph e = new ExpectedGraph();
        Value x = e.input("x", f32(B, 64));
        Value q = e.param("fc1.weight.q", TensorType.of(DType.I4, new long[] {8, 64}));
        Value scales = e.param("fc1.weight.scales", f32(8, 2));
        Value bias = e.param("fc1.bias", f32(8));
        Value w2 = e.param("fc2.weight", f32(4, 8));
        Value h = e.node(f32(B, 8), o -> new Node.QuantizedLinear(x, q, scales, null, bias, 4, Node.QuantGranularity.GROUP, 32, o, P));
        Value relu = e.node(f32(B, 8), o -> new Node.Unary(Node.UnaryKind.RELU, h, o, P));
        Value y = e.node(f32(B, 4), o -> new Node.Linear(relu, w2, null, o, P));
        IrStructure.assertSame(e.build(y), r.graph());
        assertTrue(IrPrinter.print(r.graph()).contains("= quantized_linear(") && IrPrinter.print(r.graph()).contains(", bits=4, granularity=\"group\", group=32)"),
                IrPrinter.print(r.graph()));

        TargetReport t = only(r);
        assertTrue(t.applied());
        assertEquals(8 * 64, t.before().params());
        assertEquals(8 * 64 + 8 * 2, t.after().params());
        // f32 [8, 64] -> i4 packed two per byte + 16 f32 scales
        assertEquals(4L * 8 * 64, t.before().bytes());
        assertEquals(8 * 64 / 2 + 4 * 16, t.after().bytes());
        // linear and quantized_linear alike: 2 * B * 8 * 64 + B * 8 (bias)
        assertEquals(B.times(1032), t.before().flops());
        assertEquals(B.times(1032), t.after().flops());
        assertEquals(4L, t.details().get("bits"));
        assertEquals("group 32", t.details().get("granularity"));
    }

    /** amax 127 gives scale 1 exactly, so the integers are the weights rounded half to even. */
    @Test
    void symmetricInt8ByHand() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 2));
        Graph g = t.build(t.op("linear", x, t.param("w", Tensor.ofFloats(new long[] {2, 2}, new float[] {127, -3.25f, 2.5f, 0}))));
        PipelineResult r = Plans.run(g, "quantize(bits = 8, granularity = \"tensor\") on \"w\"");
        assertArrayEquals(new long[] {127, -3, 2, 0}, r.graph().param("w.q").data().toLongArray());
        assertEquals(DType.I8, r.graph().param("w.q").type().dtype());
        assertArrayEquals(new double[] {1}, r.graph().param("w.scales").data().toDoubleArray());
        TargetReport rep = only(r);
        assertEquals(0.5, bound(rep, "max |W - deq(Q(W))|"));
        assertEquals(0.5, bound(rep, "max |W - deq(Q(W))| measured"));
        assertEquals(Math.sqrt(0.25 * 0.25 + 0.5 * 0.5), bound(rep, "||W - deq(Q(W))||_F measured"), 1e-15);
        // y = x @ deq(W)^T = [1, 2] @ [[127, -3], [2, 0]]^T = [121, 2]
        Tensor y = Interpreter.run(r.graph(), Map.of("x", Tensor.ofFloats(new long[] {1, 2}, new float[] {1, 2}))).get("y");
        assertArrayEquals(new float[] {121, 2}, y.toFloatArray());
    }

    /** Range [-51, 204] over 255 steps: scale 1, zero point 51, so 0.0 is the integer 51 and comes back as 0 exactly. */
    @Test
    void asymmetricInt8ByHand() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 4));
        Graph g = t.build(t.op("linear", x, t.param("w", Tensor.ofFloats(new long[] {1, 4}, new float[] {-51, 204, 0, 10.4f}))));
        PipelineResult r = Plans.run(g, "quantize(bits = 8, symmetric = false) on \"w\"");
        assertEquals(DType.U8, r.graph().param("w.q").type().dtype());
        assertArrayEquals(new long[] {0, 255, 51, 61}, r.graph().param("w.q").data().toLongArray());
        assertArrayEquals(new long[] {51}, r.graph().param("w.zeros").data().toLongArray());
        assertArrayEquals(new double[] {1}, r.graph().param("w.scales").data().toDoubleArray());
        // y = [1, 1, 1, 1] . [-51, 204, 0, 10] = 163
        Tensor y = Interpreter.run(r.graph(), Map.of("x", Tensor.ofFloats(new long[] {1, 4}, new float[] {1, 1, 1, 1}))).get("y");
        assertArrayEquals(new float[] {163}, y.toFloatArray());
        TargetReport rep = only(r);
        assertEquals(4L, rep.before().bytes() / 4);
        assertEquals(4 + 4 + 1, rep.after().bytes());
    }

    @Test
    void theCertificateCoversTheMeasuredErrorAndTheOutputMovesWithinTheGemvBound() {
        for (String stmt : List.of("quantize(bits = 8) on \"fc1.weight\"", "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc1.weight\"",
                "quantize(bits = 4, symmetric = false, calibration = \"mse\") on \"fc1.weight\"",
                "quantize(bits = 8, granularity = \"tensor\", calibration = \"percentile\", percentile = 99.0) on \"fc1.weight\"")) {
            Graph g = mlp();
            PipelineResult r = Plans.run(g, stmt);
            assertEquals(List.of(), IrVerifier.verify(r.graph()));
            TargetReport rep = only(r);
            assertTrue(bound(rep, "max |W - deq(Q(W))| measured") <= bound(rep, "max |W - deq(Q(W))|"), stmt);
            assertTrue(bound(rep, "||W - deq(Q(W))||_F measured") <= bound(rep, "||W - deq(Q(W))||_F"), stmt);
            assertTrue(bound(rep, "||W - deq(Q(W))||_F measured") > 0, stmt);
        }
    }

    @Test
    void aLaterStatementOnTheSameTargetReplacesTheEarlierOne() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 32));
        Value h = t.op("relu", t.op("linear", x, t.param("fc1.weight", gaussian(1, 32, 32))));
        h = t.op("relu", t.op("linear", h, t.param("fc2.weight", gaussian(2, 32, 32))));
        Graph g = t.build(t.op("linear", h, t.param("fc3.weight", gaussian(3, 10, 32))));
        PipelineResult r = Plans.run(g, "quantize(bits = 4, granularity = \"group\", group = 32) on \"**.weight\"",
                "quantize(bits = 8) on \"fc3.weight\"");
        assertEquals(3, r.report().targets().size());
        assertEquals(DType.I4, r.graph().param("fc1.weight.q").type().dtype());
        assertEquals(DType.I4, r.graph().param("fc2.weight.q").type().dtype());
        assertEquals(DType.I8, r.graph().param("fc3.weight.q").type().dtype());
        assertEquals(8L, target(r, "fc3.weight").details().get("bits"));
        assertEquals("channel", target(r, "fc3.weight").details().get("granularity"));
        assertEquals(4L, target(r, "fc1.weight").details().get("bits"));
    }

    @Test
    void aWeightUsedByLayerNormIsNotATarget() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 6));
        Value y = t.op("layer_norm", List.of(x, t.param("ln.weight", gaussian(1, 6)), t.param("ln.bias", gaussian(2, 6))),
                "axis", Dim.of(-1), "eps", 1e-5);
        Graph g = t.build(y);
        PipelineResult r = Plans.run(g, "quantize(bits = 8) on \"ln.*\"");
        assertSame(g, r.graph());
        assertEquals(2, r.report().skipped().size());
        for (TargetReport rep : r.report().targets()) {
            assertEquals(SkipReason.Kind.PRECONDITION_FAILED, rep.reason().kind());
            assertTrue(rep.reason().message().contains("quantize needs a weight [out, in] of rank 2"), rep.reason().message());
        }
    }

    /** The right operand of a matmul [in, out] is quantized as its transpose [out, in]: per-channel scales are per output column. */
    @Test
    void quantizeMatMulWeightQuantizesTheTransposedOperand() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 3, 4));
        Graph g = t.build(t.op("matmul", x, t.param("w", Tensor.ofFloats(new long[] {4, 2}, new float[] {1, 10, -2, 20, 3, -40, 0.5f, 50}))));
        PipelineResult r = Plans.run(g, "quantize(bits = 8) on \"w\"");

        ExpectedGraph e = new ExpectedGraph();
        Value ex = e.input("x", f32(B, 3, 4));
        Value q = e.param("w.q", TensorType.of(DType.I8, new long[] {2, 4}));
        Value scales = e.param("w.scales", f32(2, 1));
        Value y = e.node(f32(B, 3, 2), o -> new Node.QuantizedLinear(ex, q, scales, null, null, 8, Node.QuantGranularity.CHANNEL, 4, o, P));
        IrStructure.assertSame(e.build(y), r.graph());
        // columns [1, -2, 3, 0.5] (amax 3) and [10, 20, -40, 50] (amax 50)
        assertArrayEquals(new double[] {(float) (3.0 / 127), (float) (50.0 / 127)}, r.graph().param("w.scales").data().toDoubleArray());
        assertArrayEquals(new long[] {42, -85, 127, 21, 25, 51, -102, 127}, r.graph().param("w.q").data().toLongArray());

        TestGraph left = new TestGraph();
        Value a = left.param("a", gaussian(1, 3, 4));
        Graph lg = left.build(left.op("matmul", a, left.input("x", f32(4, B))));
        TargetReport rep = only(Plans.run(lg, "quantize(bits = 8) on \"a\""));
        assertEquals(SkipReason.Kind.PRECONDITION_FAILED, rep.reason().kind());
        assertTrue(rep.reason().message().startsWith("it is used by matmul as its left operand"), rep.reason().message());
    }

    @Test
    void indivisibleGroupsAreNotTargets() {
        TargetReport group = only(Plans.run(mlp(), "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc2.weight\""));
        assertEquals("precondition failed: group 32 does not divide its 8 inputs", group.reason().toString());
    }

    /** f32 [4, 1] is 16 bytes; int8 per channel stores 4 integers and 4 f32 scales, 20 bytes. */
    @Test
    void aWeightThatWouldGrowIsSkippedAsUnprofitable() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 1));
        Graph g = t.build(t.op("linear", x, t.param("w", gaussian(1, 4, 1))));
        PipelineResult r = Plans.run(g, "quantize(bits = 8) on \"w\"");
        assertSame(g, r.graph());
        assertEquals("unprofitable: 20 bytes of integers, scales are not fewer than the weight's 16", only(r).reason().toString());
        assertTrue(only(Plans.run(g, "quantize(bits = 8, granularity = \"tensor\") on \"w\"")).applied());
    }

    @Test
    void aQuantizedWeightIsNotQuantizedAgainAndUnimplementedModesSaySo() {
        Graph once = Plans.run(mlp(), "quantize(bits = 8) on \"fc1.weight\"").graph();
        // fc1.weight is gone; its integer weights are no float weight to quantize.
        TargetReport again = only(Plans.run(once, "quantize(bits = 4) on \"fc1.weight.q\""));
        assertEquals("precondition failed: it is i8[8, 64]; quantize quantizes float weights", again.reason().toString());
    }

    /**
     * x = [1, 2]: max|x| = 2, sx = 2 / 127, x̂ = [rint(63.5), 127] = [64, 127] (half to even). W = [[127, -3.25], [2.5, 0]]
     * quantizes with scale 1 to [[127, -3], [2, 0]], so y = sx [64 * 127 - 3 * 127, 64 * 2] = sx [7747, 128].
     */
    @Test
    void dynamicActivationsByHand() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 2));
        Graph g = t.build(t.op("linear", x, t.param("w", Tensor.ofFloats(new long[] {2, 2}, new float[] {127, -3.25f, 2.5f, 0}))));
        PipelineResult r = Plans.run(g, "quantize(bits = 8, granularity = \"tensor\", activations = \"dynamic\") on \"w\"");
        assertTrue(IrPrinter.print(r.graph()).contains(", activations=\"dynamic\")"), IrPrinter.print(r.graph()));
        Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new long[] {1, 2}, new float[] {1, 2}));
        double sx = 2f / 127f;
        float[] want = {(float) (sx * 7747), (float) (sx * 128)};
        assertArrayEquals(want, Interpreter.run(r.graph(), in).get("y").toFloatArray());
        assertArrayEquals(want, JvmCompiler.compile(r.graph(), "DynamicByHand", LowerOptions.defaults(), RunOptions.defaults()).run(in).get("y").toFloatArray());
        // Certificate, row 0: weight part 0.5 + 0.5, activation part (0.5 + 2e-5) / 127 * (127 + 3); times max|x| = 2 it covers
        // |[1, 2] . [127, -3.25] - y0| = |120.5 - 121.99|.
        TargetReport rep = only(r);
        double cert = bound(rep, "max |x W^T - x^ deq(Q(W))^T| / max|x| per row");
        assertEquals(1.0 + (0.5 + 2e-5) / 127 * 130, cert, 1e-12);
        assertTrue(Math.abs(120.5 - want[0]) <= 2 * cert);
        assertEquals("dynamic: int8 per row at run time, integer products", rep.details().get("activations"));
    }

    @Test
    void theJvmBackendAgreesWithTheInterpreterAndRefusesWhatItCannotCompile() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 3, 64));
        Graph projection = t.build(t.op("relu", t.op("matmul", x, t.param("w", gaussian(5, 64, 6)))));
        Graph qp = Plans.run(projection, "quantize(bits = 4, symmetric = false, granularity = \"group\", group = 32) on \"w\"").graph();
        Map<String, Tensor> px = Map.of("x", gaussian(8, 2, 3, 64));
        float[] want = Interpreter.run(qp, px).get("y").toFloatArray();
        float[] got = JvmCompiler.compile(qp, "Projection", LowerOptions.defaults(), RunOptions.defaults()).run(px).get("y").toFloatArray();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), "projection element " + i);

        for (String stmt : List.of("quantize(bits = 8) on \"fc*.weight\"", "quantize(bits = 4, granularity = \"group\", group = 32) on \"fc1.weight\"",
                "quantize(bits = 4, symmetric = false, granularity = \"tensor\") on \"fc*.weight\"",
                "quantize(bits = 8, activations = \"dynamic\") on \"fc*.weight\"",
                "quantize(bits = 4, granularity = \"group\", group = 32, activations = \"dynamic\") on \"fc1.weight\"",
                "quantize(bits = 8, symmetric = false, activations = \"dynamic\") on \"fc*.weight\"")) {
            Graph g = Plans.run(mlp(), stmt).graph();
            Map<String, Tensor> in = Map.of("x", gaussian(7, 5, 64));
            float[] expected = Interpreter.run(g, in).get("y").toFloatArray();
            float[] actual = JvmCompiler.compile(g, "Quantized", LowerOptions.defaults(), RunOptions.defaults()).run(in).get("y").toFloatArray();
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), stmt + " element " + i);
            assertThrows(UnsupportedOpException.class, () -> Lowering.lower(g, LowerOptions.defaults().withRuntimeKernels(false)));
        }
    }
}

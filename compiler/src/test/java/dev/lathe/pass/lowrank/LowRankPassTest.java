package dev.lathe.pass.lowrank;

import static dev.lathe.pass.Reports.bound;
import static dev.lathe.pass.Reports.only;
import static dev.lathe.pass.ExpectedGraph.P;
import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static dev.lathe.pass.TestGraph.gaussian;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden before/after tests of each lowrank rule, and the targets it must not factor. */
class LowRankPassTest {
    /** x [B, 16] -> linear fc1 [32, 16] + bias -> relu -> linear fc2 [4, 32]. */
    static Graph mlp() {
        return TestGraph.mlp(16, 32, 4);
    }

    @Test
    void factorLinearLowRankReplacesTheLinearByALowRankLinear() {
        PipelineResult r = Plans.run(mlp(), "lowrank(rank = 2) on \"fc1.weight\"");

        ExpectedGraph e = new ExpectedGraph();
        Value x = e.input("x", f32(B, 16));
        Value a = e.param("fc1.weight.A", f32(2, 16));
        Value b = e.param("fc1.weight.B", f32(32, 2));
        Value bias = e.param("fc1.bias", f32(32));
        Value w2 = e.param("fc2.weight", f32(4, 32));
        Value h = e.node(f32(B, 32), o -> new Node.LowRankLinear(x, a, b, bias, o, P));
        Value relu = e.node(f32(B, 32), o -> new Node.Unary(Node.UnaryKind.RELU, h, o, P));
        Value y = e.node(f32(B, 4), o -> new Node.Linear(relu, w2, null, o, P));
        IrStructure.assertSame(e.build(y), r.graph());

        TargetReport t = only(r);
        assertTrue(t.applied());
        assertEquals(32 * 16, t.before().params());
        assertEquals(2 * (32 + 16), t.after().params());
        assertEquals(4L * 32 * 16, t.before().bytes());
        assertEquals(4L * 2 * (32 + 16), t.after().bytes());
        // linear: 2 * B * 32 * 16 + B * 32 (bias); lowrank_linear: 2 * B * 16 * 2 + 2 * B * 32 * 2 + B * 32
        assertEquals(B.times(1056), t.before().flops());
        assertEquals(B.times(224), t.after().flops());
        assertEquals(2L, t.details().get("rank"));
    }

    @Test
    void theCertificateIsTheSvdTailAndTheStoredFactorsMeetIt() {
        Graph g = mlp();
        TargetReport t = only(Plans.run(g, "lowrank(rank = 3) on \"fc1.weight\""));
        double[] sigma = Spectrum.of(g.param("fc1.weight").data().toDoubleArray(), 32, 16).singularValues();
        double tail = 0;
        for (int i = 3; i < sigma.length; i++) tail += sigma[i] * sigma[i];
        assertEquals(Math.sqrt(tail), bound(t, "||W - BA||_F"), 1e-12);
        assertEquals(sigma[3], bound(t, "||W - BA||_2"), 1e-12);
        // f32 factors: the stored error is the exact one up to float rounding.
        assertEquals(Math.sqrt(tail), bound(t, "||W - BA||_F stored"), 1e-5 * Math.sqrt(tail));
    }

    /** Each row of a single factored linear layer moves by at most sigma_{r+1} ||x|| (the spectral certificate). */
    @Test
    void aFactoredLayersOutputErrorIsWithinTheSpectralCertificate() {
        for (long seed = 0; seed < 8; seed++) {
            TestGraph t = new TestGraph();
            Value x = t.input("x", f32(B, 24));
            Graph g = t.build(t.op("linear", x, t.param("fc.weight", gaussian(seed, 20, 24))));
            PipelineResult r = Plans.run(g, "lowrank(rank = 4) on \"fc.weight\"");
            double sigma = bound(only(r), "||W - BA||_2");
            Tensor in = gaussian(seed + 100, 16, 24);
            Tensor before = Interpreter.run(g, Map.of("x", in)).get("y");
            Tensor after = Interpreter.run(r.graph(), Map.of("x", in)).get("y");
            for (int row = 0; row < 16; row++) {
                double d = 0;
                double xn = 0;
                for (int j = 0; j < 20; j++) d += Math.pow(after.getDouble(row * 20 + j) - before.getDouble(row * 20 + j), 2);
                for (int j = 0; j < 24; j++) xn += Math.pow(in.getDouble(row * 24 + j), 2);
                assertTrue(Math.sqrt(d) <= sigma * Math.sqrt(xn) * (1 + 1e-4) + 1e-4, "row " + row + " of seed " + seed);
            }
        }
    }

    /** With calibration inputs the report adds the layer's measured error, which the spectral bound covers. */
    @Test
    void calibrationMeasuresTheLayerErrorWithinItsBound() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 24));
        Graph g = t.build(t.op("linear", x, t.param("fc.weight", gaussian(41, 20, 24))));
        List<Map<String, Tensor>> calibration = List.of(Map.of("x", gaussian(42, 30, 24)), Map.of("x", anisotropic(43, 10, 24)));
        PipelineResult r = dev.lathe.pass.PassPipeline.standard().run(g,
                Plans.plan(dev.lathe.pass.PassRegistry.standard(), g, "lowrank(rank = 4) on \"fc.weight\""), calibration);
        TargetReport rep = only(r);
        double measured = bound(rep, "||(W - BA) X||_F / sqrt(N) measured");
        double allowed = bound(rep, "||(W - BA) X||_F / sqrt(N)");
        assertTrue(measured > 0 && measured <= allowed, measured + " vs " + allowed);
        // The RMS of the rows' norms, computed here from the inputs: sigma_5 times it is the bound.
        double sum = 0;
        for (Map<String, Tensor> f : calibration) {
            for (double v : f.get("x").toDoubleArray()) sum += v * v;
        }
        assertEquals(bound(rep, "||W - BA||_2") * Math.sqrt(sum / 40), allowed, 1e-9 * allowed);
    }

    @Test
    void factorMatMulLowRankFactorsTheTransposedOperand() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 12));
        Tensor w = gaussian(5, 12, 20);
        Graph g = t.build(t.op("matmul", x, t.param("proj", w)));
        PipelineResult r = Plans.run(g, "lowrank(rank = 3) on \"proj\"");

        ExpectedGraph e = new ExpectedGraph();
        Value ex = e.input("x", f32(B, 12));
        Value a = e.param("proj.A", f32(3, 12));
        Value b = e.param("proj.B", f32(20, 3));
        Value y = e.node(f32(B, 20), o -> new Node.LowRankLinear(ex, a, b, null, o, P));
        IrStructure.assertSame(e.build(y), r.graph());

        // B A approximates W^T [20, 12] as well as its best rank-3 truncation.
        double[] wt = Matrices.transpose(w.toDoubleArray(), 12, 20);
        double[] ba = new Factors(20, 12, 3, r.graph().param("proj.B").data().toDoubleArray(), r.graph().param("proj.A").data().toDoubleArray()).product();
        double expected = Spectrum.of(wt, 20, 12).tailFrobenius(3);
        assertEquals(expected, Matrices.frobenius(Matrices.minus(wt, ba)), 1e-5 * expected);
    }

    @Test
    void factorConv1x1LowRankSplitsTheConvolutionAndKeepsBorders() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(2, 8, 5, 5));
        // An exactly rank-2 kernel [6, 8, 1, 1], so that rank 2 reproduces it and the outputs agree.
        double[] u = gaussian(DType.F64, 7, 6, 2).toDoubleArray();
        double[] v = gaussian(DType.F64, 8, 2, 8).toDoubleArray();
        Tensor w = Tensor.fromDoubles(DType.F32, new long[] {6, 8, 1, 1}, new Factors(6, 8, 2, u, v).product());
        Value y = t.op("conv2d", java.util.Arrays.asList(x, t.param("c.weight", w), t.param("c.bias", gaussian(9, 6))),
                "stride", List.of(Dim.of(2), Dim.of(2)), "padding", List.of(Dim.of(1), Dim.of(1), Dim.of(1), Dim.of(1)),
                "dilation", List.of(Dim.of(1), Dim.of(1)), "groups", Dim.of(1));
        Graph g = t.build(y);
        PipelineResult r = Plans.run(g, "lowrank(rank = 2) on \"c.weight\"");

        ExpectedGraph e = new ExpectedGraph();
        Value ex = e.input("x", f32(2, 8, 5, 5));
        Value a = e.param("c.weight.A", f32(2, 8, 1, 1));
        Value b = e.param("c.weight.B", f32(6, 2, 1, 1));
        Value bias = e.param("c.bias", f32(6));
        Value mid = e.node(f32(2, 2, 4, 4), o -> new Node.Conv2d(ex, a, null, List.of(2, 2), List.of(1, 1, 1, 1), List.of(1, 1), 1, o, P));
        Value out = e.node(f32(2, 6, 4, 4), o -> new Node.Conv2d(mid, b, bias, List.of(1, 1), List.of(0, 0, 0, 0), List.of(1, 1), 1, o, P));
        IrStructure.assertSame(e.build(out), r.graph());

        Tensor in = gaussian(10, 2, 8, 5, 5);
        Tensor before = Interpreter.run(g, Map.of("x", in)).get("y");
        Tensor after = Interpreter.run(r.graph(), Map.of("x", in)).get("y");
        for (int i = 0; i < before.size(); i++) assertEquals(before.getDouble(i), after.getDouble(i), 1e-4, "element " + i);
    }

    @Test
    void aFourByFourWeightAtRankThreeIsUnprofitableAndLeftAsItWas() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 4));
        Graph g = t.build(t.op("linear", x, t.param("w", gaussian(1, 4, 4))));
        PipelineResult r = Plans.run(g, "lowrank(rank = 3) on \"w\"");
        assertSame(g, r.graph());
        TargetReport rep = only(r);
        assertEquals(SkipReason.Kind.UNPROFITABLE, rep.reason().kind());
        // 3 * (4 + 4) = 24 >= 0.9 * 16 = 14.4
        assertEquals("rank 3 keeps r(m + n) = 24 of m n = 16 values, not below (1 - min_saving) m n = 14.4", rep.reason().message());
        assertEquals(rep.before(), rep.after());
        assertEquals(16, rep.before().params());
        // Rank 1 keeps 8 < 14.4: the same weight is factored.
        assertTrue(only(Plans.run(g, "lowrank(rank = 1) on \"w\"")).applied());
    }

    @Test
    void aWeightUsedByLayerNormIsNotATarget() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 6));
        Value y = t.op("layer_norm", List.of(x, t.param("ln.weight", gaussian(1, 6)), t.param("ln.bias", gaussian(2, 6))),
                "axis", Dim.of(-1), "eps", 1e-5);
        Graph g = t.build(y);
        PipelineResult r = Plans.run(g, "lowrank(rank = 1) on \"ln.*\"");
        assertSame(g, r.graph());
        for (TargetReport rep : r.report().targets()) {
            assertEquals(SkipReason.Kind.PRECONDITION_FAILED, rep.reason().kind());
            assertTrue(rep.reason().message().startsWith("it is used by layer_norm"), rep.reason().message());
        }
        assertEquals(2, r.report().skipped().size());
    }

    @Test
    void otherUsesAreNotTargetsEither() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(8, 8));
        Value left = t.param("left", gaussian(1, 8, 8));
        Value k3 = t.param("k3", gaussian(2, 4, 2, 3, 3));
        Value shared = t.param("shared", gaussian(3, 8, 8));
        Value img = t.input("img", f32(1, 2, 6, 6));
        Value m1 = t.op("matmul", left, x);                 // left operand
        Value m2 = t.op("linear", x, shared);               // shared: linear weight ...
        Value m3 = t.op("matmul", x, shared);               // ... and matmul operand
        Value c = t.op("conv2d", List.of(img, k3), "stride", List.of(Dim.of(1), Dim.of(1)), "padding", List.of(Dim.of(0), Dim.of(0), Dim.of(0), Dim.of(0)),
                "dilation", List.of(Dim.of(1), Dim.of(1)), "groups", Dim.of(1));
        Graph g = t.build(m1, m2, m3, c);
        PipelineResult r = Plans.run(g, "lowrank(rank = 1, min_saving = 0) on \"left\", \"k3\", \"shared\"");
        assertSame(g, r.graph());
        Map<String, String> why = new java.util.HashMap<>();
        for (TargetReport rep : r.report().targets()) why.put(rep.target(), rep.reason().message());
        assertEquals("it is used by matmul as its left operand; lowrank factors the weight of a linear, the right operand of a matmul, "
                + "or the weight of a 1x1 conv2d", why.get("left"));
        assertEquals("it is a 3x3 conv2d kernel; lowrank factors only 1x1 convolutions", why.get("k3"));
        assertEquals("it is used both by a linear and by a matmul", why.get("shared"));
    }

    @Test
    void theFactorsOfAFactoredWeightAreNotFactoredAgain() {
        PipelineResult first = Plans.run(mlp(), "lowrank(energy = 0.6) on \"fc1.weight\"");
        assertTrue(only(first).applied());
        long rank = (Long) only(first).details().get("rank");
        // The same energy rule on the result: the tag (the factor params) stops a second shrink.
        PipelineResult again = dev.lathe.pass.PassPipeline.standard().run(first.graph(),
                Plans.plan(dev.lathe.pass.PassRegistry.standard(), mlp(), "lowrank(energy = 0.6) on \"fc1.weight\""));
        assertSame(first.graph(), again.graph());
        TargetReport rep = only(again);
        assertEquals(SkipReason.Kind.PRECONDITION_FAILED, rep.reason().kind());
        assertTrue(rep.reason().message().startsWith("already factored at rank " + rank), rep.reason().message());
        // Selecting the factors themselves finds them used by lowrank_linear, not a target either.
        PipelineResult factors = Plans.run(first.graph(), "lowrank(energy = 0.5) on \"fc1.weight.*\"");
        assertSame(first.graph(), factors.graph());
        for (TargetReport f : factors.report().targets()) assertTrue(f.reason().message().startsWith("it is used by lowrank_linear"), f.toString());
    }

    @Test
    void compensateWithoutCalibrationIsSkippedWithTheReason() {
        Graph g = mlp();
        PipelineResult r = Plans.run(g, "lowrank(rank = 2, compensate = true) on \"fc1.weight\"");
        assertSame(g, r.graph());
        assertEquals("precondition failed: compensate = true needs calibration inputs (lathe report --calibration FILE)", only(r).reason().toString());
    }

    @Test
    void theSameGraphGivesBitwiseTheSameFactorsAndOutputs() {
        Graph g = mlp();
        PipelineResult a = Plans.run(g, "lowrank(energy = 0.8) on \"fc1.weight\"", "lowrank(ratio = 0.25) on \"fc2.weight\"");
        PipelineResult b = Plans.run(g, "lowrank(energy = 0.8) on \"fc1.weight\"", "lowrank(ratio = 0.25) on \"fc2.weight\"");
        for (var p : a.graph().params()) assertEquals(p.data(), b.graph().param(p.path()).data(), p.path());
        Tensor in = gaussian(4, 3, 16);
        assertEquals(Interpreter.run(a.graph(), Map.of("x", in)), Interpreter.run(b.graph(), Map.of("x", in)));
    }

    /**
     * EoRA on a synthetically perturbed weight: {@code round} stands in for a quantizer, and the
     * compensating path brings the layer's output closer to the unperturbed one than plain SVD of
     * the residual at the same rank does.
     */
    @Test
    void compensateLinearLowRankAddsAResidualPathFittedToTheActivations() {
        int in = 16;
        int out = 12;
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, in));
        Graph g = t.build(t.op("linear", x, t.param("fc.weight", gaussian(21, out, in)), t.param("fc.bias", gaussian(22, out))));
        List<Map<String, Tensor>> calibration = List.of(Map.of("x", anisotropic(23, 48, in)), Map.of("x", anisotropic(24, 40, in)));

        PipelineResult r = Plans.runWithRound(g, calibration, "round(step = 0.5) on \"fc.weight\"",
                "lowrank(rank = 3, compensate = true) on \"fc.weight\"");

        ExpectedGraph e = new ExpectedGraph();
        Value ex = e.input("x", f32(B, in));
        Value w = e.param("fc.weight", f32(out, in));
        Value a = e.param("fc.weight.A", f32(3, in));
        Value b = e.param("fc.weight.B", f32(out, 3));
        Value bias = e.param("fc.bias", f32(out));
        Value main = e.node(f32(B, out), o -> new Node.Linear(ex, w, bias, o, P));
        Value residual = e.node(f32(B, out), o -> new Node.LowRankLinear(ex, a, b, null, o, P));
        Value y = e.node(f32(B, out), o -> new Node.Binary(Node.BinaryKind.ADD, main, residual, o, P));
        IrStructure.assertSame(e.build(y), r.graph());

        TargetReport rep = r.report().targets().get(1);
        assertEquals(88L, rep.details().get("calibration rows"));
        double certified = bound(rep, "||(W - W' - BA) X||_F / sqrt(N)");
        double measured = bound(rep, "||(W - W' - BA) X||_F / sqrt(N) stored");
        double plain = bound(rep, "plain SVD ||(W - W' - BA) X||_F / sqrt(N)");
        double uncompensated = bound(rep, "||(W - W') X||_F / sqrt(N)");
        assertTrue(measured <= certified * (1 + 1e-4), measured + " > " + certified);
        assertTrue(measured < plain, measured + " >= " + plain);
        assertTrue(measured < uncompensated, measured + " >= " + uncompensated);

        // Compensating the result again finds the factors there and leaves it alone.
        PipelineResult again = new dev.lathe.pass.PassPipeline(dev.lathe.pass.RoundWeightsPass.library(), true).run(r.graph(),
                Plans.plan(dev.lathe.pass.RoundWeightsPass.library().registry(), g, "lowrank(rank = 3, compensate = true) on \"fc.weight\""), calibration);
        assertSame(r.graph(), again.graph());
        assertEquals("the graph already has a param fc.weight.A (it was compensated before, or the name is taken)", only(again).reason().message());

        // On the calibration inputs, the compensated graph is closer to the original than the rounded one.
        Graph rounded = r.stages().getFirst().graph();
        double errRounded = 0;
        double errCompensated = 0;
        for (Map<String, Tensor> feed : calibration) {
            Tensor ref = Interpreter.run(g, feed).get("y");
            Tensor q = Interpreter.run(rounded, feed).get("y");
            Tensor c = Interpreter.run(r.graph(), feed).get("y");
            for (int i = 0; i < ref.size(); i++) {
                errRounded += Math.pow(q.getDouble(i) - ref.getDouble(i), 2);
                errCompensated += Math.pow(c.getDouble(i) - ref.getDouble(i), 2);
            }
        }
        assertTrue(errCompensated < 0.8 * errRounded, errCompensated + " vs " + errRounded);
    }

    /** Without an earlier lossy pass, compensate makes the factorization itself activation-aware. */
    @Test
    void compensateOnAnUnchangedWeightFactorsItActivationAware() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 10));
        Graph g = t.build(t.op("linear", x, t.param("fc.weight", gaussian(31, 10, 10))));
        List<Map<String, Tensor>> calibration = List.of(Map.of("x", anisotropic(32, 64, 10)));
        PipelineResult r = dev.lathe.pass.PassPipeline.standard().run(g,
                Plans.plan(dev.lathe.pass.PassRegistry.standard(), g, "lowrank(rank = 2, compensate = true) on \"fc.weight\""), calibration);
        assertTrue(IrVerifier.verify(r.graph()).isEmpty());
        assertEquals(List.of("lowrank_linear"), r.graph().nodes().stream().map(Node::opName).toList());
        TargetReport rep = only(r);
        assertTrue(bound(rep, "||(W - BA) X||_F / sqrt(N) stored") <= bound(rep, "plain SVD ||(W - BA) X||_F / sqrt(N)") * (1 + 1e-5));
    }

    @Test
    void compensatingAOneByOneConvIsSkippedWithTheReason() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(1, 8, 3, 3));
        Graph g = t.build(t.op("conv2d", List.of(x, t.param("c", gaussian(1, 8, 8, 1, 1))), "stride", List.of(Dim.of(1), Dim.of(1)),
                "padding", List.of(Dim.of(0), Dim.of(0), Dim.of(0), Dim.of(0)), "dilation", List.of(Dim.of(1), Dim.of(1)), "groups", Dim.of(1)));
        PipelineResult r = dev.lathe.pass.PassPipeline.standard().run(g,
                Plans.plan(dev.lathe.pass.PassRegistry.standard(), g, "lowrank(rank = 1, compensate = true) on \"c\""),
                List.of(Map.of("x", gaussian(2, 1, 8, 3, 3))));
        assertSame(g, r.graph());
        assertEquals("compensate = true applies to linear and matmul weights, not to a 1x1 conv2d", only(r).reason().message());
    }

    @Test
    void f64AndBf16WeightsKeepTheirDtype() {
        for (DType dtype : List.of(DType.F64, DType.BF16)) {
            TestGraph t = new TestGraph();
            Value x = t.input("x", new TensorType(dtype, List.of(B, Dim.of(8))));
            Graph g = t.build(t.op("linear", x, t.param("w", gaussian(dtype, 3, 8, 8))));
            PipelineResult r = Plans.run(g, "lowrank(rank = 2) on \"w\"");
            assertEquals(dtype, r.graph().param("w.A").type().dtype());
            assertEquals(dtype, r.graph().param("w.B").data().dtype());
            assertEquals(g.outputs().getFirst().value().type(), r.graph().outputs().getFirst().value().type());
        }
    }

    /** Gaussian rows [rows, n] whose columns have scales over three decades. */
    static Tensor anisotropic(long seed, int rows, int n) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) scale[j] = Math.pow(10, 1.5 * (j % 4) / 3.0 - 0.5);
        double[] v = new double[rows * n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) v[i * n + j] = TestGraph.normal(r) * scale[j];
        }
        return Tensor.fromDoubles(DType.F32, new long[] {rows, n}, v);
    }
}

package dev.lathe.lower;

import static dev.lathe.lower.TestGraphs.B;
import static dev.lathe.lower.TestGraphs.d;
import static dev.lathe.lower.TestGraphs.f32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.interp.Interpreter;
import dev.lathe.ir.Dim;
import dev.lathe.ir.Graph;
import dev.lathe.ir.GraphBuilder;
import dev.lathe.ir.IrVerifier;
import dev.lathe.ir.Node;
import dev.lathe.ir.Param;
import dev.lathe.ir.Provenance;
import dev.lathe.ir.TensorType;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FoldBatchNormIntoConvTest {
    private static final Provenance P = Provenance.NONE;

    /** x: f32[B, 3, 6, 6] -> conv 3->4 k3 p1 (bias when asked) -> batch_norm -> relu, and optionally a second reader of the conv. */
    private static Graph convBn(boolean bias, boolean convReadTwice) {
        GraphBuilder g = new GraphBuilder("main");
        g.dim("B", 1L, 4L);
        Value x = g.input("x", f32(B, d(3), d(6), d(6)), P);
        Value w = g.param("conv.weight", TensorType.of(DType.F32, 4, 3, 3, 3), P);
        Value b = bias ? g.param("conv.bias", TensorType.of(DType.F32, 4), P) : null;
        Value scale = g.param("bn.weight", TensorType.of(DType.F32, 4), P);
        Value shift = g.param("bn.bias", TensorType.of(DType.F32, 4), P);
        Value mean = g.param("bn.running_mean", TensorType.of(DType.F32, 4), P);
        Value var = g.param("bn.running_var", TensorType.of(DType.F32, 4), P);
        Map<String, Object> conv = Map.of("stride", List.of(Dim.of(1)), "padding", List.of(Dim.of(1)), "dilation", List.of(Dim.of(1)),
                "groups", Dim.of(1));
        Value y = TestGraphs.op(g, "conv2d", java.util.Arrays.asList(x, w, b), conv);
        Value n = TestGraphs.op(g, "batch_norm", List.of(y, scale, shift, mean, var), Map.of("eps", 1e-5));
        Value out = TestGraphs.op(g, "relu", n);
        Graph graph = convReadTwice ? g.build(List.of(out, y), List.of("out", "conv")) : g.build(List.of(out), List.of("out"));
        SplittableRandom r = new SplittableRandom(7);
        Map<String, Tensor> data = new HashMap<>();
        for (Param p : graph.params()) {
            long[] shape = p.type().staticShape();
            double[] v = new double[Math.toIntExact(Tensor.checkedSize(shape))];
            // Variances must be positive; everything else in [-1, 1).
            for (int i = 0; i < v.length; i++) v[i] = p.path().endsWith("running_var") ? r.nextDouble(0.1, 2) : r.nextDouble(-1, 1);
            data.put(p.path(), Tensor.fromDoubles(DType.F32, shape, v));
        }
        return graph.withParamData(data);
    }

    @Test
    void foldedConvComputesTheSameAsConvThenBatchNorm() {
        for (boolean bias : new boolean[] {true, false}) {
            Graph before = convBn(bias, false);
            Graph after = FoldBatchNormIntoConv.run(before);
            assertEquals(List.of(), IrVerifier.verify(after));
            assertEquals(0, after.nodes().stream().filter(n -> n instanceof Node.BatchNorm).count(), "batch_norm folded away");
            assertTrue(after.params().stream().noneMatch(p -> p.path().startsWith("bn.")), "the statistics are not shipped any more");
            Map<String, Tensor> in = TestGraphs.inputs(before, 2, 11);
            Tensor expected = Interpreter.run(before, in).get("out");
            Tensor actual = Interpreter.run(after, in).get("out");
            for (int i = 0; i < expected.size(); i++) {
                double e = expected.getDouble(i), a = actual.getDouble(i);
                // One f32 rounding of each folded weight: well inside DESIGN.md §4's abs 1e-5 + rel 1e-4.
                assertTrue(Math.abs(a - e) <= 1e-5 + 1e-4 * Math.abs(e), "element " + i + ": " + e + " vs " + a);
            }
        }
    }

    @Test
    void doesNotFireWhenTheConvOutputIsReadElsewhere() {
        Graph before = convBn(true, true);
        assertSame(before, FoldBatchNormIntoConv.run(before));
    }
}

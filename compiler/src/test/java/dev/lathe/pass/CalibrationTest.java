package dev.lathe.pass;

import static dev.lathe.pass.TestGraph.B;
import static dev.lathe.pass.TestGraph.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lathe.ir.Graph;
import dev.lathe.ir.Value;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cutting calibration files into feeds, and the output errors measured on them. */
class CalibrationTest {
    private static Tensor rows(int n, int d) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) v[i] = i;
        return Tensor.ofFloats(new long[] {n, d}, v);
    }

    @Test
    void aBatchIsCutIntoBatchesTheBoundAdmits() {
        TestGraph t = new TestGraph();   // B in 1..64
        Value x = t.input("x", f32(B, 3));
        Graph g = t.build(t.op("relu", x));
        List<Map<String, Tensor>> feeds = CalibrationFeeds.split(g, null, rows(150, 3));
        assertEquals(List.of(64L, 64L, 22L), feeds.stream().map(f -> f.get("x").dim(0)).toList());
        assertEquals(64 * 3, (int) feeds.get(1).get("x").getDouble(0));
    }

    @Test
    void aStackFeedsOneInputAtATimeAndAConstantBatchMustDivide() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(2, 3));
        Graph g = t.build(t.op("relu", x));
        List<Map<String, Tensor>> stack = CalibrationFeeds.split(g, "x", rows(4, 6).reshape(new long[] {4, 2, 3}));
        assertEquals(4, stack.size());
        assertArrayEquals(new long[] {2, 3}, stack.get(3).get("x").shape());
        assertEquals(3, CalibrationFeeds.split(g, null, rows(6, 3)).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationFeeds.split(g, null, rows(5, 3)));
        assertEquals("input x takes batches of 2, but the calibration file has 5 samples", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CalibrationFeeds.split(g, "y", rows(6, 3)));
    }

    @Test
    void outputErrorsCompareBothGraphsRowByRow() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 3));
        Graph identity = t.build(t.op("relu", x));
        TestGraph u = new TestGraph();
        Value x2 = u.input("x", f32(B, 3));
        Graph shifted = u.build(u.op("relu", u.op("relu", x2)));   // relu(relu(x)) = relu(x)
        Tensor in = Tensor.ofFloats(new long[] {2, 3}, new float[] {1, 2, 0, -3, 1, 0.5f});
        List<Map<String, Tensor>> feeds = List.of(Map.of("x", in));
        Tensor labels = Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {1, 0});
        OutputError e = OutputErrors.measure(identity, OutputErrors.run(identity, feeds), shifted, feeds, labels).getFirst();
        assertEquals(0, e.maxAbs());
        assertEquals(0, e.relativeL2());
        assertEquals(1.0, e.top1Agreement());
        assertEquals(0.5, e.accuracyBefore());   // argmax rows: 1 and 1; labels 1 and 0
        assertEquals(0.5, e.accuracyAfter());
    }

    @Test
    void outputErrorsMeasureMaxAbsAndRelativeL2() {
        TestGraph t = new TestGraph();
        Value x = t.input("x", f32(B, 2));
        Graph a = t.build(t.op("relu", x));
        TestGraph u = new TestGraph();
        Value x2 = u.input("x", f32(B, 2));
        Graph b = u.build(u.op("abs", x2));
        Tensor in = Tensor.ofFloats(new long[] {2, 2}, new float[] {3, -4, 0, 0});
        // relu: [3, 0, 0, 0]; abs: [3, 4, 0, 0] -> max abs 4, relative L2 4 / 3; top-1 of row 0 is 0 vs 1, row 1 ties at 0 in both.
        OutputError e = OutputErrors.measure(a, OutputErrors.run(a, List.of(Map.of("x", in))), b, List.of(Map.of("x", in)), null).getFirst();
        assertEquals(4, e.maxAbs());
        assertEquals(4.0 / 3, e.relativeL2(), 1e-12);
        assertEquals(0.5, e.top1Agreement());
        assertNull(e.accuracyBefore());
    }

    @Test
    void labelsMustBeClassNumbers() {
        assertEquals(DType.I64, OutputErrors.labels(Tensor.ofFloats(new long[] {2}, new float[] {1, 2})).dtype());
        assertThrows(IllegalArgumentException.class, () -> OutputErrors.labels(Tensor.ofFloats(new long[] {2}, new float[] {1, 2.5f})));
    }
}

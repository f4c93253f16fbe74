package dev.lathe.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorAssertionsTest {
    @Test
    void toleranceIsAbsolutePlusRelative() {
        Tolerance t = Tolerance.DEFAULT;
        assertTrue(t.accepts(0.0, 9e-6));
        assertFalse(t.accepts(0.0, 2e-5));
        assertTrue(t.accepts(100.0, 100.009));
        assertFalse(t.accepts(100.0, 100.02));
        assertTrue(t.accepts(Double.NaN, Double.NaN));
        assertFalse(t.accepts(Double.NaN, 1.0));
        assertFalse(t.accepts(1.0, Double.NaN));
        assertTrue(t.accepts(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
        assertFalse(t.accepts(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        assertFalse(t.accepts(3e38, Double.POSITIVE_INFINITY));
        assertTrue(Tolerance.EXACT.accepts(0.0, -0.0));
        assertFalse(Tolerance.EXACT.accepts(1.0, Math.nextUp(1.0)));
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1, 0));
    }

    @Test
    void closeTensorsPassAndDistantOnesAreListed() {
        Tensor a = Tensor.ofFloats(new long[] {3}, new float[] {1, 2, Float.NaN});
        assertDoesNotThrow(() -> TensorAssertions.assertClose(a, Tensor.ofFloats(new long[] {3}, new float[] {1, 2.0001f, Float.NaN}), Tolerance.DEFAULT));
        List<String> d = TensorAssertions.differences("y", a, Tensor.ofFloats(new long[] {3}, new float[] {1, 2.1f, 0}), Tolerance.DEFAULT);
        assertEquals(2, d.size(), d.toString());
        assertTrue(d.getFirst().startsWith("y[1]: 2.0999"), d.toString());
    }

    @Test
    void integersCompareExactlyAndShapesAndDtypesMustMatch() {
        Tensor i = Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {1, 2});
        assertEquals(1, TensorAssertions.differences("i", i, Tensor.ofLongs(DType.I64, new long[] {2}, new long[] {1, 3}), Tolerance.DEFAULT).size());
        List<String> shape = TensorAssertions.differences("i", i, Tensor.ofLongs(DType.I64, new long[] {1, 2}, new long[] {1, 2}), Tolerance.DEFAULT);
        assertTrue(shape.getFirst().contains("shape [1, 2], expected [2]"), shape.toString());
        List<String> dtype = TensorAssertions.differences("i", i, Tensor.ofLongs(DType.I32, new long[] {2}, new long[] {1, 2}), Tolerance.DEFAULT);
        assertTrue(dtype.getFirst().contains("dtype i32, expected i64"), dtype.toString());
    }

    @Test
    void manyDifferencesAreSummarized() {
        Tensor zeros = Tensor.zeros(DType.F32, new long[] {20});
        float[] ones = new float[20];
        java.util.Arrays.fill(ones, 1);
        List<String> d = TensorAssertions.differences("z", zeros, Tensor.ofFloats(new long[] {20}, ones), Tolerance.DEFAULT);
        assertEquals(TensorAssertions.LISTED + 1, d.size());
        assertTrue(d.getLast().contains("15 more elements differ, of 20"), d.toString());
    }

    @Test
    void outputMapsMustHaveTheSameNames() {
        Tensor s = Tensor.scalar(1);
        AssertionError e = assertThrows(AssertionError.class,
                () -> TensorAssertions.assertOutputsClose(Map.of("y0", s, "y1", s), Map.of("y0", s, "y2", s), Tolerance.DEFAULT));
        assertTrue(e.getMessage().contains("missing outputs [y1]") && e.getMessage().contains("unexpected outputs [y2]"), e.getMessage());
    }
}

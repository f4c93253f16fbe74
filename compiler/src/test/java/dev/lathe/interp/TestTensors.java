package dev.lathe.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;

/** Short constructors and checks for the tiny tensors of the interpreter tests. */
final class TestTensors {
    private TestTensors() {}

    static long[] shape(long... dims) {
        return dims;
    }

    static Tensor f32(long[] shape, double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        return Tensor.ofFloats(shape, f);
    }

    static Tensor f64(long[] shape, double... values) {
        return Tensor.ofDoubles(shape, values);
    }

    static Tensor i64(long[] shape, long... values) {
        return Tensor.ofLongs(DType.I64, shape, values);
    }

    static Tensor bool(long[] shape, boolean... values) {
        return Tensor.ofBooleans(shape, values);
    }

    /** Checks shape and every element within {@code tol} (absolute). */
    static void assertTensor(Tensor actual, long[] shape, double tol, double... expected) {
        assertArrayEquals(shape, actual.shape(), "shape of " + actual);
        assertEquals(expected.length, actual.size(), "size of " + actual);
        for (int i = 0; i < expected.length; i++) {
            double a = actual.getDouble(i);
            if (Double.isNaN(expected[i])) {
                assertEquals(Double.NaN, a, "element " + i + " of " + actual);
            } else {
                assertEquals(expected[i], a, tol, "element " + i + " of " + actual);
            }
        }
    }

    /** Exact check of an integer or bool tensor's dtype, shape and elements. */
    static void assertLongs(Tensor actual, DType dtype, long[] shape, long... expected) {
        assertEquals(dtype, actual.dtype());
        assertArrayEquals(shape, actual.shape(), "shape of " + actual);
        assertArrayEquals(expected, actual.toLongArray(), "elements of " + actual);
    }
}

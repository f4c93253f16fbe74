package dev.lathe.runtime.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/**
 * The DESIGN.md §4 tolerance, abs 1e-5 + rel 1e-4 per element, and random test data. For reductions
 * longer than 64 terms the tolerance is multiplied by sqrt(length / 64): float rounding error of a sum
 * grows like the square root of its length, and the kernels reorder sums.
 */
final class Close {
    static final int[] EDGE_SIZES = {1, 3, 17, 63, 64, 65, 129};

    private Close() {}

    static double scaleFor(int reductionLength) {
        return Math.max(1, Math.sqrt(reductionLength / 64.0));
    }

    /** Checks {@code actual[off + r * ld + j]} against {@code expected[r * cols + j]}. */
    static void assertClose(String what, double[] expected, float[] actual, int off, int rows, int cols, int ld, double scale) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                double e = expected[r * cols + j];
                float a = actual[off + r * ld + j];
                double tol = (1e-5 + 1e-4 * Math.abs(e)) * scale;
                if (Double.isNaN(e) ? !Float.isNaN(a) : !(a == e || Math.abs(a - e) <= tol)) {
                    fail(what + ": element [" + r + ", " + j + "] is " + a + ", expected " + e + " within " + tol);
                }
            }
        }
    }

    static void assertClose(String what, double[] expected, float[] actual, int off, double scale) {
        assertClose(what, expected, actual, off, 1, expected.length, expected.length, scale);
    }

    /** Two float results within the tolerance of each other (the first taken as the reference). */
    static void assertClose(String what, float[] expected, float[] actual, double scale) {
        double[] e = new double[expected.length];
        for (int i = 0; i < e.length; i++) e[i] = expected[i];
        assertClose(what, e, actual, 0, scale);
    }

    /** Uniform in [-1, 1), with a NaN sentinel pattern nowhere. */
    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 2 - 1;
        return a;
    }
}

package dev.lathe.runtime.kernels;

/**
 * Softmax over each row of a row-major [rows, cols] block, stable (the row maximum is subtracted
 * before exponentiating). {@code out} may be {@code x} at the same offset (in place); other overlaps
 * are undefined. A row that is all -inf gives NaN, as the reference does.
 */
public final class Softmax {
    private Softmax() {}

    /** out[r, j] = exp(x[r, j] - max_r) / sum_j exp(x[r, j] - max_r). */
    public static void rows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        check(x, off, rows, cols, out, outOff);
        if (Kernels.VECTOR) RowOpsVector.softmax(x, off, rows, cols, out, outOff, false);
        else RowOpsScalar.softmax(x, off, rows, cols, out, outOff, false);
    }

    /** out[r, j] = x[r, j] - max_r - log(sum_j exp(x[r, j] - max_r)), finite where softmax underflows. */
    public static void logRows(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        check(x, off, rows, cols, out, outOff);
        if (Kernels.VECTOR) RowOpsVector.softmax(x, off, rows, cols, out, outOff, true);
        else RowOpsScalar.softmax(x, off, rows, cols, out, outOff, true);
    }

    private static void check(float[] x, int off, int rows, int cols, float[] out, int outOff) {
        Checks.nonNegative("Softmax", rows, cols);
        Checks.matrix("x", x, off, rows, cols, cols, 1);
        Checks.matrix("out", out, outOff, rows, cols, cols, 1);
    }
}

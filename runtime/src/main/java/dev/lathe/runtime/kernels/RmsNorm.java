package dev.lathe.runtime.kernels;

/**
 * RMS normalization over each row of a row-major [rows, cols] block:
 * {@code out = x / sqrt(mean(x^2) + eps) * w}; {@code w} has length cols (at offset 0) or is null (1).
 * {@code out} may be {@code x} at the same offset.
 */
public final class RmsNorm {
    private RmsNorm() {}

    public static void rows(float[] x, int off, int rows, int cols, float[] w, float eps, float[] out, int outOff) {
        Checks.nonNegative("RmsNorm", rows, cols);
        Checks.matrix("x", x, off, rows, cols, cols, 1);
        Checks.matrix("out", out, outOff, rows, cols, cols, 1);
        if (w != null) Checks.vector("w", w, 0, cols);
        if (Kernels.VECTOR) RowOpsVector.rmsNorm(x, off, rows, cols, w, eps, out, outOff);
        else RowOpsScalar.rmsNorm(x, off, rows, cols, w, eps, out, outOff);
    }
}

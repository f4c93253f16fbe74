package dev.lathe.runtime.kernels;

/**
 * Layer normalization over each row of a row-major [rows, cols] block:
 * {@code out = (x - mean) / sqrt(var + eps) * w + b} with the biased variance (divided by cols).
 * {@code w} and {@code b} have length cols (at offset 0) and may each be null (1 and 0).
 * {@code out} may be {@code x} at the same offset.
 */
public final class LayerNorm {
    private LayerNorm() {}

    public static void rows(float[] x, int off, int rows, int cols, float[] w, float[] b, float eps, float[] out, int outOff) {
        Checks.nonNegative("LayerNorm", rows, cols);
        Checks.matrix("x", x, off, rows, cols, cols, 1);
        Checks.matrix("out", out, outOff, rows, cols, cols, 1);
        if (w != null) Checks.vector("w", w, 0, cols);
        if (b != null) Checks.vector("b", b, 0, cols);
        if (Kernels.VECTOR) RowOpsVector.layerNorm(x, off, rows, cols, w, b, eps, out, outOff);
        else RowOpsScalar.layerNorm(x, off, rows, cols, w, b, eps, out, outOff);
    }
}

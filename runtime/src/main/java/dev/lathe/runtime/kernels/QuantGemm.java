package dev.lathe.runtime.kernels;

/**
 * Linear layers with a quantized weight ({@link QuantMatrix} W [n, k]): {@code C[m, n] = A[m, k] · deq(W)ᵀ + bias}
 * with {@code deq(W)[o, i] = (q[o, i] - zero) * scale}, the scale (and zero point) of cell
 * {@code (perRow ? o : 0, i / group)} in {@code scales} / {@code zeros} [rows, k / group] (zeros null:
 * symmetric). A row i starts at {@code aOff + i * lda}, C row i at {@code cOff + i * ldc}.
 *
 * <ul>
 *   <li>{@link #linear}: f32 activations, weights dequantized in registers (FMA in f32). Few rows (a
 *       GEMV, memory-bound) stream the packed integers once per row; from {@link #GEMM_ROWS} rows
 *       on, the f32 {@link Gemm} runs on deq(W), dequantized and packed once per weight on first use
 *       (4 bytes per weight in memory; the weights file stays packed).</li>
 *   <li>{@link #dynamic}: activations quantized per row at run time ({@link #quantizeRow}: symmetric
 *       int8, scale max|x| / 127, round half to even), then an exact integer product per scale cell,
 *       rescaled once in double (few rows of 8-bit weights: the GEMV's widening loop on
 *       integer-valued floats; otherwise the f32 GEMM on integer-valued panels, both exact per k chunk):
 *       {@code C[i, o] = (float) (sx_i · Σ_g s_og (Σ_{p∈g} x̂_ip q_op - z_og Σ_{p∈g} x̂_ip) + bias_o)}.
 *       The integer sums are exact whatever the order, so the scalar and vector versions agree up to
 *       the double rescale, and with the interpreter's {@code quantized_linear} (activations "dynamic").</li>
 *   <li>{@link #dgq}: DGQ (A8W4), a 4-bit W with u8 group scales and f32 channel scales: {@link #dynamic}
 *       with channel scales on the int8 weight {@code (q - zero) · groupScale} ({@link QuantMatrix#int8},
 *       made once per weight), so the integer sums are exact and the scalar and vector paths are those
 *       of {@link #dynamic}.</li>
 * </ul>
 * Thread-safe; the scalar or vector implementation is picked by {@link Kernels}.
 */
public final class QuantGemm {
    /** From this many rows on, the weight-only path dequantizes blocks of W into an f32 GEMM. */
    static final int GEMM_ROWS = 8;

    private QuantGemm() {}

    public static void linear(int m, float[] a, int aOff, int lda, QuantMatrix w, float[] scales, float[] zeros, int group, boolean perRow,
                              float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        check(m, a, aOff, lda, w, scales, zeros, group, perRow, bias, biasOff, c, cOff, ldc, par);
        if (m == 0 || w.n() == 0) return;
        Cells cells = new Cells(w, scales, zeros, group, perRow);
        if (m >= GEMM_ROWS || w.k() == 0) {
            QuantGemmScalar.viaGemm(Kernels.VECTOR, m, a, aOff, lda, cells, bias, biasOff, c, cOff, ldc, par);
        } else if (Kernels.VECTOR && QuantGemmVector.fits(cells)) {
            QuantGemmVector.gemv(m, a, aOff, lda, cells, bias, biasOff, c, cOff, ldc, par);
        } else {
            QuantGemmScalar.gemv(m, a, aOff, lda, cells, bias, biasOff, c, cOff, ldc, par);
        }
    }

    public static void dynamic(int m, float[] a, int aOff, int lda, QuantMatrix w, float[] scales, float[] zeros, int group, boolean perRow,
                               float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        check(m, a, aOff, lda, w, scales, zeros, group, perRow, bias, biasOff, c, cOff, ldc, par);
        if (m == 0 || w.n() == 0) return;
        Cells cells = new Cells(w, scales, zeros, group, perRow);
        int chunk = QuantGemmScalar.exactChunk(cells);
        if (Kernels.VECTOR && chunk > 0 && m < GEMM_ROWS && w.bits() == 8) {
            QuantGemmVector.dynamicGemv(m, a, aOff, lda, cells, chunk, bias, biasOff, c, cOff, ldc, par);
        } else if (Kernels.VECTOR && chunk > 0) {
            QuantGemmScalar.dynamicViaGemm(true, chunk, m, a, aOff, lda, cells, bias, biasOff, c, cOff, ldc, par);
        } else {
            QuantGemmScalar.dynamic(m, a, aOff, lda, cells, bias, biasOff, c, cOff, ldc, par);
        }
    }

    /**
     * DGQ: {@code C[i, o] = (float) (sx_i · channelScales[o] · Σ_p x̂_ip W8[o, p] + bias_o)} with
     * {@code W8 = (q - zeros) · groupScales} per cell {@code (o, p / group)} of [n, k / group]
     * ({@code zeros} null: symmetric); {@code w} holds 4-bit q.
     */
    public static void dgq(int m, float[] a, int aOff, int lda, QuantMatrix w, float[] groupScales, float[] zeros, int group, float[] channelScales,
                           float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        if (w == null || groupScales == null) throw new IllegalArgumentException("weight and group scales must not be null");
        if (w.bits() != 4) throw new IllegalArgumentException("DGQ needs a 4-bit weight, got " + w);
        QuantMatrix w8 = w.int8(groupScales, zeros, group);
        dynamic(m, a, aOff, lda, w8, channelScales, null, Math.max(1, w.k()), true, bias, biasOff, c, cOff, ldc, par);
    }

    /**
     * Quantizes {@code x[off, off + k)} to symmetric int8 into {@code dst} (as integer-valued floats) and
     * returns the scale: {@code s = max|x| / 127} (f32 division), {@code x̂ = clamp(rint(x / s), -127, 127)}
     * (f32 division, round half to even); an all-zero row has scale 0 and x̂ = 0. A row holding NaN or
     * an infinity has scale NaN or infinity, and its outputs are NaN.
     */
    public static float quantizeRow(float[] x, int off, int k, float[] dst, int dstOff) {
        float amax = 0f;
        for (int p = 0; p < k; p++) amax = Math.max(amax, Math.abs(x[off + p]));
        float s = amax / 127f;
        if (s == 0f) {
            java.util.Arrays.fill(dst, dstOff, dstOff + k, 0f);
            return 0f;
        }
        for (int p = 0; p < k; p++) dst[dstOff + p] = (float) Math.max(-127, Math.min(127, Math.rint(x[off + p] / s)));
        return s;
    }

    /** The weight with its scale cells: {@code cell(o, g)} indexes scales and zeros. */
    record Cells(QuantMatrix w, float[] scales, float[] zeros, int group, boolean perRow) {
        int groups() {
            return w.k() == 0 ? 0 : w.k() / group;
        }

        int cell(int o, int g) {
            return (perRow ? o * groups() : 0) + g;
        }

        float zero(int cell) {
            return zeros == null ? 0f : zeros[cell];
        }
    }

    private static void check(int m, float[] a, int aOff, int lda, QuantMatrix w, float[] scales, float[] zeros, int group, boolean perRow,
                              float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        if (w == null || scales == null) throw new IllegalArgumentException("weight and scales must not be null");
        int n = w.n(), k = w.k();
        Checks.nonNegative("QuantGemm", m, aOff, biasOff, cOff);
        if (group < 1 || (k > 0 && k % group != 0)) throw new IllegalArgumentException("group " + group + " does not divide k = " + k);
        int cells = (perRow ? n : 1) * (k == 0 ? 0 : k / group);
        if (scales.length < cells) throw new IllegalArgumentException("scales hold " + scales.length + " values, need " + cells);
        if (zeros != null && zeros.length < cells) throw new IllegalArgumentException("zeros hold " + zeros.length + " values, need " + cells);
        Checks.leading("lda", lda, k, m);
        Checks.leading("ldc", ldc, n, m);
        Checks.matrix("a", a, aOff, m, k, lda, 1);
        Checks.matrix("c", c, cOff, m, n, ldc, 1);
        if (bias != null) Checks.vector("bias", bias, biasOff, n);
        Checks.par(par);
    }
}

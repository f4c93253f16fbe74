package dev.lathe.runtime.kernels;

import dev.lathe.runtime.kernels.QuantGemm.Cells;

/**
 * Plain-Java {@link QuantGemm}: the fallback when the Vector API is absent, the reference the vector
 * code is tested against, and the two paths that reuse the f32 {@link Gemm} (with its own scalar or
 * vector implementation): weight-only GEMM on dequantized blocks, and the dynamic path's exact
 * integer products on integer-valued f32 panels.
 */
final class QuantGemmScalar {
    /** Outputs per task of the GEMV and per dequantized block. */
    private static final int BLOCK = 64;
    /** 2^24: integers up to this are exact in f32. */
    private static final long F32_EXACT = 1L << 24;

    private QuantGemmScalar() {}

    /** Weight-only, row by row: per scale cell {@code s · (Σ x q - z Σ x)}, in f32. */
    static void gemv(int m, float[] a, int aOff, int lda, Cells cells, float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        QuantMatrix w = cells.w();
        int n = w.n(), k = w.k(), group = cells.group(), groups = cells.groups();
        par = par.forWork(2L * m * n * k, Parallelism.MIN_WORK_PER_THREAD);
        int tasks = (n + BLOCK - 1) / BLOCK;
        par.forEach(tasks, t -> {
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda;
                for (int o = t * BLOCK; o < Math.min(n, (t + 1) * BLOCK); o++) {
                    float acc = 0f;
                    for (int g = 0; g < groups; g++) {
                        float dot = 0f, xs = 0f;
                        for (int p = g * group; p < (g + 1) * group; p++) {
                            float x = a[ai + p];
                            dot = Math.fma(x, w.get(o, p), dot);
                            xs += x;
                        }
                        int cell = cells.cell(o, g);
                        acc = Math.fma(cells.scales()[cell], dot - cells.zero(cell) * xs, acc);
                    }
                    c[cOff + i * ldc + o] = bias == null ? acc : acc + bias[biasOff + o];
                }
            }
        });
    }

    /** Weight-only, batched: the f32 GEMM on deq(W), dequantized and packed once per weight ({@link QuantMatrix#dequantizedPanel}). */
    static void viaGemm(boolean vector, int m, float[] a, int aOff, int lda, Cells cells, float[] bias, int biasOff, float[] c, int cOff, int ldc,
                        Parallelism par) {
        QuantMatrix w = cells.w();
        PackedMatrix panel = w.dequantizedPanel(cells, Gemm.panelWidth(vector));
        Epilogue ep = bias == null ? Epilogue.NONE : new Epilogue(bias, biasOff, Activation.NONE, null, 0, 0);
        Gemm.run(vector, m, a, aOff, lda, 1, panel, c, cOff, ldc, ep, null, 0, par);
    }

    /**
     * The k chunk whose integer products the f32 GEMM computes exactly (every partial sum below
     * 2^24): a whole scale cell for group granularity, else the largest power of two that fits;
     * 0 when a group is too long for that (then only the integer path is exact).
     */
    static int exactChunk(Cells cells) {
        long perTerm = 127L * cells.w().maxAbs();
        long fits = F32_EXACT / perTerm;
        if (cells.groups() > 1) return cells.group() <= fits ? cells.group() : 0;
        return Integer.highestOneBit((int) Math.min(fits, Integer.MAX_VALUE));
    }

    /** Dynamic activations, integer products in int64 (the reference of the dynamic path). */
    static void dynamic(int m, float[] a, int aOff, int lda, Cells cells, float[] bias, int biasOff, float[] c, int cOff, int ldc, Parallelism par) {
        QuantMatrix w = cells.w();
        int n = w.n(), k = w.k(), group = cells.group(), groups = cells.groups();
        float[] xq = new float[m * k];
        float[] sx = new float[m];
        for (int i = 0; i < m; i++) sx[i] = QuantGemm.quantizeRow(a, aOff + i * lda, k, xq, i * k);
        par = par.forWork(2L * m * n * k, Parallelism.MIN_WORK_PER_THREAD);
        int tasks = (n + BLOCK - 1) / BLOCK;
        par.forEach(tasks, t -> {
            for (int i = 0; i < m; i++) {
                for (int o = t * BLOCK; o < Math.min(n, (t + 1) * BLOCK); o++) {
                    double acc = 0;
                    for (int g = 0; g < groups; g++) {
                        long dot = 0, xs = 0;
                        for (int p = g * group; p < (g + 1) * group; p++) {
                            long x = (long) xq[i * k + p];
                            dot += x * w.get(o, p);
                            xs += x;
                        }
                        int cell = cells.cell(o, g);
                        acc += (double) cells.scales()[cell] * (dot - (long) cells.zero(cell) * xs);
                    }
                    c[cOff + i * ldc + o] = rescale(sx[i], acc, bias, biasOff + o);
                }
            }
        });
    }

    /** One rounding: {@code (float) (sx · acc + bias)}; NaN when the row's scale is not finite. */
    static float rescale(float sx, double acc, float[] bias, int biasAt) {
        if (!Float.isFinite(sx)) return Float.NaN;
        return (float) (sx * acc + (bias == null ? 0 : bias[biasAt]));
    }

    /**
     * Dynamic activations with the integer products of each k chunk computed by the f32 GEMM on
     * integer-valued operands (exact, see {@link #exactChunk}), accumulated per scale cell in double.
     */
    static void dynamicViaGemm(boolean vector, int chunk, int m, float[] a, int aOff, int lda, Cells cells, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc, Parallelism par) {
        QuantMatrix w = cells.w();
        int n = w.n(), k = w.k();
        PackedMatrix[] panels = w.exactPanels(chunk, Gemm.panelWidth(vector));
        float[] xq = Scratch.get(Scratch.QUANT_A, m * k);
        float[] sx = new float[m];
        for (int i = 0; i < m; i++) sx[i] = QuantGemm.quantizeRow(a, aOff + i * lda, k, xq, i * k);
        float[] prod = Scratch.get(Scratch.QUANT_C, m * n); // integer products of one chunk [m, n]
        double[] acc = panels.length == 1 ? null : new double[m * n];
        boolean grouped = cells.groups() > 1;
        for (int ch = 0; ch < panels.length; ch++) {
            int p0 = ch * chunk, kc = panels[ch].k();
            Gemm.run(vector, m, xq, p0, k, 1, panels[ch], prod, 0, n, Epilogue.NONE, null, 0, par);
            for (int i = 0; i < m; i++) {
                long xs = 0;
                for (int p = p0; p < p0 + kc; p++) xs += (long) xq[i * k + p];
                for (int o = 0; o < n; o++) {
                    int cell = cells.cell(o, grouped ? ch : 0);
                    double part = (double) cells.scales()[cell] * ((long) prod[i * n + o] - (long) cells.zero(cell) * xs);
                    if (acc == null) c[cOff + i * ldc + o] = rescale(sx[i], part, bias, biasOff + o);
                    else acc[i * n + o] += part;
                }
            }
        }
        if (acc != null) {
            for (int i = 0; i < m; i++) for (int o = 0; o < n; o++) c[cOff + i * ldc + o] = rescale(sx[i], acc[i * n + o], bias, biasOff + o);
        }
    }
}

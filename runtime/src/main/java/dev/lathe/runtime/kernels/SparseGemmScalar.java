package dev.lathe.runtime.kernels;

/** Plain-Java {@link SparseGemm}: the fallback when the Vector API is absent, and the kernels' reference. */
final class SparseGemmScalar {
    private SparseGemmScalar() {}

    /**
     * CSR rows [r0, r1), one dot per output and row of X with four interleaved partial sums (entry e
     * goes to sum e mod 4), which hides the add latency; on AMD Zen 4 it runs about as fast as the Vector
     * API gather (54 vs 55 us at 90% of 1024x1024, one row).
     */
    static void csrDots(int m, float[] x, int xOff, int ldx, float[] values, int[] columns, int[] ptr, int r0, int r1,
                        float[] y, int yOff, int ldy, Epilogue ep) {
        for (int r = r0; r < r1; r++) {
            int e0 = ptr[r], e1 = ptr[r + 1];
            for (int t = 0; t < m; t++) {
                int xi = xOff + t * ldx;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                int e = e0;
                for (; e + 4 <= e1; e += 4) {
                    s0 += values[e] * x[xi + columns[e]];
                    s1 += values[e + 1] * x[xi + columns[e + 1]];
                    s2 += values[e + 2] * x[xi + columns[e + 2]];
                    s3 += values[e + 3] * x[xi + columns[e + 3]];
                }
                for (; e < e1; e++) s0 += values[e] * x[xi + columns[e]];
                SparseGemm.store((s0 + s1) + (s2 + s3), t, r, y, yOff, ldy, ep);
            }
        }
    }

    /** Block rows [r0, r1): one dot per output and row of X, entries in storage order. */
    static void dots(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                     float[] y, int yOff, int ldy, Epilogue ep) {
        if (br == 1 && bc == 1) {
            csrDots(m, x, xOff, ldx, values, columns, ptr, r0, r1, y, yOff, ldy, ep);
            return;
        }
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                for (int t = 0; t < m; t++) {
                    int xi = xOff + t * ldx;
                    float s = 0f;
                    for (int e = e0; e < e1; e++) {
                        int v = (e * br + i) * bc;
                        int c0 = xi + columns[e] * bc;
                        for (int j = 0; j < bc; j++) s += values[v + j] * x[c0 + j];
                    }
                    SparseGemm.store(s, t, rb * br + i, y, yOff, ldy, ep);
                }
            }
        }
    }

    /** Block rows [r0, r1) over xt [in, mp] (X transposed): each stored weight updates all m sums. */
    static void transposed(int m, int mp, float[] xt, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                           float[] y, int yOff, int ldy, Epilogue ep) {
        float[] acc = new float[m];
        for (int rb = r0; rb < r1; rb++) {
            int e0 = ptr[rb], e1 = ptr[rb + 1];
            for (int i = 0; i < br; i++) {
                java.util.Arrays.fill(acc, 0f);
                for (int e = e0; e < e1; e++) {
                    int v = (e * br + i) * bc;
                    for (int j = 0; j < bc; j++) {
                        float w = values[v + j];
                        int xc = (columns[e] * bc + j) * mp;
                        for (int t = 0; t < m; t++) acc[t] += w * xt[xc + t];
                    }
                }
                for (int t = 0; t < m; t++) SparseGemm.store(acc[t], t, rb * br + i, y, yOff, ldy, ep);
            }
        }
    }
}

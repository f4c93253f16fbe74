package dev.lathe.runtime.kernels;

/** Plain-Java {@link SparseGemm}: the fallback when the Vector API is absent, and the kernels' reference. */
final class SparseGemmScalar {
    private SparseGemmScalar() {}

    /** Block rows [r0, r1): one dot per output and row of X, entries in storage order. */
    static void dots(int m, float[] x, int xOff, int ldx, int br, int bc, float[] values, int[] columns, int[] ptr, int r0, int r1,
                     float[] y, int yOff, int ldy, Epilogue ep) {
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

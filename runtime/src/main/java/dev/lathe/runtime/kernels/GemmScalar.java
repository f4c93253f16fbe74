package dev.lathe.runtime.kernels;

/** Plain-Java GEMM over a {@link PackedMatrix}: the fallback when the Vector API is absent. */
final class GemmScalar {
    static final int NR = 16;
    private static final int ROWS_PER_TASK = 8;

    private GemmScalar() {}

    /**
     * C[i, j] = epilogue(sum_p A(i, p) B[p, j]) with A(i, p) = a[aOff + i * aRs + p * aCs], plus
     * {@code rowBias[rowBiasOff + i]} (nullable) added with the column bias.
     */
    static void gemm(int m, float[] a, int aOff, int aRs, int aCs, PackedMatrix b, float[] c, int cOff, int ldc,
                     Epilogue ep, float[] rowBias, int rowBiasOff, Parallelism par) {
        int n = b.n();
        par = par.forWork(2L * m * n * b.k(), 1L << 18);
        int nr = b.panelWidth();
        int panels = (n + nr - 1) / nr;
        int rowTasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        // Few rows: split the columns too, so that every thread has work.
        int colTasks = rowTasks >= 2 * par.threads() ? 1 : Math.min(panels, par.threads());
        par.forEach(rowTasks * colTasks, t -> {
            int i0 = (t / colTasks) * ROWS_PER_TASK;
            int ct = t % colTasks;
            int p0 = panels * ct / colTasks;
            int p1 = panels * (ct + 1) / colTasks;
            block(i0, Math.min(m, i0 + ROWS_PER_TASK), p0, p1, a, aOff, aRs, aCs, b, c, cOff, ldc, ep, rowBias, rowBiasOff);
        });
    }

    private static void block(int i0, int i1, int p0, int p1, float[] a, int aOff, int aRs, int aCs, PackedMatrix b,
                              float[] c, int cOff, int ldc, Epilogue ep, float[] rowBias, int rowBiasOff) {
        int k = b.k();
        int n = b.n();
        int nr = b.panelWidth();
        float[] bd = b.data();
        float[] acc = new float[nr];
        for (int i = i0; i < i1; i++) {
            int ai = aOff + i * aRs;
            for (int jp = p0; jp < p1; jp++) {
                java.util.Arrays.fill(acc, 0f);
                int base = jp * k * nr;
                for (int p = 0; p < k; p++) {
                    float av = a[ai + p * aCs];
                    int bp = base + p * nr;
                    for (int jj = 0; jj < nr; jj++) acc[jj] += av * bd[bp + jj];
                }
                int j0 = jp * nr;
                int w = Math.min(nr, n - j0);
                float rb = rowBias == null ? 0f : rowBias[rowBiasOff + i];
                store(acc, w, i, j0, rb, c, cOff, ldc, ep);
            }
        }
    }

    static void store(float[] acc, int w, int i, int j0, float rowBias, float[] c, int cOff, int ldc, Epilogue ep) {
        float[] bias = ep.bias();
        float[] res = ep.residual();
        Activation act = ep.act();
        int ci = cOff + i * ldc + j0;
        int ri = ep.resOff() + i * ep.ldr() + j0;
        for (int jj = 0; jj < w; jj++) {
            float v = acc[jj] + rowBias;
            if (bias != null) v += bias[ep.biasOff() + j0 + jj];
            v = ActivationsScalar.apply(act, v);
            if (res != null) v += res[ri + jj];
            c[ci + jj] = v;
        }
    }
}

package dev.lathe.runtime.kernels;

/**
 * Scalar version of {@link LinearAttentionProductsVector} (the same contract with one lane, so any
 * product width goes): the fallback without the Vector API, and the version tests compare against.
 */
final class LinearAttentionProductsScalar {
    static final int LANES = 1;

    private LinearAttentionProductsScalar() {}

    /** C[m, n] = A[m, k] B[k, n] (plus C when {@code accumulate}), row-major with the given leading dimensions. */
    static void mul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                    boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc, ai = aOff + i * lda;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float x = a[ai + p];
                int bi = bOff + p * ldb;
                for (int j = 0; j < n; j++) c[ci + j] += x * b[bi + j];
            }
        }
    }

    static float max(float[] x, int off, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    static void shiftedExp(float[] x, int off, int n, float by) {
        for (int i = off; i < off + n; i++) x[i] = (float) Math.exp(x[i] - by);
    }

    static void scaleInto(float[] x, int off, int n, float factor, float[] to, int toOff) {
        for (int i = 0; i < n; i++) to[toOff + i] = x[off + i] * factor;
    }

    static void addSquares(float[] x, int off, int n, float[] sums) {
        for (int i = 0; i < n; i++) sums[i] += x[off + i] * x[off + i];
    }

    static void rowSums(float[] x, int off, int ld, int rows, int n, float[] y, int yOff, float[] out, int outOff, boolean accumulate) {
        for (int r = 0; r < rows; r++) {
            float t = y == null ? sum(x, off + r * ld, n) : dot(x, off + r * ld, y, yOff, n);
            out[outOff + r] = accumulate ? out[outOff + r] + t : t;
        }
    }

    static float sum(float[] x, int off, int n) {
        float t = 0f;
        for (int i = off; i < off + n; i++) t += x[i];
        return t;
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float t = 0f;
        for (int i = 0; i < n; i++) t += a[aOff + i] * b[bOff + i];
        return t;
    }
}

package dev.lathe.runtime.kernels;

/**
 * Nystrom attention in f32, the definition in {@link LinearAttention#nystrom}:
 * {@code out = F pinv(A) (Bm V)} with F = softmax(s Q Kl^T), A = softmax(s Ql Kl^T),
 * Bm = softmax(s Ql K^T), Ql and Kl the segment-mean landmarks. Both long products are exact softmax
 * attention with few keys or few queries, so they run on {@link Attention}'s tiled kernel:
 * <pre>
 *   BV  = attention(Ql, K, V)      [l, dv]   (Bm V)
 *   X   = pinv(A) BV               [l, dv]   per head, in double (A is l x l)
 *   out = attention(Q, Kl, X)      [sq, dv]  (F X)
 * </pre>
 * Scratch is O(batch l heads (dh + dv)) floats: linear in nothing but the landmark count.
 */
final class LinearAttentionNystrom {
    private LinearAttentionNystrom() {}

    static void forward(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                        int landmarks, float scale, float[] out, Parallelism par) {
        int lq = Math.min(landmarks, sq), lk = Math.min(landmarks, sk);
        int dq = heads * dh, dvAll = heads * dv;
        if (lk == 0) {
            java.util.Arrays.fill(out, 0, batch * sq * dvAll, 0f);
            return;
        }
        float[] ql = LinearAttentionScratch.get(LinearAttentionScratch.KEY_FEATURES, batch * lq * dq);
        float[] kl = LinearAttentionScratch.get(LinearAttentionScratch.QUERY_FEATURES, batch * lk * dq);
        float[] bv = LinearAttentionScratch.get(LinearAttentionScratch.TEMP, batch * lq * dvAll);
        float[] x = LinearAttentionScratch.get(LinearAttentionScratch.STATE, batch * lk * dvAll);
        for (int b = 0; b < batch; b++) {
            segmentMeans(q, b * sq * dq, sq, dq, lq, ql, b * lq * dq);
            segmentMeans(k, b * sk * dq, sk, dq, lk, kl, b * lk * dq);
        }
        attention(vector, ql, k, v, batch, lq, sk, heads, dh, dv, scale, bv, par);
        par.forWork((long) batch * heads * LinearAttention.NEWTON_SCHULZ_ITERATIONS * 4L * lq * lq * lk, 1L << 18)
                .forEach(batch * heads, t -> pinvTimes(vector, ql, kl, bv, x, t / heads, t % heads, lq, lk, heads, dh, dv, scale));
        attention(vector, q, kl, x, batch, sq, lk, heads, dh, dv, scale, out, par);
    }

    private static void attention(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                                  float scale, float[] out, Parallelism par) {
        Attention.run(vector, q, 0, k, 0, v, 0, batch, sq, sk, heads, dh, dv, scale, false, 0, null, out, 0, par);
    }

    /** Rows of x [n, width] at {@code at}, l segment means into {@code out} at {@code outAt}, summed in double. */
    private static void segmentMeans(float[] x, int at, int n, int width, int l, float[] out, int outAt) {
        double[] sum = new double[width];
        for (int i = 0; i < l; i++) {
            int from = (int) ((long) i * n / l), to = (int) ((long) (i + 1) * n / l);
            java.util.Arrays.fill(sum, 0);
            for (int r = from; r < to; r++) {
                int row = at + r * width;
                for (int c = 0; c < width; c++) sum[c] += x[row + c];
            }
            for (int c = 0; c < width; c++) out[outAt + i * width + c] = (float) (sum[c] / (to - from));
        }
    }

    /** x_h = pinv(softmax(s Ql_h Kl_h^T)) bv_h for batch b, head h, in double. */
    private static void pinvTimes(boolean vector, float[] ql, float[] kl, float[] bv, float[] x, int b, int h, int lq, int lk, int heads, int dh, int dv,
                                  float scale) {
        int dq = heads * dh, dvAll = heads * dv;
        double[] a = new double[lq * lk];
        for (int i = 0; i < lq; i++) {
            int qi = b * lq * dq + i * dq + h * dh;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < lk; j++) {
                int kj = b * lk * dq + j * dq + h * dh;
                double dot = 0;
                for (int c = 0; c < dh; c++) dot += (double) ql[qi + c] * kl[kj + c];
                a[i * lk + j] = dot * scale;
                max = Math.max(max, a[i * lk + j]);
            }
            double sum = 0;
            for (int j = 0; j < lk; j++) {
                a[i * lk + j] = Math.exp(a[i * lk + j] - max);
                sum += a[i * lk + j];
            }
            for (int j = 0; j < lk; j++) a[i * lk + j] /= sum;
        }
        double[] pinv = vector ? LinearAttentionPinvVector.pseudoInverse(a, lq, lk) : LinearAttention.pseudoInverse(a, lq, lk); // [lk, lq]
        double[] rhs = new double[lq * dv];
        for (int i = 0; i < lq; i++) {
            for (int c = 0; c < dv; c++) rhs[i * dv + c] = bv[b * lq * dvAll + i * dvAll + h * dv + c];
        }
        double[] prod = LinearAttention.matmul(pinv, rhs, lk, lq, dv);
        for (int j = 0; j < lk; j++) {
            for (int c = 0; c < dv; c++) x[b * lk * dvAll + j * dvAll + h * dv + c] = (float) prod[j * dv + c];
        }
    }
}

package dev.lathe.runtime.kernels;

/**
 * Multi-head softmax attention in the IR's layout: q [batch, sq, heads*dh], k [batch, sk, heads*dh],
 * v [batch, sk, heads*dv], out [batch, sq, heads*dv] (dense row-major at their offsets; head h is
 * columns {@code h*dh..(h+1)*dh}). Per batch b, head h and query i:
 * <pre>
 *   s[j]   = scale * q[b, i, h] · k[b, j, h] (+ additive mask)      over the visible keys j
 *   out[b, i, h] = sum_j softmax(s)[j] * v[b, j, h]
 * </pre>
 * Key j is hidden from query i when {@code causal} and {@code j > i + sk - sq} (the sequence ends
 * align, so with sq == sk query i sees keys 0..i), when a bool mask says false, or, with a sliding
 * {@code window} w > 0, when {@code |i + sk - sq - j| >= w}. A query with no visible key, or only -inf
 * scores, gets zeros, not NaN. This is the interpreter's definition (the window is
 * {@code LinearAttention.window}'s).
 *
 * <p>The vector kernel is tiled (blocks of queries against blocks of keys) with an online softmax, so
 * its memory is O(tile) however long the sequences; it never forms the [sq, sk] score matrix. Work is
 * split across threads by (batch, head, query block). With a window, each query block reads only the
 * keys its window reaches, so the work is O(sq w).
 */
public final class Attention {
    private Attention() {}

    public static void forward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                               int batch, int sq, int sk, int heads, int dh, int dv,
                               float scale, boolean causal, AttentionMask mask,
                               float[] out, int outOff, Parallelism par) {
        run(Kernels.VECTOR, q, qOff, k, kOff, v, vOff, batch, sq, sk, heads, dh, dv, scale, causal, 0, mask, out, outOff, par);
    }

    /** {@link #forward} with the vector or scalar kernel, and a sliding window (0: none). */
    static void run(boolean vector, float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                    int batch, int sq, int sk, int heads, int dh, int dv,
                    float scale, boolean causal, int window, AttentionMask mask,
                    float[] out, int outOff, Parallelism par) {
        Checks.nonNegative("Attention", batch, sq, sk, dh, dv);
        if (window < 0) throw new IllegalArgumentException("window must be >= 0 (0: none), got " + window);
        if (heads < 1) throw new IllegalArgumentException("heads must be >= 1, got " + heads);
        Checks.par(par);
        long dq = (long) heads * dh, dvAll = (long) heads * dv;
        Checks.matrix("q", q, qOff, batch * sq, (int) dq, dq, 1);
        Checks.matrix("k", k, kOff, batch * sk, (int) dq, dq, 1);
        Checks.matrix("v", v, vOff, batch * sk, (int) dvAll, dvAll, 1);
        Checks.matrix("out", out, outOff, batch * sq, (int) dvAll, dvAll, 1);
        if (mask != null && batch > 0 && sq > 0 && sk > 0) {
            long last = mask.off() + (long) (batch - 1) * mask.strideBatch() + (long) (heads - 1) * mask.strideHead()
                    + (long) (sq - 1) * mask.strideQuery() + (long) (sk - 1) * mask.strideKey();
            if (last >= mask.length()) throw new IndexOutOfBoundsException("mask needs index " + last + ", array has " + mask.length());
        }
        if (batch == 0 || sq == 0 || dv == 0) return;
        if (vector) AttentionVector.forward(q, qOff, k, kOff, v, vOff, batch, sq, sk, heads, dh, dv, scale, causal, window, mask, out, outOff, par);
        else AttentionScalar.forward(q, qOff, k, kOff, v, vOff, batch, sq, sk, heads, dh, dv, scale, causal, window, mask, out, outOff, par);
    }
}

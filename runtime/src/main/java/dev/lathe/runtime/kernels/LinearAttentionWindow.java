package dev.lathe.runtime.kernels;

import java.util.Arrays;

/**
 * Sliding-window attention in f32: exact softmax attention of query i (at position
 * {@code p = i + sk - sq}) over the keys j with {@code |p - j| < w} ({@code 0 <= p - j < w} when
 * causal), the definition in {@link LinearAttention#window}. Per (batch, head) and block of
 * {@link #BLOCK} queries, the keys any of them sees are one contiguous range of at most
 * {@code BLOCK + 2w - 1}: scores = Q_b K_range^T by {@link Gemm}, each row's window (contiguous too)
 * exponentiated against its maximum and the rest zeroed, then out_b = P V_range / rowsum P. Work and
 * scratch are O(S w), never O(S^2) for a window shorter than the sequence.
 */
final class LinearAttentionWindow {
    static final int BLOCK = 64;

    private LinearAttentionWindow() {}

    static void forward(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                        int w, boolean causal, float scale, float[] out, Parallelism par) {
        int dq = heads * dh, dvAll = heads * dv;
        int qBlocks = (sq + BLOCK - 1) / BLOCK;
        long reach = Math.min(sk, causal ? w : 2L * w - 1);
        par.forWork(2L * batch * heads * sq * reach * (dh + dv), Parallelism.MIN_WORK_PER_THREAD).forEach(batch * heads * qBlocks, t -> {
            int qb = t % qBlocks, bh = t / qBlocks;
            int b = bh / heads, h = bh % heads;
            int i0 = qb * BLOCK, n = Math.min(BLOCK, sq - i0);
            int qAt = b * sq * dq + h * dh + i0 * dq;
            int kBase = b * sk * dq + h * dh, vBase = b * sk * dvAll + h * dv;
            int oAt = b * sq * dvAll + h * dv + i0 * dvAll;
            block(vector, q, qAt, k, kBase, v, vBase, out, oAt, i0, n, sq, sk, dh, dv, dq, dvAll, w, causal, scale);
        });
    }

    private static void block(boolean vector, float[] q, int qAt, float[] k, int kBase, float[] v, int vBase, float[] out, int oAt,
                              int i0, int n, int sq, int sk, int dh, int dv, int dq, int dvAll, int w, boolean causal, float scale) {
        long first = (long) i0 + sk - sq, last = first + n - 1; // positions of the block's first and last query
        long lo = Math.max(0, first - w + 1), hi = Math.min(sk - 1L, causal ? last : last + w - 1);
        if (lo > hi) {
            for (int r = 0; r < n; r++) Arrays.fill(out, oAt + r * dvAll, oAt + r * dvAll + dv, 0f);
            return;
        }
        int from = (int) lo, width = (int) (hi - lo + 1);
        float[] p = LinearAttentionScratch.get(LinearAttentionScratch.SCORES, n * width);
        float[] inv = LinearAttentionScratch.get(LinearAttentionScratch.ROWS, n);
        Gemm.unpacked(vector, n, width, dh, q, qAt, dq, 1, k, kBase + from * dq, 1, dq, p, 0, width, Epilogue.NONE, null, 0,
                Parallelism.SERIAL);
        for (int r = 0; r < n; r++) {
            long pos = first + r;
            int a = (int) (Math.max(lo, pos - w + 1) - lo), z = (int) (Math.min(hi, causal ? pos : pos + w - 1) - lo) + 1; // [a, z)
            int row = r * width;
            if (a >= z) {
                Arrays.fill(p, row, row + width, 0f);
                inv[r] = 0f;
                continue;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int j = row + a; j < row + z; j++) {
                p[j] *= scale;
                max = Math.max(max, p[j]);
            }
            for (int j = row + a; j < row + z; j++) p[j] -= max;
            if (vector) ActivationsVector.exp(p, row + a, z - a, p, row + a);
            else ActivationsScalar.exp(p, row + a, z - a, p, row + a);
            float sum = 0f;
            for (int j = row + a; j < row + z; j++) sum += p[j];
            Arrays.fill(p, row, row + a, 0f);
            Arrays.fill(p, row + z, row + width, 0f);
            inv[r] = 1f / sum;
        }
        Gemm.unpacked(vector, n, dv, width, p, 0, width, 1, v, vBase + from * dvAll, dvAll, 1, out, oAt, dvAll, Epilogue.NONE, null, 0,
                Parallelism.SERIAL);
        for (int r = 0; r < n; r++) {
            float s = inv[r];
            int o = oAt + r * dvAll;
            for (int c = 0; c < dv; c++) out[o + c] *= s;
        }
    }
}

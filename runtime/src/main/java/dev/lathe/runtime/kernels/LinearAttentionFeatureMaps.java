package dev.lathe.runtime.kernels;

import java.util.Arrays;

/**
 * Non-causal FAVOR+ and ELU+1 linear attention in f32 (the definition is {@link LinearAttention}'s
 * double reference; {@link LinearAttentionCausal} runs the causal form). Per (batch, head), keys and
 * queries go in blocks of {@link #BLOCK} rows:
 * <pre>
 *   key block:    E = phi(K_b) [n, f]           f = m (FAVOR+) or dh (ELU+1)
 *                 S += E^T V_b [f, dv]          z += column sums of E [f]
 *   query block:  F = phi(Q_b) [n, f]
 *                 out_b = F S / F z
 * </pre>
 * Every key block goes into the state before the first query block. The products are {@link Gemm}
 * calls, the exponentials {@link Activations}' exp, both in their vector or scalar versions.
 *
 * <p>FAVOR+: the logits {@code w . x' - |x'|^2 / 2} (x' = sqrt(scale) x) are one GEMM against the
 * features scaled by sqrt(scale). Keys are stabilized by the running maximum M over the keys seen so
 * far: when a block raises M, the state is multiplied by exp(M_old - M_new), so it always equals the
 * sum with every key's features divided by exp(M), which cancels between numerator and denominator,
 * as the reference's global maximum does. Queries are stabilized per row, like the reference.
 *
 * <p>Scratch is O(BLOCK f + f dv) floats per thread, whatever the sequence lengths.
 */
final class LinearAttentionFeatureMaps {
    /** Rows per block: larger blocks make larger GEMMs (256 measured faster than 64 at S = 4096). */
    static final int BLOCK = 256;

    private LinearAttentionFeatureMaps() {}

    /**
     * {@code features} is null for ELU+1, else FAVOR+'s [m, dh] random features already multiplied by
     * sqrt(scale) and {@code packed} them transposed ([dh, m]) for {@link Gemm#run}.
     */
    static void forward(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                        float[] features, PackedMatrix packed, float scale, float[] out, Parallelism par) {
        int f = features == null ? dh : packed.n();
        long work = 2L * batch * heads * (long) (sq + sk) * f * (dh + dv);
        par.forWork(work, Parallelism.MIN_WORK_PER_THREAD).forEach(batch * heads, t -> {
            int b = t / heads, h = t % heads;
            new Head(vector, q, k, v, b, h, sq, sk, heads, dh, dv, f, packed, scale, BLOCK, out).run();
        });
    }

    /** One (batch, head): its offsets, the state S [f, dv] and z [f], and the key stabilizer. */
    private static final class Head {
        final boolean vector, favor;
        final float[] q, k, v, out;
        final int sq, sk, dh, dv, f, block, dq, dvAll, qBase, kBase, vBase, oBase;
        final PackedMatrix packed;
        final float halfScale, logNorm;
        final float[] ek, eq, temp, state, keySum, rows;
        /** The key stabilizer: the largest key logit so far (FAVOR+ only). */
        float keyMax = Float.NEGATIVE_INFINITY;

        Head(boolean vector, float[] q, float[] k, float[] v, int b, int h, int sq, int sk, int heads, int dh, int dv, int f,
             PackedMatrix packed, float scale, int block, float[] out) {
            this.vector = vector;
            this.favor = packed != null;
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.sq = sq;
            this.sk = sk;
            this.dh = dh;
            this.dv = dv;
            this.f = f;
            this.block = block;
            this.packed = packed;
            this.dq = heads * dh;
            this.dvAll = heads * dv;
            this.qBase = b * sq * dq + h * dh;
            this.kBase = b * sk * dq + h * dh;
            this.vBase = b * sk * dvAll + h * dv;
            this.oBase = b * sq * dvAll + h * dv;
            this.halfScale = scale / 2;
            this.logNorm = (float) (0.5 * Math.log(f)); // phi carries 1 / sqrt(m): exp(x - log sqrt(m))
            this.ek = LinearAttentionScratch.get(LinearAttentionScratch.KEY_FEATURES, block * f);
            this.eq = LinearAttentionScratch.get(LinearAttentionScratch.QUERY_FEATURES, block * f);
            this.temp = LinearAttentionScratch.get(LinearAttentionScratch.TEMP, block * f);
            this.state = LinearAttentionScratch.get(LinearAttentionScratch.STATE, f * dv);
            this.keySum = LinearAttentionScratch.get(LinearAttentionScratch.KEY_SUM, f);
            this.rows = LinearAttentionScratch.get(LinearAttentionScratch.ROWS, block);
            Arrays.fill(state, 0, f * dv, 0f);
            Arrays.fill(keySum, 0, f, 0f);
        }

        void run() {
            for (int j0 = 0; j0 < sk; j0 += block) addKeys(j0, Math.min(block, sk - j0));
            for (int i0 = 0; i0 < sq; i0 += block) queries(i0, Math.min(block, sq - i0));
        }

        /**
         * ek = phi(K[j0, j0 + n)), added to the state. A block that raises the stabilizer rescales the
         * state first, so the state and the block's features share one stabilizer.
         */
        private void addKeys(int j0, int n) {
            if (favor) {
                float blockMax = favorLogits(k, kBase + j0 * dq, n, ek, rows);
                if (blockMax > keyMax) {
                    if (keyMax != Float.NEGATIVE_INFINITY) rescaleState((float) Math.exp((double) keyMax - blockMax));
                    keyMax = blockMax;
                }
                shift(ek, 0, n * f, keyMax + logNorm);
                exp(ek, n * f);
            } else {
                eluPlusOne(k, kBase + j0 * dq, n, ek);
            }
            // S += ek^T V[j0, j0 + n), z += column sums of ek
            Gemm.unpacked(vector, f, dv, n, ek, 0, 1, f, v, vBase + j0 * dvAll, dvAll, 1, state, 0, dv,
                    Epilogue.NONE.withResidual(state, 0, dv), null, 0, Parallelism.SERIAL);
            for (int r = 0; r < n; r++) {
                int row = r * f;
                for (int c = 0; c < f; c++) keySum[c] += ek[row + c];
            }
        }

        private void rescaleState(float factor) {
            for (int i = 0; i < f * dv; i++) state[i] *= factor;
            for (int i = 0; i < f; i++) keySum[i] *= factor;
        }

        /** out[i0, i0 + n) = phi(Q) S / phi(Q) z, each query's features stabilized by its own largest logit. */
        private void queries(int i0, int n) {
            int qAt = qBase + i0 * dq, oAt = oBase + i0 * dvAll;
            if (favor) {
                favorLogits(q, qAt, n, eq, rows);
                for (int r = 0; r < n; r++) shift(eq, r * f, f, rows[r] + logNorm);
                exp(eq, n * f);
            } else {
                eluPlusOne(q, qAt, n, eq);
            }
            float[] den = rows;
            for (int r = 0; r < n; r++) den[r] = dot(eq, r * f, keySum, f);
            Gemm.unpacked(vector, n, dv, f, eq, 0, f, 1, state, 0, dv, 1, out, oAt, dvAll, Epilogue.NONE, null, 0, Parallelism.SERIAL);
            for (int r = 0; r < n; r++) {
                float inv = den[r] == 0f ? 0f : 1f / den[r];
                int o = oAt + r * dvAll;
                for (int c = 0; c < dv; c++) out[o + c] *= inv;
            }
        }

        /**
         * e [n, m] = x' w^T - |x'|^2 / 2 for rows x at {@code at} (stride dq); rowMax[r] = row r's
         * largest, returns the largest of all.
         */
        private float favorLogits(float[] x, int at, int n, float[] e, float[] rowMax) {
            Gemm.run(vector, n, x, at, dq, 1, packed, e, 0, f, Epilogue.NONE, null, 0, Parallelism.SERIAL);
            float max = Float.NEGATIVE_INFINITY;
            for (int r = 0; r < n; r++) {
                int xi = at + r * dq;
                float half = dot(x, xi, x, xi, dh) * halfScale;
                int row = r * f;
                float rm = Float.NEGATIVE_INFINITY;
                for (int c = 0; c < f; c++) {
                    float y = e[row + c] - half;
                    e[row + c] = y;
                    rm = Math.max(rm, y);
                }
                rowMax[r] = rm;
                max = Math.max(max, rm);
            }
            return max;
        }

        /** sum a[ai + c] b[bi + c] over c < n, in four partial sums (independent chains). */
        private static float dot(float[] a, int ai, float[] b, int bi, int n) {
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            int c = 0;
            for (; c + 4 <= n; c += 4) {
                s0 += a[ai + c] * b[bi + c];
                s1 += a[ai + c + 1] * b[bi + c + 1];
                s2 += a[ai + c + 2] * b[bi + c + 2];
                s3 += a[ai + c + 3] * b[bi + c + 3];
            }
            for (; c < n; c++) s0 += a[ai + c] * b[bi + c];
            return (s0 + s1) + (s2 + s3);
        }

        private static float dot(float[] a, int ai, float[] b, int n) {
            return dot(a, ai, b, 0, n);
        }

        /** e [n, dh] = elu(x) + 1 = exp(min(x, 0)) + max(x, 0), branch-free (x + 1 for x > 0, else exp(x)). */
        private void eluPlusOne(float[] x, int at, int n, float[] e) {
            for (int r = 0; r < n; r++) {
                int xi = at + r * dq, row = r * dh;
                for (int c = 0; c < dh; c++) {
                    float y = x[xi + c];
                    e[row + c] = Math.max(y, 0f);
                    temp[row + c] = Math.min(y, 0f);
                }
            }
            exp(temp, n * dh);
            for (int i = 0; i < n * dh; i++) e[i] += temp[i];
        }

        private static void shift(float[] e, int from, int n, float by) {
            for (int i = from; i < from + n; i++) e[i] -= by;
        }

        private void exp(float[] e, int n) {
            if (vector) ActivationsVector.exp(e, 0, n, e, 0);
            else ActivationsScalar.exp(e, 0, n, e, 0);
        }
    }
}

package dev.lathe.runtime.kernels;

import java.util.Arrays;

/**
 * FAVOR+ and ELU+1 linear attention in f32 (the definition is {@link LinearAttention}'s double
 * reference). Per (batch, head), queries go in blocks of {@link #BLOCK} rows; the state S [f, dv] and
 * the key sums z [f] hold the keys every query of the block sees (all of them when not causal), and
 * when causal the block's diagonal keys (which some of its queries see) are a masked product, added
 * to the state after the block (prefix sums by blocks):
 * <pre>
 *   out_b = (F S + mask(F E^T) V_b) / (F z + rowsum mask(F E^T))     F = phi(Q_b), E = phi(K_b)
 *   S += E^T V_b, z += colsum E
 * </pre>
 * Features are computed {@link #WINDOW} rows at a time, so their products are large while the
 * diagonal blocks stay small: queries as F [rows, f], keys transposed as E^T [f, keys], the layouts
 * in which every product above reads its right operand by rows ({@link LinearAttentionProductsVector},
 * which needs no packing). The masked product skips the key vectors past the last query of each
 * 4-row tile.
 *
 * <p>FAVOR+: key logits {@code w . k' - |k'|^2 / 2} (k' = sqrt(scale) k), stabilized by the running
 * maximum M over the keys seen so far: when a window raises M the state is multiplied by
 * exp(M_old - M_new), so it always equals the sum with every key's features divided by exp(M), which
 * cancels between numerator and denominator as the reference's global maximum does. Query features
 * are {@code exp(w . q' - max_r w_r . q')}: the reference's {@code -|q'|^2 / 2} and its 1 / sqrt(m)
 * (on keys too) are per-query and global factors that cancel in the ratio, so they are left out.
 *
 * <p>Scratch is O(WINDOW (f + dh) + BLOCK^2 + f dv) floats per thread, whatever the sequence lengths.
 */
final class LinearAttentionFeatureMaps {
    /**
     * Query rows per block: the masked diagonal costs about BLOCK (f + dv) per row, the state 4 f dv
     * per row whatever the block; 16, 32 and 64 measured within noise of each other (FAVOR+ m = 256,
     * S = 4096, causal), 48 slower.
     */
    static final int BLOCK = 32;
    /** Rows whose features one product computes (128 measured slower, 512 no faster). */
    static final int WINDOW = 256;

    private LinearAttentionFeatureMaps() {}

    /** {@code features} is null for ELU+1, else FAVOR+'s [f, dh] random features already multiplied by sqrt(scale). */
    static void forward(boolean vector, float[] q, float[] k, float[] v, int batch, int sq, int sk, int heads, int dh, int dv,
                        float[] features, int f, boolean causal, float scale, float[] out, Parallelism par) {
        int lanes = vector ? LinearAttentionProductsVector.LANES : LinearAttentionProductsScalar.LANES;
        float[] featuresT = features == null ? null : transposed(features, f, dh, roundUp(f, lanes) + lanes);
        long work = 2L * batch * heads * ((long) (sq + sk) * f * (dh + dv) + (causal ? (long) sq * BLOCK * (f + dv) : 0));
        par.forWork(work, Parallelism.MIN_WORK_PER_THREAD).forEach(batch * heads, t -> {
            int b = t / heads, h = t % heads;
            new Head(vector, lanes, q, k, v, b, h, sq, sk, heads, dh, dv, features == null ? dh : f, features, featuresT, scale, out).run(causal);
        });
    }

    /** w [rows, cols] transposed into [cols, width], the columns past rows zero. */
    private static float[] transposed(float[] w, int rows, int cols, int width) {
        float[] t = new float[cols * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * width + r] = w[r * cols + c];
        }
        return t;
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** One (batch, head): offsets, the state and the windows of features. */
    private static final class Head {
        final boolean vector, favor;
        final int lanes;
        final float[] q, k, v, out, features;
        final int sq, sk, dh, dv, f, dq, dvAll, qBase, kBase, vBase, oBase;
        /** Row strides: query features, transposed features and key features, scores, values and numerators. */
        final int eqLd, ftLd, ekLd, scoresLd, dvp;
        final float halfScale;
        final float[] featuresT, ekT, eq, kT, scores, state, keySums, half, values, num, den;
        /** The key stabilizer: the largest key logit so far (FAVOR+ only). */
        float keyMax = Float.NEGATIVE_INFINITY;
        /** The rows whose features ekT and eq hold: keys [kw0, kw1), queries [qw0, qw1). */
        int kw0, kw1, qw0, qw1;

        Head(boolean vector, int lanes, float[] q, float[] k, float[] v, int b, int h, int sq, int sk, int heads, int dh, int dv, int f,
             float[] features, float[] featuresT, float scale, float[] out) {
            this.vector = vector;
            this.lanes = lanes;
            this.favor = features != null;
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.features = features;
            this.featuresT = featuresT;
            this.sq = sq;
            this.sk = sk;
            this.dh = dh;
            this.dv = dv;
            this.f = f;
            this.dq = heads * dh;
            this.dvAll = heads * dv;
            this.qBase = b * sq * dq + h * dh;
            this.kBase = b * sk * dq + h * dh;
            this.vBase = b * sk * dvAll + h * dv;
            this.oBase = b * sq * dvAll + h * dv;
            this.halfScale = scale / 2;
            // Strides of f rounded up plus a vector: not a multiple of 1 KiB, since rows that far apart share
            // cache sets (the query features' product ran 30% slower at f = 256).
            this.ftLd = roundUp(f, lanes) + lanes;
            this.eqLd = favor ? ftLd : dh;
            // A block's keys start anywhere in the window and its masked product reads whole vectors past them.
            this.ekLd = WINDOW + lanes;
            this.scoresLd = roundUp(BLOCK, lanes);
            this.dvp = roundUp(dv, lanes);
            this.ekT = LinearAttentionScratch.get(LinearAttentionScratch.KEY_FEATURES, f * ekLd);
            this.eq = LinearAttentionScratch.get(LinearAttentionScratch.QUERY_FEATURES, WINDOW * eqLd);
            this.kT = favor ? LinearAttentionScratch.get(LinearAttentionScratch.TEMP, dh * ekLd) : null;
            this.scores = LinearAttentionScratch.get(LinearAttentionScratch.SCORES, BLOCK * scoresLd);
            this.state = LinearAttentionScratch.get(LinearAttentionScratch.STATE, f * dvp);
            this.keySums = LinearAttentionScratch.get(LinearAttentionScratch.KEY_SUM, f);
            this.half = LinearAttentionScratch.get(LinearAttentionScratch.ROWS, ekLd);
            this.values = LinearAttentionScratch.get(LinearAttentionScratch.VALUES, BLOCK * dvp);
            this.num = LinearAttentionScratch.get(LinearAttentionScratch.NUMERATORS, BLOCK * dvp);
            this.den = LinearAttentionScratch.get(LinearAttentionScratch.DENOMINATORS, BLOCK);
            Arrays.fill(state, 0, f * dvp, 0f);
            Arrays.fill(keySums, 0, f, 0f);
        }

        void run(boolean causal) {
            int added = 0; // keys in the state
            for (int i0 = 0; i0 < sq; i0 += BLOCK) {
                int n = Math.min(BLOCK, sq - i0);
                // Query i sees keys j <= i + sk - sq (all keys when not causal): all of the block's
                // queries see the keys below from, some of them those in [from, to).
                int from = causal ? clamp(i0 + sk - sq, sk) : sk, to = causal ? clamp(i0 + n + sk - sq, sk) : sk;
                while (added < from) {
                    int count = Math.min(BLOCK, from - added);
                    keys(added, count);
                    loadValues(added, count);
                    accumulate(added, count);
                    added += count;
                }
                if (to > from) {
                    keys(from, to - from);
                    loadValues(from, to - from);
                }
                queries(i0, n, from, to, added > 0);
                if (to > from) {
                    accumulate(from, to - from);
                    added = to;
                }
            }
        }

        private static int clamp(int x, int hi) {
            return Math.max(0, Math.min(hi, x));
        }

        /** Keys [from, from + nk) that query i sees. */
        private int visible(int i, int from, int nk) {
            return Math.max(0, Math.min(nk, i + sk - sq + 1 - from));
        }

        /**
         * Makes ekT hold phi(K[j0, j0 + n))^T, computing a new window of keys from j0 when the current
         * one lacks them (blocks ask in increasing order). A new window raises the stabilizer to its
         * largest logit before any of its keys enter the state, so the state and every feature in use
         * share one stabilizer.
         */
        private void keys(int j0, int n) {
            if (j0 >= kw0 && j0 + n <= kw1) return;
            int w = Math.min(WINDOW, sk - j0), wc = roundUp(w, lanes);
            if (favor) {
                // kT [dh, wc]: the window's keys transposed (16 keys at a time, so that each row's writes
                // fill whole cache lines); past w, zero keys with half = +inf, so their features are exp(-inf) = 0.
                for (int j = 0; j < w; j += 16) {
                    int keys = Math.min(16, w - j), kj = kBase + (j0 + j) * dq;
                    for (int c = 0; c < dh; c++) {
                        int d = c * ekLd + j;
                        for (int jj = 0; jj < keys; jj++) kT[d + jj] = k[kj + jj * dq + c];
                    }
                }
                Arrays.fill(half, 0, wc, 0f);
                for (int c = 0; c < dh; c++) {
                    Arrays.fill(kT, c * ekLd + w, c * ekLd + wc, 0f);
                    addSquares(kT, c * ekLd, wc, half);
                }
                for (int j = 0; j < wc; j++) half[j] = j < w ? half[j] * halfScale : Float.POSITIVE_INFINITY;
                mul(f, wc, dh, features, 0, dh, kT, 0, ekLd, ekT, 0, ekLd, false);
                float windowMax = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < f; p++) windowMax = Math.max(windowMax, subtractAndMax(ekT, p * ekLd, wc, half));
                if (windowMax > keyMax) {
                    if (keyMax != Float.NEGATIVE_INFINITY) rescaleState((float) Math.exp((double) keyMax - windowMax));
                    keyMax = windowMax;
                }
                for (int p = 0; p < f; p++) shiftedExp(ekT, p * ekLd, wc, keyMax);
            } else {
                // elu(x) + 1 = exp(min(x, 0)) + max(x, 0), branch-free.
                for (int j = 0; j < w; j++) {
                    int kj = kBase + (j0 + j) * dq;
                    for (int c = 0; c < dh; c++) ekT[c * ekLd + j] = Math.min(k[kj + c], 0f);
                }
                for (int c = 0; c < dh; c++) shiftedExp(ekT, c * ekLd, w, 0f);
                for (int j = 0; j < w; j++) {
                    int kj = kBase + (j0 + j) * dq;
                    for (int c = 0; c < dh; c++) ekT[c * ekLd + j] += Math.max(k[kj + c], 0f);
                }
            }
            kw0 = j0;
            kw1 = j0 + w;
        }

        /** Makes eq hold phi(Q[i0, i0 + n)) and returns where its first row starts. */
        private int queryFeatures(int i0, int n) {
            if (i0 < qw0 || i0 + n > qw1) {
                int w = Math.min(WINDOW, sq - i0), qAt = qBase + i0 * dq;
                if (favor) {
                    // The product reads each query row once per column group: from a dense copy, since the
                    // rows of q are heads * dh apart (a multiple of 1 KiB for 4 heads of 64: cache-set conflicts).
                    for (int r = 0; r < w; r++) System.arraycopy(q, qAt + r * dq, kT, r * dh, dh);
                    mul(w, roundUp(f, lanes), dh, kT, 0, dh, featuresT, 0, ftLd, eq, 0, eqLd, false);
                    for (int r = 0; r < w; r++) shiftedExp(eq, r * eqLd, f, max(eq, r * eqLd, f));
                } else {
                    for (int r = 0; r < w; r++) {
                        for (int c = 0; c < dh; c++) eq[r * dh + c] = Math.min(q[qAt + r * dq + c], 0f);
                    }
                    shiftedExp(eq, 0, w * dh, 0f);
                    for (int r = 0; r < w; r++) {
                        for (int c = 0; c < dh; c++) eq[r * dh + c] += Math.max(q[qAt + r * dq + c], 0f);
                    }
                }
                qw0 = i0;
                qw1 = i0 + w;
            }
            return (i0 - qw0) * eqLd;
        }

        /** values [n, dvp] = V[j0, j0 + n), the columns past dv zero. */
        private void loadValues(int j0, int n) {
            for (int r = 0; r < n; r++) {
                System.arraycopy(v, vBase + (j0 + r) * dvAll, values, r * dvp, dv);
                Arrays.fill(values, r * dvp + dv, (r + 1) * dvp, 0f);
            }
        }

        /** S += phi(K[j0, j0 + n))^T values, z += the features' column sums (ekT and values hold those keys). */
        private void accumulate(int j0, int n) {
            int at = j0 - kw0;
            mul(f, dvp, n, ekT, at, ekLd, values, 0, dvp, state, 0, dvp, true);
            for (int p = 0; p < f; p++) keySums[p] += sum(ekT, p * ekLd + at, n);
        }

        private void rescaleState(float factor) {
            scale(state, 0, f * dvp, factor);
            scale(keySums, 0, f, factor);
        }

        /** out[i0, i0 + n) from phi(Q) against the state (when it holds keys), plus the masked diagonal keys [from, to). */
        private void queries(int i0, int n, int from, int to, boolean stateHoldsKeys) {
            int eqAt = queryFeatures(i0, n);
            if (stateHoldsKeys) {
                mul(n, dvp, f, eq, eqAt, eqLd, state, 0, dvp, num, 0, dvp, false);
                for (int r = 0; r < n; r++) den[r] = dot(eq, eqAt + r * eqLd, keySums, f);
            } else {
                Arrays.fill(num, 0, n * dvp, 0f);
                Arrays.fill(den, 0, n, 0f);
            }
            int nk = to - from, at = from - kw0;
            // Tiles of 4 queries: the scores of the keys up to the tile's last query, the rest of each row masked.
            for (int r0 = 0; r0 < n && nk > 0; r0 += 4) {
                int rows = Math.min(4, n - r0);
                int reach = visible(i0 + r0 + rows - 1, from, nk);
                if (reach == 0) continue;
                mul(rows, roundUp(reach, lanes), f, eq, eqAt + r0 * eqLd, eqLd, ekT, at, ekLd, scores, r0 * scoresLd, scoresLd, false);
                for (int r = r0; r < r0 + rows; r++) {
                    int seen = visible(i0 + r, from, nk), row = r * scoresLd;
                    Arrays.fill(scores, row + seen, row + reach, 0f);
                    float d = 0f;
                    for (int j = row; j < row + seen; j++) d += scores[j];
                    den[r] += d;
                }
                mul(rows, dvp, reach, scores, r0 * scoresLd, scoresLd, values, 0, dvp, num, r0 * dvp, dvp, true);
            }
            int oAt = oBase + i0 * dvAll;
            for (int r = 0; r < n; r++) {
                scaleInto(num, r * dvp, dv, den[r] == 0f ? 0f : 1f / den[r], out, oAt + r * dvAll);
            }
        }

        private void mul(int m, int n, int kk, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                         boolean accumulate) {
            if (vector) LinearAttentionProductsVector.mul(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            else LinearAttentionProductsScalar.mul(m, n, kk, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }

        private float subtractAndMax(float[] x, int off, int n, float[] by) {
            return vector ? LinearAttentionProductsVector.subtractAndMax(x, off, n, by, 0) : LinearAttentionProductsScalar.subtractAndMax(x, off, n, by, 0);
        }

        private float max(float[] x, int off, int n) {
            return vector ? LinearAttentionProductsVector.max(x, off, n) : LinearAttentionProductsScalar.max(x, off, n);
        }

        private void shiftedExp(float[] x, int off, int n, float by) {
            if (vector) LinearAttentionProductsVector.shiftedExp(x, off, n, by);
            else LinearAttentionProductsScalar.shiftedExp(x, off, n, by);
        }

        private void scale(float[] x, int off, int n, float factor) {
            scaleInto(x, off, n, factor, x, off);
        }

        private void scaleInto(float[] x, int off, int n, float factor, float[] to, int toOff) {
            if (vector) LinearAttentionProductsVector.scaleInto(x, off, n, factor, to, toOff);
            else LinearAttentionProductsScalar.scaleInto(x, off, n, factor, to, toOff);
        }

        private void addSquares(float[] x, int off, int n, float[] sums) {
            if (vector) LinearAttentionProductsVector.addSquares(x, off, n, sums);
            else LinearAttentionProductsScalar.addSquares(x, off, n, sums);
        }

        private float sum(float[] x, int off, int n) {
            return vector ? LinearAttentionProductsVector.sum(x, off, n) : LinearAttentionProductsScalar.sum(x, off, n);
        }

        private float dot(float[] a, int aOff, float[] b, int n) {
            return vector ? LinearAttentionProductsVector.dot(a, aOff, b, 0, n) : LinearAttentionProductsScalar.dot(a, aOff, b, 0, n);
        }
    }
}

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
 * <p>The heads of a batch element go in groups (all of them on one thread), taking turns by windows of
 * queries ({@link Rows}); they share the feature scratch and each keeps its own state. Scratch is
 * O(WINDOW (f + dh) + BLOCK^2 + heads f dv) floats per thread, whatever the sequence lengths.
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
        float[] featuresMinusHalf = features == null ? null : withMinusOneColumn(features, f, dh);
        long work = 2L * batch * heads * ((long) (sq + sk) * f * (dh + dv) + (causal ? (long) sq * BLOCK * (f + dv) : 0));
        Parallelism p = par.forWork(work, Parallelism.MIN_WORK_PER_THREAD);
        // As few head groups as keep every thread busy: a group's heads are adjacent columns, so the
        // group reads its rows of q, k, v and out as one span (the whole row for all heads).
        int groupSize = ceilDiv(heads, Math.min(heads, ceilDiv(p.threads(), batch))), groups = ceilDiv(heads, groupSize);
        int fe = features == null ? dh : f;
        p.forEach(batch * groups, t -> {
            int b = t / groups, h0 = t % groups * groupSize, h1 = Math.min(heads, h0 + groupSize);
            Head[] group = new Head[h1 - h0];
            for (int h = h0; h < h1; h++) {
                group[h - h0] = new Head(vector, lanes, q, k, v, b, h, h - h0, groupSize, sq, sk, heads, dh, dv, fe, featuresMinusHalf, featuresT,
                        scale, out);
            }
            new Rows(q, k, v, out, b, sq, sk, heads * dh, heads * dv, h0 * dh, h1 * dh, h0 * dv, h1 * dv).run(group, causal);
        });
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * A head group's walk over the queries by windows of {@link #WINDOW} rows, every head of the group
     * taking its blocks of a window in turn. Before the heads start a window, its rows of q and out
     * (and when causal the keys and values it reaches) are read once in address order, one float per
     * cache line: a head alone reads its dh floats of each row, a stride the hardware prefetcher does not
     * follow, and those scattered misses cost 4 of 31 ms at S = 4096 with 4 heads (1.9 with one head of
     * 16384, whose rows are contiguous). The group then finds them in cache.
     */
    private static final class Rows {
        final float[] q, k, v, out;
        final int b, sq, sk, dq, dvAll, qc0, qc1, vc0, vc1;
        /** Keys and values read ahead so far (causal only). */
        int keysTouched;
        /** Keeps the reads ahead from being optimized away. */
        int touched;

        Rows(float[] q, float[] k, float[] v, float[] out, int b, int sq, int sk, int dq, int dvAll, int qc0, int qc1, int vc0, int vc1) {
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.b = b;
            this.sq = sq;
            this.sk = sk;
            this.dq = dq;
            this.dvAll = dvAll;
            this.qc0 = qc0;
            this.qc1 = qc1;
            this.vc0 = vc0;
            this.vc1 = vc1;
        }

        void run(Head[] group, boolean causal) {
            for (int w0 = 0; w0 < sq; w0 += WINDOW) {
                int w1 = Math.min(sq, w0 + WINDOW);
                touch(q, b * sq, w0, w1, dq, qc0, qc1);
                touch(out, b * sq, w0, w1, dvAll, vc0, vc1);
                if (causal) {
                    int reach = Head.clamp(w1 + sk - sq, sk);
                    touch(k, b * sk, keysTouched, reach, dq, qc0, qc1);
                    touch(v, b * sk, keysTouched, reach, dvAll, vc0, vc1);
                    keysTouched = Math.max(keysTouched, reach);
                }
                for (Head head : group) head.run(causal, w0, w1);
            }
        }

        /** Reads x's columns [c0, c1) of rows [r0, r1) after row base, one float per 16. */
        private void touch(float[] x, int base, int r0, int r1, int ld, int c0, int c1) {
            int acc = 0;
            for (int r = r0; r < r1; r++) {
                int at = (base + r) * ld;
                for (int c = c0; c < c1; c += 16) acc += Float.floatToRawIntBits(x[at + c]);
                acc += Float.floatToRawIntBits(x[at + c1 - 1]);
            }
            touched += acc;
        }
    }

    /** w [rows, cols] with a column of -1 appended: [rows, cols + 1]. */
    private static float[] withMinusOneColumn(float[] w, int rows, int cols) {
        float[] out = new float[rows * (cols + 1)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(w, r * cols, out, r * (cols + 1), cols);
            out[r * (cols + 1) + cols] = -1f;
        }
        return out;
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
        final float[] q, k, v, out;
        /** FAVOR+'s features [f, dh + 1] with a last column of -1 (null for ELU+1). */
        final float[] featuresMinusHalf;
        final int sq, sk, dh, dv, f, dq, dvAll, qBase, kBase, vBase, oBase;
        /** Row strides: query features, transposed features and key features, scores, values and numerators. */
        final int eqLd, ftLd, ekLd, scoresLd, dvp;
        final float halfScale;
        final float[] featuresT, ekT, eq, kT, scores, state, keySums, half, values, num, den;
        /** The key stabilizer: the largest key logit so far (FAVOR+ only). */
        float keyMax = Float.NEGATIVE_INFINITY;
        /** The rows whose features ekT and eq hold: keys [kw0, kw1), queries [qw0, qw1). */
        int kw0, kw1, qw0, qw1;

        /** Where this head's state and key sums start in the group's scratch. */
        final int stateOff, sumsOff;
        /** Keys in the state. */
        int added;

        /** Head h of batch element b, the index-th of its group of groupSize heads (which share scratch). */
        Head(boolean vector, int lanes, float[] q, float[] k, float[] v, int b, int h, int index, int groupSize, int sq, int sk, int heads, int dh,
             int dv, int f, float[] featuresMinusHalf, float[] featuresT, float scale, float[] out) {
            this.vector = vector;
            this.lanes = lanes;
            this.favor = featuresMinusHalf != null;
            this.q = q;
            this.k = k;
            this.v = v;
            this.out = out;
            this.featuresMinusHalf = featuresMinusHalf;
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
            this.kT = favor ? LinearAttentionScratch.get(LinearAttentionScratch.TEMP, (dh + 1) * ekLd) : null;
            this.scores = LinearAttentionScratch.get(LinearAttentionScratch.SCORES, BLOCK * scoresLd);
            this.state = LinearAttentionScratch.get(LinearAttentionScratch.STATE, groupSize * f * dvp);
            this.keySums = LinearAttentionScratch.get(LinearAttentionScratch.KEY_SUM, groupSize * f);
            this.stateOff = index * f * dvp;
            this.sumsOff = index * f;
            this.half = LinearAttentionScratch.get(LinearAttentionScratch.ROWS, ekLd);
            this.values = LinearAttentionScratch.get(LinearAttentionScratch.VALUES, BLOCK * dvp);
            this.num = LinearAttentionScratch.get(LinearAttentionScratch.NUMERATORS, BLOCK * dvp);
            this.den = LinearAttentionScratch.get(LinearAttentionScratch.DENOMINATORS, BLOCK);
            Arrays.fill(state, stateOff, stateOff + f * dvp, 0f);
            Arrays.fill(keySums, sumsOff, sumsOff + f, 0f);
        }

        /**
         * The query blocks in [w0, w1) (w0 a multiple of BLOCK). The group's other heads have used the shared
         * feature windows since this head's last call, so both are recomputed as needed: every head does
         * the same work whatever its group, so results do not depend on the thread count.
         */
        void run(boolean causal, int w0, int w1) {
            kw0 = kw1 = qw0 = qw1 = 0;
            for (int i0 = w0; i0 < w1; i0 += BLOCK) {
                int n = Math.min(BLOCK, w1 - i0);
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

        static int clamp(int x, int hi) {
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
                // kT [dh + 1, wc]: the window's keys transposed (by 8x8 vector transposes, or 16 keys at a time,
                // so that each row's writes fill whole cache lines); past w, zero keys with half = +inf, so their
                // logits are -inf (their features, the smallest float, are masked wherever they are read).
                int j8 = 0;
                if (vector && LinearAttentionProductsVector.LANES >= 8) {
                    for (; j8 + 8 <= w; j8 += 8) GemmPackVector.transpose8(k, kBase + (j0 + j8) * dq, dq, dh, kT, j8, ekLd);
                }
                for (int j = j8; j < w; j += 16) {
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
                // kT's row dh holds |k'|^2 / 2, which the features' column of -1 subtracts as the product's last step.
                for (int j = 0; j < wc; j++) kT[dh * ekLd + j] = j < w ? half[j] * halfScale : Float.POSITIVE_INFINITY;
                mul(f, wc, dh + 1, featuresMinusHalf, 0, dh + 1, kT, 0, ekLd, ekT, 0, ekLd, false);
                float windowMax = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < f; p++) windowMax = Math.max(windowMax, max(ekT, p * ekLd, wc));
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
                    // All maxima first: each is a short dependent chain that the next row's can overlap.
                    for (int r = 0; r < w; r++) half[r] = max(eq, r * eqLd, f);
                    for (int r = 0; r < w; r++) shiftedExp(eq, r * eqLd, f, half[r]);
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
            mul(f, dvp, n, ekT, at, ekLd, values, 0, dvp, state, stateOff, dvp, true);
            rowSums(ekT, at, ekLd, f, n, null, 0, keySums, sumsOff, true);
        }

        private void rescaleState(float factor) {
            scale(state, stateOff, f * dvp, factor);
            scale(keySums, sumsOff, f, factor);
        }

        /** out[i0, i0 + n) from phi(Q) against the state (when it holds keys), plus the masked diagonal keys [from, to). */
        private void queries(int i0, int n, int from, int to, boolean stateHoldsKeys) {
            int eqAt = queryFeatures(i0, n);
            if (stateHoldsKeys) {
                mul(n, dvp, f, eq, eqAt, eqLd, state, stateOff, dvp, num, 0, dvp, false);
                rowSums(eq, eqAt, eqLd, n, f, keySums, sumsOff, den, 0, false);
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

        /** out[r] (+)= the sum of row r of x (times y elementwise, y null for plain sums) for rows r < rows. */
        private void rowSums(float[] x, int off, int ld, int rows, int n, float[] y, int yOff, float[] out, int outOff, boolean accumulate) {
            if (vector) LinearAttentionProductsVector.rowSums(x, off, ld, rows, n, y, yOff, out, outOff, accumulate);
            else LinearAttentionProductsScalar.rowSums(x, off, ld, rows, n, y, yOff, out, outOff, accumulate);
        }
    }
}

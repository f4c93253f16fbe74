package dev.lathe.runtime.kernels;

import static dev.lathe.runtime.kernels.ActivationsVector.EXP_LO;
import static dev.lathe.runtime.kernels.ActivationsVector.LN2_HI;
import static dev.lathe.runtime.kernels.ActivationsVector.LN2_LO;
import static dev.lathe.runtime.kernels.ActivationsVector.LOG2E;
import static dev.lathe.runtime.kernels.ActivationsVector.P0;
import static dev.lathe.runtime.kernels.ActivationsVector.P1;
import static dev.lathe.runtime.kernels.ActivationsVector.P2;
import static dev.lathe.runtime.kernels.ActivationsVector.P3;
import static dev.lathe.runtime.kernels.ActivationsVector.P4;
import static dev.lathe.runtime.kernels.ActivationsVector.P5;
import static dev.lathe.runtime.kernels.ActivationsVector.ROUND;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Tiled attention with an online softmax (flash-attention style). Per (batch, head, block of BQ
 * queries), key blocks of BK = 4 vectors are processed in order:
 * <pre>
 *   Kt = K[block]ᵀ                     [dh, BK], zero-padded
 *   S  = scale * Q Kt (+ mask)         one query row at a time, 4 accumulators in registers
 *   m' = max(m, rowmax S);  P = exp(S - m');  c = exp(m - m')
 *   l  = l c + rowsum P;   O = O c + P V[block]
 * </pre>
 * and finally out = O / l (zeros for a row that saw no visible key). Scratch is O(BQ·(BK + dv) + dh·BK)
 * per task, independent of the sequence lengths.
 */
final class AttentionVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);
    static final int BK = 4 * L;
    static final int BQ = 64;

    private AttentionVector() {}

    static void forward(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff,
                        int batch, int sq, int sk, int heads, int dh, int dv,
                        float scale, boolean causal, int window, AttentionMask mask,
                        float[] out, int outOff, Parallelism par) {
        int qBlocks = (sq + BQ - 1) / BQ;
        long reach = window > 0 ? Math.min(sk, causal ? window : 2L * window - 1) : sk;
        par = par.forWork(2L * batch * heads * sq * reach * (dh + dv), Parallelism.MIN_WORK_PER_THREAD);
        par.forEach(batch * heads * qBlocks, t -> {
            int qb = t % qBlocks, bh = t / qBlocks;
            int b = bh / heads, h = bh % heads;
            int i0 = qb * BQ, i1 = Math.min(sq, i0 + BQ);
            block(q, qOff, k, kOff, v, vOff, b, h, i0, i1, sq, sk, heads, dh, dv, scale, causal, window, mask, out, outOff);
        });
    }

    private static void block(float[] q, int qOff, float[] k, int kOff, float[] v, int vOff, int b, int h, int i0, int i1,
                              int sq, int sk, int heads, int dh, int dv, float scale, boolean causal, int window, AttentionMask mask,
                              float[] out, int outOff) {
        int rows = i1 - i0;
        int dq = heads * dh, dvAll = heads * dv;
        // Scratch layout: Kt [dh * BK] | P [BQ * BK] | O [BQ * dv] | m [BQ] | l [BQ] | c [BQ]
        int ktAt = 0, pAt = dh * BK, oAt = pAt + BQ * BK, mAt = oAt + BQ * dv, lAt = mAt + BQ, cAt = lAt + BQ;
        float[] w = Scratch.get(Scratch.ATTENTION, cAt + BQ);
        Arrays.fill(w, oAt, oAt + rows * dv, 0f);
        Arrays.fill(w, mAt, mAt + rows, Float.NEGATIVE_INFINITY);
        Arrays.fill(w, lAt, lAt + rows, 0f);
        // Keys beyond the last query's causal or window limit, or before the first query's window, are hidden
        // from the whole block.
        long firstPos = (long) i0 + sk - sq, lastPos = (long) i1 - 1 + sk - sq;
        int kStart = window > 0 ? (int) Math.min(sk, Math.max(0, firstPos - window + 1)) : 0;
        int kEnd = (int) Math.max(0, Math.min(sk, causal ? lastPos + 1 : window > 0 ? lastPos + window : sk));
        int qBase = qOff + b * sq * dq + h * dh;
        int kBase = kOff + b * sk * dq + h * dh;
        int vBase = vOff + b * sk * dvAll + h * dv;
        for (int j0 = kStart; j0 < kEnd; j0 += BK) {
            int width = Math.min(BK, kEnd - j0);
            transposeKeys(k, kBase + j0 * dq, dq, dh, width, w, ktAt);
            scores(q, qBase, dq, i0, rows, dh, w, ktAt, pAt, scale);
            if (mask != null || causal || window > 0 || width < BK) {
                maskScores(w, pAt, b, h, i0, rows, j0, width, sq, sk, causal, window, mask);
            }
            softmaxStep(w, pAt, mAt, lAt, cAt, rows);
            accumulate(v, vBase + j0 * dvAll, dvAll, dv, width, w, pAt, oAt, cAt, rows);
        }
        int oBase = outOff + b * sq * dvAll + h * dv;
        for (int r = 0; r < rows; r++) {
            float l = w[lAt + r];
            float inv = l > 0 ? 1f / l : 0f;
            int o = oBase + (i0 + r) * dvAll;
            for (int c = 0; c < dv; c++) out[o + c] = w[oAt + r * dv + c] * inv;
        }
    }

    /** Kt[c, j] = K[j, c] for j < width, 0 beyond. */
    private static void transposeKeys(float[] k, int kRow0, int dq, int dh, int width, float[] w, int ktAt) {
        for (int j = 0; j < width; j++) {
            int src = kRow0 + j * dq;
            for (int c = 0, d = ktAt + j; c < dh; c++, d += BK) w[d] = k[src + c];
        }
        if (width < BK) {
            for (int c = 0; c < dh; c++) Arrays.fill(w, ktAt + c * BK + width, ktAt + (c + 1) * BK, 0f);
        }
    }

    /**
     * P[r, 0..BK) = scale * q[i0 + r] · Kt, four query rows at a time (16 accumulators, so each Kt load
     * feeds four fmas), then two, then one.
     */
    private static void scores(float[] q, int qBase, int dq, int i0, int rows, int dh, float[] w, int ktAt, int pAt, float scale) {
        int r = 0;
        for (; r + 3 < rows; r += 4) scores4(q, qBase + (i0 + r) * dq, dq, dh, w, ktAt, pAt + r * BK, scale);
        for (; r + 1 < rows; r += 2) {
            int qi = qBase + (i0 + r) * dq, qj = qi + dq;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            FloatVector b0 = FloatVector.zero(S), b1 = FloatVector.zero(S), b2 = FloatVector.zero(S), b3 = FloatVector.zero(S);
            for (int c = 0, kt = ktAt; c < dh; c++, kt += BK) {
                FloatVector k0 = FloatVector.fromArray(S, w, kt);
                FloatVector k1 = FloatVector.fromArray(S, w, kt + L);
                FloatVector k2 = FloatVector.fromArray(S, w, kt + 2 * L);
                FloatVector k3 = FloatVector.fromArray(S, w, kt + 3 * L);
                FloatVector qa = FloatVector.broadcast(S, q[qi + c]);
                FloatVector qb = FloatVector.broadcast(S, q[qj + c]);
                a0 = qa.fma(k0, a0);
                a1 = qa.fma(k1, a1);
                a2 = qa.fma(k2, a2);
                a3 = qa.fma(k3, a3);
                b0 = qb.fma(k0, b0);
                b1 = qb.fma(k1, b1);
                b2 = qb.fma(k2, b2);
                b3 = qb.fma(k3, b3);
            }
            int p = pAt + r * BK;
            a0.mul(scale).intoArray(w, p);
            a1.mul(scale).intoArray(w, p + L);
            a2.mul(scale).intoArray(w, p + 2 * L);
            a3.mul(scale).intoArray(w, p + 3 * L);
            b0.mul(scale).intoArray(w, p + BK);
            b1.mul(scale).intoArray(w, p + BK + L);
            b2.mul(scale).intoArray(w, p + BK + 2 * L);
            b3.mul(scale).intoArray(w, p + BK + 3 * L);
        }
        if (r < rows) {
            int qi = qBase + (i0 + r) * dq;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            for (int c = 0, kt = ktAt; c < dh; c++, kt += BK) {
                FloatVector qv = FloatVector.broadcast(S, q[qi + c]);
                a0 = qv.fma(FloatVector.fromArray(S, w, kt), a0);
                a1 = qv.fma(FloatVector.fromArray(S, w, kt + L), a1);
                a2 = qv.fma(FloatVector.fromArray(S, w, kt + 2 * L), a2);
                a3 = qv.fma(FloatVector.fromArray(S, w, kt + 3 * L), a3);
            }
            int p = pAt + r * BK;
            a0.mul(scale).intoArray(w, p);
            a1.mul(scale).intoArray(w, p + L);
            a2.mul(scale).intoArray(w, p + 2 * L);
            a3.mul(scale).intoArray(w, p + 3 * L);
        }
    }

    /** Four query rows (from q[qi], stride dq) against the BK keys of Kt, into P rows p0.. (stride BK). */
    private static void scores4(float[] q, int qi, int dq, int dh, float[] w, int ktAt, int p0, float scale) {
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        FloatVector b0 = FloatVector.zero(S), b1 = FloatVector.zero(S), b2 = FloatVector.zero(S), b3 = FloatVector.zero(S);
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        int qj = qi + dq, qk = qj + dq, ql = qk + dq;
        for (int c = 0, kt = ktAt; c < dh; c++, kt += BK) {
            FloatVector k0 = FloatVector.fromArray(S, w, kt);
            FloatVector k1 = FloatVector.fromArray(S, w, kt + L);
            FloatVector k2 = FloatVector.fromArray(S, w, kt + 2 * L);
            FloatVector k3 = FloatVector.fromArray(S, w, kt + 3 * L);
            FloatVector x = FloatVector.broadcast(S, q[qi + c]);
            a0 = x.fma(k0, a0);
            a1 = x.fma(k1, a1);
            a2 = x.fma(k2, a2);
            a3 = x.fma(k3, a3);
            x = FloatVector.broadcast(S, q[qj + c]);
            b0 = x.fma(k0, b0);
            b1 = x.fma(k1, b1);
            b2 = x.fma(k2, b2);
            b3 = x.fma(k3, b3);
            x = FloatVector.broadcast(S, q[qk + c]);
            c0 = x.fma(k0, c0);
            c1 = x.fma(k1, c1);
            c2 = x.fma(k2, c2);
            c3 = x.fma(k3, c3);
            x = FloatVector.broadcast(S, q[ql + c]);
            d0 = x.fma(k0, d0);
            d1 = x.fma(k1, d1);
            d2 = x.fma(k2, d2);
            d3 = x.fma(k3, d3);
        }
        a0.mul(scale).intoArray(w, p0);
        a1.mul(scale).intoArray(w, p0 + L);
        a2.mul(scale).intoArray(w, p0 + 2 * L);
        a3.mul(scale).intoArray(w, p0 + 3 * L);
        b0.mul(scale).intoArray(w, p0 + BK);
        b1.mul(scale).intoArray(w, p0 + BK + L);
        b2.mul(scale).intoArray(w, p0 + BK + 2 * L);
        b3.mul(scale).intoArray(w, p0 + BK + 3 * L);
        c0.mul(scale).intoArray(w, p0 + 2 * BK);
        c1.mul(scale).intoArray(w, p0 + 2 * BK + L);
        c2.mul(scale).intoArray(w, p0 + 2 * BK + 2 * L);
        c3.mul(scale).intoArray(w, p0 + 2 * BK + 3 * L);
        d0.mul(scale).intoArray(w, p0 + 3 * BK);
        d1.mul(scale).intoArray(w, p0 + 3 * BK + L);
        d2.mul(scale).intoArray(w, p0 + 3 * BK + 2 * L);
        d3.mul(scale).intoArray(w, p0 + 3 * BK + 3 * L);
    }

    /**
     * Adds the float mask; sets hidden keys (bool mask, causal, outside the window, past the block's width)
     * to -inf. Row r sees the block's keys [first, visible).
     */
    private static void maskScores(float[] w, int pAt, int b, int h, int i0, int rows, int j0, int width, int sq, int sk,
                                   boolean causal, int window, AttentionMask mask) {
        for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            int p = pAt + r * BK;
            long pos = (long) i + sk - sq;
            long end = causal ? pos + 1 : window > 0 ? pos + window : Long.MAX_VALUE;
            int visible = (int) Math.min(width, Math.max(0, end - j0));
            int first = window > 0 ? (int) Math.min(visible, Math.max(0, pos - window + 1 - j0)) : 0;
            Arrays.fill(w, p, p + first, Float.NEGATIVE_INFINITY);
            if (mask != null) {
                int mi = mask.off() + b * mask.strideBatch() + h * mask.strideHead() + i * mask.strideQuery() + j0 * mask.strideKey();
                int sj = mask.strideKey();
                if (mask.isAdditive()) {
                    float[] add = mask.additive();
                    for (int j = first; j < visible; j++) w[p + j] += add[mi + j * sj];
                } else {
                    boolean[] allowed = mask.allowed();
                    for (int j = first; j < visible; j++) if (!allowed[mi + j * sj]) w[p + j] = Float.NEGATIVE_INFINITY;
                }
            }
            Arrays.fill(w, p + visible, p + BK, Float.NEGATIVE_INFINITY);
        }
    }

    /** Online softmax update: new row maxima, P = exp(S - m), c = exp(m_old - m), l = l c + rowsum P. */
    private static void softmaxStep(float[] w, int pAt, int mAt, int lAt, int cAt, int rows) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int r = 0; r < rows; r++) {
            int p = pAt + r * BK;
            FloatVector mx = FloatVector.fromArray(S, w, p).max(FloatVector.fromArray(S, w, p + L))
                    .max(FloatVector.fromArray(S, w, p + 2 * L).max(FloatVector.fromArray(S, w, p + 3 * L)));
            float old = w[mAt + r];
            float m = Math.max(old, mx.reduceLanes(VectorOperators.MAX));
            if (m == Float.NEGATIVE_INFINITY) {
                // Nothing visible yet: P = 0 and the (empty) state stays.
                Arrays.fill(w, p, p + BK, 0f);
                w[cAt + r] = 1f;
                continue;
            }
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < BK; j += L) {
                FloatVector s = FloatVector.fromArray(S, w, p + j);
                // e = exp(s - m), 0 where s is -inf
                FloatVector v = s.sub(m).max(EXP_LO);
                FloatVector t = v.fma(LOG2E, ROUND);
                FloatVector nf = t.sub(ROUND);
                FloatVector rr = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
                FloatVector e = rr.fma(P0, P1).fma(rr, c2).fma(rr, c3).fma(rr, c4).fma(rr, c5);
                e = e.mul(rr.mul(rr)).add(rr).add(1f);
                e = e.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
                e = e.blend(0f, s.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
                sum = sum.add(e);
                e.intoArray(w, p + j);
            }
            float c = old == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(old - m);
            w[mAt + r] = m;
            w[cAt + r] = c;
            w[lAt + r] = w[lAt + r] * c + VectorSums.sum(sum);
        }
    }

    /**
     * O[r] = O[r] c[r] + sum_j P[r, j] V[j]: full chunks of 4 vectors of dv take four rows at a time
     * (each V load feeds four fmas), then two; the rest of dv, and an odd last row, go one vector at a time.
     */
    private static void accumulate(float[] v, int vRow0, int dvAll, int dv, int width, float[] w, int pAt, int oAt, int cAt, int rows) {
        int full = dv / (4 * L) * (4 * L);
        int r = 0;
        for (; r + 3 < rows && full > 0; r += 4) {
            for (int c0 = 0; c0 < full; c0 += 4 * L) accumulate4(v, vRow0 + c0, dvAll, width, w, pAt + r * BK, oAt + r * dv + c0, dv, cAt + r);
        }
        for (; r + 1 < rows; r += 2) {
            float ca = w[cAt + r], cb = w[cAt + r + 1];
            int pa = pAt + r * BK, pb = pa + BK;
            int oa = oAt + r * dv, ob = oa + dv;
            for (int c0 = 0; c0 < full; c0 += 4 * L) {
                FloatVector a0 = FloatVector.fromArray(S, w, oa + c0).mul(ca);
                FloatVector a1 = FloatVector.fromArray(S, w, oa + c0 + L).mul(ca);
                FloatVector a2 = FloatVector.fromArray(S, w, oa + c0 + 2 * L).mul(ca);
                FloatVector a3 = FloatVector.fromArray(S, w, oa + c0 + 3 * L).mul(ca);
                FloatVector b0 = FloatVector.fromArray(S, w, ob + c0).mul(cb);
                FloatVector b1 = FloatVector.fromArray(S, w, ob + c0 + L).mul(cb);
                FloatVector b2 = FloatVector.fromArray(S, w, ob + c0 + 2 * L).mul(cb);
                FloatVector b3 = FloatVector.fromArray(S, w, ob + c0 + 3 * L).mul(cb);
                for (int j = 0, vi = vRow0 + c0; j < width; j++, vi += dvAll) {
                    FloatVector v0 = FloatVector.fromArray(S, v, vi);
                    FloatVector v1 = FloatVector.fromArray(S, v, vi + L);
                    FloatVector v2 = FloatVector.fromArray(S, v, vi + 2 * L);
                    FloatVector v3 = FloatVector.fromArray(S, v, vi + 3 * L);
                    FloatVector pja = FloatVector.broadcast(S, w[pa + j]);
                    FloatVector pjb = FloatVector.broadcast(S, w[pb + j]);
                    a0 = pja.fma(v0, a0);
                    a1 = pja.fma(v1, a1);
                    a2 = pja.fma(v2, a2);
                    a3 = pja.fma(v3, a3);
                    b0 = pjb.fma(v0, b0);
                    b1 = pjb.fma(v1, b1);
                    b2 = pjb.fma(v2, b2);
                    b3 = pjb.fma(v3, b3);
                }
                a0.intoArray(w, oa + c0);
                a1.intoArray(w, oa + c0 + L);
                a2.intoArray(w, oa + c0 + 2 * L);
                a3.intoArray(w, oa + c0 + 3 * L);
                b0.intoArray(w, ob + c0);
                b1.intoArray(w, ob + c0 + L);
                b2.intoArray(w, ob + c0 + 2 * L);
                b3.intoArray(w, ob + c0 + 3 * L);
            }
        }
        // The dv tail for the paired rows, and every column of an odd last row.
        for (int rr = 0; rr < rows; rr++) {
            int from = rr < r ? full : 0;
            if (from >= dv) continue;
            float c = w[cAt + rr];
            int p = pAt + rr * BK;
            int o = oAt + rr * dv;
            for (int c0 = from; c0 < dv; c0 += L) {
                VectorMask<Float> m = c0 + L <= dv ? ALL : S.indexInRange(c0, dv);
                FloatVector o0 = FloatVector.fromArray(S, w, o + c0, m).mul(c);
                for (int j = 0, vi = vRow0 + c0; j < width; j++, vi += dvAll) {
                    o0 = FloatVector.broadcast(S, w[p + j]).fma(FloatVector.fromArray(S, v, vi, m), o0);
                }
                o0.intoArray(w, o + c0, m);
            }
        }
    }

    /** One 4-vector chunk of dv (from V column vc0) for four rows: P rows from pa (stride BK), O rows from oa (stride dv). */
    private static void accumulate4(float[] v, int vc0, int dvAll, int width, float[] w, int pa, int oa, int dv, int ca) {
        float cr0 = w[ca], cr1 = w[ca + 1], cr2 = w[ca + 2], cr3 = w[ca + 3];
        FloatVector a0 = FloatVector.fromArray(S, w, oa).mul(cr0), a1 = FloatVector.fromArray(S, w, oa + L).mul(cr0);
        FloatVector a2 = FloatVector.fromArray(S, w, oa + 2 * L).mul(cr0), a3 = FloatVector.fromArray(S, w, oa + 3 * L).mul(cr0);
        int ob = oa + dv, oc = ob + dv, od = oc + dv;
        FloatVector b0 = FloatVector.fromArray(S, w, ob).mul(cr1), b1 = FloatVector.fromArray(S, w, ob + L).mul(cr1);
        FloatVector b2 = FloatVector.fromArray(S, w, ob + 2 * L).mul(cr1), b3 = FloatVector.fromArray(S, w, ob + 3 * L).mul(cr1);
        FloatVector c0 = FloatVector.fromArray(S, w, oc).mul(cr2), c1 = FloatVector.fromArray(S, w, oc + L).mul(cr2);
        FloatVector c2 = FloatVector.fromArray(S, w, oc + 2 * L).mul(cr2), c3 = FloatVector.fromArray(S, w, oc + 3 * L).mul(cr2);
        FloatVector d0 = FloatVector.fromArray(S, w, od).mul(cr3), d1 = FloatVector.fromArray(S, w, od + L).mul(cr3);
        FloatVector d2 = FloatVector.fromArray(S, w, od + 2 * L).mul(cr3), d3 = FloatVector.fromArray(S, w, od + 3 * L).mul(cr3);
        int pb = pa + BK, pc = pb + BK, pd = pc + BK;
        for (int j = 0, vi = vc0; j < width; j++, vi += dvAll) {
            FloatVector v0 = FloatVector.fromArray(S, v, vi);
            FloatVector v1 = FloatVector.fromArray(S, v, vi + L);
            FloatVector v2 = FloatVector.fromArray(S, v, vi + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, vi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, w[pa + j]);
            a0 = x.fma(v0, a0);
            a1 = x.fma(v1, a1);
            a2 = x.fma(v2, a2);
            a3 = x.fma(v3, a3);
            x = FloatVector.broadcast(S, w[pb + j]);
            b0 = x.fma(v0, b0);
            b1 = x.fma(v1, b1);
            b2 = x.fma(v2, b2);
            b3 = x.fma(v3, b3);
            x = FloatVector.broadcast(S, w[pc + j]);
            c0 = x.fma(v0, c0);
            c1 = x.fma(v1, c1);
            c2 = x.fma(v2, c2);
            c3 = x.fma(v3, c3);
            x = FloatVector.broadcast(S, w[pd + j]);
            d0 = x.fma(v0, d0);
            d1 = x.fma(v1, d1);
            d2 = x.fma(v2, d2);
            d3 = x.fma(v3, d3);
        }
        a0.intoArray(w, oa);
        a1.intoArray(w, oa + L);
        a2.intoArray(w, oa + 2 * L);
        a3.intoArray(w, oa + 3 * L);
        b0.intoArray(w, ob);
        b1.intoArray(w, ob + L);
        b2.intoArray(w, ob + 2 * L);
        b3.intoArray(w, ob + 3 * L);
        c0.intoArray(w, oc);
        c1.intoArray(w, oc + L);
        c2.intoArray(w, oc + 2 * L);
        c3.intoArray(w, oc + 3 * L);
        d0.intoArray(w, od);
        d1.intoArray(w, od + L);
        d2.intoArray(w, od + 2 * L);
        d3.intoArray(w, od + 3 * L);
    }
}

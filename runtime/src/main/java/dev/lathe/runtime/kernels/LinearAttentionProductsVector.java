package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small dense operations of FAVOR+ and ELU+1 linear attention ({@link LinearAttentionFeatureMaps}),
 * Vector API version ({@link LinearAttentionProductsScalar} is the scalar one, same contract).
 * Products read both operands where they lie, with no packing: A element by element (a broadcast per
 * row and k step) and B by rows of vectors, so B must be row-major with n a multiple of
 * {@link #LANES}. Every operand here is a block of at most a few hundred rows that stays in cache,
 * where the per-call packing of {@link Gemm} cost as much as the products themselves (a causal
 * block's products have k or m of 32).
 */
final class LinearAttentionProductsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Product widths are multiples of this. */
    static final int LANES = S.length();
    private static final int L = LANES;
    private static final boolean WIDE_TILES = L >= 16;

    private LinearAttentionProductsVector() {}

    /**
     * C[m, n] = A[m, k] B[k, n] (plus C when {@code accumulate}); A row i at {@code aOff + i * lda},
     * B row p at {@code bOff + p * ldb}, C row i at {@code cOff + i * ldc}; n a multiple of LANES.
     * Tiles of 4 rows by 4, 2 or 1 vectors keep their accumulators in registers for the whole k loop
     * (4 by 4 only with 512-bit vectors: its 16 accumulators and 4 B vectors need AVX-512's 32
     * registers, AVX2 has 16).
     */
    static void mul(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                    boolean accumulate) {
        int j = 0;
        for (; WIDE_TILES && j + 4 * L <= n; j += 4 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x4(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) {
                for (int jj = j; jj < j + 4 * L; jj += L) tile1x1(k, a, aOff + i * lda, b, bOff + jj, ldb, c, cOff + i * ldc + jj, accumulate);
            }
        }
        for (; j + 2 * L <= n; j += 2 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x2(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) {
                for (int jj = j; jj < j + 2 * L; jj += L) tile1x1(k, a, aOff + i * lda, b, bOff + jj, ldb, c, cOff + i * ldc + jj, accumulate);
            }
        }
        for (; j < n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) tile4x1(k, a, aOff + i * lda, lda, b, bOff + j, ldb, c, cOff + i * ldc + j, ldc, accumulate);
            for (; i < m; i++) tile1x1(k, a, aOff + i * lda, b, bOff + j, ldb, c, cOff + i * ldc + j, accumulate);
        }
    }

    private static void tile4x4(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda;
        for (int p = 0; p < k; p++, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c02 = c02.add(FloatVector.fromArray(S, c, ci + 2 * L));
            c03 = c03.add(FloatVector.fromArray(S, c, ci + 3 * L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c12 = c12.add(FloatVector.fromArray(S, c, ci + ldc + 2 * L));
            c13 = c13.add(FloatVector.fromArray(S, c, ci + ldc + 3 * L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c22 = c22.add(FloatVector.fromArray(S, c, ci + 2 * ldc + 2 * L));
            c23 = c23.add(FloatVector.fromArray(S, c, ci + 2 * ldc + 3 * L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
            c32 = c32.add(FloatVector.fromArray(S, c, ci + 3 * ldc + 2 * L));
            c33 = c33.add(FloatVector.fromArray(S, c, ci + 3 * ldc + 3 * L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c03.intoArray(c, ci + 3 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c13.intoArray(c, ci + ldc + 3 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
        c23.intoArray(c, ci + 2 * ldc + 3 * L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c32.intoArray(c, ci + 3 * ldc + 2 * L);
        c33.intoArray(c, ci + 3 * ldc + 3 * L);
    }

    private static void tile4x2(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda;
        for (int p = 0; p < k; p++, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (accumulate) {
            c00 = c00.add(FloatVector.fromArray(S, c, ci));
            c01 = c01.add(FloatVector.fromArray(S, c, ci + L));
            c10 = c10.add(FloatVector.fromArray(S, c, ci + ldc));
            c11 = c11.add(FloatVector.fromArray(S, c, ci + ldc + L));
            c20 = c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
    }

    private static void tile4x1(int k, float[] a, int ai, int lda, float[] b, int bi, int ldb, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + lda, a2 = ai + 2 * lda, a3 = ai + 3 * lda;
        for (int p = 0; p < k; p++, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b0, c3);
        }
        if (accumulate) {
            c0 = c0.add(FloatVector.fromArray(S, c, ci));
            c1 = c1.add(FloatVector.fromArray(S, c, ci + ldc));
            c2 = c2.add(FloatVector.fromArray(S, c, ci + 2 * ldc));
            c3 = c3.add(FloatVector.fromArray(S, c, ci + 3 * ldc));
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
    }

    /** One row by one vector: the rows left over below the 4-row tiles; two chains so the fma latency overlaps. */
    private static void tile1x1(int k, float[] a, int ai, float[] b, int bi, int ldb, float[] c, int ci, boolean accumulate) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
        int p = 0;
        for (; p + 1 < k; p += 2, bi += 2 * ldb) {
            c0 = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bi), c0);
            c1 = FloatVector.broadcast(S, a[ai + p + 1]).fma(FloatVector.fromArray(S, b, bi + ldb), c1);
        }
        if (p < k) c0 = FloatVector.broadcast(S, a[ai + p]).fma(FloatVector.fromArray(S, b, bi), c0);
        c0 = c0.add(c1);
        if (accumulate) c0 = c0.add(FloatVector.fromArray(S, c, ci));
        c0.intoArray(c, ci);
    }

    /** x[off, off + n) -= by[byOff, byOff + n) elementwise; returns the largest result. */
    static float subtractAndMax(float[] x, int off, int n, float[] by, int byOff) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).sub(FloatVector.fromArray(S, by, byOff + i));
            y.intoArray(x, off + i);
            max = max.max(y);
        }
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i] -= by[byOff + i]);
        return m;
    }

    /** The largest of x[off, off + n) (negative infinity when n = 0). */
    static float max(float[] x, int off, int n) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) max = max.max(FloatVector.fromArray(S, x, off + i));
        float m = max.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /**
     * exp(x - by) in place over x[off, off + n), for x <= by (the callers subtract a maximum, or exp
     * non-positive values): {@link ActivationsVector#exp}'s range reduction and polynomial with the
     * shift fused in and without its overflow handling, which arguments <= 0 never need (2^n is one
     * exponent-field step for n in [-126, 0]); 0 below EXP_LO as there.
     */
    static void shiftedExp(float[] x, int off, int n, float by) {
        FloatVector c2 = FloatVector.broadcast(S, ActivationsVector.P2), c3 = FloatVector.broadcast(S, ActivationsVector.P3);
        FloatVector c4 = FloatVector.broadcast(S, ActivationsVector.P4), c5 = FloatVector.broadcast(S, ActivationsVector.P5);
        FloatVector minusLn2Hi = FloatVector.broadcast(S, -ActivationsVector.LN2_HI);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).sub(by);
            FloatVector v = y.min(0f).max(ActivationsVector.EXP_LO);
            FloatVector t = v.fma(ActivationsVector.LOG2E, ActivationsVector.ROUND);
            FloatVector nf = t.sub(ActivationsVector.ROUND);
            FloatVector r = nf.fma(minusLn2Hi, v).add(nf.mul(-ActivationsVector.LN2_LO));
            FloatVector p = r.fma(ActivationsVector.P0, ActivationsVector.P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts().sub(ActivationsVector.ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            p.mul(scale).blend(0f, y.lt(ActivationsVector.EXP_LO)).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] = (float) Math.exp(x[off + i] - by);
    }

    /** to[toOff, toOff + n) = x[off, off + n) * factor (x and to may be the same range). */
    static void scaleInto(float[] x, int off, int n, float factor, float[] to, int toOff) {
        int i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(S, x, off + i).mul(factor).intoArray(to, toOff + i);
        for (; i < n; i++) to[toOff + i] = x[off + i] * factor;
    }

    /** sums[i] += x[off + i]^2 for i < n. */
    static void addSquares(float[] x, int off, int n, float[] sums) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i);
            y.fma(y, FloatVector.fromArray(S, sums, i)).intoArray(sums, i);
        }
        for (; i < n; i++) sums[i] += x[off + i] * x[off + i];
    }

    /** The sum of x[off, off + n). */
    static float sum(float[] x, int off, int n) {
        FloatVector s = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) s = s.add(FloatVector.fromArray(S, x, off + i));
        float t = VectorSums.sum(s);
        for (; i < n; i++) t += x[off + i];
        return t;
    }

    /** sum a[aOff + i] b[bOff + i] over i < n. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s = FloatVector.zero(S);
        int i = 0;
        for (; i + L <= n; i += L) s = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), s);
        float t = VectorSums.sum(s);
        for (; i < n; i++) t += a[aOff + i] * b[bOff + i];
        return t;
    }
}

package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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

    /**
     * The largest of x[off, off + n) (negative infinity when n = 0; NaNs are skipped). By compare and
     * blend in two chains: C2 expands a float vector max into about four instructions (for Java's NaN and
     * -0.0 rules), which made this pass over the FAVOR+ logits twice as slow.
     */
    static float max(float[] x, int off, int n) {
        FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), max1 = max;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector a = FloatVector.fromArray(S, x, off + i), b = FloatVector.fromArray(S, x, off + i + L);
            max = max.blend(a, a.compare(VectorOperators.GT, max));
            max1 = max1.blend(b, b.compare(VectorOperators.GT, max1));
        }
        if (i + L <= n) {
            FloatVector a = FloatVector.fromArray(S, x, off + i);
            max = max.blend(a, a.compare(VectorOperators.GT, max));
            i += L;
        }
        float m = max.max(max1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /**
     * exp(x - by) in place over x[off, off + n), for x <= by (the callers subtract a maximum, or exp
     * non-positive values): {@link ActivationsVector#exp}'s range reduction (both ln 2 parts by fma)
     * and polynomial with the shift fused in and without its overflow handling, which arguments <= 0
     * never need (2^n is one exponent-field step for n in [-126, 0]). Arguments below EXP_LO give
     * exp(EXP_LO) = 2^-126, the smallest normal float, instead of 0: these values only ever meet
     * sums that hold a 1 (the largest feature), so skipping the blend costs nothing in accuracy and
     * three of the loop's 20 operations.
     */
    static void shiftedExp(float[] x, int off, int n, float by) {
        FloatVector c2 = FloatVector.broadcast(S, ActivationsVector.P2), c3 = FloatVector.broadcast(S, ActivationsVector.P3);
        FloatVector c4 = FloatVector.broadcast(S, ActivationsVector.P4), c5 = FloatVector.broadcast(S, ActivationsVector.P5);
        FloatVector minusLn2Hi = FloatVector.broadcast(S, -ActivationsVector.LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(S, -ActivationsVector.LN2_LO);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector y = FloatVector.fromArray(S, x, off + i).sub(by);
            FloatVector v = y.blend(ActivationsVector.EXP_LO, y.compare(VectorOperators.LT, ActivationsVector.EXP_LO));
            FloatVector t = v.fma(ActivationsVector.LOG2E, ActivationsVector.ROUND);
            FloatVector nf = t.sub(ActivationsVector.ROUND);
            FloatVector r = nf.fma(minusLn2Lo, nf.fma(minusLn2Hi, v));
            FloatVector p = r.fma(ActivationsVector.P0, ActivationsVector.P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.fma(r.mul(r), r).add(1f);
            FloatVector scale = t.reinterpretAsInts().sub(ActivationsVector.ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            p.mul(scale).intoArray(x, off + i);
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

    /**
     * out[outOff + r] (+)= sum_c x[off + r * ld + c] * y[yOff + c] over c < n, for rows r < rows (y null:
     * plain row sums). With 16 lanes, 16 rows at a time: one accumulator per row, then the 16 are summed
     * together by a tree of lane blends, swaps and adds (four rounds, 15 steps of 4 operations) instead
     * of 16 separate lane reductions (about 8 operations each on long shuffle latencies): the FAVOR+
     * key sums and denominators spent 1 ms of 30 in those reductions. A fixed order, so the same bits on
     * every call.
     */
    static void rowSums(float[] x, int off, int ld, int rows, int n, float[] y, int yOff, float[] out, int outOff, boolean accumulate) {
        int r = 0;
        if (L == 16 && n % L == 0) {
            for (; r + 16 <= rows; r += 16) rowSums16(x, off + r * ld, ld, n, y, yOff, out, outOff + r, accumulate);
        }
        for (; r < rows; r++) {
            float t = y == null ? sum(x, off + r * ld, n) : dot(x, off + r * ld, y, yOff, n);
            out[outOff + r] = accumulate ? out[outOff + r] + t : t;
        }
    }

    private static final VectorMask<Float> BIT8 = VectorMask.fromLong(S, 0xFF00L), BIT4 = VectorMask.fromLong(S, 0xF0F0L);
    private static final VectorMask<Float> BIT2 = VectorMask.fromLong(S, 0xCCCCL), BIT1 = VectorMask.fromLong(S, 0xAAAAL);
    private static final VectorShuffle<Float> XOR8 = VectorShuffle.fromOp(S, i -> i ^ 8), XOR4 = VectorShuffle.fromOp(S, i -> i ^ 4);
    private static final VectorShuffle<Float> XOR2 = VectorShuffle.fromOp(S, i -> i ^ 2), XOR1 = VectorShuffle.fromOp(S, i -> i ^ 1);

    /**
     * {@link #rowSums} of 16 rows with 16 lanes. A step on (u, w) with distance d gives lanes without bit d
     * u[i] + u[i ^ d] and lanes with bit d w[i] + w[i ^ d]; pairing rows r and r + 8, then + 4, + 2, + 1
     * leaves row r's sum in lane r.
     */
    private static void rowSums16(float[] x, int off, int ld, int n, float[] y, int yOff, float[] out, int outOff, boolean accumulate) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int c = 0; c < n; c += L) {
            FloatVector m = y == null ? one : FloatVector.fromArray(S, y, yOff + c);
            int at = off + c;
            a0 = FloatVector.fromArray(S, x, at).fma(m, a0);
            a1 = FloatVector.fromArray(S, x, at + ld).fma(m, a1);
            a2 = FloatVector.fromArray(S, x, at + 2 * ld).fma(m, a2);
            a3 = FloatVector.fromArray(S, x, at + 3 * ld).fma(m, a3);
            a4 = FloatVector.fromArray(S, x, at + 4 * ld).fma(m, a4);
            a5 = FloatVector.fromArray(S, x, at + 5 * ld).fma(m, a5);
            a6 = FloatVector.fromArray(S, x, at + 6 * ld).fma(m, a6);
            a7 = FloatVector.fromArray(S, x, at + 7 * ld).fma(m, a7);
            a8 = FloatVector.fromArray(S, x, at + 8 * ld).fma(m, a8);
            a9 = FloatVector.fromArray(S, x, at + 9 * ld).fma(m, a9);
            a10 = FloatVector.fromArray(S, x, at + 10 * ld).fma(m, a10);
            a11 = FloatVector.fromArray(S, x, at + 11 * ld).fma(m, a11);
            a12 = FloatVector.fromArray(S, x, at + 12 * ld).fma(m, a12);
            a13 = FloatVector.fromArray(S, x, at + 13 * ld).fma(m, a13);
            a14 = FloatVector.fromArray(S, x, at + 14 * ld).fma(m, a14);
            a15 = FloatVector.fromArray(S, x, at + 15 * ld).fma(m, a15);
        }
        // Distance 8: rows r and r + 8.
        a0 = a0.blend(a8, BIT8).add(a8.blend(a0, BIT8).rearrange(XOR8));
        a1 = a1.blend(a9, BIT8).add(a9.blend(a1, BIT8).rearrange(XOR8));
        a2 = a2.blend(a10, BIT8).add(a10.blend(a2, BIT8).rearrange(XOR8));
        a3 = a3.blend(a11, BIT8).add(a11.blend(a3, BIT8).rearrange(XOR8));
        a4 = a4.blend(a12, BIT8).add(a12.blend(a4, BIT8).rearrange(XOR8));
        a5 = a5.blend(a13, BIT8).add(a13.blend(a5, BIT8).rearrange(XOR8));
        a6 = a6.blend(a14, BIT8).add(a14.blend(a6, BIT8).rearrange(XOR8));
        a7 = a7.blend(a15, BIT8).add(a15.blend(a7, BIT8).rearrange(XOR8));
        // Distance 4: r and r + 4.
        a0 = a0.blend(a4, BIT4).add(a4.blend(a0, BIT4).rearrange(XOR4));
        a1 = a1.blend(a5, BIT4).add(a5.blend(a1, BIT4).rearrange(XOR4));
        a2 = a2.blend(a6, BIT4).add(a6.blend(a2, BIT4).rearrange(XOR4));
        a3 = a3.blend(a7, BIT4).add(a7.blend(a3, BIT4).rearrange(XOR4));
        // Distance 2, then 1.
        a0 = a0.blend(a2, BIT2).add(a2.blend(a0, BIT2).rearrange(XOR2));
        a1 = a1.blend(a3, BIT2).add(a3.blend(a1, BIT2).rearrange(XOR2));
        a0 = a0.blend(a1, BIT1).add(a1.blend(a0, BIT1).rearrange(XOR1));
        if (accumulate) a0 = a0.add(FloatVector.fromArray(S, out, outOff));
        a0.intoArray(out, outOff);
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

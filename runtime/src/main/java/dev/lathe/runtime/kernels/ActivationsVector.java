package dev.lathe.runtime.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activations. Each activation has its own loop (one shape class each, DESIGN.md §6), and
 * each loop spells out the exp it needs inline, since a helper taking a {@code FloatVector} may not be
 * inlined and would then box every vector. The exp block (Cephes expf):
 * <pre>
 *   x = clamp(x, EXP_LO, EXP_HI)                      // exp stays a normal float
 *   t = x * log2(e) + 1.5 * 2^23                      // adding the magic number rounds to an integer n,
 *   n = t - 1.5 * 2^23                                // whose low bits are in the low bits of t
 *   r = x - n * ln2_hi - n * ln2_lo                   // |r| <= ln2 / 2, exact (Cody–Waite)
 *   p = 1 + r + r^2 * (P0 + P1 r + ... + P5 r^5)      // minimax on [-ln2/2, ln2/2]
 *   exp(x) = p * 2^n,  2^n = bits((bits(t) + 127) << 23)
 * </pre>
 * Measured against Math.exp over [-87, 88]: relative error below 3e-7 (2 ulp). Inside the other
 * activations and kernels the clamp is harmless (they divide by 1 + exp or subtract a maximum first);
 * the public {@link #exp} also covers [88.38, 88.72] and gives +inf above, as Math.exp rounded to float.
 */
final class ActivationsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorMask<Float> ALL = S.maskAll(true);

    static final float EXP_HI = 88.3762626647949f;
    static final float EXP_LO = -87.3365447505531f;
    /** ln(Float.MAX_VALUE): exp overflows above. */
    static final float EXP_MAX = 88.72283905206835f;
    static final int ROUND_BITS = 0x4B400000; // Float.floatToIntBits(ROUND)
    static final float LOG2E = 1.44269504088896341f;
    static final float ROUND = 12582912f; // 1.5 * 2^23
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float P0 = 1.9875691500E-4f;
    static final float P1 = 1.3981999507E-3f;
    static final float P2 = 8.3334519073E-3f;
    static final float P3 = 4.1665795894E-2f;
    static final float P4 = 1.6666665459E-1f;
    static final float P5 = 5.0000001201E-1f;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float INV_SQRT_2 = (float) (1 / Math.sqrt(2));

    private ActivationsVector() {}

    static void apply(Activation act, float[] x, int off, int n, float[] out, int outOff) {
        switch (act) {
            case NONE -> {
                if (x != out || off != outOff) System.arraycopy(x, off, out, outOff, n);
            }
            case RELU -> relu(x, off, n, out, outOff);
            case GELU_ERF -> geluErf(x, off, n, out, outOff);
            case GELU_TANH -> geluTanh(x, off, n, out, outOff);
            case SILU -> sigmoidLike(x, off, n, out, outOff, true);
            case SIGMOID -> sigmoidLike(x, off, n, out, outOff, false);
            case TANH -> tanh(x, off, n, out, outOff);
        }
    }

    private static void relu(float[] x, int off, int n, float[] out, int outOff) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, off + i, m);
            // max(v, 0) would turn -0 into 0 and keep NaN; blend keeps both as the scalar does.
            v.blend(0f, v.lt(0f)).intoArray(out, outOff + i, m);
        }
    }

    /**
     * exp over the whole float range: clamped to [EXP_LO, ln(FLT_MAX)] and 2^n applied in two halves so
     * that n = 128 works; +inf above ln(FLT_MAX) and 0 below EXP_LO (where Math.exp is subnormal).
     */
    static void exp(float[] x, int off, int n, float[] out, int outOff) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, off + i, m);
            FloatVector v = xv.min(EXP_MAX).max(EXP_LO);
            FloatVector t = v.fma(LOG2E, ROUND);
            FloatVector nf = t.sub(ROUND);
            FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
            FloatVector p = r.fma(P0, P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(ROUND_BITS);
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            IntVector n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(s1).mul(s2).blend(Float.POSITIVE_INFINITY, xv.compare(VectorOperators.GT, EXP_MAX))
                    .blend(0f, xv.compare(VectorOperators.LT, EXP_LO)).intoArray(out, outOff + i, m);
        }
    }

    /** sigmoid(x) = 1 / (1 + exp(-x)); SiLU multiplies by x. */
    private static void sigmoidLike(float[] x, int off, int n, float[] out, int outOff, boolean silu) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, off + i, m);
            // e = exp(-x)
            FloatVector v = xv.neg().min(EXP_HI).max(EXP_LO);
            FloatVector t = v.fma(LOG2E, ROUND);
            FloatVector nf = t.sub(ROUND);
            FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
            FloatVector p = r.fma(P0, P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector e = p.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            // Past the clamp exp(-x) is +inf, so that sigmoid -> 0 and SiLU -> -0 instead of a finite ratio.
            e = e.blend(Float.POSITIVE_INFINITY, xv.compare(VectorOperators.LT, -EXP_HI));
            FloatVector y = silu ? xv.div(e.add(1f)) : FloatVector.broadcast(S, 1f).div(e.add(1f));
            y.intoArray(out, outOff + i, m);
        }
    }

    /** tanh(x) = sign(x) (1 - e) / (1 + e) with e = exp(-2|x|). */
    private static void tanh(float[] x, int off, int n, float[] out, int outOff) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, off + i, m);
            // e = exp(-2|x|)
            FloatVector v = xv.abs().mul(-2f).max(EXP_LO);
            FloatVector t = v.fma(LOG2E, ROUND);
            FloatVector nf = t.sub(ROUND);
            FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
            FloatVector p = r.fma(P0, P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector e = p.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector y = e.neg().add(1f).div(e.add(1f));
            y.blend(y.neg(), xv.lt(0f)).blend(xv, xv.test(VectorOperators.IS_NAN)).intoArray(out, outOff + i, m);
        }
    }

    /** x/2 (1 + tanh(u)) = x / (1 + exp(-2u)), u = sqrt(2/pi) (x + 0.044715 x^3). */
    private static void geluTanh(float[] x, int off, int n, float[] out, int outOff) {
        FloatVector c2 = FloatVector.broadcast(S, P2), c3 = FloatVector.broadcast(S, P3);
        FloatVector c4 = FloatVector.broadcast(S, P4), c5 = FloatVector.broadcast(S, P5);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, off + i, m);
            FloatVector u = xv.mul(xv).fma(0.044715f, 1f).mul(xv).mul(-2f * SQRT_2_OVER_PI);
            // e = exp(-2u)
            FloatVector v = u.min(EXP_HI).max(EXP_LO);
            FloatVector t = v.fma(LOG2E, ROUND);
            FloatVector nf = t.sub(ROUND);
            FloatVector r = v.sub(nf.mul(LN2_HI)).sub(nf.mul(LN2_LO));
            FloatVector p = r.fma(P0, P1).fma(r, c2).fma(r, c3).fma(r, c4).fma(r, c5);
            p = p.mul(r.mul(r)).add(r).add(1f);
            FloatVector e = p.mul(t.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            e = e.blend(Float.POSITIVE_INFINITY, u.compare(VectorOperators.GT, EXP_HI));
            xv.div(e.add(1f)).intoArray(out, outOff + i, m);
        }
    }

    /**
     * x/2 (1 + erf(x / sqrt 2)) with erf(z) = z P(z^2) / Q(z^2) on [0, 4] (erf(4) is 1 in float), a
     * rational fit from runtime/src/main/python/fit_erf.py: |error| below 3.1e-7 evaluated in float, so
     * GELU stays within 0.08 of DESIGN.md §4's tolerance; one division and no exp (the erfc-times-exp form
     * it replaced cost about twice as much).
     */
    private static void geluErf(float[] x, int off, int n, float[] out, int outOff) {
        FloatVector p6 = FloatVector.broadcast(S, -1.3666774378862101e-08f), p5 = FloatVector.broadcast(S, 4.780538347404217e-06f);
        FloatVector p4 = FloatVector.broadcast(S, 0.00038269214564934373f), p3 = FloatVector.broadcast(S, 0.003839526791125536f);
        FloatVector p2 = FloatVector.broadcast(S, 0.054332587867975235f), p1 = FloatVector.broadcast(S, 0.184710294008255f);
        FloatVector p0 = FloatVector.broadcast(S, 1.128379225730896f);
        FloatVector q5 = FloatVector.broadcast(S, 6.400925485650077e-05f), q4 = FloatVector.broadcast(S, 0.0013095784233883023f);
        FloatVector q3 = FloatVector.broadcast(S, 0.015453510917723179f), q2 = FloatVector.broadcast(S, 0.11382628977298737f);
        FloatVector q1 = FloatVector.broadcast(S, 0.49702879786491394f), q0 = FloatVector.broadcast(S, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = i + L <= n ? ALL : S.indexInRange(i, n);
            FloatVector xv = FloatVector.fromArray(S, x, off + i, m);
            FloatVector z = xv.abs().mul(INV_SQRT_2).min(4f);
            FloatVector s = z.mul(z);
            FloatVector num = s.fma(p6, p5).fma(s, p4).fma(s, p3).fma(s, p2).fma(s, p1).fma(s, p0).mul(z);
            FloatVector den = s.fma(q5, q4).fma(s, q3).fma(s, q2).fma(s, q1).fma(s, q0);
            FloatVector e = num.div(den).min(1f);
            FloatVector half = xv.mul(0.5f);
            // x/2 (1 + erf(x/√2)), erf odd
            half.fma(e.blend(e.neg(), xv.lt(0f)), half).intoArray(out, outOff + i, m);
        }
    }
}

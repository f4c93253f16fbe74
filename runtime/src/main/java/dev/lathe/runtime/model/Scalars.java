package dev.lathe.runtime.model;

import dev.lathe.runtime.HalfFloats;

/**
 * Scalar functions that generated loop nests call (static, {@code double} in and out, so the JIT
 * inlines them). Each computes exactly what the reference interpreter computes for one element:
 * the same formula in double, so that a compiled elementwise op rounds to the same float.
 */
public final class Scalars {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double SQRT_2 = Math.sqrt(2);

    private Scalars() {}

    public static double sigmoid(double v) {
        // Both branches keep exp's argument <= 0, so neither overflows.
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }

    public static double silu(double v) {
        return v * sigmoid(v);
    }

    public static double softplus(double v) {
        return Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    public static double rsqrt(double v) {
        return 1 / Math.sqrt(v);
    }

    public static double relu(double v) {
        return Math.max(v, 0.0);
    }

    public static double geluErf(double v) {
        return 0.5 * v * (1 + erf(v / SQRT_2));
    }

    public static double geluTanh(double v) {
        return 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }

    public static double leakyRelu(double v, double alpha) {
        return v >= 0 ? v : alpha * v;
    }

    /** [Clip]; NaN stays NaN. */
    public static double clip(double v, double lo, double hi) {
        return Double.isNaN(v) ? v : Math.min(Math.max(v, lo), hi);
    }

    /**
     * The error function (Abramowitz and Stegun 7.1.5 below 1, the continued fraction 7.1.14 from 1 on),
     * the one implementation the reference interpreter uses too, so both give the same double.
     */
    public static double erf(double x) {
        return dev.lathe.runtime.Erf.erf(x);
    }

    /** Rounds to the nearest f16 value (ties to even, overflow to infinity), as the interpreter does ({@link HalfFloats}). */
    public static double roundF16(double v) {
        return HalfFloats.roundToF16(v);
    }

    /** Rounds to the nearest bf16 value, as the interpreter does. */
    public static double roundBf16(double v) {
        return HalfFloats.roundToBf16(v);
    }

    /** Integer division truncating toward zero; dividing by 0 is a run-time error, as in the interpreter. */
    public static long div(long a, long b) {
        if (b == 0) throw new ModelRunException("div: integer division by zero");
        return a / b;
    }

    /** Integer power computed in double and truncated, as the interpreter does. */
    public static long pow(long a, long b) {
        return (long) Math.pow(a, b);
    }

    /** Whether {@code v} beats the best so far in argmax: strictly greater, NaN counts as largest, the first NaN stays. */
    public static boolean argmaxBetter(double v, double best) {
        if (Double.isNaN(best)) return false;
        return Double.isNaN(v) || v > best;
    }

    /**
     * A gather index checked against its dim: in {@code [-dim, dim)} (negative counts from the end)
     * when {@code negative}, else in {@code [0, dim)}.
     */
    public static int index(long i, int dim, boolean negative, String op) {
        if (negative ? (i < -dim || i >= dim) : (i < 0 || i >= dim)) {
            throw new ModelRunException(op + ": index " + i + " is out of range for " + (negative ? "dim " : "a table of ") + dim
                    + (negative ? "" : " rows"));
        }
        return (int) (i < 0 ? i + dim : i);
    }

    /** The mean of no integer elements is an error, as in the interpreter. */
    public static long meanCount(long count) {
        if (count == 0) throw new ModelRunException("mean: no elements to average");
        return count;
    }
}

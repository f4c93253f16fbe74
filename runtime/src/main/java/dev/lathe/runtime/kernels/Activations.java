package dev.lathe.runtime.kernels;

/**
 * Elementwise activations and exp over {@code n} contiguous floats; {@code out} may be {@code x} at
 * the same offset.
 *
 * <p>Accuracy. The scalar versions evaluate in double and round once. The vector versions use a
 * polynomial exp (Cody–Waite range reduction and the Cephes degree-5 minimax polynomial; relative error
 * below 3e-7, about 2 ulp, on [-87, 88]) and build sigmoid, SiLU, tanh and the tanh GELU from it, and
 * the erf GELU from the Numerical Recipes erfc fit (fractional error below 1.2e-7). On finite inputs
 * every activation stays within abs 1e-5 + rel 1e-4 of the double-precision reference (the tests check
 * this on random values, on edge values up to ±3e38, and vector against scalar);
 * {@link #exp} gives +inf above ln(Float.MAX_VALUE) and 0 where the true result is subnormal.
 * Infinite inputs are outside the contract (GELU of +inf may be NaN).
 */
public final class Activations {
    private Activations() {}

    public static void apply(Activation act, float[] x, int off, int n, float[] out, int outOff) {
        if (act == null) throw new IllegalArgumentException("activation must not be null");
        Checks.nonNegative("Activations.apply", n);
        Checks.vector("x", x, off, n);
        Checks.vector("out", out, outOff, n);
        if (Kernels.VECTOR) ActivationsVector.apply(act, x, off, n, out, outOff);
        else ActivationsScalar.apply(act, x, off, n, out, outOff);
    }

    public static void exp(float[] x, int off, int n, float[] out, int outOff) {
        Checks.nonNegative("Activations.exp", n);
        Checks.vector("x", x, off, n);
        Checks.vector("out", out, outOff, n);
        if (Kernels.VECTOR) ActivationsVector.exp(x, off, n, out, outOff);
        else ActivationsScalar.exp(x, off, n, out, outOff);
    }
}

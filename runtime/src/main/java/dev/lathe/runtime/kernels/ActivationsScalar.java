package dev.lathe.runtime.kernels;

/** Activations one element at a time, in double precision (the scalar reference for the vector code). */
final class ActivationsScalar {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);

    private ActivationsScalar() {}

    static float apply(Activation act, float x) {
        return switch (act) {
            case NONE -> x;
            case RELU -> x > 0 || Float.isNaN(x) ? x : 0f;
            case GELU_ERF -> (float) (0.5 * x * (1 + erf(x * INV_SQRT_2)));
            case GELU_TANH -> (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case SILU -> (float) (x / (1 + Math.exp(-x)));
            case SIGMOID -> (float) (1 / (1 + Math.exp(-(double) x)));
            case TANH -> (float) Math.tanh(x);
        };
    }

    static void apply(Activation act, float[] x, int off, int n, float[] out, int outOff) {
        if (act == Activation.NONE) {
            if (x != out || off != outOff) System.arraycopy(x, off, out, outOff, n);
            return;
        }
        for (int i = 0; i < n; i++) out[outOff + i] = apply(act, x[off + i]);
    }

    static void exp(float[] x, int off, int n, float[] out, int outOff) {
        for (int i = 0; i < n; i++) out[outOff + i] = (float) Math.exp(x[off + i]);
    }

    /**
     * erf with absolute error below 1.2e-7 (Numerical Recipes' erfc Chebyshev fit, evaluated in double),
     * ample for float results.
     */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - r : r - 1;
    }
}

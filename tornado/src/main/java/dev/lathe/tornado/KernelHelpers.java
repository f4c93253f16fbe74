package dev.lathe.tornado;

/**
 * The scalar functions every emitted kernels class carries as private static methods (TornadoVM inlines
 * static calls into kernels; a device cannot call into the Lathe runtime). Each computes what the
 * reference interpreter computes (dev.lathe.runtime.model.Scalars, dev.lathe.runtime.Erf,
 * dev.lathe.runtime.HalfFloats): the same formulas in double, so emitted loop nests round like the interpreter.
 */
final class KernelHelpers {
    private KernelHelpers() {}

    static final String SOURCE = """

                private static double sigmoid(double v) {
                    // both branches keep exp's argument <= 0
                    if (v >= 0) return 1 / (1 + Math.exp(-v));
                    double e = Math.exp(v);
                    return e / (1 + e);
                }

                private static double silu(double v) {
                    return v * sigmoid(v);
                }

                private static double softplus(double v) {
                    return Math.max(v, 0.0) + Math.log1p(Math.exp(-Math.abs(v)));
                }

                private static double geluErf(double v) {
                    return 0.5 * v * (1 + erf(v / Math.sqrt(2.0)));
                }

                private static double geluTanh(double v) {
                    return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                }

                private static double leakyRelu(double v, double alpha) {
                    return v >= 0 ? v : alpha * v;
                }

                private static double clip(double v, double lo, double hi) {
                    return Double.isNaN(v) ? v : Math.min(Math.max(v, lo), hi);
                }

                private static float relu32(float v) {
                    return v > 0 || Float.isNaN(v) ? v : 0f;
                }

                /** The first NaN wins; otherwise strictly greater. */
                private static boolean argmaxBetter(double v, double best) {
                    if (Double.isNaN(best)) return false;
                    return Double.isNaN(v) || v > best;
                }

                /** erf: the Taylor series below 1, 1 - erfc by the continued fraction A&S 7.1.14 from 1 on. */
                private static double erf(double x) {
                    if (Double.isNaN(x)) return x;
                    double a = Math.abs(x);
                    if (a >= 1) {
                        double tail = 0;
                        for (int k = 200; k >= 1; k--) tail = (k / 2.0) / (a + tail);
                        double erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + tail);
                        return Math.copySign(1 - erfc, x);
                    }
                    double x2 = x * x, term = x, sum = x;
                    for (int n = 1; n < 60; n++) {
                        term *= -x2 / n;
                        double add = term / (2 * n + 1);
                        sum += add;
                        if (Math.abs(add) <= Math.abs(sum) * 1e-17) break;
                    }
                    return 2 / Math.sqrt(Math.PI) * sum;
                }

                /** The nearest f16 value (ties to even): narrow to float with round-to-odd first, so the second rounding is exact. */
                private static double roundF16(double v) {
                    float f = (float) v;
                    if (!Double.isNaN(v) && (double) f != v) {
                        int bits = Float.floatToRawIntBits(f);
                        if (Math.abs((double) f) > Math.abs(v)) bits -= 1;
                        f = Float.intBitsToFloat(bits | 1);
                    }
                    return Float.float16ToFloat(Float.floatToFloat16(f));
                }
            """;
}

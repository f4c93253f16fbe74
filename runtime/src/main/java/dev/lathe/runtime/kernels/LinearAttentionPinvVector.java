package dev.lathe.runtime.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LinearAttention#pseudoInverse} with DoubleVector products: the same Newton-Schulz iteration
 * (same start, same iteration count) in double, differing from the reference only by fma rounding,
 * which the iteration does not amplify (each step corrects the last). The reference's scalar loops
 * ran at under 1 GFLOP/s and made Nystrom's l x l pseudo-inverse cost more than its attention.
 */
final class LinearAttentionPinvVector {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private LinearAttentionPinvVector() {}

    /** The pseudo-inverse [n, m] of a [m, n]. */
    static double[] pseudoInverse(double[] a, int m, int n) {
        double[] v = LinearAttention.newtonSchulzStart(a, m, n);
        if (v == null) return new double[n * m];
        double[] av = new double[m * m], next = new double[n * m];
        for (int it = 0; it < LinearAttention.NEWTON_SCHULZ_ITERATIONS; it++) {
            multiply(a, v, av, m, n, m);
            for (int i = 0; i < m * m; i++) av[i] = -av[i];
            for (int i = 0; i < m; i++) av[i * m + i] += 2;
            multiply(v, av, next, n, m, m);
            double[] t = v;
            v = next;
            next = t;
        }
        return v;
    }

    /** out [rows, cols] = x [rows, inner] @ y [inner, cols], one vector of a row's columns at a time. */
    private static void multiply(double[] x, double[] y, double[] out, int rows, int inner, int cols) {
        for (int i = 0; i < rows; i++) {
            int xi = i * inner, oi = i * cols;
            for (int j = 0; j < cols; j += L) {
                VectorMask<Double> mask = S.indexInRange(j, cols);
                DoubleVector acc = DoubleVector.zero(S);
                for (int p = 0, yj = j; p < inner; p++, yj += cols) {
                    acc = DoubleVector.fromArray(S, y, yj, mask).fma(DoubleVector.broadcast(S, x[xi + p]), acc);
                }
                acc.intoArray(out, oi + j, mask);
            }
        }
    }
}

package dev.lathe.pass.kernelize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.interp.AttentionOps;
import dev.lathe.interp.LinearAttentionOps;
import dev.lathe.runtime.kernels.LinearAttention;
import dev.lathe.ir.Node;
import dev.lathe.pass.TestGraph;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The guarantees of kernelized attention (issue 6, item 6), on random inputs. */
class LinearAttentionPropertiesTest {
    static double[] gaussian(SplittableRandom r, int n, double sd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = sd * TestGraph.normal(r);
        return x;
    }

    static void assertClose(double[] want, double[] got, double rel) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], rel * (1 + Math.abs(want[i])), "at " + i);
    }

    @Test
    void positiveFeaturesGivePositiveDenominators() {
        qt().withFixedSeed(31).withExamples(100).forAll(longs().all(), integers().between(1, 8), integers().between(1, 40), integers().between(1, 10))
                .checkAssert((seed, d, m, n) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    double[] w = LinearAttention.favorFeatures(m, d, seed);
                    double[] x = gaussian(r, n * d, 3);
                    for (boolean perRow : new boolean[] {true, false}) {
                        double[] phi = LinearAttention.favorMap(x, n, d, w, m, perRow);
                        for (double p : phi) assertTrue(p >= 0 && Double.isFinite(p));
                        // every row has a feature of exactly 1 / sqrt(m) (per row) or some row does (keys)
                        double z = 0;
                        for (double p : phi) z += p;
                        for (int i = 0; i < n; i++) {
                            double den = 0;
                            for (int f = 0; f < m; f++) den += phi[i * m + f] * z;
                            assertTrue(den > 0, "denominator " + den);
                        }
                    }
                    double[] e = LinearAttention.elu(x);
                    for (double p : e) assertTrue(p > 0);
                });
    }

    @Test
    void linearFormEqualsQuadraticForm() {
        qt().withFixedSeed(32).withExamples(100).forAll(longs().all(), integers().between(1, 9), integers().between(1, 9), integers().between(1, 6))
                .checkAssert((seed, sq, sk, f) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int dv = 1 + r.nextInt(4);
                    double[] pq = LinearAttention.elu(gaussian(r, sq * f, 1));
                    double[] pk = LinearAttention.elu(gaussian(r, sk * f, 1));
                    double[] v = gaussian(r, sk * dv, 1);
                    // phi(Q) (phi(K)^T V) = (phi(Q) phi(K)^T) V, and with prefix sums the causally masked form
                    for (boolean causal : new boolean[] {false, true}) {
                        assertClose(LinearAttention.quadratic(pq, pk, v, sq, sk, f, dv, causal), LinearAttention.linear(pq, pk, v, sq, sk, f, dv, causal),
                                1e-12);
                    }
                });
    }

    @Test
    void causalPrefixSumsEqualTheMaskedQuadraticFormComputedByHand() {
        // one feature, pq = pk = 1: causal linear attention is the running mean of v
        double[] ones = {1, 1, 1, 1};
        double[] v = {2, 4, 9, -3};
        assertClose(new double[] {2, 3, 5, 3}, LinearAttention.linear(ones, ones, v, 4, 4, 1, 1, true), 0);
        // two queries at the end of four keys see keys 0..2 and 0..3
        assertClose(new double[] {5, 3}, LinearAttention.linear(new double[] {1, 1}, ones, v, 2, 4, 1, 1, true), 0);
    }

    @Test
    void aWindowOfAtLeastTheSequenceLengthIsFullAttention() {
        qt().withFixedSeed(33).withExamples(60).forAll(longs().all(), integers().between(1, 8), integers().between(1, 3), integers().between(0, 4))
                .checkAssert((seed, s, heads, extra) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int dh = 1 + r.nextInt(4);
                    boolean causal = r.nextBoolean();
                    long[] shape = {2, s, (long) heads * dh};
                    Tensor q = Tensor.ofDoubles(shape, gaussian(r, 2 * s * heads * dh, 1));
                    Tensor k = Tensor.ofDoubles(shape, gaussian(r, 2 * s * heads * dh, 1));
                    Tensor v = Tensor.ofDoubles(shape, gaussian(r, 2 * s * heads * dh, 1));
                    double scale = 1 / Math.sqrt(dh);
                    double[] want = AttentionOps.attention(q, k, v, heads, null, causal, scale).toDoubleArray();
                    double[] got = LinearAttentionOps.attention(q, k, v, heads, Node.KernelMethod.WINDOW, s + extra, 0, causal, scale).toDoubleArray();
                    assertClose(want, got, 1e-12);
                });
    }

    @Test
    void aWindowSeesOnlyNearbyKeys() {
        // one head, dh = 1, q = 0: uniform weights over the window; v = position
        int s = 5;
        double[] q = new double[s], k = new double[s], v = {0, 1, 2, 3, 4};
        // w = 2: query i sees |i - j| < 2 -> means of {0,1}, {0,1,2}, {1,2,3}, {2,3,4}, {3,4}
        assertClose(new double[] {0.5, 1, 2, 3, 3.5}, LinearAttention.window(q, k, v, s, s, 1, 1, 2, false, 1), 1e-15);
        // causal w = 2: {0}, {0,1}, {1,2}, {2,3}, {3,4}
        assertClose(new double[] {0, 0.5, 1.5, 2.5, 3.5}, LinearAttention.window(q, k, v, s, s, 1, 1, 2, true, 1), 1e-15);
    }

    @Test
    void favorEstimateOfTheSoftmaxKernelIsUnbiased() {
        int seeds = 400;
        double z = 4;
        qt().withFixedSeed(34).withExamples(20).forAll(longs().all(), integers().between(1, 6), integers().between(1, 16))
                .checkAssert((seed, d, m) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    double[] x = gaussian(r, d, 0.5), y = gaussian(r, d, 0.5);
                    double exact = 0;
                    for (int c = 0; c < d; c++) exact += x[c] * y[c];
                    exact = Math.exp(exact);
                    double sum = 0, sum2 = 0;
                    for (int s = 0; s < seeds; s++) {
                        double e = LinearAttention.favorKernel(x, y, LinearAttention.favorFeatures(m, d, seed + 1 + s), m);
                        sum += e;
                        sum2 += (e - exact) * (e - exact);
                    }
                    double mean = sum / seeds;
                    double mse = sum2 / seeds;
                    assertTrue(Math.abs(mean - exact) <= z * Math.sqrt(mse / seeds) + 1e-12,
                            "mean " + mean + " vs exp(x.y) = " + exact + ", mse " + mse);
                });
    }

    /**
     * The FAVOR+ estimate's root mean squared error shrinks like 1/sqrt(m): its variance is
     * Var/m for m i.i.d. features (Choromanski et al. 2021, Lemma 2), and orthogonal blocks do no
     * worse, so four times the features should about halve the error. Checked over 3,000 seeds per m
     * on fixed pairs, with a band of [0.35, 0.65] around the ideal 0.5 for the sampling noise.
     */
    @Test
    void favorErrorShrinksLikeOneOverTheSquareRootOfTheFeatureCount() {
        int seeds = 3000, d = 4;
        SplittableRandom r = new SplittableRandom(21);
        for (int pair = 0; pair < 3; pair++) {
            double[] x = gaussian(r, d, 0.6), y = gaussian(r, d, 0.6);
            double exact = 0;
            for (int c = 0; c < d; c++) exact += x[c] * y[c];
            exact = Math.exp(exact);
            double[] rmse = new double[2];
            int[] features = {16, 64};
            for (int i = 0; i < 2; i++) {
                double sum2 = 0;
                for (int s = 0; s < seeds; s++) {
                    double e = LinearAttention.favorKernel(x, y, LinearAttention.favorFeatures(features[i], d, 1000L * i + s), features[i]);
                    sum2 += (e - exact) * (e - exact);
                }
                rmse[i] = Math.sqrt(sum2 / seeds);
            }
            double ratio = rmse[1] / rmse[0];
            assertTrue(ratio >= 0.35 && ratio <= 0.65, "rmse at m = 16, 64: " + java.util.Arrays.toString(rmse) + ", ratio " + ratio);
        }
    }

    @Test
    void favorFeaturesAreOrthogonalWithinABlockAndSeeded() {
        double[] w = LinearAttention.favorFeatures(6, 4, 3);
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                double dot = 0;
                for (int c = 0; c < 4; c++) dot += w[a * 4 + c] * w[b * 4 + c];
                assertEquals(0, dot, 1e-12);
            }
        }
        assertEquals(java.util.Arrays.toString(w), java.util.Arrays.toString(LinearAttention.favorFeatures(6, 4, 3)));
    }

    @Test
    void favorAttentionApproachesSoftmaxAttentionWithManyFeatures() {
        SplittableRandom r = new SplittableRandom(5);
        long[] shape = {1, 8, 8};
        Tensor q = Tensor.ofDoubles(shape, gaussian(r, 64, 0.5));
        Tensor k = Tensor.ofDoubles(shape, gaussian(r, 64, 0.5));
        Tensor v = Tensor.ofDoubles(shape, gaussian(r, 64, 1));
        double[] exact = AttentionOps.attention(q, k, v, 2, null, false, 0.5).toDoubleArray();
        double[] errors = new double[2];
        int[] features = {16, 4096};
        for (int i = 0; i < 2; i++) {
            double[] got = LinearAttentionOps.attention(q, k, v, 2, Node.KernelMethod.FAVOR, features[i], 1, false, 0.5).toDoubleArray();
            double d2 = 0, r2 = 0;
            for (int j = 0; j < got.length; j++) {
                d2 += (got[j] - exact[j]) * (got[j] - exact[j]);
                r2 += exact[j] * exact[j];
            }
            errors[i] = Math.sqrt(d2 / r2);
        }
        assertTrue(errors[1] < 0.05 && errors[1] < errors[0], java.util.Arrays.toString(errors));
        assertEquals(DType.F64, q.dtype());
    }

    @Test
    void newtonSchulzResidualSquaresEveryStep() {
        qt().withFixedSeed(35).withExamples(60).forAll(longs().all(), integers().between(1, 6), integers().between(1, 6), integers().between(0, 4))
                .checkAssert((seed, m, n, k) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    double[] a = gaussian(r, m * n, 1);
                    double[] v0 = LinearAttention.newtonSchulz(a, m, n, 0);
                    double[] vk = LinearAttention.newtonSchulz(a, m, n, k);
                    double[] e0 = residual(a, v0, m, n);
                    double[] want = e0;
                    for (int i = 0; i < k; i++) want = LinearAttention.matmul(want, want, m, m, m); // (I - A V_0)^(2^k)
                    assertClose(want, residual(a, vk, m, n), 1e-9);
                });
    }

    private static double[] residual(double[] a, double[] v, int m, int n) {
        double[] av = LinearAttention.matmul(a, v, m, n, m);
        for (int i = 0; i < m * m; i++) av[i] = (i % (m + 1) == 0 ? 1 : 0) - av[i];
        return av;
    }

    /**
     * With a landmark per token F = A = Bm = P and out = P pinv(P) P V = P V. The pseudo-inverse's
     * {@link LinearAttention#NEWTON_SCHULZ_ITERATIONS} iterations only invert well-conditioned P fully, so
     * token i's query and key are 3 e_i plus noise: P is diagonally dominant.
     */
    @Test
    void nystromWithEveryTokenALandmarkIsExact() {
        qt().withFixedSeed(36).withExamples(40).forAll(longs().all(), integers().between(1, 8), integers().between(1, 3), integers().between(0, 3))
                .checkAssert((seed, s, heads, extra) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int dh = s;
                    long[] shape = {1, s, (long) heads * dh};
                    double[] qs = gaussian(r, s * heads * dh, 0.1), ks = gaussian(r, s * heads * dh, 0.1);
                    for (int i = 0; i < s; i++) {
                        for (int h = 0; h < heads; h++) {
                            qs[i * heads * dh + h * dh + i] += 3;
                            ks[i * heads * dh + h * dh + i] += 3;
                        }
                    }
                    Tensor q = Tensor.ofDoubles(shape, qs);
                    Tensor k = Tensor.ofDoubles(shape, ks);
                    Tensor v = Tensor.ofDoubles(shape, gaussian(r, s * heads * dh, 1));
                    double scale = 1 / Math.sqrt(dh);
                    double[] want = AttentionOps.attention(q, k, v, heads, null, false, scale).toDoubleArray();
                    double[] got = LinearAttentionOps.attention(q, k, v, heads, Node.KernelMethod.NYSTROM, s + extra, 0, false, scale).toDoubleArray();
                    assertClose(want, got, 1e-6);
                });
    }

    @Test
    void segmentMeansByHand() {
        // rows 1, 2, 3, 4, 5 in 2 segments: rows 0..1 and 2..4
        assertClose(new double[] {1.5, 4}, LinearAttention.segmentMeans(new double[] {1, 2, 3, 4, 5}, 5, 1, 2), 0);
    }
}

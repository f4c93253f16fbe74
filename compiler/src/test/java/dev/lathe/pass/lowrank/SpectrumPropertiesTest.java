package dev.lathe.pass.lowrank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.lathe.pass.TestGraph;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.NormOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The factorization's guarantees (issue 4, item 6), on matrices built with known singular values
 * {@code W = U diag(s) V^T} from random orthonormal U, V (Gram-Schmidt here, not EJML), so that the
 * expected errors come from the generator's s, not from the SVD under test.
 */
class SpectrumPropertiesTest {
    private static final double TOL = 1e-9;

    /** A matrix with singular values {@code s} (any order), m x n, from {@code seed}. */
    record Known(int m, int n, double[] s, double[] w) {
        double[] sortedDescending() {
            double[] d = s.clone();
            Arrays.sort(d);
            for (int i = 0; i < d.length / 2; i++) {
                double t = d[i];
                d[i] = d[d.length - 1 - i];
                d[d.length - 1 - i] = t;
            }
            return d;
        }

        double norm() {
            double e = 0;
            for (double v : s) e += v * v;
            return Math.sqrt(e);
        }

        /** sqrt(sum of the squares of all but the r largest s), summed from an independent sort. */
        double tail(int r) {
            double[] d = sortedDescending();
            double e = 0;
            for (int i = r; i < d.length; i++) e += d[i] * d[i];
            return Math.sqrt(e);
        }
    }

    static Known known(long seed, int m, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int k = Math.min(m, n);
        double[] u = orthonormalColumns(r, m, k);
        double[] v = orthonormalColumns(r, n, k);
        double[] s = new double[k];
        // Distinct values spread over two decades, so every truncation is unique.
        for (int i = 0; i < k; i++) s[i] = Math.pow(10, 2 * r.nextDouble()) * (1 + i * 1e-3);
        double[] w = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int l = 0; l < k; l++) sum += u[i * k + l] * s[l] * v[j * k + l];
                w[i * n + j] = sum;
            }
        }
        return new Known(m, n, s, w);
    }

    /** k orthonormal columns of an m x k matrix (row-major), by modified Gram-Schmidt on Gaussians. */
    static double[] orthonormalColumns(SplittableRandom r, int m, int k) {
        double[] q = new double[m * k];
        for (int c = 0; c < k; c++) {
            double[] col = new double[m];
            for (int i = 0; i < m; i++) col[i] = TestGraph.normal(r);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double dot = 0;
                    for (int i = 0; i < m; i++) dot += col[i] * q[i * k + p];
                    for (int i = 0; i < m; i++) col[i] -= dot * q[i * k + p];
                }
            }
            double norm = 0;
            for (double x : col) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) q[i * k + c] = col[i] / norm;
        }
        return q;
    }

    private static double error(Known w, Factors f) {
        return Matrices.frobenius(Matrices.minus(w.w(), f.product()));
    }

    @Test
    void fullRankReproducesTheMatrix() {
        qt().withFixedSeed(11).withExamples(60)
                .forAll(longs().all(), integers().between(1, 20), integers().between(1, 20))
                .checkAssert((seed, m, n) -> {
                    Known w = known(seed, m, n);
                    Spectrum s = Spectrum.of(w.w(), m, n);
                    double err = error(w, s.truncate(s.maxRank()));
                    assertTrue(err <= TOL * w.norm(), () -> "full-rank error " + err + " for ||W|| " + w.norm());
                });
    }

    @Test
    void singularValuesAreTheOnesBuiltIn() {
        qt().withFixedSeed(12).withExamples(60)
                .forAll(longs().all(), integers().between(1, 20), integers().between(1, 20))
                .checkAssert((seed, m, n) -> {
                    Known w = known(seed, m, n);
                    double[] got = Spectrum.of(w.w(), m, n).singularValues();
                    double[] want = w.sortedDescending();
                    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], TOL * w.norm(), "sigma_" + (i + 1));
                });
    }

    /** Eckart–Young: the Frobenius error is the root of the dropped sigma^2, the spectral error sigma_{r+1}. */
    @Test
    void truncationErrorsAreEckartYoung() {
        qt().withFixedSeed(13).withExamples(80)
                .forAll(longs().all(), integers().between(1, 16), integers().between(1, 16), integers().between(1, 16))
                .checkAssert((seed, m, n, rank) -> {
                    Known w = known(seed, m, n);
                    Spectrum s = Spectrum.of(w.w(), m, n);
                    int r = Math.min(rank, s.maxRank());
                    Factors f = s.truncate(r);
                    double[] e = Matrices.minus(w.w(), f.product());
                    double frobenius = Matrices.frobenius(e);
                    assertEquals(w.tail(r), frobenius, TOL * w.norm(), "Frobenius error at rank " + r);
                    assertEquals(w.tail(r), s.tailFrobenius(r), TOL * w.norm(), "certified Frobenius error");
                    double spectral = NormOps_DDRM.normP2(new DMatrixRMaj(m, n, true, e));
                    double sigmaNext = r < w.s().length ? w.sortedDescending()[r] : 0;
                    assertEquals(sigmaNext, spectral, TOL * w.norm(), "spectral error at rank " + r);
                    assertEquals(sigmaNext, s.spectralTail(r), TOL * w.norm(), "certified spectral error");
                });
    }

    /** The energy rule keeps ||W - BA||_F <= sqrt(1 - tau) ||W||_F, and one rank less would not. */
    @Test
    void energyRuleMeetsItsBoundWithTheSmallestRank() {
        qt().withFixedSeed(14).withExamples(80)
                .forAll(longs().all(), integers().between(1, 16), integers().between(1, 16), doubles().between(0.05, 1.0))
                .checkAssert((seed, m, n, tau) -> {
                    Known w = known(seed, m, n);
                    Spectrum s = Spectrum.of(w.w(), m, n);
                    int r = RankChoice.energy(tau, s.singularValues());
                    double bound = Math.sqrt(1 - tau) * w.norm();
                    double err = error(w, s.truncate(r));
                    assertTrue(err <= bound + TOL * w.norm(), () -> "rank " + r + ": error " + err + " above " + bound);
                    if (r > 1) {
                        double smaller = error(w, s.truncate(r - 1));
                        assertTrue(smaller > bound - TOL * w.norm(), () -> "rank " + (r - 1) + " already meets the bound: " + smaller + " <= " + bound);
                    }
                });
    }

    @Test
    void errorDoesNotIncreaseWithTheRank() {
        qt().withFixedSeed(15).withExamples(60)
                .forAll(longs().all(), integers().between(1, 16), integers().between(1, 16))
                .checkAssert((seed, m, n) -> {
                    Known w = known(seed, m, n);
                    Spectrum s = Spectrum.of(w.w(), m, n);
                    double previous = Double.POSITIVE_INFINITY;
                    for (int r = 1; r <= s.maxRank(); r++) {
                        double err = error(w, s.truncate(r));
                        assertTrue(err <= previous + TOL * w.norm(), "error rose from rank " + (r - 1) + " to " + r + ": " + previous + " -> " + err);
                        previous = err;
                    }
                });
    }

    @Test
    void theSameInputGivesBitwiseTheSameFactors() {
        qt().withFixedSeed(16).withExamples(40)
                .forAll(longs().all(), integers().between(1, 16), integers().between(1, 16), integers().between(1, 16))
                .checkAssert((seed, m, n, rank) -> {
                    double[] w = known(seed, m, n).w();
                    int r = Math.min(rank, Math.min(m, n));
                    Factors a = Spectrum.of(w, m, n).truncate(r);
                    Factors b = Spectrum.of(w.clone(), m, n).truncate(r);
                    assertArrayEquals(a.a(), b.a());
                    assertArrayEquals(a.b(), b.b());
                });
    }

    /**
     * EoRA: factors fitted in the damped eigenspace of the activations are never worse, in the
     * activation-weighted norm, than the plain SVD of the same rank, and meet their own certificate.
     */
    @Test
    void compensatedErrorIsAtMostThePlainSvdsActivationWeightedError() {
        qt().withFixedSeed(17).withExamples(60)
                .forAll(longs().all(), integers().between(2, 12), integers().between(2, 12), integers().between(1, 40))
                .checkAssert((seed, m, n, samples) -> {
                    double[] t = known(seed, m, n).w();
                    double[] c = covariance(seed ^ 0x5EED, n, samples);
                    Spectrum weighted = Spectrum.activationWeighted(t, m, n, c);
                    Spectrum plain = Spectrum.of(t, m, n);
                    for (int r = 1; r < Math.min(m, n); r++) {
                        double compensated = Matrices.activationError(Matrices.minus(t, weighted.truncate(r).product()), m, n, c);
                        double svd = Matrices.activationError(Matrices.minus(t, plain.truncate(r).product()), m, n, c);
                        double scale = Matrices.activationError(t, m, n, c) + 1e-300;
                        int rank = r;
                        assertTrue(compensated <= svd + TOL * scale, () -> "rank " + rank + ": compensated " + compensated + " > plain " + svd);
                        assertTrue(compensated <= weighted.tailFrobenius(r) + TOL * scale,
                                () -> "rank " + rank + ": " + compensated + " above its certificate " + weighted.tailFrobenius(rank));
                    }
                });
    }

    /** X^T X / N of N Gaussian rows whose columns have scales over three decades (an anisotropic, often singular, covariance). */
    static double[] covariance(long seed, int n, int rows) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] scale = new double[n];
        for (int j = 0; j < n; j++) scale[j] = Math.pow(10, 3 * r.nextDouble() - 1.5);
        double[] c = new double[n * n];
        double[] x = new double[n];
        for (int s = 0; s < rows; s++) {
            for (int j = 0; j < n; j++) x[j] = TestGraph.normal(r) * scale[j];
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) c[a * n + b] += x[a] * x[b] / rows;
            }
        }
        return c;
    }
}

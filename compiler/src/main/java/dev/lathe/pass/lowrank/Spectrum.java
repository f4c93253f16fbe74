package dev.lathe.pass.lowrank;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The singular value decomposition {@code M = U diag(sigma) V^T} of an m x n matrix (EJML, in
 * double), singular values in descending order, from which {@link #truncate} cuts rank-r factors
 * {@code B [m, r]} and {@code A [r, n]} with {@code B A} the best rank-r approximation of M in the
 * Frobenius and spectral norms (Eckart–Young–Mirsky), so that
 * {@code ||M - B A||_F = sqrt(sum_{i > r} sigma_i^2)} and {@code ||M - B A||_2 = sigma_{r+1}}.
 *
 * <p>The factors are balanced, {@code B = U_r sqrt(S_r)} and {@code A = sqrt(S_r) V_r^T}: both have
 * the same scale, which keeps them well within f16/bf16 range when they are stored so.
 *
 * <p>An <em>activation-weighted</em> spectrum ({@link #activationWeighted}) is that of {@code M S}
 * where {@code S = Q Lambda^(1/2)} whitens the damped activation covariance; its factors are
 * mapped back by {@code S^-1}, so they minimize the activation-weighted error instead (EoRA).
 * Immutable.
 */
public final class Spectrum {
    /**
     * The damping added to the activation covariance, relative to its mean eigenvalue (its trace
     * over n): {@code C + DAMPING * trace(C) / n * I}. It keeps {@code Lambda^(-1/2)} finite when
     * some input directions never occur in the calibration data (a singular covariance, e.g. fewer
     * samples than inputs, or inputs that are always zero), so that A does not blow up along them;
     * 1% is the damping GPTQ uses for the same Hessian. The certificate stays valid with it, since
     * {@code trace(E C E^T) <= trace(E (C + lambda I) E^T)}.
     */
    public static final double DAMPING = 0.01;

    private final int m;
    private final int n;
    private final double[] sigma;
    private final DMatrixRMaj u;            // [m, k]
    private final DMatrixRMaj v;            // [n, k]
    private final DMatrixRMaj unwhiten;     // [n, n], S^-1; null for a plain spectrum

    private Spectrum(int m, int n, double[] sigma, DMatrixRMaj u, DMatrixRMaj v, DMatrixRMaj unwhiten) {
        this.m = m;
        this.n = n;
        this.sigma = sigma;
        this.u = u;
        this.v = v;
        this.unwhiten = unwhiten;
    }

    /** The SVD of the row-major m x n matrix {@code w}, which must be finite. */
    public static Spectrum of(double[] w, int m, int n) {
        return svd(new DMatrixRMaj(m, n, true, w), null);
    }

    /**
     * The spectrum of {@code t [m, n]} weighted by the activations whose second-moment matrix is
     * {@code covariance [n, n]} ({@code X^T X / N} over N activation rows): the factors minimize
     * {@code trace((T - BA)(C + lambda I)(T - BA)^T)}, whose square root is
     * {@link #tailFrobenius}{@code (r)}, with lambda from {@link #DAMPING}. An all-zero covariance
     * (no information) gives lambda = 1, i.e. the plain SVD.
     */
    public static Spectrum activationWeighted(double[] t, int m, int n, double[] covariance) {
        DMatrixRMaj c = new DMatrixRMaj(n, n, true, covariance);
        double lambda = dampingOf(covariance, n);
        for (int i = 0; i < n; i++) c.add(i, i, lambda);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(c)) throw new ArithmeticException("the activation covariance has no eigendecomposition");
        DMatrixRMaj whiten = new DMatrixRMaj(n, n);      // S = Q Lambda^(1/2)
        DMatrixRMaj unwhiten = new DMatrixRMaj(n, n);    // S^-1 = Lambda^(-1/2) Q^T
        for (int j = 0; j < n; j++) {
            // C + lambda I has every eigenvalue >= lambda in exact arithmetic; rounding may dip below.
            double ev = Math.max(eig.getEigenvalue(j).getReal(), lambda);
            DMatrixRMaj q = eig.getEigenVector(j);
            double s = Math.sqrt(ev);
            for (int i = 0; i < n; i++) {
                whiten.set(i, j, q.get(i) * s);
                unwhiten.set(j, i, q.get(i) / s);
            }
        }
        DMatrixRMaj weighted = new DMatrixRMaj(m, n);
        CommonOps_DDRM.mult(new DMatrixRMaj(m, n, true, t), whiten, weighted);
        return svd(weighted, unwhiten);
    }

    /** The lambda added to the covariance's diagonal: {@link #DAMPING} times its mean eigenvalue, or 1 when it is zero. */
    public static double dampingOf(double[] covariance, int n) {
        double trace = 0;
        for (int i = 0; i < n; i++) trace += covariance[i * n + i];
        return trace > 0 ? DAMPING * trace / n : 1.0;
    }

    private static Spectrum svd(DMatrixRMaj a, DMatrixRMaj unwhiten) {
        int m = a.numRows;
        int n = a.numCols;
        for (int i = 0; i < a.data.length; i++) {
            if (!Double.isFinite(a.data[i])) throw new ArithmeticException("the matrix has a non-finite element");
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!svd.decompose(a.copy())) throw new ArithmeticException("the SVD did not converge");
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        int k = Math.min(m, n);
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) sigma[i] = w.get(i, i);
        return new Spectrum(m, n, sigma, u, v, unwhiten);
    }

    public int rows() {
        return m;
    }

    public int cols() {
        return n;
    }

    /** min(m, n), the largest rank. */
    public int maxRank() {
        return sigma.length;
    }

    /** The singular values, descending (a copy). */
    public double[] singularValues() {
        return sigma.clone();
    }

    public boolean isActivationWeighted() {
        return unwhiten != null;
    }

    /** {@code sum_{i > r} sigma_i^2}, summed from the smallest up so that small tails keep their digits. */
    public double droppedEnergy(int r) {
        double s = 0;
        for (int i = sigma.length - 1; i >= r; i--) s += sigma[i] * sigma[i];
        return s;
    }

    /** {@code sqrt(sum_{i > r} sigma_i^2)}: the (weighted) Frobenius error of the rank-r truncation. */
    public double tailFrobenius(int r) {
        return Math.sqrt(droppedEnergy(r));
    }

    /** {@code sigma_{r+1}}, 0 at full rank: the spectral error of the rank-r truncation. */
    public double spectralTail(int r) {
        return r < sigma.length ? sigma[r] : 0;
    }

    /** {@code sqrt(sum sigma_i^2)}, the (weighted) Frobenius norm of the matrix. */
    public double frobeniusNorm() {
        return tailFrobenius(0);
    }

    /** The balanced rank-r factors, {@code 1 <= r <= maxRank()}. */
    public Factors truncate(int r) {
        if (r < 1 || r > sigma.length) throw new IllegalArgumentException("rank " + r + " is not within 1.." + sigma.length);
        double[] b = new double[m * r];
        double[] a = new double[r * n];
        for (int k = 0; k < r; k++) {
            double s = Math.sqrt(sigma[k]);
            for (int i = 0; i < m; i++) b[i * r + k] = u.get(i, k) * s;
            for (int j = 0; j < n; j++) a[k * n + j] = v.get(j, k) * s;
        }
        if (unwhiten != null) {
            DMatrixRMaj mapped = new DMatrixRMaj(r, n);
            CommonOps_DDRM.mult(new DMatrixRMaj(r, n, true, a), unwhiten, mapped);
            a = mapped.data;
        }
        return new Factors(m, n, r, b, a);
    }
}

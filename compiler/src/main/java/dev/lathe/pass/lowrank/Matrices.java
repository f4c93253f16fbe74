package dev.lathe.pass.lowrank;

/** Plain row-major matrix arithmetic in double for certificates and tests; small and obviously correct. */
public final class Matrices {
    private Matrices() {}

    /** The transpose of row-major {@code x [rows, cols]}. */
    public static double[] transpose(double[] x, int rows, int cols) {
        double[] out = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
        }
        return out;
    }

    public static double[] minus(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] - b[i];
        return out;
    }

    public static double frobenius(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    /**
     * {@code sqrt(trace(E C E^T))} for {@code e [m, n]} and a second-moment matrix {@code c [n, n]}
     * of activations ({@code X^T X / N}): the root mean square over activation rows x of
     * {@code ||E x||}, i.e. {@code ||E X^T||_F / sqrt(N)}.
     */
    public static double activationError(double[] e, int m, int n, double[] c) {
        double total = 0;
        double[] ec = new double[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(ec, 0);
            for (int k = 0; k < n; k++) {
                double eik = e[i * n + k];
                if (eik == 0) continue;
                for (int j = 0; j < n; j++) ec[j] += eik * c[k * n + j];
            }
            for (int j = 0; j < n; j++) total += ec[j] * e[i * n + j];
        }
        // A PSD form is >= 0; rounding can leave a tiny negative.
        return Math.sqrt(Math.max(total, 0));
    }
}

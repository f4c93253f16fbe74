package dev.lathe.pass.lowrank;

/**
 * Rank-r factors of an m x n matrix, {@code M ~ B A}, row-major in double: {@code b [m, r]},
 * {@code a [r, n]}. The arrays are owned by this record; do not modify them.
 */
public record Factors(int m, int n, int r, double[] b, double[] a) {
    public Factors {
        if (b.length != m * r || a.length != r * n) throw new IllegalArgumentException("factor sizes do not fit " + m + "x" + r + "x" + n);
    }

    /** {@code B A}, [m, n], summed in double. */
    public double[] product() {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < r; k++) {
                double bik = b[i * r + k];
                for (int j = 0; j < n; j++) out[i * n + j] += bik * a[k * n + j];
            }
        }
        return out;
    }
}

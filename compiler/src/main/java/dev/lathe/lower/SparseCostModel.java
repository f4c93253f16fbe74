package dev.lathe.lower;

import dev.lathe.ir.Dim;
import dev.lathe.ir.DimBounds;
import dev.lathe.ir.SparseFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the JVM backend runs a pruned linear layer on the sparse kernel (runtime {@code SparseGemm})
 * or on the dense GEMM over the masked weight, per layer and number of rows m (the product of x's
 * leading dims). Estimated times, in ns, for W [out, in] with {@code stored} values (BSR counts whole
 * blocks; N:M runs as CSR):
 * <pre>
 *   dense(m)  = out * in * max(DENSE_STREAM, DENSE_MAC * m)       GEMV streams W; GEMM is compute-bound
 *   sparse(1) = stored * DOT                                       CSR: packed row slices, x by permutes; BSR: one FMA per block
 *   sparse(m) = stored * FMA * ceil(m / 16)            m >= 2      X transposed, one 16-lane FMA per value and 16 rows
 * </pre>
 * with DOT and FMA per format (CSR or BSR). Calibration ({@code bench/.../SparseBench.java}, one thread,
 * 1024x1024, AMD EPYC with AVX-512, a busy 2-core machine): dense's absolute times are the minimum over
 * repeated calls of a plain timing loop on the same kernels (JMH's averages there were inflated about
 * 3.5x by the load), 58.5 us at m = 1, 80.6 at 4, 298 at 16, 1198 at 64; each sparse constant is dense's time divided by
 * the speed-up JMH measured in one run, taking the largest (slowest) value over m = 4, 16, 64 for FMA
 * and over 50-90% for DOT. FMA: speed-ups (dense / sparse) CSR 90% 0.29 at 4, 0.89 at 16, 1.19 at 64;
 * CSR 70% 0.11, 0.38, 0.43; BSR 4x4 80% 0.26, 0.89, 1.14. DOT, from the one-row run
 * {@code SparseBench -p batch=1 -f 2 -wi 3 -i 4} (dense 51.0 us there, errors under 5%): CSR 90% 3.26, 70% 1.63,
 * 50% 1.12 (0.17, 0.11, 0.10 ns per stored value: the padding of the row slices weighs most when sparsest),
 * 2:4 1.43 (0.08); BSR 4x4 80% 2.10 (0.13).
 *
 * <p>Sparse is chosen only where it is estimated at most {@link #MARGIN} of dense, so that a sparse
 * layer is not slower than dense within the model's error. Over a range of rows (a symbolic batch
 * dim's declared bounds; unbounded is checked up to {@link #ROWS_CHECKED}) the choice is sparse
 * when it wins everywhere, dense when it loses at the lowest row count, and otherwise by rows at
 * run time: sparse below the first row count where it loses, dense from there on, which keeps both
 * forms (the dense masked weight, out * in * 4 bytes, next to the sparse parts).
 *
 * <p>The system property {@code lathe.sparse=sparse} (or {@code dense}) overrides the model, for
 * tests and comparisons, as {@code lathe.kernels=scalar} does for the kernels.
 */
public final class SparseCostModel {
    static final double DENSE_STREAM_NS = 0.056;
    static final double DENSE_MAC_NS = 0.0183;
    static final double CSR_DOT_NS = 0.17;
    static final double CSR_FMA_NS = 3.3;
    static final double BSR_DOT_NS = 0.13;
    static final double BSR_FMA_NS = 1.65;
    static final int LANES = 16;
    public static final double MARGIN = 0.9;
    public static final int ROWS_CHECKED = 4096;

    private SparseCostModel() {}

    public enum Kind { SPARSE, BY_ROWS, DENSE }

    /**
     * The choice: {@code denseFromRows} is where BY_ROWS switches to dense; {@code rows} the row count
     * the reason quotes, with the two estimates there.
     */
    public record Choice(Kind kind, int denseFromRows, long rows, double sparseNs, double denseNs) {
        /** One line for the pass report: which form and why. */
        public String reason() {
            String at = String.format(Locale.ROOT, "at %d rows sparse costs %.2fx dense (%.1f vs %.1f us estimated)", rows, sparseNs / denseNs, sparseNs / 1e3,
                    denseNs / 1e3);
            return switch (kind) {
                case SPARSE -> "sparse: " + at + (rows > 1 ? ", the most over the rows possible" : "");
                case DENSE -> "kept dense: " + at;
                case BY_ROWS -> "sparse below " + denseFromRows + " rows, dense from there (chosen per call; keeps both forms): " + at;
            };
        }
    }

    public static double denseNs(long out, long in, long rows) {
        return out * in * Math.max(DENSE_STREAM_NS, DENSE_MAC_NS * rows);
    }

    public static double sparseNs(SparseFormat f, long stored, long rows) {
        boolean block = f.kind() == SparseFormat.Kind.BSR;
        if (rows <= 1) return stored * (block ? BSR_DOT_NS : CSR_DOT_NS);
        return stored * (block ? BSR_FMA_NS : CSR_FMA_NS) * ((rows + LANES - 1) / LANES);
    }

    /** The choice for rows in [lo, hi] (hi null: unbounded). */
    public static Choice choose(SparseFormat f, long stored, long lo, Long hi) {
        long first = Math.max(1, lo);
        String forced = System.getProperty("lathe.sparse", "");
        if (forced.equals("sparse") || forced.equals("dense")) {
            Kind kind = forced.equals("sparse") ? Kind.SPARSE : Kind.DENSE;
            return new Choice(kind, 0, first, sparseNs(f, stored, first), denseNs(f.rows(), f.cols(), first));
        }
        long last = Math.min(hi == null ? ROWS_CHECKED : hi, Math.max(first, ROWS_CHECKED));
        long worst = first;
        double worstRatio = -1;
        for (long m = first; m <= last; m++) {
            double s = sparseNs(f, stored, m), d = denseNs(f.rows(), f.cols(), m);
            if (s > MARGIN * d) {
                if (m == first) return new Choice(Kind.DENSE, 0, m, s, d);
                return new Choice(Kind.BY_ROWS, (int) Math.min(Integer.MAX_VALUE, m), m, s, d);
            }
            if (s / d > worstRatio) {
                worstRatio = s / d;
                worst = m;
            }
        }
        return new Choice(Kind.SPARSE, 0, worst, sparseNs(f, stored, worst), denseNs(f.rows(), f.cols(), worst));
    }

    /** The choice for a layer whose rows are {@code rows}: a constant, one named dim (its declared bounds), else unbounded from 1. */
    public static Choice choose(SparseFormat f, long stored, Dim rows, Map<String, DimBounds> dims) {
        if (rows.constant().isPresent()) return choose(f, stored, rows.constant().getAsLong(), rows.constant().getAsLong());
        if (rows.isVariable()) {
            DimBounds b = dims.getOrDefault(rows.variableName(), DimBounds.UNBOUNDED);
            return choose(f, stored, b.lo() == null ? 1 : b.lo(), b.hi());
        }
        return choose(f, stored, 1, null);
    }
}

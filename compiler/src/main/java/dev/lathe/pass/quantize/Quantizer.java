package dev.lathe.pass.quantize;

import dev.lathe.ir.Node.QuantGranularity;
import dev.lathe.runtime.DType;
import dev.lathe.runtime.HalfFloats;
import java.util.Arrays;

/**
 * Round-to-nearest weight quantization of an [m, n] = [out, in] matrix in double, the arithmetic of
 * {@link QuantizePass}, kept free of the IR so the properties can test it directly.
 *
 * <p>Scales form an [R, C] grid: R = 1 (tensor) or m (channel, group), C = n / group (group = n for
 * tensor and channel). Symmetric quantization maps the clipping range [-a, a] onto the integers
 * [-(2^(b-1) - 1), 2^(b-1) - 1] with scale {@code a / (2^(b-1) - 1)} and no zero point; asymmetric maps
 * [lo, hi], widened to contain 0, onto [0, 2^b - 1] with scale {@code (hi - lo) / (2^b - 1)} and the
 * integer zero point {@code rint(-lo / scale)}, so that 0.0 is represented exactly. Scales are rounded
 * to their stored type ({@link Layout#scaleType}: f16 for group granularity, as GPTQ / AWQ checkpoints
 * store them, f32 otherwise) before any weight is quantized with them, so every bound below is about
 * the stored scale. A cell whose range is 0 gets scale 1 (its weights are all 0 and stay 0).
 */
final class Quantizer {
    private Quantizer() {}

    /** Integer range of b bits: symmetric [-(2^(b-1) - 1), 2^(b-1) - 1], asymmetric [0, 2^b - 1]. */
    record Scheme(int bits, boolean symmetric) {
        Scheme {
            if (bits != 8 && bits != 4) throw new IllegalArgumentException("bits " + bits);
        }

        long qmin() {
            return symmetric ? -((1L << (bits - 1)) - 1) : 0;
        }

        long qmax() {
            return symmetric ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }
    }

    /** The scale grid of an [m, n] weight. */
    record Layout(int m, int n, QuantGranularity granularity, int group) {
        Layout {
            if (m < 1 || n < 1 || group < 1 || n % group != 0) throw new IllegalArgumentException("layout " + m + "x" + n + " group " + group);
            if (granularity != QuantGranularity.GROUP && group != n) throw new IllegalArgumentException(granularity + " needs group = n");
        }

        static Layout of(int m, int n, QuantGranularity granularity, int group) {
            return new Layout(m, n, granularity, granularity == QuantGranularity.GROUP ? group : n);
        }

        int scaleRows() {
            return granularity == QuantGranularity.TENSOR ? 1 : m;
        }

        int scaleCols() {
            return n / group;
        }

        int cells() {
            return scaleRows() * scaleCols();
        }

        /**
         * How the scales are stored: f16 for group granularity (at group 32 an f32 scale costs a whole
         * bit per weight, an f16 one half a bit), f32 for tensor and channel, where one scale per row
         * costs nothing worth saving and f32 keeps int8 per-channel results bit-compatible with f32-scale
         * runtimes.
         */
        DType scaleType() {
            return granularity == QuantGranularity.GROUP ? DType.F16 : DType.F32;
        }

        /** The scale index of element (r, i). */
        int cellOf(int r, int i) {
            return (granularity == QuantGranularity.TENSOR ? 0 : r) * scaleCols() + i / group;
        }

        /** The flat indices of the elements of cell {@code c}, in row-major order. */
        int[] members(int c) {
            int cols = scaleCols();
            int col = c % cols;
            int firstRow = granularity == QuantGranularity.TENSOR ? 0 : c / cols;
            int rows = granularity == QuantGranularity.TENSOR ? m : 1;
            int[] out = new int[rows * group];
            int k = 0;
            for (int r = firstRow; r < firstRow + rows; r++) {
                for (int i = col * group; i < (col + 1) * group; i++) out[k++] = r * n + i;
            }
            return out;
        }
    }

    /** How the clipping range of a cell is chosen. */
    sealed interface Calibration permits MinMax, Percentile, Mse {}

    record MinMax() implements Calibration {}

    /** Clip at the nearest-rank percentile p of |w| (symmetric), or at the percentiles 100 - p and p of w (asymmetric). */
    record Percentile(double p) implements Calibration {}

    /** The range {@code c * [lo, hi]} with the smallest squared error over the ratios c = 1, 0.99, ..., 0.5 (the largest c on ties). */
    record Mse() implements Calibration {}

    static final int MSE_STEPS = 51;

    /**
     * Quantized weights: {@code q} row-major [m, n], {@code scales} the stored (f32- or f16-valued) scales
     * [R * C], {@code zeros} the zero points (null when symmetric).
     */
    record Quantized(Layout layout, Scheme scheme, long[] q, double[] scales, long[] zeros) {
        double[] dequantize() {
            double[] w = new double[q.length];
            for (int r = 0; r < layout.m(); r++) {
                for (int i = 0; i < layout.n(); i++) {
                    int e = r * layout.n() + i;
                    int c = layout.cellOf(r, i);
                    w[e] = (q[e] - (zeros == null ? 0 : zeros[c])) * scales[c];
                }
            }
            return w;
        }

        /**
         * A per-element bound on {@code |w - deq(q)|}: half the scale for a weight inside the
         * representable range widened by half a step on each side (round to nearest), its distance to
         * the nearest representable value otherwise (clipped); 0 for cells that are all zero.
         */
        double[] elementBounds(double[] w) {
            double[] b = new double[w.length];
            boolean[] zeroCell = zeroCells(w);
            for (int r = 0; r < layout.m(); r++) {
                for (int i = 0; i < layout.n(); i++) {
                    int e = r * layout.n() + i;
                    int c = layout.cellOf(r, i);
                    if (zeroCell[c]) continue;
                    double s = scales[c];
                    long z = zeros == null ? 0 : zeros[c];
                    double lo = (scheme.qmin() - z) * s;
                    double hi = (scheme.qmax() - z) * s;
                    double out = w[e] < lo ? lo - w[e] : w[e] > hi ? w[e] - hi : 0;
                    b[e] = Math.max(s / 2, out);
                }
            }
            return b;
        }

        private boolean[] zeroCells(double[] w) {
            boolean[] zero = new boolean[layout.cells()];
            Arrays.fill(zero, true);
            for (int r = 0; r < layout.m(); r++) {
                for (int i = 0; i < layout.n(); i++) {
                    if (w[r * layout.n() + i] != 0) zero[layout.cellOf(r, i)] = false;
                }
            }
            return zero;
        }
    }

    /** Quantizes {@code w} [m, n] with clipping ranges chosen by {@code calibration}. */
    static Quantized quantize(double[] w, Layout layout, Scheme scheme, Calibration calibration) {
        double[] scales = new double[layout.cells()];
        long[] zeros = scheme.symmetric() ? null : new long[layout.cells()];
        for (int c = 0; c < layout.cells(); c++) {
            double[] values = gather(w, layout.members(c));
            double[] range = range(values, scheme, calibration, layout.scaleType());
            double[] sz = scaleAndZero(range[0], range[1], scheme, layout.scaleType());
            scales[c] = sz[0];
            if (zeros != null) zeros[c] = (long) sz[1];
        }
        return new Quantized(layout, scheme, quantizeWith(w, layout, scheme, scales, zeros), scales, zeros);
    }

    /** Round to nearest with fixed scales and zero points, clamped to the scheme's integers. */
    static long[] quantizeWith(double[] w, Layout layout, Scheme scheme, double[] scales, long[] zeros) {
        long[] q = new long[w.length];
        for (int r = 0; r < layout.m(); r++) {
            for (int i = 0; i < layout.n(); i++) {
                int e = r * layout.n() + i;
                int c = layout.cellOf(r, i);
                q[e] = quantizeOne(w[e], scales[c], zeros == null ? 0 : zeros[c], scheme);
            }
        }
        return q;
    }

    static long quantizeOne(double w, double scale, long zero, Scheme scheme) {
        long v = (long) Math.rint(w / scale) + zero;
        return Math.clamp(v, scheme.qmin(), scheme.qmax());
    }

    /** {scale, zero point} for the clipping range [lo, hi] (symmetric: [-hi, hi]); the scale rounded to {@code scaleType}. */
    static double[] scaleAndZero(double lo, double hi, Scheme scheme, DType scaleType) {
        if (scheme.symmetric()) {
            double a = Math.max(Math.abs(lo), Math.abs(hi));
            return new double[] {storedScale(a / scheme.qmax(), scaleType), 0};
        }
        double l = Math.min(lo, 0);
        double h = Math.max(hi, 0);
        double s = storedScale((h - l) / scheme.qmax(), scaleType);
        double zero = Math.clamp(Math.rint(-l / s), 0, scheme.qmax());
        return new double[] {s, zero};
    }

    /** The smallest positive f16 (a subnormal), 2^-24. */
    static final double F16_MIN = 0x1p-24;

    /**
     * The scale as stored: rounded to nearest f32; or rounded up to an f16, clamped to [2^-24, 65504]:
     * rounding up keeps the min-max range representable (f16 has 11 significant bits, and far fewer
     * below 2^-14, where rounding down could clip a range's ends by more than half a step); a zero
     * range gets 1.
     */
    static double storedScale(double s, DType scaleType) {
        if (!(s > 0) || !Double.isFinite(s)) return 1.0;
        if (scaleType == DType.F16) {
            double clamped = Math.clamp(s, F16_MIN, 65504.0);
            short bits = HalfFloats.floatToF16(HalfFloats.roundToF16(clamped));
            float f = HalfFloats.f16ToFloat(bits);
            // positive f16 bit patterns are ordered like their values
            return f < clamped ? HalfFloats.f16ToFloat((short) (bits + 1)) : f;
        }
        float f = (float) s;
        return f > 0 && Float.isFinite(f) ? f : 1.0;
    }

    /** The clipping range {lo, hi} of one cell (symmetric: {-a, a}). */
    static double[] range(double[] values, Scheme scheme, Calibration calibration, DType scaleType) {
        return switch (calibration) {
            case MinMax m -> minMax(values, scheme);
            case Percentile p -> percentileRange(values, scheme, p.p());
            case Mse m -> mseRange(values, scheme, scaleType);
        };
    }

    private static double[] minMax(double[] v, Scheme scheme) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, a = 0;
        for (double x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
            a = Math.max(a, Math.abs(x));
        }
        return scheme.symmetric() ? new double[] {-a, a} : new double[] {lo, hi};
    }

    /** The nearest-rank percentile: the smallest value with at least p% of the values at or below it; p = 100 is the maximum. */
    static double nearestRank(double[] sorted, double p) {
        int k = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.clamp(k, 0, sorted.length - 1)];
    }

    private static double[] percentileRange(double[] v, Scheme scheme, double p) {
        if (scheme.symmetric()) {
            double[] abs = new double[v.length];
            for (int i = 0; i < v.length; i++) abs[i] = Math.abs(v[i]);
            Arrays.sort(abs);
            double a = nearestRank(abs, p);
            return new double[] {-a, a};
        }
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        return new double[] {nearestRank(sorted, 100 - p), nearestRank(sorted, p)};
    }

    private static double[] mseRange(double[] v, Scheme scheme, DType scaleType) {
        double[] full = minMax(v, scheme);
        double[] best = full;
        double bestError = Double.POSITIVE_INFINITY;
        for (int k = 0; k < MSE_STEPS; k++) {
            double ratio = 1 - k / 100.0;
            double[] range = {full[0] * ratio, full[1] * ratio};
            double[] sz = scaleAndZero(range[0], range[1], scheme, scaleType);
            double error = 0;
            for (double x : v) {
                double d = x - (quantizeOne(x, sz[0], (long) sz[1], scheme) - (long) sz[1]) * sz[0];
                error += d * d;
            }
            if (error < bestError) {
                bestError = error;
                best = range;
            }
        }
        return best;
    }

    private static double[] gather(double[] w, int[] idx) {
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) out[k] = w[idx[k]];
        return out;
    }
}

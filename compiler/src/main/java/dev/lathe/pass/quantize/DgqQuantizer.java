package dev.lathe.pass.quantize;

import dev.lathe.pass.ErrorBound;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Dual Grained Quantization (Zhang et al. 2023, "Dual Grained Quantization: Efficient Fine-Grained
 * Quantization for LLM"), the weight side of A8W4, in double and free of the IR so the properties can
 * test it directly. A weight W [m, n] = [out, in] becomes
 * <pre>
 * W[o, i] ~ channelScale[o] * W8[o, i],   W8[o, i] = (q[o, i] - zero[g]) * groupScale[g] in [-128, 127]
 * </pre>
 * with g the group of {@code group} inputs of row o, q 4-bit (asymmetric: u4 [0, 15] with a u4 zero
 * point per group; symmetric: i4 [-8, 7], no zero point), groupScale a small integer (stored u8,
 * 1..16 so that W8 fits int8 whatever q is) and channelScale f32. The int8 weight W8 is what an int8
 * x int8 GEMM consumes: the group scales cost no float work at run time.
 *
 * <p>The scales come from a two-phase grid search. Phase 1, per row: the channel scale
 * {@code f32(c * max|W_o| / reach)} over c = 1.50, 1.49, ..., 0.50, where reach is the largest int8
 * magnitude every group can represent (symmetric 7 * 16 = 112, asymmetric 15 * 8 = 120), so c = 1
 * clips nothing; each candidate is scored with the min-max group scales, keeping the smallest squared
 * error (the largest c on ties). Phase 2, per
 * group, with that channel scale fixed: every feasible group scale 1..16 (with the zero point that
 * centres the group's range, clamped so W8 fits int8), keeping the smallest squared error. The error
 * is weighted per input by {@code importance} (the mean square of that input on calibration samples,
 * or 1), as AWQ and GPTQ weigh weight errors by activations.
 */
final class DgqQuantizer {
    private DgqQuantizer() {}

    /** The largest group scale: (q - zero) spans 16 values, and 16 * 8 = 128 keeps W8 in int8. */
    static final int GROUP_SCALE_MAX = 16;
    /** Channel-scale candidates: c = 1.50 down to 0.50 in steps of 0.01. */
    static final int CHANNEL_STEPS = 101;

    /** DGQ integers and scales of an [m, n] weight; {@code zeros} null when symmetric. */
    record Result(int m, int n, int group, boolean symmetric, long[] q, double[] channelScales, long[] groupScales, long[] zeros) {
        int cols() {
            return n / group;
        }

        long qmin() {
            return symmetric ? -8 : 0;
        }

        long qmax() {
            return symmetric ? 7 : 15;
        }

        /** The int8 weight {@code (q - zero) * groupScale}, [m, n] row-major. */
        long[] int8Weight() {
            long[] w8 = new long[q.length];
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < n; i++) {
                    int c = r * cols() + i / group;
                    w8[r * n + i] = (q[r * n + i] - (zeros == null ? 0 : zeros[c])) * groupScales[c];
                }
            }
            return w8;
        }

        /** The weight the layer stands for: {@code channelScale * W8}. */
        double[] dequantize() {
            long[] w8 = int8Weight();
            double[] w = new double[w8.length];
            for (int e = 0; e < w.length; e++) w[e] = channelScales[e / n] * w8[e];
            return w;
        }

        /**
         * A per-element bound on {@code |w - deq|}: half the effective step {@code channelScale * groupScale}
         * inside the group's representable range, the distance to it outside (clipped); 0 in all-zero groups.
         */
        double[] elementBounds(double[] w) {
            double[] b = new double[w.length];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < cols(); c++) {
                    boolean allZero = true;
                    for (int i = c * group; i < (c + 1) * group; i++) allZero &= w[r * n + i] == 0;
                    if (allZero) continue;
                    int cell = r * cols() + c;
                    double step = channelScales[r] * groupScales[cell];
                    long z = zeros == null ? 0 : zeros[cell];
                    double lo = (qmin() - z) * step;
                    double hi = (qmax() - z) * step;
                    for (int i = c * group; i < (c + 1) * group; i++) {
                        double v = w[r * n + i];
                        b[r * n + i] = Math.max(step / 2, v < lo ? lo - v : v > hi ? v - hi : 0);
                    }
                }
            }
            return b;
        }
    }

    /** Quantizes {@code w} [m, n]; {@code importance} [n] weighs each input's squared error (null: all 1). */
    static Result quantize(double[] w, int m, int n, int group, boolean symmetric, double[] importance) {
        if (m < 1 || n < 1 || group < 1 || n % group != 0) throw new IllegalArgumentException("dgq layout " + m + "x" + n + " group " + group);
        int cols = n / group;
        long[] q = new long[m * n];
        double[] channelScales = new double[m];
        long[] groupScales = new long[m * cols];
        long[] zeros = symmetric ? null : new long[m * cols];
        GroupFit fit = new GroupFit(symmetric, group);
        for (int r = 0; r < m; r++) {
            double amax = 0;
            for (int i = 0; i < n; i++) amax = Math.max(amax, Math.abs(w[r * n + i]));
            // phase 1: the channel scale, scored with min-max group scales
            double reach = symmetric ? 7 * GROUP_SCALE_MAX : 15 * 8;
            double best = amax == 0 ? 1 : Math.max(Float.MIN_NORMAL, (float) (amax / reach));
            double bestError = Double.POSITIVE_INFINITY;
            for (int k = 0; k < CHANNEL_STEPS && amax > 0; k++) {
                double s = (float) ((1.5 - k / 100.0) * amax / reach);
                if (!(s > 0)) continue;
                double error = 0;
                for (int c = 0; c < cols; c++) error += fit.minMax(w, r * n + c * group, s, importance, c * group).error;
                if (error < bestError) {
                    bestError = error;
                    best = s;
                }
            }
            channelScales[r] = best;
            // phase 2: each group scale by search, the channel scale fixed
            for (int c = 0; c < cols; c++) {
                Choice choice = fit.search(w, r * n + c * group, best, importance, c * group);
                groupScales[r * cols + c] = choice.groupScale;
                if (zeros != null) zeros[r * cols + c] = choice.zero;
                for (int i = 0; i < group; i++) {
                    q[r * n + c * group + i] = fit.round(w[r * n + c * group + i], best, choice.groupScale, choice.zero);
                }
            }
        }
        return new Result(m, n, group, symmetric, q, channelScales, groupScales, zeros);
    }

    private record Choice(long groupScale, long zero, double error) {}

    /** Fits the group scale and zero point of one group for a given channel scale. */
    private record GroupFit(boolean symmetric, int group) {
        long qmin() {
            return symmetric ? -8 : 0;
        }

        long qmax() {
            return symmetric ? 7 : 15;
        }

        /** The zero point for group scale {@code gs} nearest to the one centring [lo8, hi8], among those keeping W8 in int8. */
        long zero(double lo8, long gs) {
            if (symmetric) return 0;
            long lowest = Math.max(0, (long) Math.ceil(15 - 127.0 / gs));
            long highest = Math.min(15, 128 / gs);
            return Math.clamp((long) Math.rint(-Math.min(lo8, 0) / gs), lowest, highest);
        }

        long round(double v, double channelScale, long gs, long zero) {
            return Math.clamp((long) Math.rint(v / (channelScale * gs)) + zero, qmin(), qmax());
        }

        double error(double[] w, int offset, double channelScale, long gs, long zero, double[] importance, int firstInput) {
            double error = 0;
            for (int i = 0; i < group; i++) {
                double v = w[offset + i];
                double d = v - (round(v, channelScale, gs, zero) - zero) * channelScale * gs;
                error += (importance == null ? 1 : importance[firstInput + i]) * d * d;
            }
            return error;
        }

        /** The smallest group scale whose grid covers the group's range [lo8, hi8] in channel-scale units (clamped to 1..16). */
        Choice minMax(double[] w, int offset, double channelScale, double[] importance, int firstInput) {
            double lo = 0, hi = 0;
            for (int i = 0; i < group; i++) {
                lo = Math.min(lo, w[offset + i] / channelScale);
                hi = Math.max(hi, w[offset + i] / channelScale);
            }
            double needed = symmetric ? Math.max(-lo / 8, hi / 7) : (hi - lo) / 15;
            long gs = Math.clamp((long) Math.ceil(needed), 1, GROUP_SCALE_MAX);
            long z = zero(lo, gs);
            return new Choice(gs, z, error(w, offset, channelScale, gs, z, importance, firstInput));
        }

        /** Every group scale 1..16, the smallest error (the smallest scale on ties). */
        Choice search(double[] w, int offset, double channelScale, double[] importance, int firstInput) {
            double lo = 0;
            for (int i = 0; i < group; i++) lo = Math.min(lo, w[offset + i] / channelScale);
            Choice best = null;
            for (long gs = 1; gs <= GROUP_SCALE_MAX; gs++) {
                long z = zero(lo, gs);
                double e = error(w, offset, channelScale, gs, z, importance, firstInput);
                if (best == null || e < best.error) best = new Choice(gs, z, e);
            }
            return best;
        }
    }

    /**
     * The certificate of a DGQ weight: the per-element bound and the measured error against {@code w},
     * the int8 range of W8, and the bound on what rounding the activations to int8 per row adds to an
     * output: {@code |y - x deq(W)^T| <= a_r / 2 * ||deq(W)_o||_1} with {@code a_r = max|x_r| / 127}
     * (plus the slack of the f32 quotient, {@link QuantizePass#DYNAMIC_ROUNDING}), stated per unit of
     * {@code max|x_r|}.
     */
    static List<ErrorBound> certificate(double[] w, Result result) {
        double[] deq = result.dequantize();
        double[] bounds = result.elementBounds(w);
        double maxBound = 0, boundSquares = 0, maxError = 0, errorSquares = 0, norm = 0;
        for (int e = 0; e < w.length; e++) {
            double d = Math.abs(w[e] - deq[e]);
            maxBound = Math.max(maxBound, bounds[e]);
            boundSquares += bounds[e] * bounds[e];
            maxError = Math.max(maxError, d);
            errorSquares += d * d;
            norm += w[e] * w[e];
        }
        long w8max = 0;
        for (long v : result.int8Weight()) w8max = Math.max(w8max, Math.abs(v));
        double rowL1 = 0;
        for (int r = 0; r < result.m(); r++) {
            double l1 = 0;
            for (int i = 0; i < result.n(); i++) l1 += Math.abs(deq[r * result.n() + i]);
            rowL1 = Math.max(rowL1, l1);
        }
        double frobenius = Math.sqrt(errorSquares);
        List<ErrorBound> out = new ArrayList<>();
        out.add(ErrorBound.atMost("max |W - deq(Q(W))|", maxBound, "max over weights of channel scale * group scale / 2 in range, or the "
                + "distance to the range for clipped weights"));
        out.add(ErrorBound.equal("max |W - deq(Q(W))| measured", maxError, "with the stored u4/i4 integers, u8 group scales and f32 channel scales"));
        out.add(ErrorBound.atMost("||W - deq(Q(W))||_F", Math.sqrt(boundSquares), "sqrt of the sum of squared per-weight bounds"));
        out.add(ErrorBound.equal("||W - deq(Q(W))||_F measured", frobenius, "with the stored integers and scales"));
        out.add(ErrorBound.equal("||W - deq(Q(W))||_F / ||W||_F", norm == 0 ? 0 : frobenius / Math.sqrt(norm), "relative"));
        out.add(ErrorBound.atMost("max |(q - zero) * group scale|", 128, String.format(Locale.ROOT,
                "the int8 weights fit [-128, 127]; measured max %d", w8max)));
        out.add(ErrorBound.atMost("|y - x deq(W)^T| / max|x_row|", rowL1 * QuantizePass.DYNAMIC_ROUNDING,
                "int8 activations round each input by at most max|x_row| / 254 (plus f32 slack): max over outputs of "
                        + "||deq(W)_o||_1 * (0.5 + 2e-5) / 127"));
        return out;
    }

    /**
     * What clipping the inputs at {@code levels} does to the layer, measured on the calibration rows:
     * the largest {@code sum_i |x_i - clip(x_i)| * |deq(W)_oi|} over rows and outputs (the float
     * product moves by at most that), and how many input values were clipped. It is not a bound for
     * other inputs: an input beyond a level moves the output by its excess times the weight.
     */
    static ErrorBound clippingMeasured(Result result, InputSample sample, double[] levels, double percentile) {
        double[] deq = result.dequantize();
        int n = result.n();
        double worst = 0;
        long clipped = 0;
        double[] excess = new double[n];
        for (int r = 0; r < sample.rows(); r++) {
            for (int i = 0; i < n; i++) {
                double v = Math.abs(sample.x()[r * n + i]);
                excess[i] = Math.max(0, v - levels[i]);
                if (excess[i] > 0) clipped++;
            }
            for (int o = 0; o < result.m(); o++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += excess[i] * Math.abs(deq[o * n + i]);
                worst = Math.max(worst, s);
            }
        }
        return ErrorBound.equal("max |y(clip(x)) - y(x)| on the calibration rows", worst, String.format(Locale.ROOT,
                "inputs clipped at percentile %s of |x_i| per input: %d of %d calibration values clipped; max over rows and outputs of "
                        + "sum_i |x_i - clip(x_i)| |deq(W)_oi|", percentile, clipped, (long) sample.rows() * n));
    }
}
